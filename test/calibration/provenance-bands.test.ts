import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseCalibration } from '../../src/calibration/choose.ts';
import { fittedBands, halfWidthFromMedianApe, LEAVE_ONE_GPU_OUT_APE_PERCENT, transferredBands } from '../../src/calibration/provenance-bands.ts';
import { defaultCalibration } from '../../src/cost/calibration-defaults.ts';
import { packageRoot } from '../../src/profiles/package-root.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import type { CalibrationFile } from '../../src/schema/calibration.ts';

const registry = loadProfiles();
const h100 = registry.getHardware('h100-sxm');

describe('bands of calibrations that were not fitted here', () => {
  it('the leave-one-GPU-out medians are the generated table’s rows (docs/validation-loso.md)', () => {
    const doc = readFileSync(join(packageRoot(), 'docs', 'validation-loso.md'), 'utf8');
    const rows = doc.split('\n').filter((l) => /^\| (vllm-v1|vllm-v0|sglang) \| [^|]+ \| (transferred from|datasheet only)/.test(l));
    const column = (kind: 'transferred' | 'datasheet only', i: number) =>
      rows
        .filter((l) => l.includes(kind === 'transferred' ? 'transferred from' : 'datasheet only'))
        .map((l) => l.split('|')[4 + i]!.trim())
        .filter((c) => c !== '—')
        .map((c) => Number(c.replace('%', '')));
    for (const kind of ['transferred', 'datasheet only'] as const) {
      expect(LEAVE_ONE_GPU_OUT_APE_PERCENT[kind].ttft).toEqual(column(kind, 0));
      expect(LEAVE_ONE_GPU_OUT_APE_PERCENT[kind].tpot).toEqual(column(kind, 1));
      expect(LEAVE_ONE_GPU_OUT_APE_PERCENT[kind].e2e).toEqual(column(kind, 2));
    }
  });

  it('a median APE m becomes an 80% half-width (1.2816 / 0.6745) · ln(1 + m)', () => {
    expect(halfWidthFromMedianApe(25)).toBeCloseTo((1.2815515655446004 / 0.6744897501960817) * Math.log(1.25), 12);
  });

  it('every provenance gets a band; a transfer is never narrower than its donor’s', () => {
    const donor: CalibrationFile = {
      id: 'vllm-h100-sxm',
      hardware: 'h100-sxm',
      engine: 'vllm',
      description: 'test',
      values: defaultCalibration(h100, 'vllm'),
      fit: { method: 'm', fitted_on: [], held_out: [], fit_error: {}, check_error: {}, band80: { ttft: 5, tpot: 0.1 }, band80_shift: { ttft: 0.3 } },
      sources: [],
    };
    expect(fittedBands(donor)!.byMetric.ttft).toEqual({ shiftLog: 0.3, halfWidthLog: 5 });
    const t = transferredBands('x', fittedBands(donor), 'vllm/nowhere');
    expect(t.byMetric.ttft!.halfWidthLog).toBe(5);
    expect(t.byMetric.tpot!.halfWidthLog).toBeGreaterThan(0.1);
    for (const hw of ['h100-sxm', 'a100-sxm-80gb'])
      for (const engine of ['vllm', 'sglang', 'trtllm'] as const) {
        const c = chooseCalibration(registry.getHardware(hw), engine, [donor]);
        expect(Object.keys(c.bands.byMetric).length, `${hw} ${engine} (${c.provenance})`).toBeGreaterThan(0);
        expect(c.bands.basis).toContain(c.id);
      }
  });

  it('a fitted file without band80 gets one from its recorded check-split median APE, floored at ±10%', () => {
    const file: CalibrationFile = {
      id: 'f',
      hardware: 'h100-sxm',
      engine: 'sglang',
      description: 'test',
      values: defaultCalibration(h100, 'sglang'),
      fit: { method: 'm', fitted_on: [], held_out: [], fit_error: {}, check_error: { 'ttft.central.median_ape': 0.5, 'itl_tpot.central.median_ape': 20 } },
      sources: [],
    };
    const b = fittedBands(file)!.byMetric;
    expect(b.ttft!.halfWidthLog).toBe(0.1);
    expect(b.tpot!.halfWidthLog).toBeCloseTo(halfWidthFromMedianApe(20), 12);
    expect(b.e2e).toBeUndefined();
  });
});
