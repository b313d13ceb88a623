import type { DistributionStats, SimulationResult } from './result.ts';
import { LATENCY_METRICS } from './definitions.ts';

/**
 * The documented JSON document of `servesim simulate --json` (docs/metrics.md): times in milliseconds,
 * rates per second, every key named with its unit.
 */
export const REPORT_SCHEMA_VERSION = 1;

const toMs = (s: DistributionStats) => ({
  count: s.count,
  mean: s.mean * 1e3,
  stdev: s.stdev * 1e3,
  median: s.median * 1e3,
  p90: s.p90 * 1e3,
  p95: s.p95 * 1e3,
  p99: s.p99 * 1e3,
  p999: s.p999 * 1e3,
  min: s.min * 1e3,
  max: s.max * 1e3,
});

export function toReport(r: SimulationResult) {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    seed: r.seed,
    deployment: r.deployment,
    workload: describeWorkload(r),
    requests: r.requests,
    duration_s: r.durationS,
    simulated_time_s: r.simulatedTimeS,
    throughput: {
      requests_per_s: r.throughput.requestsPerS,
      output_tokens_per_s: r.throughput.outputTokensPerS,
      input_tokens_per_s: r.throughput.inputTokensPerS,
      total_tokens_per_s: r.throughput.totalTokensPerS,
    },
    latency_ms: Object.fromEntries(LATENCY_METRICS.map((m) => [m, toMs(r.latency[m])])),
    slo: r.slo
      ? {
          spec: r.slo.spec,
          met: r.slo.met,
          attainment: r.slo.attainment,
          goodput_requests_per_s: r.slo.goodputPerS,
          checks: r.slo.checks.map((c) => ({ metric: c.metric, percentile: c.percentile, threshold_ms: c.thresholdS * 1e3, value_ms: c.valueS * 1e3, met: c.met })),
        }
      : null,
    // every key present (null when it does not apply), so documents compare field by field
    saturation: { ...r.saturation, evidence: r.saturation.evidence ?? null, stoppedEarly: r.saturation.stoppedEarly ?? null },
    engine: r.engine,
    time_series: r.timeSeries.map((p) => ({ time_s: p.timeS, kv_utilization: p.kvUtilization, running: p.running, waiting: p.waiting, preemptions: p.preemptions })),
    warnings: r.warnings,
  };
}

export function describeWorkload(r: SimulationResult): Record<string, unknown> {
  const w = r.workload;
  const a = w.arrival;
  const arrival: Record<string, unknown> = { profile: a.kind };
  if ('ratePerS' in a) arrival['rate_per_s'] = a.ratePerS;
  if (a.kind === 'concurrent') arrival['streams'] = a.streams;
  if (a.kind === 'throughput' && a.maxConcurrency !== undefined) arrival['max_concurrency'] = a.maxConcurrency;
  if (a.kind === 'gamma') arrival['burstiness'] = a.burstiness;
  if (a.kind === 'trace') arrival['requests'] = a.timesS.length;
  const l = w.lengths;
  const lengths =
    l.kind === 'fixed' || l.kind === 'synthetic' || l.kind === 'lognormal'
      ? l
      : { kind: l.kind, rows: l.inputTokens.length };
  return { ...arrival, lengths, max_requests: w.maxRequests ?? null, max_seconds: w.maxSeconds ?? null, warmup: w.warmupFraction ?? 0, cooldown: w.cooldownFraction ?? 0 };
}
