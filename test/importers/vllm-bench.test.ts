import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMeasurements } from '../../src/importers/index.ts';
import { parseMarkdownTables } from '../../src/importers/vllm-bench.ts';
import { EXAMPLES, fixture, HAS_EXAMPLES, mean, metric, SKIP_EXAMPLES, tmpFile } from './helpers.ts';

const base = {
  date: '20250601-120000',
  backend: 'vllm',
  model_id: 'meta-llama/Llama-3.1-8B-Instruct',
  tokenizer_id: 'meta-llama/Llama-3.1-8B-Instruct',
  num_prompts: 3,
  request_rate: 2.0,
  burstiness: 1.0,
  max_concurrency: null,
  duration: 10,
  completed: 3,
  total_input_tokens: 300,
  total_output_tokens: 30,
  request_throughput: 0.3,
  'request_goodput:': null,
  output_throughput: 3,
  total_token_throughput: 33,
};

describe('vLLM result JSON (excerpt of llm-k8s qps_04)', () => {
  const [r] = importMeasurements(fixture('vllm-serving_tp8_pp1_sharegpt_qps_04.excerpt.json'));

  it('maps load, metrics (ms → s) and throughputs', () => {
    expect(r!.source).toMatchObject({ tool: 'vllm-bench', format: 'result-json' });
    expect(r!.workload).toMatchObject({ load: 'poisson', rate: 4, requests: 200 });
    expect(metric(r!, 'ttft')).toBeCloseTo(50.32546663501307e-3, 12);
    expect(metric(r!, 'tpot', 'median')).toBeCloseTo(27.348463269617604e-3, 12);
    expect(metric(r!, 'itl', 'p99')).toBeCloseTo(29.629998059913305e-3, 12);
    expect(metric(r!, 'request_throughput', 'value')).toBeCloseTo(3.1751913448302957, 12);
    expect(metric(r!, 'output_throughput', 'value')).toBeCloseTo(673.9184869835061, 9);
    expect(metric(r!, 'input_throughput', 'value')).toBeCloseTo(42659 / r!.workload.durationS!, 9);
  });

  it('reads TP/PP from the file name and names what is missing', () => {
    expect(r!.deployment).toMatchObject({ modelId: 'llama-3.3-70b', tp: 8, pp: 1, engine: 'vllm' });
    expect(r!.unmappedReason).toBe('GPU not stated');
  });

  it('does not use per-request arrays that cover only part of the run', () => {
    expect(r!.perRequest).toBeUndefined();
    expect(r!.source.notes).toMatch(/per-request arrays cover 5 of 200 completed requests: not used/);
    expect(r!.workload.lengths).toMatchObject({ kind: 'dataset', name: 'sharegpt', input: { mean: 42659 / 200 } });
  });
});

