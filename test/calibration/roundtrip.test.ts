import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitCalibration } from '../../src/calibration/fit.ts';
import { mapBenchmark, type MappedBenchmark } from '../../src/calibration/map.ts';
import { predictBenchmark } from '../../src/calibration/predict.ts';
import { median } from '../../src/calibration/summary.ts';
import { defaultCalibration } from '../../src/cost/calibration-defaults.ts';
import { prepareDeployment } from '../../src/cost/prepare.ts';
import { importMeasurements } from '../../src/importers/index.ts';
import { simulateGuidellmSweep } from '../../src/planning/guidellm-sweep.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import { toGuidellmBenchmarks } from '../../src/report/guidellm-writer.ts';
import type { CalibrationValues } from '../../src/schema/calibration.ts';

/**
 * The calibration loop end to end, with a known answer: a GuideLLM sweep is produced under "true"
 * efficiencies that differ from the datasheet defaults, written in GuideLLM's benchmarks.json shape,
 * imported back, and servesim calibrates from the defaults. The fit must find the truth again.
 */
const registry = loadProfiles();
const hw = registry.getHardware('h100-sxm');
const model = registry.getModel('llama-3.1-8b');
const defaults = defaultCalibration(hw, 'vllm');
const truth: CalibrationValues = {
  ...defaults,
  weight_bandwidth_efficiency: 0.62,
  gemm_efficiency: 0.7,
  step_overhead_ms: 3.5,
  client_overhead_ms: 6,
};

let dir: string;
let file: string;
let mapped: MappedBenchmark[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'servesim-cal-'));
  file = join(dir, 'benchmarks.json');
  const deployment = prepareDeployment(model, hw, {}, { id: 'truth', values: truth });
  const results = simulateGuidellmSweep(
    { deployment, seed: 7 },
    { lengths: { kind: 'synthetic', input: { mean: 512, stdev: 128, min: 128, max: 1024 }, output: { mean: 128, stdev: 32, min: 32, max: 256 } }, maxRequests: 250 },
    5,
  );
  const doc = toGuidellmBenchmarks(results);
  writeFileSync(file, JSON.stringify(doc));
  mapped = importMeasurements(file).map((b) => {
    const m = mapBenchmark(b, registry);
    if (!m.ok) throw new Error(`unmapped: ${m.reason}`);
    return m.mapped;
  });
});

function medianApe(values: CalibrationValues): number {
  return median(
    mapped.flatMap((m) => {
      const p = predictBenchmark(m, registry, { id: 'x', values }, 7);
      return p.ok ? p.compared.filter((c) => ['ttft', 'itl_guidellm', 'e2e', 'output_throughput'].includes(c.metric)).map((c) => c.apePct) : [];
    }),
  );
}

