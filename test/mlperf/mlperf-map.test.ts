import { describe, expect, it } from 'vitest';
import { benchmarkWorkload, mapMlperfRun, withTp } from '../../src/calibration/mlperf-map.ts';
import { validateMlperf } from '../../src/calibration/mlperf-validate.ts';
import { importMlperfCsv } from '../../src/importers/mlperf.ts';
import { loadShippedCalibrations } from '../../src/profiles/calibrations.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';

const registry = loadProfiles();
const HEADER = 'source_id,gpu,num_gpus,tp,pp,ep,model,precision,engine,engine_version,dataset_or_isl_osl,isl,osl,load_kind,load_value,metric,statistic,value,unit,measured_or_projected,notes';
// rows shaped like shared/measurements/mlperf_inference_v4.1.csv (SOURCES.md); the values are made up
const row = (gpu: string, gpus: number, model: string, precision: string, engine: string, scenario: string, qps: string, metric: string, value: number, unit: string, where: string) =>
  `mlperf_inference_v4.1,${gpu},${gpus},,,,${model},${precision},${engine},"${engine} x",MLPerf,,,${scenario === 'Offline' ? 'offline' : 'rate'},${qps},${metric},value,${value},${unit},measured,` +
  `"closed division; submitter=Acme; system=S; scenario=${scenario}; result=VALID; nodes=1; location=closed/Acme/results/${where}/${model}/${scenario}"`;
const CSV = [
  HEADER,
  row('NVIDIA H100-SXM-80GB', 8, 'llama2-70b-99', 'fp16', 'TensorRT-LLM', 'Offline', '', 'output_throughput', 20000, 'tokens/s', 'h100'),
  row('NVIDIA H100-SXM-80GB', 8, 'llama2-70b-99', 'fp16', 'TensorRT-LLM', 'Offline', '', 'request_throughput', 68, 'req/s', 'h100'),
  row('NVIDIA GH200 Grace Hopper Superchip 144GB', 1, 'mixtral-8x7b', 'fp16', 'TensorRT-LLM', 'Server', '50.0', 'request_throughput', 50, 'req/s', 'gh'),
  row('NVIDIA GeForce RTX 4090', 2, 'llama2-70b-99', 'fp8', 'vLLM', 'Offline', '', 'output_throughput', 1000, 'tokens/s', 'rtx'),
  row('NVIDIA L40S', 2, 'gptj-99', 'fp16', 'TensorRT-LLM', 'Offline', '', 'output_throughput', 1700, 'tokens/s', 'l40s'),
  row('AMD Instinct MI300X-NPS1-SPX-192GB-750W', 8, 'llama2-70b-99', 'fp8', 'vLLM', 'Offline', '', 'output_throughput', 23000, 'tokens/s', 'amd'),
].join('\n');
const runs = importMlperfCsv('fixture.csv', CSV);
const mapped = (i: number) => {
  const m = mapMlperfRun(runs[i]!, registry);
  if (!m.ok) throw new Error(m.reason);
  return m.mapping;
};

describe('MLPerf runs', () => {
  it('groups figures by results folder', () => {
    expect(runs.map((r) => [r.scenario, r.figures.length])).toEqual([
      ['Offline', 2],
      ['Server', 1],
      ['Offline', 1],
      ['Offline', 1],
      ['Offline', 1],
    ]);
    expect(runs[1]!.targetQps).toBe(50);
    expect(runs[0]!.targetQps).toBeUndefined();
  });

  it("maps NVIDIA's TensorRT-LLM Hopper run to FP8 weights, activations and KV, and lists the TPs that fit", () => {
    const m = mapped(0);
    expect([m.hardwareId, m.modelId, m.engine]).toEqual(['h100-sxm', 'llama-2-70b', 'trtllm']);
    expect([m.choice.weights, m.choice.activations, m.choice.kvCache]).toEqual(['fp8', 'fp8', 'fp8']);
    expect(m.tpCandidates).toEqual([1, 2, 4, 8]);
    expect(m.bounds).toEqual({ ttftS: 2, tpotS: 0.2 });
    const at2 = withTp(m, 2, 'test');
    expect([at2.tp, at2.replicas, at2.choice.tp]).toEqual([2, 4, 2]);
    expect(at2.notes[0]).toMatch(/TP2 × 4 data-parallel replicas on 8 GPUs \(test\)/);
  });

  it('maps the 144 GB GH200 to its own profile', () => {
    expect(mapped(1).hardwareId).toBe('gh200-144gb');
  });

  it('says why an accelerator without a profile is not compared', () => {
    const m = mapMlperfRun(runs[2]!, registry);
    expect(m).toEqual({ ok: false, reason: 'accelerator "NVIDIA GeForce RTX 4090" has no servesim profile' });
  });

  it('approximates GPT-J beam search by 4 sequences of a quarter prompt and 69 tokens, bounded by p99 latency < 20 s', async () => {
    const m = mapped(3);
    expect(m.lengths).toEqual({ datasetId: 'mlperf-llama3.1-8b', maxInputTokens: 1919, fixedOutputTokens: 69, beams: 4 });
    expect(m.bounds).toEqual({ latencyS: 20 });
    const { datasetFor } = await import('../../src/calibration/mlperf-predict.ts');
    const d = datasetFor(m.lengths);
    expect(d.inputTokens).toHaveLength(4 * 13368);
    expect(d.inputTokens.slice(0, 4)).toEqual([240, 240, 240, 240]); // the first article: 959 tokens
    expect(new Set(d.outputTokens)).toEqual(new Set([69]));
  });

  it("maps AMD's vLLM FP8 run with FP8 KV and the V0 scheduler", () => {
    const m = mapped(4);
    expect([m.hardwareId, m.engine, m.choice.kvCache, m.choice.engine?.asyncScheduling]).toEqual(['mi300x', 'vllm', 'fp8', false]);
  });
});

