import { describe, expect, it } from 'vitest';
import { defaultCalibration } from '../../src/cost/calibration-defaults.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import type { CalibrationValues } from '../../src/schema/calibration.ts';
import { fitFrontend, ttftObjective, withFrontend, withoutFrontend } from '../../scripts/frontend-search.ts';
import type { Sweep, SweepFigure } from '../../scripts/loso-sweeps.ts';

/**
 * The frontend search on a hand-made sweep whose TTFT is a known function of the two parameters: three
 * concurrent 2,000-token prompts through `w` FIFO workers at c µs per token; the k-th waits ceil(k / w)
 * services. TTFT is measured as if w = 2 and c = 250 µs: 0.5 s of service, median (k = 2) 0.52 s, p99
 * (k = 3) 1.02 s. One worker cannot give both (2 and 3 services), nor can three or more (1 and 1).
 */
const base = defaultCalibration(loadProfiles().getHardware('h100-sxm'), 'vllm');
const figure = (statistic: SweepFigure['statistic'], measured: number, predicted: number): SweepFigure => ({ load: 'conc 4', loadValue: 4, metric: 'ttft', statistic, measured, predicted });
const queued = (v: CalibrationValues, k: number) => Math.ceil(k / Math.round(v.frontend_workers)) * 2000 * v.frontend_prompt_token_us * 1e-6;
const sweep: Sweep = {
  id: 'hand-made',
  family: 'vllm-v1',
  source: 'inferencex',
  hardwareId: 'h100-sxm',
  modelId: 'llama-3.1-8b',
  tp: 1,
  lengths: '2000/128',
  engine: 'vllm',
  engineVersion: undefined,
  runs: ['x#1'],
  publishable: true,
  predict: (v) => [figure('median', 0.52, 0.02 + queued(v, 2)), figure('p99', 1.02, 0.02 + queued(v, 3))],
};

describe('frontend search', () => {
  it('finds the worker count and per-token cost that make both TTFT statistics right', () => {
    const fit = fitFrontend([sweep], base);
    expect(fit.workers).toBe(2);
    expect(fit.tokenUs).toBeGreaterThanOrEqual(248);
    expect(fit.tokenUs).toBeLessThanOrEqual(252);
    expect(fit.objective).toBeLessThan(1);
  });

  it('the objective is the mean of the central and p99 TTFT median APE', () => {
    // no frontend: both predicted 0.02 s, against 0.52 s (96.15%) and 1.02 s (98.04%)
    expect(ttftObjective([sweep], withoutFrontend(base))).toBeCloseTo((0.5 / 0.52 + 1 / 1.02) * 50, 9);
  });

  it('withoutFrontend undoes withFrontend', () => {
    expect(withoutFrontend(withFrontend(base, { workers: 6, tokenUs: 181 }))).toEqual(withoutFrontend(base));
    expect(withFrontend(base, { workers: 6, tokenUs: 181 }).frontend_prompt_token_us).toBe(181);
  });
});
