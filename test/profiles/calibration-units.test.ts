import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { parseValidated } from '../../src/profiles/validate-file.ts';
import { CalibrationFileSchema } from '../../src/schema/calibration.ts';

// a shipped calibration (calibrations/vllm-h100-sxm.yaml), rewritten with units on its time fields
const shipped = readFileSync(join(import.meta.dirname, '../../calibrations/vllm-h100-sxm.yaml'), 'utf8');
const withValues = (values: Record<string, unknown>): string => {
  const doc: unknown = parseYaml(shipped);
  if (doc === null || typeof doc !== 'object') throw new Error('calibration fixture is not a mapping');
  return stringify({ ...doc, values: { ...Reflect.get(doc, 'values'), ...values } });
};

describe('calibration files accept units on their ms and µs fields', () => {
  it('converts a time with a unit to the field unit, and keeps plain numbers as they were', () => {
    const plain = parseValidated(shipped, 'plain.yaml', CalibrationFileSchema, 'calibration profile');
    const f = parseValidated(
      withValues({ step_overhead_ms: '1500us', client_overhead_ms: '0.02 s', layer_overhead_us: '0.01ms', sequence_overhead_us: '12 µs' }),
      'units.yaml',
      CalibrationFileSchema,
      'calibration profile',
    );
    expect(f.values.step_overhead_ms).toBe(1.5);
    expect(f.values.client_overhead_ms).toBe(20);
    expect(f.values.layer_overhead_us).toBeCloseTo(10, 12);
    expect(f.values.sequence_overhead_us).toBe(12);
    expect(f.values.gemm_efficiency).toBe(plain.values.gemm_efficiency);
  });

  it('refuses a unit of the wrong dimension, and still applies the bounds after converting', () => {
    const check = (values: Record<string, unknown>) => () => parseValidated(withValues(values), 'bad.yaml', CalibrationFileSchema, 'calibration profile');
    expect(check({ step_overhead_ms: '3 GB' })).toThrow(/step_overhead_ms.*expected a duration such as 200ms or 0.2 s, found "3 GB"/);
    expect(check({ step_overhead_ms: '1 s' })).toThrow(/step_overhead_ms.*expected <= 50, found/);
    // an efficiency is not a time: a unit there is refused as before
    expect(check({ gemm_efficiency: '0.5 s' })).toThrow(/gemm_efficiency.*expected number/);
  });
});
