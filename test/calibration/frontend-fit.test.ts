import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitCalibration, fitOverFrontendWorkers } from '../../src/calibration/fit.ts';
import { parseParameters } from '../../src/calibration/library.ts';
import { mapBenchmark, type MappedBenchmark } from '../../src/calibration/map.ts';
import { defaultCalibration } from '../../src/cost/calibration-defaults.ts';
import { prepareDeployment } from '../../src/cost/prepare.ts';
import { importMeasurements } from '../../src/importers/index.ts';
import { simulateGuidellmSweep } from '../../src/planning/guidellm-sweep.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import { toGuidellmBenchmarks } from '../../src/report/guidellm-writer.ts';
import type { CalibrationValues } from '../../src/schema/calibration.ts';

/**
 * The API frontend's per-token cost can be calibrated like any other parameter: a GuideLLM sweep of long
 * prompts simulated with a known frontend (2 workers, 150 µs per prompt token), imported back, and fitted
 * from zero under the stated worker count, gives the cost back.
 */
const registry = loadProfiles();
const hw = registry.getHardware('h100-sxm');
const model = registry.getModel('llama-3.1-8b');
const defaults = defaultCalibration(hw, 'vllm');
const truth: CalibrationValues = { ...defaults, frontend_workers: 2, frontend_prompt_token_us: 150 };
let mapped: MappedBenchmark[];
let noFrontend: MappedBenchmark[];

/** a GuideLLM sweep of long prompts simulated under `values`, imported back */
function sweepUnder(values: CalibrationValues): MappedBenchmark[] {
  const file = join(mkdtempSync(join(tmpdir(), 'servesim-frontend-')), 'benchmarks.json');
  const deployment = prepareDeployment(model, hw, {}, { id: 'truth', values });
  const results = simulateGuidellmSweep(
    { deployment, seed: 3 },
    { lengths: { kind: 'synthetic', input: { mean: 3000, stdev: 1000, min: 1000, max: 5000 }, output: { mean: 64, stdev: 16, min: 16, max: 128 } }, maxRequests: 120 },
    4,
  );
  writeFileSync(file, JSON.stringify(toGuidellmBenchmarks(results)));
  return importMeasurements(file).map((b) => {
    const m = mapBenchmark(b, registry);
    if (!m.ok) throw new Error(`unmapped: ${m.reason}`);
    return m.mapped;
  });
}

beforeAll(() => {
  mapped = sweepUnder(truth);
  noFrontend = sweepUnder(defaults);
});

describe('calibrating the API frontend', () => {
  it('recovers the per-token cost under the stated worker count', () => {
    const fit = fitCalibration(mapped, registry, { ...defaults, frontend_workers: 2 }, { parameters: ['frontend_prompt_token_us'], maxIterations: 8, seed: 3 });
    expect(fit.fitted).toEqual(['frontend_prompt_token_us']);
    expect(fit.values.frontend_prompt_token_us).toBeGreaterThan(135);
    expect(fit.values.frontend_prompt_token_us).toBeLessThan(165);
  });

  it('data with no frontend leave its cost at zero, and the warning says so instead of blaming a bound', () => {
    const fit = fitCalibration(mapped, registry, { ...defaults, frontend_workers: 2, frontend_prompt_token_us: 0 }, { parameters: ['frontend_prompt_token_us'], maxIterations: 4, seed: 3 });
    expect(fit.values.frontend_prompt_token_us).toBeGreaterThan(100); // these data have one: found
    const none = fitCalibration(noFrontend, registry, defaults, { parameters: ['frontend_prompt_token_us'], maxIterations: 4, seed: 3 });
    expect(none.values.frontend_prompt_token_us).toBe(0);
    expect(none.warnings).toContain('frontend_prompt_token_us ended at 0 µs: these data show no such cost');
  });

  it('calibrate without a stated worker count tries a grid of counts and finds the one the data were made with', () => {
    const fit = fitOverFrontendWorkers(mapped, registry, defaults, { parameters: ['frontend_prompt_token_us'], maxIterations: 8, seed: 3 });
    expect(fit.values.frontend_workers).toBe(2);
    expect(fit.values.frontend_prompt_token_us).toBeGreaterThan(135);
    expect(fit.values.frontend_prompt_token_us).toBeLessThan(165);
    expect(fit.warnings.join('\n')).toMatch(/frontend_workers 2 chosen by the fit's median APE over worker counts \(1: .*%, 2: .*%/);
  });

  it('the worker count is never fitted by LM: --params refuses it and says what to do instead', () => {
    expect(() => parseParameters('frontend_workers')).toThrow(/frontend_workers is a count, not fitted: --params frontend_prompt_token_us tries a grid of counts, or give one in the calibration file of --from/);
    expect(parseParameters('frontend_prompt_token_us,gemm_efficiency')).toEqual(['frontend_prompt_token_us', 'gemm_efficiency']);
  });
});