describe('vLLM result variants', () => {
  it('rate inf → throughput; inf with max_concurrency → concurrent; burstiness ≠ 1 is flagged', () => {
    const inf = importMeasurements(tmpFile('a.json', JSON.stringify({ ...base, request_rate: 'inf' })))[0]!;
    expect(inf.workload.load).toBe('throughput');
    const cap = importMeasurements(tmpFile('b.json', JSON.stringify({ ...base, request_rate: 'inf', max_concurrency: 16 })))[0]!;
    expect(cap.workload).toMatchObject({ load: 'concurrent', concurrency: 16 });
    const gamma = importMeasurements(tmpFile('c.json', JSON.stringify({ ...base, burstiness: 0.5, gpu: 'H100' })))[0]!;
    expect(gamma.unmappedReason).toBe('gamma arrivals (burstiness 0.5) not supported');
    expect(gamma.workload.load).toBeUndefined();
    const constant = importMeasurements(tmpFile('d.json', JSON.stringify({ ...base, burstiness: 'inf' })))[0]!;
    expect(constant.workload).toMatchObject({ load: 'constant', rate: 2 });
  });

  it('current `vllm bench serve` keys: latencies, e2el and pXX percentiles; Python NaN/Infinity tokens', () => {
    const doc = {
      ...base,
      request_rate: 'REPLACE_INF',
      endpoint_type: 'openai',
      label: null,
      gpu: 'H100-SXM-80GB',
      tp: '2',
      input_lens: [100, 100, 100],
      output_lens: [10, 10, 10],
      ttfts: [0.1, 0.2, 0.3],
      itls: [[0.01], [0.01], [0.01]],
      latencies: [0.19, 0.29, 0.39],
      errors: ['', '', ''],
      mean_ttft_ms: 200,
      median_ttft_ms: 200,
      std_ttft_ms: 'REPLACE_NAN',
      p50_ttft_ms: 200,
      p90_ttft_ms: 280,
      'p99.9_ttft_ms': 299.8,
      p25_ttft_ms: 150,
      mean_e2el_ms: 290,
      p99_e2el_ms: 388,
    };
    const text = JSON.stringify(doc).replace('"REPLACE_INF"', 'Infinity').replace('"REPLACE_NAN"', 'NaN');
    const [r] = importMeasurements(tmpFile('current.json', text));
    expect(r!.workload.load).toBe('throughput');
    expect(metric(r!, 'ttft', 'p999')).toBeCloseTo(0.2998, 12);
    expect(metric(r!, 'ttft', 'median')).toBeCloseTo(0.2, 12);
    expect(metric(r!, 'e2e', 'p99')).toBeCloseTo(0.388, 12);
    expect(r!.source.notes).toMatch(/not mapped \(no statistic id\): .*p25_ttft_ms/);
    expect(r!.perRequest).toMatchObject({
      inputTokens: [100, 100, 100],
      outputTokens: [10, 10, 10],
      ttftS: [0.1, 0.2, 0.3],
      e2eS: [0.19, 0.29, 0.39],
    });
    [0.09, 0.09, 0.09].forEach((gap, k) => expect(r!.perRequest!.tpotS![k]!).toBeCloseTo(gap / 9, 12));
    expect(r!.deployment).toMatchObject({ hardwareId: 'h100-sxm', tp: 2, modelId: 'llama-3.1-8b' });
    expect(r!.unmappedReason).toBeUndefined();
  });

  it('JSON Lines (--append-result) gives one record per line', () => {
    const lines = [JSON.stringify({ ...base, request_rate: 1 }), JSON.stringify({ ...base, request_rate: 3 })].join('\n');
    const recs = importMeasurements(tmpFile('appended.json', `${lines}\n`));
    expect(recs.map((r) => r.workload.rate)).toEqual([1, 3]);
    expect(recs.map((r) => r.id)).toEqual(['appended.json#0', 'appended.json#1']);
  });

  it('a JSON array of results is read like JSON Lines', () => {
    const recs = importMeasurements(tmpFile('array.json', JSON.stringify([{ ...base, request_rate: 1 }, { ...base, request_rate: 'inf' }])));
    expect(recs.map((r) => r.workload.load)).toEqual(['poisson', 'throughput']);
  });

  it('failed requests are left out of the per-request arrays', () => {
    const doc = {
      ...base,
      completed: 2,
      failed: 1,
      input_lens: [5, 6, 7],
      output_lens: [3, 0, 4],
      ttfts: [0.1, 0, 0.2],
      itls: [[0.01, 0.02], [], [0.01, 0.01, 0.01]],
      errors: ['', 'Bad Gateway', ''],
    };
    const [r] = importMeasurements(tmpFile('failed.json', JSON.stringify(doc)));
    expect(r!.perRequest?.inputTokens).toEqual([5, 7]);
    expect(r!.perRequest?.e2eS?.[0]).toBeCloseTo(0.13, 12);
    expect(r!.perRequest?.tpotS?.[1]).toBeCloseTo(0.03 / 3, 12);
  });
});

