import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { guidellmEra, importGuidellm, importGuidellmSummaryCsv, parseSyntheticData } from '../../src/importers/guidellm.ts';
import { importMeasurements } from '../../src/importers/index.ts';
import { EXAMPLES, fixture, HAS_EXAMPLES, metric, metricIds, SKIP_EXAMPLES } from './helpers.ts';

const read = (p: string): unknown => {
  const text = readFileSync(p, 'utf8');
  return p.endsWith('.yaml') ? parseYaml(text) : JSON.parse(text);
};

describe('GuideLLM schema era detection (guidellm-format.md §0, §3.8)', () => {
  it.each([
    ['guidellm-v0.1.json', 'v0.1'],
    ['guidellm-v0.3-stripped.excerpt.json', 'v0.2-0.3'],
    ['guidellm-v0.4_llama31-8b_h100_tp1_sweep.json', 'v0.4'],
    ['guidellm-v0.5-sanity_tp4_quant-fp8.excerpt.json', 'v0.5-0.6'],
    ['guidellm-v0.7-concurrent.yaml', 'v0.7'],
  ])('%s → %s', (name, era) => {
    expect(guidellmEra(read(fixture(name)))).toBe(era);
    for (const r of importMeasurements(fixture(name))) {
      expect(r.source.tool).toBe('guidellm');
      expect(r.source.format).toBe(era);
    }
  });

  it('is not fooled by other JSON', () => {
    expect(guidellmEra({ benchmarks: [] })).toBeUndefined();
    expect(guidellmEra({ model_id: 'x', duration: 3 })).toBeUndefined();
    expect(guidellmEra([1, 2])).toBeUndefined();
  });
});

describe('TPOT semantics by era', () => {
  it('v0.2–0.3: time_per_output_token_ms → tpot_guidellm_v03 (excludes TTFT, so below ITL)', () => {
    const [r] = importMeasurements(fixture('guidellm-v0.3-stripped.excerpt.json'));
    expect(metricIds(r!)).toContain('tpot_guidellm_v03');
    expect(metricIds(r!)).not.toContain('tpot_guidellm');
    expect(metric(r!, 'tpot_guidellm_v03')).toBeCloseTo(4.90300272307966e-3, 12);
    expect(metric(r!, 'itl_guidellm')).toBeCloseTo(4.941609043733832e-3, 12);
    expect(metric(r!, 'tpot_guidellm_v03')!).toBeLessThan(metric(r!, 'itl_guidellm')!);
  });

  it('v0.4+: time_per_output_token_ms → tpot_guidellm (includes TTFT, so above ITL)', () => {
    for (const name of ['guidellm-v0.5-sanity_tp4_quant-fp8.excerpt.json', 'guidellm-v0.7-concurrent.yaml']) {
      const [r] = importMeasurements(fixture(name));
      expect(metricIds(r!)).toContain('tpot_guidellm');
      expect(metricIds(r!)).not.toContain('tpot_guidellm_v03');
      expect(metric(r!, 'tpot_guidellm')!).toBeGreaterThan(metric(r!, 'itl_guidellm')!);
    }
    // the v0.5 example, verified in guidellm-format.md §4: 24.32 ms TPOT vs 24.18 ms ITL
    const [r] = importMeasurements(fixture('guidellm-v0.5-sanity_tp4_quant-fp8.excerpt.json'));
    expect(metric(r!, 'tpot_guidellm')! * 1000).toBeCloseTo(24.32, 1);
    expect(metric(r!, 'itl_guidellm')! * 1000).toBeCloseTo(24.18, 1);
  });

  it('inter_token_latency_ms is always itl_guidellm, never vLLM itl or tpot', () => {
    for (const name of ['guidellm-v0.3-stripped.excerpt.json', 'guidellm-v0.4_llama31-8b_h100_tp1_sweep.json', 'guidellm-v0.7-concurrent.yaml']) {
      for (const r of importMeasurements(fixture(name))) {
        expect(metricIds(r)).toContain('itl_guidellm');
        expect(metricIds(r)).not.toContain('itl');
        expect(metricIds(r)).not.toContain('tpot');
      }
    }
  });
});

