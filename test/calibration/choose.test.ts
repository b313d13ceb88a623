import { describe, expect, it } from 'vitest';
import { defaultCalibration } from '../../src/cost/calibration-defaults.ts';
import { chooseCalibration, meanOfDonors, nearestDonor, transferByRule, transferCalibration, TRANSFER_RULES } from '../../src/calibration/choose.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import type { CalibrationFile } from '../../src/schema/calibration.ts';

/** Which calibration a deployment gets, and how the output can say how far to trust it. */
const registry = loadProfiles();
const h100 = registry.getHardware('h100-sxm');
const a100 = registry.getHardware('a100-sxm-80gb');
const donor: CalibrationFile = {
  id: 'vllm-h100-sxm',
  hardware: 'h100-sxm',
  engine: 'vllm',
  description: 'test donor',
  values: { ...defaultCalibration(h100, 'vllm'), weight_bandwidth_efficiency: 0.88, step_overhead_ms: 1.25, client_overhead_ms: 7 },
  sources: [],
};

describe('chooseCalibration provenance', () => {
  it('fitted for the exact GPU × engine; datasheet only when nothing was fitted for the engine', () => {
    expect(chooseCalibration(h100, 'vllm', [donor]).provenance).toBe('fitted');
    const none = chooseCalibration(h100, 'sglang', [donor]);
    expect(none.provenance).toBe('datasheet only');
    expect(none.values).toEqual(defaultCalibration(h100, 'sglang'));
    expect(chooseCalibration(h100, 'vllm', [], donor).provenance).toBe('user file');
  });

  it('SGLang on a GPU without a fit gets datasheet defaults: leave-one-GPU-out, transfer predicted held-out GPUs worse', () => {
    const d = chooseCalibration(a100, 'sglang', [{ ...donor, id: 'sglang-h100-sxm', engine: 'sglang' }]);
    expect(TRANSFER_RULES.sglang).toBe('datasheet only');
    expect(d.provenance).toBe('datasheet only');
    expect(d.values).toEqual(defaultCalibration(a100, 'sglang'));
    expect(d.origin).toMatch(/not fitted; no sglang calibration is transferred from h100-sxm: leave-one-GPU-out/);
  });

  it('the mean of donors: each donor transferred, then the geometric mean per value (arithmetic where one is 0)', () => {
    const h200 = registry.getHardware('h200-sxm');
    const other: CalibrationFile = { ...donor, id: 'vllm-h200-sxm', hardware: 'h200-sxm', values: { ...donor.values, client_overhead_ms: 28, step_gpu_overhead_ms: 0.5 } };
    const m = meanOfDonors([donor, other], a100, 'vllm');
    expect(m.provenance).toBe('transferred');
    expect(m.values.client_overhead_ms).toBeCloseTo(Math.sqrt(7 * 28), 12); // 14
    expect(m.values.step_gpu_overhead_ms).toBeCloseTo(0.25, 12); // donor's 0 → arithmetic mean of 0 and 0.5
    expect(nearestDonor([other, donor], registry.getHardware('h100-sxm'), (id) => registry.getHardware(id)).id).toBe('vllm-h100-sxm');
    expect(nearestDonor([donor, other], h200, (id) => registry.getHardware(id)).id).toBe('vllm-h200-sxm');
  });

  it('vLLM transfers a fit to another GPU as its engine overheads on that GPU\'s datasheet efficiencies', () => {
    const t = chooseCalibration(a100, 'vllm', [donor]);
    expect(t.provenance).toBe('transferred');
    expect(t.origin).toMatch(/transferred from vllm-h100-sxm .*engine overheads copied, efficiencies a100-sxm-80gb's datasheet fractions/);
    expect(t.values.step_overhead_ms).toBe(1.25);
    expect(t.values.client_overhead_ms).toBe(7);
    // fitted 0.88 on H100 is H100's: A100 keeps its datasheet 0.75
    expect(t.values.weight_bandwidth_efficiency).toBe(0.75);
    expect(t.values.kv_bandwidth_efficiency).toBe(defaultCalibration(a100, 'vllm').kv_bandwidth_efficiency);
    expect(transferByRule(donor, a100, 'vllm')).toEqual(t);
  });

  it('the scaled transfer: overheads copied, efficiencies scaled by the datasheet ratio', () => {
    const t = transferCalibration(donor, a100, 'vllm');
    expect(t.values.step_overhead_ms).toBe(1.25);
    // A100 datasheet 0.75, H100 datasheet 0.80, fitted 0.88 on H100 → 0.75 × 0.88 / 0.80 = 0.825
    expect(t.values.weight_bandwidth_efficiency).toBeCloseTo(0.825, 12);
    expect(t.origin).toMatch(/efficiencies scaled by datasheet ratios/);
  });

  it('keeps transferred efficiencies inside their physical bounds', () => {
    const hot: CalibrationFile = { ...donor, values: { ...donor.values, weight_bandwidth_efficiency: 0.98 } };
    const l40s = registry.getHardware('l40s'); // datasheet 0.83 > H100's 0.80: the ratio would exceed 0.98
    expect(transferCalibration(hot, l40s, 'vllm').values.weight_bandwidth_efficiency).toBe(0.98);
  });
});
