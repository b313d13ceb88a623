/**
 * summarize(): the last phase of a simulation — streaming histograms and counters become the
 * SimulationResult (distributions, throughput, SLO attainment and goodput, the saturation verdict).
 */
import type { PrefixCacheReport } from './prefix-cache-report.ts';
import { calibrationProvenance } from '../cost/deployment.ts';
import type { PreparedDeployment } from '../cost/prepare.ts';
import type { Workload } from '../workload/workload.ts';
import type { MetricsCollector, TimeSeriesSampler } from './collector.ts';
import { type LatencyMetric, LATENCY_METRICS } from './definitions.ts';
import type { EngineStats } from './engine-stats.ts';
import type { LogHistogram } from './histogram.ts';
import type { DistributionStats, SimulationResult, SloReport, TechniquesSummary } from './result.ts';
import { judgeSaturation, type SaturationEvidence, type SaturationVerdict } from './saturation.ts';
import { formatSlo, type SloMetric, type SloObjective } from './slo.ts';
import { predictionUncertainty } from './uncertainty.ts';
import { nominalRate } from '../workload/arrivals.ts';

/** What a finished run hands to the summary. */
export interface RunRecord<PolicyName extends string, RouterName extends string> {
  readonly prepared: PreparedDeployment;
  readonly seed: string;
  readonly workload: Workload;
  readonly replicas: number;
  readonly policy: PolicyName;
  readonly router: RouterName;
  readonly slo: readonly SloObjective[];
  readonly requests: Omit<SimulationResult['requests'], 'completed' | 'counted'>;
  readonly metrics: MetricsCollector;
  readonly series: TimeSeriesSampler;
  readonly engineStats: EngineStats;
  readonly steps: number;
  readonly preemptions: number;
  readonly events: number;
  readonly simulatedTimeS: number;
  /** closed loop: no saturation evidence; open loop: as judged when the last request arrived */
  readonly closedLoop: boolean;
  readonly evidence: SaturationEvidence | undefined;
  readonly stoppedEarly: SaturationVerdict['stoppedEarly'];
  readonly drainLimitS: number;
  /** the simulated prefix cache's report; undefined when it is off */
  readonly prefixCache?: PrefixCacheReport | undefined;
  readonly techniques?: TechniquesSummary | undefined;
}

export function summarize<P extends string, R extends string>(run: RunRecord<P, R>): SimulationResult<P, R> {
  const d = run.prepared.deployment;
  const m = run.metrics;
  const durationS = Math.max(0, m.lastCountedFinishS - m.firstCountedArrivalS);
  const per = (x: number) => (durationS > 0 ? x / durationS : 0);
  const latency = latencyStats(m);
  const achieved = per(m.countedCompleted);
  const slo = run.slo.length > 0 ? sloReport(run.slo, m, durationS) : undefined;
  const saturation = judgeSaturation({
    closedLoop: run.closedLoop,
    // an open-loop rate of multi-turn sessions is sessions per second: the request rate follows from the turns
    offeredRatePerS: run.workload.sessions === undefined ? nominalRate(run.workload.arrival) : undefined,
    achievedRatePerS: achieved,
    evidence: run.evidence,
    stoppedEarly: run.stoppedEarly,
  });
  return {
    schemaVersion: 2,
    seed: run.seed,
    deployment: deploymentBlock(run),
    workload: run.workload,
    requests: requestCounts(run),
    durationS,
    simulatedTimeS: run.simulatedTimeS,
    throughput: {
      requestsPerS: achieved,
      outputTokensPerS: per(m.countedOutputTokens),
      inputTokensPerS: per(m.countedInputTokens),
      totalTokensPerS: per(m.countedInputTokens + m.countedOutputTokens),
    },
    latencyS: latency,
    slo,
    saturation,
    engine: engineBlock(run),
    timeSeries: run.series.points,
    cdf: { ttft: m.hist.ttft.cdf(100), itl: m.hist.itl.cdf(100), e2e: m.hist.e2e.cdf(100), tpot: m.hist.tpot.cdf(100) },
    perRequest: m.records,
    uncertainty: predictionUncertainty(d, latency, slo?.checks),
    warnings: runWarnings(run, saturation),
    ...(run.prefixCache !== undefined ? { prefixCache: run.prefixCache } : {}),
  };
}

function requestCounts(run: RunRecord<string, string>): SimulationResult['requests'] {
  const r = run.requests;
  const m = run.metrics;
  return {
    issued: r.issued,
    completed: m.completed,
    counted: m.countedCompleted,
    rejected: r.rejected,
    rejectReasons: r.rejectReasons,
    incomplete: r.incomplete,
    peakOutstanding: r.peakOutstanding,
    peakMaterialized: r.peakMaterialized,
  };
}

