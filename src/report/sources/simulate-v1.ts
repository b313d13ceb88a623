/**
 * Reads `simulate --json` documents of schemaVersion 1 (snake_case keys, before the one-vocabulary rename)
 * as version 2, so result files users already have keep working in `servesim report`. Only renames: the
 * values and units are the same in both versions. The result is then checked by the v2 schema.
 */
type Json = Record<string, unknown>;
const isObj = (x: unknown): x is Json => x !== null && typeof x === 'object' && !Array.isArray(x);

/** version 1 key → version 2 key, per object of the document */
const TOP: Readonly<Record<string, string>> = { duration_s: 'durationS', simulated_time_s: 'simulatedTimeS', latency_ms: 'latencyMs', time_series: 'timeSeries' };
const WORKLOAD: Readonly<Record<string, string>> = {
  rate_per_s: 'ratePerS',
  max_concurrency: 'maxConcurrency',
  max_requests: 'maxRequests',
  max_seconds: 'maxSeconds',
  warmup: 'warmupFraction',
  cooldown: 'cooldownFraction',
};
const THROUGHPUT: Readonly<Record<string, string>> = {
  requests_per_s: 'requestsPerS',
  output_tokens_per_s: 'outputTokensPerS',
  input_tokens_per_s: 'inputTokensPerS',
  total_tokens_per_s: 'totalTokensPerS',
};
const SLO: Readonly<Record<string, string>> = { goodput_requests_per_s: 'goodputRequestsPerS' };
const CHECK: Readonly<Record<string, string>> = { threshold_ms: 'thresholdMs', value_ms: 'valueMs' };
const POINT: Readonly<Record<string, string>> = { time_s: 'timeS', kv_utilization: 'kvUtilization' };

function renamed(o: unknown, names: Readonly<Record<string, string>>): unknown {
  if (!isObj(o)) return o;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [names[k] ?? k, v]));
}

/** true for a version-1 simulate document (one run) */
export const isSimulateV1 = (x: unknown): boolean => isObj(x) && x['schemaVersion'] === 1 && isObj(x['latency_ms']);

/** a version-1 run with its keys renamed to version 2 (not yet validated) */
export function simulateV1ToV2(doc: Json): Json {
  const top = renamed(doc, TOP);
  if (!isObj(top)) return doc;
  const slo = renamed(top['slo'], SLO);
  return {
    ...top,
    schemaVersion: 2,
    workload: renamed(top['workload'], WORKLOAD),
    throughput: renamed(top['throughput'], THROUGHPUT),
    slo: isObj(slo) ? { ...slo, checks: Array.isArray(slo['checks']) ? slo['checks'].map((c) => renamed(c, CHECK)) : slo['checks'] } : slo,
    timeSeries: Array.isArray(top['timeSeries']) ? top['timeSeries'].map((p) => renamed(p, POINT)) : top['timeSeries'],
  };
}
