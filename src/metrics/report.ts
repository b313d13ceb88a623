import type { PredictionUncertainty } from './uncertainty.ts';
import type { DistributionStats, SimulationResult } from './result.ts';
import { SIMULATE_DOCUMENT_VERSION, type SimulateRun, type SimulateWorkload } from './simulate-document.ts';

/**
 * The documented JSON document of `servesim simulate --json` (docs/metrics.md, schemas/simulate-result.schema.json):
 * times in milliseconds, rates per second, every key camelCase and named with its unit.
 */
export const REPORT_SCHEMA_VERSION = SIMULATE_DOCUMENT_VERSION;

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

function latencyMs(r: SimulationResult): SimulateRun['latencyMs'] {
  const l = r.latencyS;
  // in LATENCY_METRICS order, as in every earlier document
  return {
    ttft: toMs(l.ttft),
    e2e: toMs(l.e2e),
    queue_time: toMs(l.queue_time),
    itl: toMs(l.itl),
    tpot: toMs(l.tpot),
    itl_guidellm: toMs(l.itl_guidellm),
    tpot_guidellm: toMs(l.tpot_guidellm),
    tpot_guidellm_v03: toMs(l.tpot_guidellm_v03),
  };
}

export function toReport(r: SimulationResult): SimulateRun {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    seed: r.seed,
    deployment: r.deployment,
    workload: describeWorkload(r),
    requests: r.requests,
    durationS: r.durationS,
    simulatedTimeS: r.simulatedTimeS,
    throughput: r.throughput,
    latencyMs: latencyMs(r),
    slo: r.slo
      ? {
          spec: r.slo.spec,
          met: r.slo.met,
          attainment: r.slo.attainment,
          goodputRequestsPerS: r.slo.goodputPerS,
          checks: r.slo.checks.map((c) => ({ metric: c.metric, percentile: c.percentile, thresholdMs: c.thresholdS * 1e3, valueMs: c.valueS * 1e3, met: c.met })),
        }
      : null,
    // every key present (null when it does not apply), so documents compare field by field
    saturation: { ...r.saturation, evidence: r.saturation.evidence ?? null, stoppedEarly: r.saturation.stoppedEarly ?? null },
    engine: r.engine,
    timeSeries: r.timeSeries.map((p) => ({ timeS: p.timeS, kvUtilization: p.kvUtilization, running: p.running, waiting: p.waiting, preemptions: p.preemptions })),
    warnings: [...r.warnings],
    uncertainty: uncertaintyMs(r.uncertainty),
    // present only when the simulated prefix cache is on, so other documents are unchanged
    ...(r.prefixCache !== undefined
      ? {
          prefixCache: {
            mode: r.prefixCache.mode,
            lookups: r.prefixCache.lookups,
            promptTokens: r.prefixCache.promptTokens,
            tokensSaved: r.prefixCache.tokensSaved,
            hitRate: r.prefixCache.hitRate,
            readmissionTokensSaved: r.prefixCache.readmissionTokensSaved,
            offloadTokensLoaded: r.prefixCache.offloadTokensLoaded,
            ...(r.prefixCache.diskTokensLoaded !== undefined ? { diskTokensLoaded: r.prefixCache.diskTokensLoaded } : {}),
            evictions: r.prefixCache.evictions,
            overTime: r.prefixCache.overTime.map((p) => ({ timeS: p.timeS, hitRate: p.hitRate, promptTokens: p.promptTokens })),
          },
        }
      : {}),
  };
}

/** the run's bands in milliseconds, keys renamed …S → …Ms */
function uncertaintyMs(u: PredictionUncertainty): SimulateRun['uncertainty'] {
  const band80Ms = Object.fromEntries(Object.entries(u.band80 ?? {}).map(([k, v]) => [k.replace(/S$/, 'Ms'), [v[0] * 1e3, v[1] * 1e3] as [number, number]]));
  return { basis: u.basis, band80Ms, ...(u.probabilityMeetsSlo !== undefined ? { probabilityMeetsSlo: u.probabilityMeetsSlo } : {}) };
}

export function describeWorkload(r: SimulationResult): SimulateWorkload {
  const w = r.workload;
  const a = w.arrival;
  const l = w.lengths;
  const lengths: SimulateWorkload['lengths'] =
    l.kind === 'fixed' || l.kind === 'synthetic' || l.kind === 'lognormal' ? l : { kind: l.kind, rows: l.inputTokens.length };
  return {
    profile: a.kind,
    ...('ratePerS' in a ? { ratePerS: a.ratePerS } : {}),
    ...(a.kind === 'concurrent' ? { streams: a.streams } : {}),
    ...(a.kind === 'throughput' && a.maxConcurrency !== undefined ? { maxConcurrency: a.maxConcurrency } : {}),
    ...(a.kind === 'gamma' ? { burstiness: a.burstiness } : {}),
    ...(a.kind === 'trace' ? { requests: a.timesS.length } : {}),
    lengths,
    ...(w.sessions !== undefined ? { sessions: w.sessions } : {}),
    maxRequests: w.maxRequests ?? null,
    maxSeconds: w.maxSeconds ?? null,
    warmupFraction: w.warmupFraction ?? 0,
    cooldownFraction: w.cooldownFraction ?? 0,
  };
}