function deploymentBlock<P extends string, R extends string>(run: RunRecord<P, R>): SimulationResult<P, R>['deployment'] {
  const d = run.prepared.deployment;
  return {
    model: d.model.id,
    hardware: d.hardware.id,
    tp: d.tp,
    pp: d.pp,
    ep: d.ep,
    replicas: run.replicas,
    gpus: run.replicas * d.gpusPerReplica + (run.techniques?.disaggregation?.decodeGpus ?? 0),
    weights: d.quantization.weights,
    activations: d.quantization.activations,
    kvCache: d.quantization.kvCache,
    engine: d.engine.family,
    policy: run.policy,
    router: run.router,
    calibration: d.calibration.id,
    calibrationProvenance: calibrationProvenance(d),
    kvTokensPerReplica: run.prepared.memory.kvTokens,
    ...(run.techniques ? { techniques: run.techniques } : {}),
  };
}

function engineBlock(run: RunRecord<string, string>): SimulationResult['engine'] {
  const e = run.engineStats;
  const totalSim = run.simulatedTimeS;
  return {
    steps: run.steps,
    events: run.events,
    preemptions: run.preemptions,
    meanDecodeBatch: e.busyTimeS > 0 ? e.decodeSeqSeconds / e.busyTimeS : 0,
    busyFraction: totalSim > 0 ? e.busyTimeS / (totalSim * (run.replicas + (run.techniques?.disaggregation?.decodeReplicas ?? 0))) : 0,
    meanKvUtilization: e.busyTimeS > 0 ? e.kvUtilizationSeconds / e.busyTimeS : 0,
    peakKvUtilization: e.peakKvUtilization,
  };
}

/** the deployment's notes, then what went wrong in the run, in a fixed order */
function runWarnings(run: RunRecord<string, string>, saturation: SaturationVerdict): string[] {
  const { issued, rejected, incomplete } = run.requests;
  const warnings: string[] = [...run.prepared.deployment.notes];
  if (incomplete > 0)
    warnings.push(`${incomplete} requests had not finished ${run.drainLimitS} s after the last arrival; they count as incomplete`);
  if (rejected > 0) warnings.push(`${rejected} of ${issued} requests rejected: ${rejectReasonList(run.requests.rejectReasons)}`);
  const early = run.stoppedEarly;
  if (early) warnings.push(`stopped issuing requests early at t=${early.atS.toPrecision(3)} s after ${early.afterRequests} requests: ${early.reason}`);
  if (saturation.verdict === 'backlogged') warnings.push(saturation.explanation);
  return warnings;
}

/** "3 reason; 1 other reason" */
export function rejectReasonList(reasons: Readonly<Record<string, number>>): string {
  return Object.entries(reasons).map(([k, v]) => `${v} ${k}`).join('; ');
}

function latencyStats(m: MetricsCollector): Record<LatencyMetric, DistributionStats> {
  return Object.fromEntries(LATENCY_METRICS.map((metric) => [metric, stats(m.hist[metric])])) as Record<LatencyMetric, DistributionStats>;
}

/** quantiles reported for every distribution, ascending: GuideLLM's set */
const STAT_QUANTILES = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999] as const;

export function stats(h: LogHistogram): DistributionStats {
  const [p001, p01, p05, p10, p25, p50, p75, p90, p95, p99, p999] = h.quantiles(STAT_QUANTILES) as [
    number, number, number, number, number, number, number, number, number, number, number,
  ];
  return {
    count: h.count,
    mean: h.mean,
    stdev: h.stdev,
    percentiles: { p001, p01, p05, p10, p25, p50, p75, p90, p95, p99, p999 },
    median: p50,
    p90,
    p95,
    p99,
    p999,
    min: h.min,
    max: h.max,
  };
}

/** the distribution each SLO metric's statistic is taken over: `itl` per gap, `tpot` per request */
const SLO_HISTOGRAM: Readonly<Record<SloMetric, (m: MetricsCollector) => LogHistogram>> = {
  ttft: (m) => m.hist.ttft,
  itl: (m) => m.hist.itl,
  tpot: (m) => m.hist.tpot,
  e2e: (m) => m.hist.e2e,
  queue: (m) => m.hist.queue_time,
};

export function sloReport(slo: readonly SloObjective[], m: MetricsCollector, durationS: number): SloReport {
  const checks = slo.map((o) => {
    const h = SLO_HISTOGRAM[o.metric](m);
    const valueS = o.percentile === 'mean' ? h.mean : h.quantile(o.percentile);
    return { metric: o.metric, percentile: o.percentile, thresholdS: o.thresholdS, valueS, met: valueS <= o.thresholdS };
  });
  const counted = m.countedCompleted;
  return {
    spec: formatSlo(slo),
    checks,
    met: counted > 0 && checks.every((c) => c.met),
    attainment: counted > 0 ? m.sloAttained / counted : 0,
    goodputPerS: durationS > 0 ? m.sloAttained / durationS : 0,
  };
}