describe('GuideLLM v0.2–0.3 (excerpt of the guidellm test fixture)', () => {
  const [r] = importMeasurements(fixture('guidellm-v0.3-stripped.excerpt.json'));

  it('reads load, requests, duration and synthetic lengths', () => {
    expect(r!.workload.load).toBe('synchronous');
    expect(r!.workload.requests).toBe(47);
    expect(r!.workload.durationS).toBeCloseTo(29.997201442718506, 9);
    expect(r!.workload.lengths).toEqual({ kind: 'synthetic', input: { mean: 256 }, output: { mean: 128 } });
    expect(r!.source.notes).toMatch(/profile sweep, strategy 1/);
  });

  it('throughput = successful count ÷ duration, not the time-weighted rate distribution', () => {
    expect(metric(r!, 'request_throughput', 'value')).toBeCloseTo(46 / 29.997201442718506, 10);
    expect(metric(r!, 'output_throughput', 'value')).toBeCloseTo(5888 / 29.997201442718506, 8);
    expect(metric(r!, 'input_throughput', 'value')).toBeCloseTo(11827 / 29.997201442718506, 8);
    expect(r!.source.notes).toMatch(/requests_per_second.mean 1.548 \(time-weighted; not used\)/);
  });

  it('keeps percentiles as stored, in seconds', () => {
    expect(metric(r!, 'ttft', 'median')).toBeCloseTo(16.38054847717285e-3, 12);
    expect(metric(r!, 'e2e', 'mean')).toBeCloseTo(0.6444743664368339, 12);
    expect(metric(r!, 'ttft', 'p99')).toBeCloseTo(21.281957626342773e-3, 12);
  });

  it('does not pass a 1-of-46 request sample off as per-request data', () => {
    expect(r!.perRequest).toBeUndefined();
    expect(r!.source.notes).toMatch(/request records are a sample \(1 of 46/);
    expect(r!.unmappedReason).toBe('model "example_model" has no servesim profile');
  });
});

describe('GuideLLM v0.4 sweep (hand-built fixture)', () => {
  const recs = importMeasurements(fixture('guidellm-v0.4_llama31-8b_h100_tp1_sweep.json'));

  it('orders sync → throughput → constant rates at linspace(sync_rps, thr_rps, sweep_size−1)[1:]', () => {
    expect(recs.map((r) => r.workload.load)).toEqual(['synchronous', 'throughput', 'constant', 'constant']);
    const syncRps = metric(recs[0]!, 'request_throughput', 'value')!;
    const thrRps = metric(recs[1]!, 'request_throughput', 'value')!;
    expect(syncRps).toBeCloseTo(1, 12);
    expect(thrRps).toBeCloseTo(9, 12);
    const n = 4 - 1;
    const linspace = Array.from({ length: n }, (_, k) => syncRps + ((thrRps - syncRps) * k) / (n - 1)).slice(1);
    expect(recs.slice(2).map((r) => r.workload.rate)).toEqual(linspace);
    expect(recs[1]!.workload).toMatchObject({ load: 'throughput', concurrency: 512 }); // the in-flight cap
  });

  it('parses the synthetic data string with stdev/min/max and the deployment from the file name', () => {
    expect(recs[0]!.workload.lengths).toEqual({
      kind: 'synthetic',
      input: { mean: 512, stdev: 128, min: 1, max: 1024 },
      output: { mean: 256, stdev: 64, min: 1, max: 1024 },
    });
    const d = recs[0]!.deployment;
    expect(d.modelId).toBe('llama-3.1-8b');
    expect(d.hardwareId).toBe('h100-sxm');
    expect(d.tp).toBe(1);
    expect(recs[0]!.source.notes).toMatch(/SXM assumed/);
    expect(recs[0]!.unmappedReason).toBeUndefined();
  });

  it('maps TPOT/ITL with ≥0.4 meaning and scales ms → s', () => {
    expect(metric(recs[0]!, 'ttft')).toBeCloseTo(0.02, 12);
    expect(metric(recs[0]!, 'tpot_guidellm')).toBeCloseTo(8.05e-3, 12);
    expect(metric(recs[0]!, 'itl_guidellm', 'p99')).toBeCloseTo(8e-3 * 1.3, 12);
    expect(metric(recs[2]!, 'output_throughput', 'value')).toBeCloseTo((150 * 256) / 30, 9);
  });
});

describe('GuideLLM v0.5 (excerpt of danielkorat/guidellm-bench sanity run)', () => {
  const [r] = importMeasurements(fixture('guidellm-v0.5-sanity_tp4_quant-fp8.excerpt.json'));

  it('reads a concurrent benchmark with full request records', () => {
    expect(r!.workload).toMatchObject({ load: 'concurrent', concurrency: 4, requests: 4 });
    expect(r!.perRequest?.inputTokens).toEqual([81, 106, 133, 76]);
    expect(r!.perRequest?.outputTokens).toEqual([1024, 1024, 1024, 1024]);
    expect(r!.workload.lengths?.kind).toBe('per-request');
    expect(r!.perRequest?.tpotS?.[0]).toBeCloseTo(24.178653868062757e-3, 12);
    expect(r!.perRequest?.ttftS?.[0]).toBeCloseTo(0.17152166366577148, 12);
  });

  it('uses 4 / 24.9 s = 0.16 req/s, not the 0.12 time-weighted mean (guidellm-format.md §4)', () => {
    expect(metric(r!, 'request_throughput', 'value')).toBeCloseTo(4 / 24.909644603729248, 10);
  });

  it('takes TP and quantization from the file name, and flags the model', () => {
    expect(r!.deployment).toMatchObject({ tp: 4, weights: 'fp8', activations: 'fp8', modelRaw: 'Qwen/Qwen3-4B-Thinking-2507' });
    expect(r!.deployment.hardwareId).toBeUndefined();
    expect(r!.unmappedReason).toBe('model "Qwen/Qwen3-4B-Thinking-2507" has no servesim profile');
  });
});

describe('GuideLLM v0.7 (hand-built YAML fixture)', () => {
  const [r] = importMeasurements(fixture('guidellm-v0.7-concurrent.yaml'));

  it('reads deployment labels, the typed data spec and per-request records inside the window', () => {
    expect(r!.deployment).toMatchObject({
      modelId: 'qwen3-32b',
      hardwareId: 'h200-sxm',
      tp: 2,
      weights: 'fp8',
      activations: 'fp8',
      engine: 'vllm',
    });
    expect(r!.workload.lengths).toEqual({ kind: 'synthetic', input: { mean: 1024, stdev: 16 }, output: { mean: 128 } });
    expect(r!.workload).toMatchObject({ load: 'concurrent', concurrency: 8, requests: 3, durationS: 6 });
    expect(r!.perRequest?.inputTokens).toEqual([1020, 1030, 1010]); // the warm-up record (1000 tokens) is outside
    expect(r!.perRequest?.tpotS?.[0]).toBeCloseTo(0.02, 9);
    expect(r!.unmappedReason).toBeUndefined();
  });
});

describe('GuideLLM v0.1 (hand-built fixture: raw results only)', () => {
  const recs = importMeasurements(fixture('guidellm-v0.1.json'));

  it('maps modes to loads and recomputes the statistics', () => {
    expect(recs.map((r) => r.workload.load)).toEqual(['synchronous', 'throughput', 'poisson']);
    expect(recs[2]!.workload.rate).toBe(2.5);
    expect(recs[2]!.workload.requests).toBe(4); // 3 results + 1 error
    expect(recs[2]!.source.notes).toMatch(/1 errored requests excluded/);
    const sync = recs[0]!;
    expect(metric(sync, 'ttft')).toBeCloseTo(0.06, 12);
    expect(metric(sync, 'itl')).toBeCloseTo((0.01 + 0.012 + 0.011) / 3, 12); // every decode gap, weight 1
    expect(metric(sync, 'itl_guidellm')).toBeCloseTo((0.01 + 0.012 + 0.011) / 3, 12);
    expect(metric(sync, 'ttft', 'median')).toBeCloseTo(0.06, 12); // first value with CDF ≥ 0.5
    expect(sync.perRequest?.outputTokens).toEqual([8, 8, 8]);
    expect(sync.workload.lengths).toEqual({ kind: 'synthetic', input: { mean: 128, stdev: 4 }, output: { mean: 8 } });
    expect(sync.deployment.modelId).toBe('llama-3.1-8b');
  });
});

describe('parseSyntheticData', () => {
  it.each([
    ['prompt_tokens=256,output_tokens=128', { input: { mean: 256 }, output: { mean: 128 } }],
    ['{"prompt_tokens": 256, "output_tokens": 128, "output_tokens_max": 200}', { input: { mean: 256 }, output: { mean: 128, max: 200 } }],
    ["['prompt_tokens=100,prompt_tokens_stdev=10,output_tokens=50']", { input: { mean: 100, stdev: 10 }, output: { mean: 50 } }],
    ['kind=synthetic_text,prompt_tokens=512,output_tokens=256', { input: { mean: 512 }, output: { mean: 256 } }],
    ['prompt_tokens=128,prompt_tokens_variance=25,generated_tokens=64', { input: { mean: 128, stdev: 5 }, output: { mean: 64 } }],
  ])('%s', (spec, expected) => {
    expect(parseSyntheticData(spec)?.lengths).toEqual({ kind: 'synthetic', ...expected });
  });

  it('returns nothing for datasets and notes a missing output length', () => {
    expect(parseSyntheticData('/root/aime_2024_v2.jsonl')).toBeUndefined();
    expect(parseSyntheticData('HuggingFaceH4/ultrachat_200k')).toBeUndefined();
    expect(parseSyntheticData({ kind: 'synthetic_text', prompt_tokens: 10 })).toEqual({
      note: 'synthetic data without output_tokens: output length left to the server',
    });
  });

  it('rejects a non-numeric value with the field named', () => {
    expect(() => parseSyntheticData('prompt_tokens=abc,output_tokens=5', { file: 'f.json', path: 'args.data[0]' })).toThrow(
      'f.json: args.data[0]: prompt_tokens: expected a number, found string "abc"',
    );
  });
});

describe('GuideLLM summary CSV (user-made, pd-disaggregation)', () => {
  const csv = `source_file,profile,rate,duration_s,total_requests,error_requests,ttft_mean_ms,ttft_median_ms,ttft_p99_ms,ttft_min_ms,ttft_max_ms,itl_mean_ms,itl_median_ms,itl_p99_ms,req_latency_mean_s,req_latency_median_s,req_latency_p99_s,rps_mean,concurrency_mean,prompt_tokens_mean,output_tokens_mean
concurrent16,concurrent,-,60.0,259,0,84.6,75.0,-,49.9,241.2,28.2,28.2,-,3.418,3.604,-,4.30,16.00,264,121
sweep[2],constant,2.6,60.0,145,0,77.8,73.3,-,52.9,172.6,26.9,26.9,-,3.269,3.445,-,2.42,8.57,264,121
`;
  it('maps itl_* columns to tpot_guidellm (they are time_per_output_token_ms in parse_benchmarks.py)', async () => {
    const { tmpFile } = await import('./helpers.ts');
    const recs = importGuidellmSummaryCsv(tmpFile('all-benchmarks.csv', csv));
    expect(recs[0]!.workload).toMatchObject({ load: 'concurrent', concurrency: 16, requests: 259, durationS: 60 });
    expect(metric(recs[0]!, 'tpot_guidellm')).toBeCloseTo(0.0282, 12);
    expect(metricIds(recs[0]!)).not.toContain('itl_guidellm');
    expect(metric(recs[1]!, 'request_throughput', 'value')).toBeCloseTo(145 / 60, 12);
    expect(recs[1]!.workload).toMatchObject({ load: 'constant', rate: 2.6 });
    expect(recs[0]!.unmappedReason).toBe('model not stated');
  });
});

describe.skipIf(!HAS_EXAMPLES)(`real GuideLLM examples in shared/examples ${HAS_EXAMPLES ? '' : SKIP_EXAMPLES}`, () => {
  const g = (name: string): string => join(EXAMPLES, 'guidellm', name);

  it('the YAML and JSON of the v0.3 fixture give the same records', () => {
    const a = importGuidellm(g('guidellm__benchmarks_stripped.json'));
    const b = importGuidellm(g('guidellm__benchmarks_stripped.yaml'));
    expect(b.map((r) => r.metrics)).toEqual(a.map((r) => r.metrics));
    expect(b.map((r) => r.workload)).toEqual(a.map((r) => r.workload));
  });

  it('the v0.5 synchronous run keeps only requests of the measurement window (19 of 23 records)', () => {
    const [r] = importGuidellm(g('guidellm-bench__Qwen_Qwen3-30B-A3B_tp4_quant-fp8_benchmarks.json'));
    expect(r!.workload).toMatchObject({ load: 'synchronous', requests: 19, durationS: 720 });
    expect(r!.perRequest?.inputTokens).toHaveLength(19);
    expect(r!.perRequest!.inputTokens.reduce((a, b) => a + b, 0)).toBe(1749); // prompt_token_count total_sum
    expect(metric(r!, 'request_throughput', 'value')).toBeCloseTo(19 / 720, 12);
    expect(metric(r!, 'output_throughput', 'value')).toBeCloseTo(19456 / 720, 9);
    expect(r!.deployment).toMatchObject({ modelId: 'qwen3-30b-a3b', tp: 4, weights: 'fp8' });
    expect(r!.unmappedReason).toBe('GPU not stated');
  });

  it('the v0.5 sanity run matches its excerpt', () => {
    const [full] = importGuidellm(g('guidellm-bench__sanity_Qwen_Qwen3-4B-Thinking-2507_tp4_quant-fp8_benchmarks.json'));
    const [ex] = importMeasurements(fixture('guidellm-v0.5-sanity_tp4_quant-fp8.excerpt.json'));
    expect(full!.metrics).toEqual(ex!.metrics);
    expect(full!.perRequest).toEqual(ex!.perRequest);
  });

  it('the pd-disaggregation summary CSV: a 10-point sweep at linspace(0.37, 17.98, 9)[1:]', () => {
    const recs = importMeasurements(g('guidellm-pd-disaggregation__all-benchmarks.csv'));
    expect(recs).toHaveLength(16);
    const sweep = recs.filter((r) => /profile sweep/.test(r.source.notes ?? ''));
    expect(sweep.map((r) => r.workload.load)).toEqual(['synchronous', 'throughput', ...Array(8).fill('constant')]);
    const [lo, hi] = [0.37, 17.98]; // rps_mean of sweep[0] and sweep[1], as printed in the CSV
    const expected = Array.from({ length: 9 }, (_, k) => lo + ((hi - lo) * k) / 8).slice(1);
    sweep.slice(2).forEach((r, k) => expect(r.workload.rate).toBeCloseTo(expected[k]!, 1));
    expect(recs.map((r) => r.workload.load)).toContain('poisson');
  });
});