describe('validateMlperf on Offline runs', () => {
  it('compares every figure of a mapped run, counts the rest as unmapped, and picks a TP that fits', () => {
    const offline = runs.filter((r) => r.scenario === 'Offline' && !/gptj|MI300X/.test(r.benchmark + r.gpuRaw));
    const v = validateMlperf(offline, registry, loadShippedCalibrations());
    expect(v.coverage).toEqual({ figures: 3, mapped: 2, onProfiledAccelerators: 2 });
    expect(v.unmapped.map((u) => u.reason)).toEqual(['accelerator "NVIDIA GeForce RTX 4090" has no servesim profile']);
    const h = v.headlines[0]!;
    expect(h.scenario).toBe('Offline');
    expect(h.mapping.tp * h.mapping.replicas).toBe(8);
    expect(h.predicted).toBeGreaterThan(0);
    // request_throughput × mean output tokens = output_throughput, as LoadGen reports them
    const [tok, req] = v.figures;
    expect(tok!.predicted / req!.predicted).toBeCloseTo(294.45, 0);
  });
});

describe('one LoadGen Server run, simulated', () => {
  it('is valid well below capacity and invalid far above it', async () => {
    const { prepareMlperf, datasetFor, serverRun } = await import('../../src/calibration/mlperf-predict.ts');
    const m = withTp(mapped(1), 1, 'test');
    const { prepared } = prepareMlperf(m, registry, loadShippedCalibrations());
    const data = datasetFor(m.lengths);
    const low = serverRun(prepared, data, m.bounds, { replicas: 1, beams: 1 }, 2, 42).verdict;
    expect(low.valid).toBe(true);
    expect(low.queries).toBe(15000); // one whole pass: 600 s × 2 q/s is fewer than the dataset
    expect(low.scheduleS).toBeGreaterThan(600);
    const high = serverRun(prepared, data, m.bounds, { replicas: 1, beams: 1 }, 400, 42).verdict;
    expect(high.valid).toBe(false);
  });
});

describe('benchmark names of any round', () => {
  it('reads underscores, accuracy suffixes and Interactive (tighter limits)', () => {
    expect(benchmarkWorkload('llama3_1-405b', 'Server')).toMatchObject({ modelId: 'llama-3.1-405b', bounds: { ttftS: 6, tpotS: 0.175 } });
    expect(benchmarkWorkload('llama2-70b-interactive-99', 'Server')).toMatchObject({ modelId: 'llama-2-70b', bounds: { ttftS: 0.45, tpotS: 0.04 } });
    expect(benchmarkWorkload('llama3.1-8b', 'Interactive')).toMatchObject({ lengths: { datasetId: 'mlperf-llama3.1-8b' }, bounds: { ttftS: 0.5, tpotS: 0.03 } });
    expect(benchmarkWorkload('deepseek-r1', 'Server')?.modelId).toBe('deepseek-v3');
    expect(benchmarkWorkload('mixtral-8x7b', 'Interactive')).toBeUndefined(); // mixtral has no Interactive scenario
    expect(benchmarkWorkload('stable-diffusion-xl', 'Server')).toBeUndefined();
  });
});
