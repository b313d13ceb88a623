import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainingParameters } from '../../src/calibration/fit.ts';
import { calibrate } from '../../src/calibration/library.ts';
import { defaultCalibration } from '../../src/cost/calibration-defaults.ts';
import { loadShippedCalibrations } from '../../src/profiles/calibrations.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import type { CalibrationParameter } from '../../src/schema/calibration.ts';

/**
 * Where `calibrate` starts (issue 11, items 2 and 6): a user's few benchmarks identify a few parameters, and
 * the rest keep the start — the shipped fit for the GPU and engine, not datasheet guesses — and which few.
 */
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'importers');
const llamaSweep = join(fixtures, 'guidellm-v0.4_llama31-8b_h100_tp1_sweep.json'); // Llama 3.1 8B, H100, TP1, vLLM
const registry = loadProfiles();
const shippedH100 = loadShippedCalibrations().find((c) => c.id === 'vllm-h100-sxm')!;

describe('calibrate starts from what servesim already knows', () => {
  it('by default from the shipped fit of the GPU and engine: unidentified parameters keep its values', () => {
    const r = calibrate({ measurements: [llamaSweep], registry, maxIterations: 1, holdout: false });
    expect(r.startFrom).toBe('shipped calibration vllm-h100-sxm (fitted)');
    expect(r.start).toEqual(shippedH100.values);
    // step_gpu_overhead_ms is never a candidate for this file: it keeps the shipped value, not the datasheet's 0
    expect(r.calibration.values.step_gpu_overhead_ms).toBe(shippedH100.values.step_gpu_overhead_ms);
    expect(r.calibration.description).toMatch(/starting from shipped calibration vllm-h100-sxm \(fitted\)$/);
  });

  it('from datasheet defaults when asked', () => {
    const r = calibrate({ measurements: [llamaSweep], registry, maxIterations: 1, holdout: false, from: 'datasheet' });
    expect(r.startFrom).toBe('datasheet defaults (h100-sxm, vllm)');
    expect(r.start).toEqual(defaultCalibration(registry.getHardware('h100-sxm'), 'vllm'));
  });

  it('a --from that is neither keyword nor file is named as such', () => {
    expect(() => calibrate({ measurements: [llamaSweep], registry, maxIterations: 1, from: 'shiped' })).toThrow(/--from: "shiped" is neither 'shipped', 'datasheet' nor a calibration file that exists/);
  });

  it('on a GPU without a fit of its own, from the transferred calibration; with none at all, the datasheet — and says which', () => {
    // the file is on H100; the only fit is for another GPU, so it is transferred
    const moved = calibrate({ measurements: [llamaSweep], registry, maxIterations: 1, holdout: false, shipped: [{ ...shippedH100, hardware: 'a100-sxm-80gb', id: 'vllm-a100-sxm-80gb' }] });
    expect(moved.startFrom).toMatch(/^shipped calibration .*\(transferred\)$/);
    const none = calibrate({ measurements: [llamaSweep], registry, maxIterations: 1, holdout: false, shipped: [] });
    expect(none.startFrom).toBe('datasheet defaults (h100-sxm, vllm: no shipped calibration fitted or transferred)');
  });
});

describe('explainingParameters: which parameters a fit with room for few should take', () => {
  const names: CalibrationParameter[] = ['weight_bandwidth_efficiency', 'client_overhead_ms', 'gemm_efficiency'];
  const at = { ...defaultCalibration(registry.getHardware('h100-sxm'), 'vllm'), client_overhead_ms: 5 };
  // rows: TPOT, TPOT, TTFT, TTFT. Residuals log(predicted/measured): TPOT right, TTFT 40% over
  const residuals = [0, 0, 0.34, 0.34];

  it('takes the parameter that explains the miss, not the most sensitive one', () => {
    // weight streaming moves every figure a lot; the client overhead moves only TTFT
    const rows = [
      [-2, 0, 0],
      [-2, 0, 0],
      [-2.5, 0.05, 0],
      [-2.5, 0.05, 0],
    ];
    const columnNorms = [Math.hypot(2, 2, 2.5, 2.5), Math.hypot(0.05, 0.05), 0];
    expect(explainingParameters(names, at, { rows, residuals, columnNorms }, 0.1, 1)).toEqual(['client_overhead_ms']);
    // with room for two, weight streaming joins only if it still removes something: here it does (TTFT)
    expect(explainingParameters(names, at, { rows, residuals, columnNorms }, 0.1, 2)).toHaveLength(2);
  });

  it('a parameter whose step would leave its range explains only what the range allows', () => {
    // the client overhead would have to go below 0 ms to remove the miss: with it at 0, gemm efficiency is taken
    const rows = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0.05, -0.4],
      [0, 0.05, -0.4],
    ];
    const zero = { ...at, client_overhead_ms: 0 };
    const columnNorms = [0, Math.hypot(0.05, 0.05), Math.hypot(0.4, 0.4)];
    expect(explainingParameters(names, zero, { rows, residuals, columnNorms }, 0.1, 1)).toEqual(['gemm_efficiency']);
  });

  it('falls back to sensitivity order when nothing is left to explain', () => {
    const rows = [
      [1, 0, 3],
      [1, 0, 3],
    ];
    expect(explainingParameters(names, at, { rows, residuals: [0, 0], columnNorms: [Math.SQRT2, 0, 3 * Math.SQRT2] }, 0.1, 2)).toEqual(['gemm_efficiency', 'weight_bandwidth_efficiency']);
  });
});
