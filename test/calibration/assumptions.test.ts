import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate, validate } from '../../src/calibration/library.ts';
import { withAssumptions } from '../../src/calibration/validate.ts';
import { importMeasurements } from '../../src/importers/index.ts';

/** --model, --weights, --kv-cache (issue 11 item 6): what a user states fills in what a result file leaves unsaid. */
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'importers');
const unknownModel = join(fixtures, 'guidellm-v0.3-stripped.excerpt.json'); // names "example_model", no GPU
const llamaSweep = join(fixtures, 'guidellm-v0.4_llama31-8b_h100_tp1_sweep.json'); // Llama 3.1 8B on H100, TP1, formats unsaid

describe('assumptions fill in only what the file leaves unsaid', () => {
  it('a model servesim does not know is replaced, and the reason it could not be simulated goes with it', () => {
    const [b] = importMeasurements(unknownModel);
    expect(b!.unmappedReason).toMatch(/example_model/);
    const filled = withAssumptions(b!, { modelId: 'llama-3.1-8b', hardwareId: 'h100-sxm' });
    expect(filled.deployment.modelId).toBe('llama-3.1-8b');
    expect(filled.deployment.modelRaw).toBe('example_model');
    expect(filled.unmappedReason).toBeUndefined();
  });

  it('a recognised model, GPU and stated formats win over the flags; unstated formats are filled', () => {
    const [b] = importMeasurements(llamaSweep);
    const filled = withAssumptions(b!, { modelId: 'qwen3-8b', hardwareId: 'a100-sxm-80gb', weights: 'fp8', kvCache: 'fp8' });
    expect(filled.deployment.modelId).toBe('llama-3.1-8b');
    expect(filled.deployment.hardwareId).toBe('h100-sxm');
    expect(filled.deployment.weights).toBe('fp8');
    expect(filled.deployment.kvCache).toBe('fp8');
    const stated = withAssumptions({ ...b!, deployment: { ...b!.deployment, weights: 'bf16' } }, { weights: 'fp8' });
    expect(stated.deployment.weights).toBe('bf16');
  });

  it('calibrate: a file of an unknown model calibrates with --model, and says what it assumed', () => {
    expect(() => calibrate({ measurements: [unknownModel], hardware: 'h100-sxm', maxIterations: 2 })).toThrow(/example_model/);
    const r = calibrate({ measurements: [unknownModel], hardware: 'h100-sxm', model: 'llama-3.1-8b', maxIterations: 2 });
    expect(r.fitBenchmarks).toBe(1);
    expect(r.warnings.join('\n')).toMatch(/names the model "example_model", which is not a servesim profile; --model llama-3\.1-8b was assumed/);
  });

  it('validate: --weights changes the simulated deployment (FP8 weights stream faster than BF16)', () => {
    const decode = (weights?: 'fp8') => {
      const v = validate({ measurements: [llamaSweep], ...(weights ? { weights } : {}) });
      return v.rows.filter((r) => r.metric === 'itl_guidellm' && r.statistic === 'median').map((r) => r.predicted);
    };
    const bf16 = decode();
    const fp8 = decode('fp8');
    expect(bf16.length).toBeGreaterThan(0);
    fp8.forEach((x, i) => expect(x).toBeLessThan(bf16[i]!));
  });

  it('an unknown --model is refused before any work, naming the known ones', () => {
    expect(() => validate({ measurements: [unknownModel], model: 'nope' })).toThrow(/unknown model "nope"; known: .*llama-3\.1-8b/);
  });
});