describe('vLLM nightly-benchmark summary tables', () => {
  it('benchmark_results.json rows: rate from the test name, Azure VM → 8 × A100 40GB', () => {
    const recs = importMeasurements(fixture('vllm-tp8_pp1_benchmark_results.excerpt.json'));
    expect(recs.map((r) => r.workload.rate)).toEqual([1, 4]);
    expect(recs[0]!.deployment).toMatchObject({ hardwareId: 'a100-sxm-40gb', numGpus: 8, tp: 8, pp: 1 });
    expect(metric(recs[0]!, 'tpot', 'p99')).toBeCloseTo(28.033566246584865e-3, 12);
    expect(recs[0]!.unmappedReason).toBe('workload lengths not stated'); // and the model is not stated either
  });

  it('parses markdown tables with a Test name column', () => {
    const md = '| Test name | Tput (req/s) |\n|:--|--:|\n| serving_x_qps_inf | 8.4 |\n| serving_x_qps_2 | 1.9 |\n';
    expect(parseMarkdownTables(md)).toEqual([
      { 'Test name': 'serving_x_qps_inf', 'Tput (req/s)': '8.4' },
      { 'Test name': 'serving_x_qps_2', 'Tput (req/s)': '1.9' },
    ]);
  });
});

describe.skipIf(!HAS_EXAMPLES)(`real vLLM examples in shared/examples ${HAS_EXAMPLES ? '' : SKIP_EXAMPLES}`, () => {
  const v = (name: string): string => join(EXAMPLES, 'vllm-bench', name);
  const stem = 'llm-k8s__serving_meta-llama-Llama-3.3-70B-Instruct_tp8_pp1_sharegpt_qps_';

  it.each([
    ['01', 1],
    ['04', 4],
    ['16', 16],
    ['inf', Infinity],
  ])('qps_%s: the rate matches the --request-rate of its .commands file', (q, rate) => {
    const [r] = importMeasurements(v(`${stem}${q}.json`));
    const cmd = JSON.parse(readFileSync(v(`${stem}${q}.commands`), 'utf8')) as { client_command: string };
    const stated = /--request-rate\s+(\S+)/.exec(cmd.client_command)![1]!;
    expect(stated === 'inf' ? Infinity : Number(stated)).toBe(rate);
    if (rate === Infinity) expect(r!.workload.load).toBe('throughput');
    else expect(r!.workload).toMatchObject({ load: 'poisson', rate });
    expect(r!.workload.requests).toBe(200);
  });

  it('per-request arrays reproduce the stored means (latency = ttft + Σ itl; tpot request-weighted)', () => {
    for (const q of ['01', '04', '16', 'inf']) {
      const [r] = importMeasurements(v(`${stem}${q}.json`));
      const p = r!.perRequest!;
      expect(p.inputTokens).toHaveLength(200);
      expect(r!.workload.lengths?.kind).toBe('per-request');
      // 14 requests generated a single token: tpot is undefined for them, so no tpotS array is given
      expect(p.tpotS).toBeUndefined();
      expect(r!.source.notes).toMatch(/per-request tpot omitted: \d+ requests have ≤1 output token/);
      const tpots = p.outputTokens.flatMap((n, k) => (n > 1 ? [(p.e2eS![k]! - p.ttftS![k]!) / (n - 1)] : []));
      expect(mean(tpots) / metric(r!, 'tpot')!).toBeCloseTo(1, 6);
      expect(mean(p.ttftS!)).toBeCloseTo(metric(r!, 'ttft')!, 12);
      expect(p.inputTokens.reduce((a, b) => a + b, 0)).toBe(42659);
    }
  });

  it('the summary .json and .md give the same records (md rounds to 6 significant digits)', () => {
    const a = importMeasurements(v('llm-k8s__tp8_pp1_benchmark_results.json'));
    const b = importMeasurements(v('llm-k8s__tp8_pp1_benchmark_results.md'));
    expect(b.map((r) => r.workload)).toEqual(a.map((r) => r.workload));
    expect(a.map((r) => r.workload.load)).toEqual(['poisson', 'poisson', 'poisson', 'throughput']);
    a.forEach((r, i) =>
      r.metrics.forEach((m, k) => expect(b[i]!.metrics[k]!.value / m.value).toBeCloseTo(1, 4)),
    );
    // and they agree with the per-run files
    const [run] = importMeasurements(v(`${stem}16.json`));
    expect(metric(a[2]!, 'ttft', 'p99')).toBeCloseTo(metric(run!, 'ttft', 'p99')!, 12);
  });
});
