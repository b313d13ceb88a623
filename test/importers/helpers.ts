import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricId, Statistic } from '../../src/metrics/definitions.ts';
import type { MeasuredBenchmark } from '../../src/importers/types.ts';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'importers');
export const fixture = (name: string): string => join(FIXTURES, name);

/**
 * The shared data folder (examples, measurements): ../shared beside the checkout, as on a developer's
 * machine and in CI (a fresh clone with shared/ beside it). Tests that need it skip, with this reason, when absent.
 */
export const SHARED = process.env.SERVESIM_SHARED_DIR ?? join(import.meta.dirname, '..', '..', '..', 'shared');
export const EXAMPLES = join(SHARED, 'examples');
export const MEASUREMENTS = join(SHARED, 'measurements');
export const HAS_EXAMPLES = existsSync(EXAMPLES);
export const HAS_MEASUREMENTS = existsSync(MEASUREMENTS);
export const SKIP_EXAMPLES = `(skipped: ${EXAMPLES} not present; set SERVESIM_SHARED_DIR)`;
export const SKIP_MEASUREMENTS = `(skipped: ${MEASUREMENTS} not present; set SERVESIM_SHARED_DIR)`;

export function metric(r: MeasuredBenchmark, id: MetricId, stat: Statistic = 'mean'): number | undefined {
  return r.metrics.find((m) => m.metric === id && m.statistic === stat)?.value;
}

export function metricIds(r: MeasuredBenchmark): string[] {
  return [...new Set(r.metrics.map((m) => m.metric))].sort();
}

let tmp: string | undefined;
/** Write a throw-away file for a bad-input test and return its path. */
export function tmpFile(name: string, content: string): string {
  tmp ??= mkdtempSync(join(tmpdir(), 'servesim-importers-'));
  const p = join(tmp, name);
  writeFileSync(p, content);
  return p;
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