describe('calibrate from one GuideLLM sweep', () => {
  it('imports the sweep as synchronous, throughput, then constant rates with the model and GPU named', () => {
    expect(mapped.map((m) => m.workload.arrival.kind)).toEqual(['synchronous', 'throughput', 'constant', 'constant', 'constant']);
    expect(new Set(mapped.map((m) => `${m.benchmark.deployment.modelId}@${m.benchmark.deployment.hardwareId}`))).toEqual(new Set(['llama-3.1-8b@h100-sxm']));
  });

  it('says when the data cannot carry the fit: one benchmark, seven parameters', () => {
    const one = mapped.filter((m) => m.workload.arrival.kind === 'synchronous');
    const figures = one[0]!.benchmark.metrics.length;
    const fit = fitCalibration(one, registry, defaults, {
      parameters: ['weight_bandwidth_efficiency', 'gemm_efficiency', 'kv_bandwidth_efficiency', 'step_overhead_ms', 'sequence_overhead_us', 'client_overhead_ms', 'attention_efficiency'],
      maxIterations: 4,
      seed: 7,
    });
    expect(fit.fitted.length).toBeLessThanOrEqual(Math.max(1, Math.floor(figures / 3)));
    expect(fit.warnings.join(' ')).toMatch(/cannot identify 7 parameters/);
    for (const p of fit.fitted) expect(fit.uncertainty[p]).toBeDefined();
  });

  it('fits back to the true efficiencies and cuts the error', () => {
    const before = medianApe(defaults);
    const fit = fitCalibration(mapped, registry, defaults, {
      parameters: ['weight_bandwidth_efficiency', 'gemm_efficiency', 'step_overhead_ms', 'client_overhead_ms'],
      maxIterations: 15,
      priorWeight: 0,
      seed: 7,
    });
    const after = medianApe(fit.values);
    expect(before).toBeGreaterThan(10); // the defaults really are off
    expect(after).toBeLessThan(3);
    expect(after).toBeLessThan(before / 4);
    // a sweep of one model cannot separate weight-streaming efficiency from per-step overhead (both
    // scale the same decode steps), so the identifiable quantity is the step time they produce
    const decodeStep = (values: CalibrationValues) =>
      prepareDeployment(model, hw, {}, { id: 'x', values }).cost.stepTimeS({
        decodeSeqs: 8,
        decodeContextSum: 8 * 600,
        prefillSeqs: 0,
        prefillTokens: 0,
        prefillAttendedKeys: 0,
        prefillContextTokens: 0,
      });
    expect(Math.abs(decodeStep(fit.values) / decodeStep(truth) - 1)).toBeLessThan(0.03);
    expect(fit.values.client_overhead_ms).toBeGreaterThan(4);
    expect(fit.values.client_overhead_ms).toBeLessThan(8);
  });

  it('works through the CLI: calibrate writes a profile that validate then uses', () => {
    const cal = join(dir, 'cal.yaml');
    const cli = (args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
    const out = cli(['calibrate', '--measurements', file, '--no-holdout', '--from', 'datasheet', '--params', 'weight_bandwidth_efficiency,gemm_efficiency,step_overhead_ms,client_overhead_ms', '--out', cal]);
    expect(out).toMatch(/Fitted 4 parameters on 5 benchmarks/);
    expect(readFileSync(cal, 'utf8')).toMatch(/^id: vllm-h100-sxm-fitted$/m);
    const report = JSON.parse(cli(['validate', '--measurements', file, '--calibration', cal, '--json'])) as {
      summary: { metric: string; statistic: string; medianApePct: number }[];
      coverage: { rows: number; mapped: number };
    };
    expect(report.coverage.mapped).toBeGreaterThan(100);
    const ttft = report.summary.find((s) => s.metric === 'ttft' && s.statistic === 'median');
    expect(ttft?.medianApePct).toBeLessThan(10);
  }, 120_000);

  it('rejects files it cannot read, naming them', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"benchmarks": [');
    expect(() => importMeasurements(bad)).toThrow(/bad\.json/);
  });
});

describe('bands of a user fit (leave-one-benchmark-out)', () => {
  it('derives an 80% band per statistic measured in 3+ benchmarks, narrow when the model is right', () => {
    const fit = fitCalibration(mapped, registry, defaults, {
      parameters: ['weight_bandwidth_efficiency', 'gemm_efficiency', 'step_overhead_ms', 'client_overhead_ms'],
      maxIterations: 15,
      priorWeight: 0,
      seed: 7,
    });
    // five benchmarks state TTFT, decode gaps and E2E: each gets a band
    for (const m of ['ttft', 'tpot', 'e2e'] as const) {
      const b = fit.bands[m];
      expect(b, m).toBeDefined();
      expect(b!.n).toBeGreaterThanOrEqual(5);
      expect(Number.isFinite(b!.halfWidthLog)).toBe(true);
      expect(b!.halfWidthLog).toBeGreaterThan(0);
    }
    // the sweep was simulated under the truth, which the fit recovers: the decode and E2E bands stay narrow
    expect(fit.bands.tpot!.halfWidthLog).toBeLessThan(Math.log(1.1));
    expect(fit.bands.e2e!.halfWidthLog).toBeLessThan(Math.log(1.1));
  });

  it('a fit with a band has it in its profile, and calibrate prints it', () => {
    const cal = join(dir, 'cal-bands.yaml');
    const cli = (args: string[]) => execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
    const out = cli(['calibrate', '--measurements', file, '--no-holdout', '--from', 'datasheet', '--params', 'weight_bandwidth_efficiency,step_overhead_ms,client_overhead_ms', '--out', cal]);
    expect(out).toMatch(/80% bands \(measured ÷ predicted; leave-one-benchmark-out on the fit set\): ttft ×[\d.]+–[\d.]+/);
    const written = readFileSync(cal, 'utf8');
    expect(written).toMatch(/band80:\n(\s+\w+: [\d.]+\n)+/);
    expect(written).toMatch(/band80_shift:/);
  });
});
