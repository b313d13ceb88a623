/**
 * Metric ids: one name per quantity, used by the simulator's summary, the importers, validation, tables
 * and charts. The formulas (over a request's timestamps) are in docs/metrics.md.
 *
 * Notation per request: start = arrival (the client sends it), first = first output token received,
 * last = last token received, n = output tokens.
 */
export const LATENCY_METRICS = [
  'ttft', //           first − start
  'e2e', //            last − start
  'queue_time', //     scheduled − start (time waiting before the first prefill chunk)
  'itl', //            every gap between consecutive tokens, each gap weight 1 (vLLM `itl`)
  'tpot', //           per request (last − first)/(n − 1), request-weighted (vLLM `tpot`, MLPerf TPOT)
  'itl_guidellm', //   per request (last − first)/(n − 1), weighted by n − 1 (GuideLLM `inter_token_latency_ms`)
  'tpot_guidellm', //  per request (last − start)/n, weighted by n (GuideLLM >= 0.4 `time_per_output_token_ms`)
  'tpot_guidellm_v03', // per request (last − first)/n, weighted by n (GuideLLM 0.2–0.3 `time_per_output_token_ms`)
] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];

export const THROUGHPUT_METRICS = [
  'request_throughput', //     completed requests / duration, req/s
  'output_throughput', //      output tokens / duration, tokens/s (whole system)
  'input_throughput', //       input tokens / duration
  'total_token_throughput', // (input + output) tokens / duration
] as const;
export type ThroughputMetric = (typeof THROUGHPUT_METRICS)[number];

export type MetricId = LatencyMetric | ThroughputMetric;

export const STATISTICS = ['mean', 'median', 'p90', 'p95', 'p99', 'p999', 'value'] as const;
export type Statistic = (typeof STATISTICS)[number];

/** quantile of each percentile statistic */
export const STATISTIC_QUANTILE: Readonly<Record<Exclude<Statistic, 'mean' | 'value'>, number>> = {
  median: 0.5,
  p90: 0.9,
  p95: 0.95,
  p99: 0.99,
  p999: 0.999,
};

export const isLatencyMetric = (m: string): m is LatencyMetric => (LATENCY_METRICS as readonly string[]).includes(m);
export const isThroughputMetric = (m: string): m is ThroughputMetric =>
  (THROUGHPUT_METRICS as readonly string[]).includes(m);

export const METRIC_LABELS: Readonly<Record<MetricId, string>> = {
  ttft: 'Time to first token',
  e2e: 'End-to-end latency',
  queue_time: 'Queue time',
  itl: 'Inter-token latency (per gap)',
  tpot: 'Time per output token (vLLM)',
  itl_guidellm: 'Inter-token latency (GuideLLM)',
  tpot_guidellm: 'Time per output token (GuideLLM ≥0.4)',
  tpot_guidellm_v03: 'Time per output token (GuideLLM 0.2–0.3)',
  request_throughput: 'Request throughput',
  output_throughput: 'Output token throughput',
  input_throughput: 'Input token throughput',
  total_token_throughput: 'Total token throughput',
};
