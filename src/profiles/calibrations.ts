import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CalibrationFileSchema, type CalibrationFile } from '../schema/calibration.ts';
import { packageRoot } from './package-root.ts';
import { readValidatedFile } from './validate-file.ts';

/** Calibration files shipped in the package (calibrations/*.yaml), fitted by `npm run validate`. */
export function loadShippedCalibrations(dir = join(packageRoot(), 'calibrations')): CalibrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => readValidatedFile(join(dir, f), CalibrationFileSchema, 'calibration profile'));
}

export function readCalibrationFile(path: string): CalibrationFile {
  return readValidatedFile(path, CalibrationFileSchema, 'calibration profile');
}
