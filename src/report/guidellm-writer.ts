import type { DistributionStats, SimulationResult } from '../simulate.ts';

/**
 * Predictions in GuideLLM's v0.7 benchmarks.json shape (guidellm-format.md §8): the fields GuideLLM's
 * HTML report, llm-d-benchmark and user parsers read, so GuideLLM tooling can chart predictions beside
 * measurements. Latencies *_ms in milliseconds, request_latency in seconds; ITL weighted by n − 1 and
 * TPOT (incl. TTFT) by n, as GuideLLM aggregates them. The rate distributions are reduced to their mean
 * (count ÷ duration), and the token-count distributions to the mean lengths of the counted requests;
 * servesim does not emit per-request records here.
 */
export function toGuidellmBenchmarks(results: readonly SimulationResult[]) {
  const first = results[0];
  return {
    metadata: { version: 2, guidellm_version: 'servesim-simulation', python_version: 'n/a', platform: 'servesim simulator' },
    config: {
      metadata: { labels: { source: 'servesim', model: first?.deployment.model ?? '', hardware: first?.deployment.hardware ?? '', tp: String(first?.deployment.tp ?? 1) } },
      spec: {
        profile: { kind: results.length > 2 ? 'sweep' : (first?.workload.arrival.kind ?? 'poisson') },
        data: first ? dataSpec(first) : [],
      },
      benchmarks: [],
    },
    benchmarks: results.map((r, i) => benchmark(r, i)),
  };
}

function strategy(r: SimulationResult): Record<string, unknown> {
  const a = r.workload.arrival;
  switch (a.kind) {
    case 'synchronous':
      return { type_: 'synchronous' };
    case 'concurrent':
      return { type_: 'concurrent', streams: a.streams };
    case 'throughput':
      return { type_: 'throughput', max_concurrency: a.maxConcurrency ?? null };
    case 'constant':
      return { type_: 'constant', rate: a.ratePerS };
    case 'poisson':
    case 'gamma':
    case 'rate-curve':
    case 'trace':
      return { type_: 'poisson', rate: 'ratePerS' in a ? a.ratePerS : null, servesim_arrival: a.kind };
  }
}

function benchmark(r: SimulationResult, index: number) {
  const scale = (d: DistributionStats, k: number) => ds(d, k);
  const rate = (x: number) => constant(x);
  const counted = r.requests.counted;
  return {
    type_: 'generative_benchmark',
    config: { id_: `servesim-${r.seed}-${index}`, run_id: `servesim-${r.seed}`, run_index: index, strategy: strategy(r) },
    start_time: 0,
    end_time: r.durationS,
    duration: r.durationS,
    warmup_duration: 0,
    cooldown_duration: 0,
    metrics: {
      prompt_token_count: status(perRequest(meanPer(r.throughput.inputTokensPerS, r), counted)),
      output_token_count: status(perRequest(meanPer(r.throughput.outputTokensPerS, r), counted)),
      total_token_count: status(perRequest(meanPer(r.throughput.totalTokensPerS, r), counted)),
      request_totals: { successful: counted, errored: r.requests.rejected, incomplete: r.requests.incomplete, total: counted + r.requests.rejected + r.requests.incomplete },
      requests_per_second: status(rate(r.throughput.requestsPerS)),
      request_latency: status(scale(r.latencyS.e2e, 1)),
      time_to_first_token_ms: status(scale(r.latencyS.ttft, 1e3)),
      inter_token_latency_ms: status(scale(r.latencyS.itl_guidellm, 1e3)),
      time_per_output_token_ms: status(scale(r.latencyS.tpot_guidellm, 1e3)),
      output_tokens_per_second: status(rate(r.throughput.outputTokensPerS)),
      prompt_tokens_per_second: status(rate(r.throughput.inputTokensPerS)),
      tokens_per_second: status(rate(r.throughput.totalTokensPerS)),
    },
    requests: { successful: [], errored: [], incomplete: [], total: null },
  };
}

const EMPTY = ds(undefined, 1);

/** GuideLLM v0.7 synthetic_text data config for fixed and synthetic lengths; none for the others */
function dataSpec(r: SimulationResult): Record<string, unknown>[] {
  const l = r.workload.lengths;
  if (l.kind === 'fixed') return [{ kind: 'synthetic_text', prompt_tokens: l.inputTokens, output_tokens: l.outputTokens }];
  if (l.kind !== 'synthetic') return [];
  const range = (prefix: string, x: typeof l.input) => ({
    [prefix]: x.mean,
    ...(x.stdev !== undefined ? { [`${prefix}_stdev`]: x.stdev } : {}),
    ...(x.min !== undefined ? { [`${prefix}_min`]: x.min } : {}),
    ...(x.max !== undefined ? { [`${prefix}_max`]: x.max } : {}),
  });
  return [{ kind: 'synthetic_text', ...range('prompt_tokens', l.input), ...range('output_tokens', l.output) }];
}

/** mean tokens per counted request, from a token rate and the request rate over the same window */
function meanPer(tokensPerS: number, r: SimulationResult): number {
  return r.throughput.requestsPerS > 0 ? tokensPerS / r.throughput.requestsPerS : 0;
}

function status(d: ReturnType<typeof ds>) {
  return { successful: d, errored: EMPTY, incomplete: EMPTY, total: d };
}

/** a per-request quantity known by its mean: count = requests, total_sum = Σ over requests */
function perRequest(mean: number, requests: number) {
  return { ...constant(mean), count: requests, total_sum: mean * requests };
}

function constant(x: number) {
  const p = Object.fromEntries(['p001', 'p01', 'p05', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99', 'p999'].map((k) => [k, x]));
  return { mean: x, median: x, mode: x, variance: 0, std_dev: 0, min: x, max: x, count: 1, total_sum: x, percentiles: p, pdf: null };
}

function ds(d: DistributionStats | undefined, k: number) {
  if (!d || d.count === 0) {
    const p = Object.fromEntries(['p001', 'p01', 'p05', 'p10', 'p25', 'p50', 'p75', 'p90', 'p95', 'p99', 'p999'].map((q) => [q, 0]));
    return { mean: 0, median: 0, mode: 0, variance: 0, std_dev: 0, min: 0, max: 0, count: 0, total_sum: 0, percentiles: p, pdf: null };
  }
  const pct = Object.fromEntries(Object.entries(d.percentiles).map(([q, v]) => [q, v * k]));
  return {
    mean: d.mean * k,
    median: d.median * k,
    mode: d.median * k,
    variance: (d.stdev * k) ** 2,
    std_dev: d.stdev * k,
    min: d.min * k,
    max: d.max * k,
    count: d.count,
    total_sum: d.mean * k * d.count,
    percentiles: pct,
    pdf: null,
  };
}
