import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCalibration } from '../../src/cost/calibration-defaults.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import type { CalibrationValues } from '../../src/schema/calibration.ts';
import { fitSweeps, residuals } from '../../scripts/loso-fit.ts';
import { measuredSweeps, type Sweep, type SweepFigure } from '../../scripts/loso-sweeps.ts';
import { packageRoot } from '../../src/profiles/package-root.ts';
import { familyTables, type LosoRecord } from '../../scripts/loso-tables.ts';

/** The leave-one-sweep-out machinery (scripts/loso*.ts) on hand-made sweeps, no measurement file needed. */
const figure = (metric: SweepFigure['metric'], measured: number, predicted: number, statistic: SweepFigure['statistic'] = 'mean'): SweepFigure => ({
  load: '1 req/s',
  loadValue: 1,
  metric,
  statistic,
  measured,
  predicted,
});

describe('LOSO residuals', () => {
  it('gives every metric family the same total weight however many figures it has', () => {
    // three TTFT figures and one TPOT figure, all 10% high: each family's squared residuals sum alike
    const r = residuals([figure('ttft', 1, 1.1), figure('ttft', 2, 2.2), figure('ttft', 3, 3.3), figure('itl_tpot', 1, 1.1)]);
    const ttft = r.slice(0, 3).reduce((a, x) => a + x * x, 0);
    const tpot = r[3]! ** 2;
    expect(ttft).toBeCloseTo(tpot, 12);
    // soft-L1 of log(1.1) with weight √(4/2 / 3) for each TTFT figure
    const soft = (x: number) => Math.sign(x) * Math.sqrt(2 * (Math.sqrt(1 + x * x) - 1));
    expect(r[0]).toBeCloseTo(Math.sqrt(2 / 3) * soft(Math.log(1.1)), 12);
  });
});

describe('LOSO fit', () => {
  const hw = loadProfiles().getHardware('h100-sxm');
  const start = defaultCalibration(hw, 'vllm');
  /** a sweep whose decode time is inversely proportional to weight_bandwidth_efficiency; truth 0.9 */
  const synthetic: Sweep = {
    id: 'synthetic',
    family: 'vllm-v1',
    source: 'test',
    hardwareId: 'h100-sxm',
    modelId: 'llama-3.1-8b',
    tp: 1,
    lengths: '100/100',
    engine: 'vllm',
    engineVersion: undefined,
    runs: [],
    publishable: true,
    predict: (v: CalibrationValues) => [figure('itl_tpot', 0.01, (0.01 * 0.9) / v.weight_bandwidth_efficiency), figure('ttft', 0.05, 0.05 * (1 + v.client_overhead_ms / 1000))],
  };

  it('moves the parameter the data identify toward the truth and never ends worse than its start', () => {
    const fit = fitSweeps([synthetic], start, 'vllm-v1');
    const before = Math.abs(start.weight_bandwidth_efficiency - 0.9);
    expect(Math.abs(fit.values.weight_bandwidth_efficiency - 0.9)).toBeLessThan(before);
    const cost = (v: CalibrationValues) => residuals(synthetic.predict(v) as SweepFigure[]).reduce((a, x) => a + x * x, 0);
    expect(cost(fit.values)).toBeLessThanOrEqual(cost(start));
  });

  it('fits only the parameters it is given: the others keep their start values', () => {
    const fit = fitSweeps([synthetic], start, 'vllm-v1', { maxIterations: 6, priorWeight: 0.1, parameters: ['client_overhead_ms'] });
    expect(fit.parameters).toEqual(['client_overhead_ms']);
    expect(fit.values.weight_bandwidth_efficiency).toBe(start.weight_bandwidth_efficiency);
    expect(fit.values.client_overhead_ms).toBeLessThan(start.client_overhead_ms); // TTFT measured at 0.05 s with no overhead
  });

  it('returns the start when every trial makes the sweep impossible to simulate', () => {
    const impossible: Sweep = { ...synthetic, predict: () => 'infeasible' };
    expect(fitSweeps([impossible], start, 'vllm-v1').values).toEqual(start);
  });
});

describe('LOSO tables', () => {
  it('reports median / mean APE per statistic and the verdict against the target', () => {
    const rec = (mode: LosoRecord['mode'], figures: SweepFigure[], donor?: string): LosoRecord => ({
      mode,
      family: 'sglang',
      sweep: 'src:a',
      hardwareId: 'h100-sxm',
      ...(donor ? { donor, donorHardwareId: 'h100-sxm' } : {}),
      figures,
    });
    const lines = familyTables([
      rec('shipped', [figure('ttft', 100, 110, 'median'), figure('ttft', 100, 130, 'median')]),
      rec('in-sample', [figure('ttft', 100, 104, 'median'), figure('ttft', 100, 98, 'median')]),
      rec('loso', [figure('ttft', 100, 120, 'median')], 'src:b'),
    ]);
    const row = lines.find((l) => l.startsWith('| TTFT | median |'))!;
    // shipped: APEs 10 and 30 → median 20, mean 20; LOSO same source: 20; in-sample: 4 and 2 → median 3
    expect(row).toBe('| TTFT | median | 20.0% / 20.0% (2) | 20.0% / 20.0% (1) | 20.0% / 20.0% (1) | — | — | 3.0% / 3.0% (2) |');
    expect(lines.join('\n')).toContain('in-sample on medians: TTFT median 3.0% (target ≤ 5%: met)');
    expect(lines.join('\n')).not.toContain('(b′) is the usual');
  });
});

const shared = join(packageRoot(), '..', 'shared');
describe.skipIf(!existsSync(join(shared, 'examples', 'vllm-bench')))('LOSO sweeps from the public data', () => {
  it('simulates the vLLM bench examples: the GPU from PROVENANCE.md lifts the importer\'s "GPU not stated"', () => {
    const sweeps = measuredSweeps(join(shared, 'measurements'), join(shared, 'examples'), loadProfiles(), (b) => b.source.sourceId !== 'inferencex');
    const bench = sweeps.filter((s) => s.source === 'vllm-bench-examples');
    expect(bench.length).toBe(4); // rates 1, 4, 16 and inf
    expect(bench.every((s) => s.hardwareId === 'a100-sxm-40gb' && s.family === 'vllm-v1')).toBe(true);
  }, 120_000);
});
