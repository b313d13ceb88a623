import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from '../src/profiles/package-root.ts';

/** The public measurements servesim validates against: ../shared/measurements/*.csv beside the checkout. */
export function measurementFiles(dir = process.env['SERVESIM_MEASUREMENTS'] ?? resolve(packageRoot(), '..', 'shared', 'measurements')): string[] {
  if (!existsSync(dir)) throw new Error(`measurement folder ${dir} not found (set SERVESIM_MEASUREMENTS)`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => join(dir, f));
}
