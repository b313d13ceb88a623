import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCalibration } from '../cost/calibration-defaults.ts';
import { CalibrationFileSchema, type CalibrationFile, type CalibrationValues } from '../schema/calibration.ts';
import type { EngineFamily } from '../schema/deployment.ts';
import type { Hardware } from './hardware.ts';
import { packageRoot } from './package-root.ts';
import { readValidatedFile } from './validate-file.ts';

export interface ResolvedCalibration {
  readonly id: string;
  readonly values: CalibrationValues;
  /** where the values came from: a file path, or "datasheet defaults" */
  readonly origin: string;
}

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

/**
 * The calibration for a GPU × engine: an explicit file wins; else the shipped profile fitted for exactly
 * this GPU and engine; else one fitted for this engine on any GPU ("*"); else datasheet defaults.
 * Profiles restricted to old engine versions (engine_versions "<0.7") apply only when the benchmark's
 * engine version is known and in range — validation of old measurements — never to new deployments.
 */
export function chooseCalibration(
  hw: Hardware,
  engine: EngineFamily,
  shipped: readonly CalibrationFile[],
  explicit?: CalibrationFile,
  engineVersion?: string,
): ResolvedCalibration {
  if (explicit) return { id: explicit.id, values: explicit.values, origin: `file ${explicit.id}` };
  const version = engineVersion ? parseVersion(engineVersion) : undefined;
  const ranged = version ? shipped.find((c) => c.hardware === hw.id && c.engine === engine && c.engine_versions && inRange(version, c.engine_versions)) : undefined;
  if (ranged) return { id: ranged.id, values: ranged.values, origin: `shipped calibration ${ranged.id} (engine ${engineVersion})` };
  shipped = shipped.filter((c) => !c.engine_versions);
  const exact = shipped.find((c) => c.hardware === hw.id && c.engine === engine);
  if (exact) return { id: exact.id, values: exact.values, origin: `shipped calibration ${exact.id}` };
  const anyGpu = shipped.find((c) => c.hardware === '*' && c.engine === engine);
  if (anyGpu) return { id: anyGpu.id, values: anyGpu.values, origin: `shipped calibration ${anyGpu.id} (fitted on other GPUs)` };
  return { id: `defaults-${hw.id}-${engine}`, values: defaultCalibration(hw, engine), origin: 'datasheet defaults (not fitted)' };
}

/** major.minor of a version string such as "vLLM 0.5.4" or "0.6.0"; undefined when none is found */
export function parseVersion(text: string): [number, number] | undefined {
  const m = /(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function inRange(v: [number, number], range: string): boolean {
  const bound = parseVersion(range);
  if (!bound) return false;
  return v[0] < bound[0] || (v[0] === bound[0] && v[1] < bound[1]);
}
