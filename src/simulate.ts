/**
 * simulate(config) → SimulationResult: the whole serving simulation as one pure, re-entrant call.
 *
 *   1. workload   seeded streams draw arrival times and request lengths (workload/)
 *   2. kernel     a discrete-event loop pops (time, seq)-ordered events (kernel/)
 *   3. serving    arrival → router → replica queue; each replica plans a step (vLLM V1-style continuous
 *                 batching, chunked prefill, paged KV, preemption), asks the cost model for its
 *                 duration and schedules its end (serving/, cost/)
 *   4. metrics    finishing requests feed streaming histograms; steps feed engine statistics (metrics/)
 *   5. summary    distributions, throughput, SLO attainment, goodput, a saturation verdict
 *
 * Nothing here reads files, the clock, the environment or Math.random; the same config gives a
 * byte-identical result.
 */
import { calibrationProvenance } from './cost/deployment.ts';
import type { PreparedDeployment } from './cost/prepare.ts';
import { InfeasibleError, InputError } from './diagnostics/errors.ts';
import { checkSimulationConfig } from './simulation-config.ts';
import { type LatencyMetric, LATENCY_METRICS } from './metrics/definitions.ts';
import { MetricsCollector, type RequestRecords, type TimeSeriesPoint, TimeSeriesSampler } from './metrics/collector.ts';
import type { LogHistogram } from './metrics/histogram.ts';
import { ArrivalWindows, backlogEvident, EARLY_STOP_CONFIDENCE, judgeSaturation, type SaturationVerdict, VERDICT_CONFIDENCE } from './metrics/saturation.ts';
import { predictionUncertainty, type PredictionUncertainty } from './metrics/uncertainty.ts';
import { formatSlo, type SloMetric, type SloObjective } from './metrics/slo.ts';
import { Simulation } from './kernel/simulation.ts';
import { defaultPolicyFor, SCHEDULER_POLICIES, type SchedulerPolicyName } from './serving/policy.ts';
import { Replica, type ReplicaSink } from './serving/replica.ts';
import { RequestPool } from './serving/request-pool.ts';
import { createRouter, type RouterName } from './serving/router.ts';
import { type ArrivalSpec, closedLoopStreams, nominalRate, openLoopProcess } from './workload/arrivals.ts';
import { type LengthDistribution, lengthSampler } from './workload/lengths.ts';
import { createRng } from './workload/random.ts';

export interface Workload {
  readonly arrival: ArrivalSpec;
  readonly lengths: LengthDistribution;
  /** stop issuing requests after this many (default 1000 when maxSeconds is not given) */
  readonly maxRequests?: number;
  /** stop issuing requests after this much simulated time */
  readonly maxSeconds?: number;
  /** share of requests (by issue order) excluded from metrics at the start and at the end */
  readonly warmupFraction?: number;
  readonly cooldownFraction?: number;
}

export interface SimulationConfig {
  readonly deployment: PreparedDeployment;
  readonly workload: Workload;
  readonly seed: number | string;
  readonly replicas?: number;
  readonly router?: RouterName;
  readonly policy?: SchedulerPolicyName;
  readonly slo?: readonly SloObjective[];
  /** keep per-request records (at most maxRecords) */
  readonly recordRequests?: boolean;
  readonly maxRecords?: number;
  /** a drain limit: simulated seconds after the last arrival before unfinished requests count as incomplete */
  readonly drainLimitS?: number;
  /**
   * stop issuing requests once a backlog is evident (a steady-rate run — constant, Poisson, gamma — far
   * past capacity), then let the issued ones finish: the verdict is known and more arrivals would only
   * grow the queue (default true; rate curves and traces always run whole)
   */
  readonly stopWhenBacklogged?: boolean;
}

/** fewest arrivals before a run may stop early for a backlog */
export const EARLY_STOP_MIN_ARRIVALS = 2000;

export interface DistributionStats {
  /** total weight: requests, or tokens/gaps for token-weighted metrics */
  readonly count: number;
  readonly mean: number;
  readonly stdev: number;
  /** GuideLLM's percentile set, non-interpolated: p001 = 0.1%, p01 = 1%, ... p999 = 99.9% */
  readonly percentiles: Readonly<Record<'p001' | 'p01' | 'p05' | 'p10' | 'p25' | 'p50' | 'p75' | 'p90' | 'p95' | 'p99' | 'p999', number>>;
  readonly median: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly min: number;
  readonly max: number;
}

export type { SaturationVerdict } from './metrics/saturation.ts';

/**
 * Limits that keep every run finite and its memory bounded. Every request is simulated, so the request
 * cap bounds the run time (10 million requests take about a minute); the router looks at every replica
 * for every request, so the replica cap bounds the cost per request.
 */
export const LIMITS = {
  maxRequests: 10_000_000,
  replicas: 10_000,
} as const;

export interface SloReport {
  readonly spec: string;
  readonly checks: readonly {
    readonly metric: string;
    readonly percentile: number | 'mean';
    readonly thresholdS: number;
    readonly valueS: number;
    readonly met: boolean;
  }[];
  readonly met: boolean;
  /** share of counted requests meeting every objective */
  readonly attainment: number;
  readonly goodputPerS: number;
}

export interface SimulationResult {
  readonly schemaVersion: 1;
  readonly seed: string;
  readonly deployment: {
    readonly model: string;
    readonly hardware: string;
    readonly tp: number;
    readonly pp: number;
    readonly ep: number;
    readonly replicas: number;
    readonly gpus: number;
    readonly weights: string;
    readonly activations: string;
    readonly kvCache: string;
    readonly engine: string;
    readonly policy: SchedulerPolicyName;
    readonly router: RouterName;
    readonly calibration: string;
    /** fitted, transferred, datasheet only, or user file: how far to trust these predictions */
    readonly calibrationProvenance: string;
    readonly kvTokensPerReplica: number;
  };
  readonly workload: Workload;
  readonly requests: {
    readonly issued: number;
    readonly completed: number;
    readonly counted: number;
    readonly rejected: number;
    readonly rejectReasons: Readonly<Record<string, number>>;
    readonly incomplete: number;
    /** most requests in the system at once (waiting + running, all replicas) */
    readonly peakOutstanding: number;
    /** most requests holding full per-request state at once (running, or at the head of a queue) */
    readonly peakMaterialized: number;
  };
  /** measurement window: first counted arrival to last counted completion */
  readonly durationS: number;
  readonly simulatedTimeS: number;
  readonly throughput: {
    readonly requestsPerS: number;
    readonly outputTokensPerS: number;
    readonly inputTokensPerS: number;
    readonly totalTokensPerS: number;
  };
  readonly latency: Readonly<Record<LatencyMetric, DistributionStats>>;
  readonly slo: SloReport | undefined;
  readonly saturation: SaturationVerdict;
  readonly engine: {
    readonly steps: number;
    readonly events: number;
    readonly preemptions: number;
    /** time-weighted mean decode batch over busy time */
    readonly meanDecodeBatch: number;
    readonly busyFraction: number;
    readonly meanKvUtilization: number;
    readonly peakKvUtilization: number;
  };
  readonly timeSeries: readonly TimeSeriesPoint[];
  readonly cdf: Readonly<Record<'ttft' | 'itl' | 'e2e' | 'tpot', readonly { value: number; fraction: number }[]>>;
  readonly perRequest: RequestRecords | undefined;
  /** an 80% band around the mean latencies when the calibration has a validated one, else why not */
  readonly uncertainty: PredictionUncertainty;
  readonly warnings: readonly string[];
}

export function simulate(config: SimulationConfig): SimulationResult {
  checkSimulationConfig(config);
  const prepared = config.deployment;
  const d = prepared.deployment;
  const w = config.workload;
  validateWorkload(w);
  const nReplicas = config.replicas ?? 1;
  if (!(Number.isInteger(nReplicas) && nReplicas >= 1 && nReplicas <= LIMITS.replicas))
    throw new InputError(
      `replicas (--replicas) must be a whole number from 1 to ${LIMITS.replicas}, found ${nReplicas}: the router weighs every replica for every ` +
        `request, so a bigger fleet is planned per replica (servesim plan --target-rate) rather than simulated whole`,
    );
  const policy = config.policy ? SCHEDULER_POLICIES[config.policy] : defaultPolicyFor(d.engine.family);
  const routerName: RouterName = config.router ?? 'least-outstanding';
  const router = createRouter(routerName);
  const slo = config.slo ?? [];
  const clientOverheadS = d.calibration.values.client_overhead_ms * 1e-3;
  const seed = String(config.seed);
  // a time-limited run still issues at most LIMITS.maxRequests requests (it says so when it stops there)
  const requestCap = w.maxRequests ?? (w.maxSeconds !== undefined ? LIMITS.maxRequests : 1000);
  const maxRequests = w.maxRequests ?? (w.maxSeconds !== undefined ? Infinity : 1000);
  const maxSeconds = w.maxSeconds ?? Infinity;
  const warm = w.warmupFraction ?? 0;
  const cool = w.cooldownFraction ?? 0;
  const warnings: string[] = [...d.notes];

  const sim = new Simulation();
  const pool = new RequestPool();
  const metrics = new MetricsCollector({
    clientOverheadS,
    slo,
    recordRequests: config.recordRequests ?? false,
    maxRecords: config.maxRecords ?? 100_000,
  });
  const series = new TimeSeriesSampler();
  const lengthRng = createRng(seed, 'lengths');
  const arrivalRng = createRng(seed, 'arrivals');
  const prefixRng = createRng(seed, 'prefix-cache');
  const sampleLengths = lengthSampler(w.lengths);

  let busyTimeS = 0;
  let decodeBatchTime = 0;
  let kvUtilTime = 0;
  let peakKv = 0;
  const sink: ReplicaSink = {
    tokenGaps: (gap, tokens) => metrics.tokenGaps(gap, tokens),
    admitted: () => {
      admitted++;
      if (pool.inUse > peakMaterialized) peakMaterialized = pool.inUse;
    },
    finished: (slot, now) => {
      metrics.finished(pool, slot, now);
      const stream = pool.stream[slot]!;
      pool.release(slot);
      inSystem--;
      if (stream >= 0 && !issuingDone && now < maxSeconds) sim.schedule(now, STREAM, stream);
    },
    stepDone: (r, dt, decodeSeqs) => {
      busyTimeS += dt;
      decodeBatchTime += decodeSeqs * dt;
      const rep = replicas[r]!;
      const util = rep.usedBlocks / Math.max(1, rep.totalBlocks);
      kvUtilTime += util * dt;
      if (util > peakKv) peakKv = util;
    },
  };
  const replicas: Replica[] = [];
  for (let i = 0; i < nReplicas; i++) {
    // speculative acceptance: one seeded stream per replica, drawn only when the deployment speculates
    const acceptance = d.speculative ? createRng(seed, `acceptance/${i}`) : undefined;
    replicas.push(new Replica(i, prepared, policy, pool, sink, { uniform: acceptance && (() => acceptance.next()) }));
  }
  const proto = replicas[0]!;
  const prefix = d.engine.prefixCaching;

  let issued = 0;
  let rejected = 0;
  const rejectReasons: Record<string, number> = {};
  let inSystem = 0; // issued, not rejected, not finished
  let peakOutstanding = 0;
  let peakMaterialized = 0;
  const windows = new ArrivalWindows();
  let stoppedEarly: SaturationVerdict['stoppedEarly'];
  let admitted = 0; // requests admitted to a batch for the first time
  const waitingNow = () => replicas.reduce((n, r) => n + r.waitingCount, 0);
  const evidenceNow = (confidence: number) =>
    windows.evidence({ admittedSoFar: admitted, waitingNow: waitingNow(), outstandingNow: inSystem, replicas: nReplicas, confidence });
  const preemptions = () => replicas.reduce((n, r) => n + r.preemptionCount, 0);

  const STEP = sim.on((r, now) => {
    replicas[r]!.finishStep(now);
    if (series.due(now)) sampleSeries(now);
    startNextStep(r, now);
  });
  /** plan replica r's next step now and schedule its end; an idle replica waits for the next arrival */
  const startNextStep = (r: number, now: number): void => {
    const dt = replicas[r]!.startStep(now);
    if (dt >= 0) sim.schedule(now + dt, STEP, r);
  };

  let lastIssueS = 0;
  let issuingDone = false; // every request issued, or the arrival process ended
  const issue = (now: number, stream: number): void => {
    const i = issued++;
    lastIssueS = now;
    if (issued >= requestCap) {
      issuingDone = true;
      if (issued < maxRequests)
        stoppedEarly = { atS: now, afterRequests: issued, reason: `the limit of ${LIMITS.maxRequests} requests per run` };
    }
    const { inputTokens, outputTokens } = sampleLengths(lengthRng);
    const reason = rejectReason(inputTokens, outputTokens);
    if (reason) {
      rejected++;
      rejectReasons[reason] = (rejectReasons[reason] ?? 0) + 1;
      if (stream >= 0 && !issuingDone) sim.schedule(now, STREAM, stream);
      return;
    }
    const counted = Number.isFinite(maxRequests)
      ? i >= warm * maxRequests && i < (1 - cool) * maxRequests
      : now >= warm * maxSeconds && now <= (1 - cool) * maxSeconds;
    if (counted) metrics.measuringGaps = true;
    else if (metrics.measuringGaps) metrics.measuringGaps = false; // cool-down began
    let sharedBlocks = 0;
    if (prefix && prefix.hitRate > 0 && prefixRng.next() < prefix.hitRate)
      sharedBlocks = Math.floor(Math.min(prefix.sharedPrefixTokens, inputTokens - 1) / d.engine.blockSize);
    const r = router.pick(replicas);
    const rep = replicas[r]!;
    if (stream < 0) {
      // open loop: the evidence for the saturation verdict, as this arrival finds the system
      const oldest = rep.oldestWaitingArrivalS;
      windows.add(now, inSystem, Number.isFinite(oldest) ? now - oldest : 0, admitted);
    }
    rep.enqueue(i, now, inputTokens, outputTokens, stream, counted, sharedBlocks);
    inSystem++;
    if (inSystem > peakOutstanding) peakOutstanding = inSystem;
    if (!rep.busy) startNextStep(r, now);
    if (pool.inUse > peakMaterialized) peakMaterialized = pool.inUse;
    if (stream < 0 && stopWhenBacklogged && !issuingDone && windows.arrivals >= EARLY_STOP_MIN_ARRIVALS && windows.windowComplete) {
      // GuideLLM-style over-saturation stop: once the backlog is evident at a stricter confidence, more
      // arrivals only lengthen the queue; the issued requests still finish so latencies stay comparable.
      // A backlog needs requests waiting: that cheap count first, the trend tests only then.
      if (waitingNow() > nReplicas && backlogEvident(evidenceNow(EARLY_STOP_CONFIDENCE))) {
        issuingDone = true;
        stoppedEarly = { atS: now, afterRequests: issued, reason: `backlog evident at ${EARLY_STOP_CONFIDENCE * 100}% confidence` };
      }
    }
  };
  // only a stationary process (a steady rate) can be judged part-way: a rate curve or a trace may pass a
  // peak and recover, and the run is asked to show exactly that
  const stationary = w.arrival.kind === 'poisson' || w.arrival.kind === 'constant' || w.arrival.kind === 'gamma';
  const stopWhenBacklogged = (config.stopWhenBacklogged ?? true) && stationary;

  const rejectReason = (input: number, output: number): string | undefined => {
    if (input < 1 || output < 1) return EMPTY_REQUEST;
    if (input + output > d.engine.maxModelLen) return `longer than max_model_len (${d.engine.maxModelLen})`;
    if (!d.engine.chunkedPrefill && input > d.engine.maxNumBatchedTokens)
      return `prompt longer than max_num_batched_tokens (${d.engine.maxNumBatchedTokens}) with chunked prefill off`;
    if (proto.blocksFor(input + output + proto.lookaheadTokens) > proto.usableBlocks) return 'needs more KV cache than one replica has';
    return undefined;
  };

  const STREAM = sim.on((stream, now) => {
    if (!issuingDone && now < maxSeconds) issue(now, stream);
  });

  const streams = closedLoopStreams(w.arrival, Number.isFinite(maxRequests) ? maxRequests : Number.MAX_SAFE_INTEGER);
  const nextArrival = streams === undefined ? openLoopProcess(w.arrival, arrivalRng) : undefined;
  let endEvidence: ReturnType<typeof evidenceNow> | undefined;
  const ARRIVAL = sim.on((_t, now) => {
    issue(now, -1);
    if (!issuingDone) {
      const t = nextArrival!();
      if (t < maxSeconds && Number.isFinite(t)) sim.schedule(Math.max(t, now), ARRIVAL, 0);
      else issuingDone = true;
    }
    // the verdict is judged as the last request arrives: what the queue looks like once arrivals stop
    if (issuingDone) endEvidence = evidenceNow(VERDICT_CONFIDENCE);
  });

  function sampleSeries(now: number): void {
    let used = 0;
    let total = 0;
    let running = 0;
    let waiting = 0;
    for (const r of replicas) {
      used += r.usedBlocks;
      total += r.totalBlocks;
      running += r.runningCount;
      waiting += r.waitingCount;
    }
    series.add({ timeS: now, kvUtilization: total > 0 ? used / total : 0, running, waiting, preemptions: preemptions() });
  }

  if (streams !== undefined) {
    const n = Math.min(streams, Number.isFinite(maxRequests) ? maxRequests : streams);
    for (let s = 0; s < n; s++) sim.schedule(0, STREAM, s);
  } else {
    const t0 = nextArrival!();
    if (Number.isFinite(t0) && t0 < maxSeconds) sim.schedule(t0, ARRIVAL, 0);
  }

  const drainLimit = config.drainLimitS ?? Infinity;
  if (Number.isFinite(maxSeconds)) {
    const stop = sim.run({ untilS: maxSeconds });
    if (stop === 'time-limit' || stop === 'drained') sim.run({ untilS: maxSeconds + drainLimit });
  } else if (Number.isFinite(drainLimit)) {
    // the last issue time is not known in advance: advance in drain-limit slices until every request is
    // issued (no slice overshoots it by more than the limit), then run to last issue + limit
    let horizon = 0;
    while (!issuingDone && sim.run({ untilS: horizon }) === 'time-limit') horizon = Math.max(horizon + drainLimit, sim.nextEventS);
    sim.run({ untilS: Math.max(sim.now, lastIssueS + drainLimit) });
  } else {
    sim.run();
  }
  sampleSeries(sim.now);
  const incomplete = inSystem;
  const reasonList = () => Object.entries(rejectReasons).map(([k, v]) => `${v} ${k}`).join('; ');
  // a run that serves nothing has no latency to report: that is an impossible setup, not a result
  if (issued === 0)
    throw new InfeasibleError(
      'no request was issued: the arrival process produced no arrival within the limits (a rate curve of zeros, an empty trace, or max seconds before the first arrival)',
    );
  if (rejected === issued)
    throw new InfeasibleError(
      `nothing can be served: all ${issued} requests were rejected (${reasonList()})` +
        (rejectReasons[EMPTY_REQUEST] === issued
          ? ''
          : `; max_model_len is ${d.engine.maxModelLen} tokens and one replica holds ${prepared.memory.kvTokens} KV tokens: shorten the requests or raise those limits`),
    );
  if (incomplete > 0)
    warnings.push(`${incomplete} requests had not finished ${drainLimit} s after the last arrival; they count as incomplete`);
  if (rejected > 0)
    warnings.push(`${rejected} of ${issued} requests rejected: ${reasonList()}`);

  const durationS = Math.max(0, metrics.lastCountedFinishS - metrics.firstCountedArrivalS);
  const per = (x: number) => (durationS > 0 ? x / durationS : 0);
  const latency = Object.fromEntries(LATENCY_METRICS.map((m) => [m, stats(metrics.hist[m])])) as Record<LatencyMetric, DistributionStats>;
  const offered = nominalRate(w.arrival);
  const achieved = per(metrics.countedCompleted);
  // judged at the last arrival (endEvidence); a process that never produced one is judged at the end
  const saturation = judgeSaturation({
    closedLoop: streams !== undefined,
    offeredRatePerS: offered,
    achievedRatePerS: achieved,
    evidence: streams !== undefined ? undefined : (endEvidence ?? evidenceNow(VERDICT_CONFIDENCE)),
    stoppedEarly,
  });
  if (stoppedEarly) warnings.push(`stopped issuing requests early at t=${stoppedEarly.atS.toPrecision(3)} s after ${stoppedEarly.afterRequests} requests: ${stoppedEarly.reason}`);
  if (saturation.verdict === 'backlogged') warnings.push(saturation.explanation);

  const totalSim = sim.now;
  return {
    schemaVersion: 1,
    seed,
    deployment: {
      model: d.model.id,
      hardware: d.hardware.id,
      tp: d.tp,
      pp: d.pp,
      ep: d.ep,
      replicas: nReplicas,
      gpus: nReplicas * d.gpusPerReplica,
      weights: d.quantization.weights,
      activations: d.quantization.activations,
      kvCache: d.quantization.kvCache,
      engine: d.engine.family,
      policy: policy.name,
      router: routerName,
      calibration: d.calibration.id,
      calibrationProvenance: calibrationProvenance(d),
      kvTokensPerReplica: prepared.memory.kvTokens,
    },
    workload: w,
    requests: {
      issued,
      completed: metrics.completed,
      counted: metrics.countedCompleted,
      rejected,
      rejectReasons,
      incomplete,
      peakOutstanding,
      peakMaterialized,
    },
    durationS,
    simulatedTimeS: totalSim,
    throughput: {
      requestsPerS: achieved,
      outputTokensPerS: per(metrics.countedOutputTokens),
      inputTokensPerS: per(metrics.countedInputTokens),
      totalTokensPerS: per(metrics.countedInputTokens + metrics.countedOutputTokens),
    },
    latency,
    slo: slo.length > 0 ? sloReport(slo, metrics, durationS) : undefined,
    saturation,
    engine: {
      steps: replicas.reduce((s, r) => s + r.steps, 0),
      events: sim.eventsProcessed,
      preemptions: preemptions(),
      meanDecodeBatch: busyTimeS > 0 ? decodeBatchTime / busyTimeS : 0,
      busyFraction: totalSim > 0 ? busyTimeS / (totalSim * nReplicas) : 0,
      meanKvUtilization: busyTimeS > 0 ? kvUtilTime / busyTimeS : 0,
      peakKvUtilization: peakKv,
    },
    timeSeries: series.points,
    cdf: {
      ttft: metrics.hist.ttft.cdf(100),
      itl: metrics.hist.itl.cdf(100),
      e2e: metrics.hist.e2e.cdf(100),
      tpot: metrics.hist.tpot.cdf(100),
    },
    perRequest: metrics.records,
    uncertainty: predictionUncertainty(d, { ttft: latency.ttft.mean, tpot: latency.tpot.mean, e2e: latency.e2e.mean }),
    warnings,
  };
}

const EMPTY_REQUEST = 'request with no input or output tokens';

/** quantiles reported for every distribution, ascending: GuideLLM's set */
const STAT_QUANTILES = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999] as const;

function stats(h: LogHistogram): DistributionStats {
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

function sloReport(slo: readonly SloObjective[], m: MetricsCollector, durationS: number): SloReport {
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

function validateWorkload(w: Workload): void {
  const a = w.arrival;
  if ('ratePerS' in a && !(a.ratePerS > 0)) throw new InputError(`workload rate must be > 0 requests/s, found ${a.ratePerS}`);
  if (a.kind === 'concurrent' && !(a.streams >= 1)) throw new InputError(`concurrent streams must be >= 1, found ${a.streams}`);
  if (a.kind === 'gamma' && !(a.burstiness > 0)) throw new InputError(`gamma burstiness must be > 0, found ${a.burstiness}`);
  if (w.maxRequests !== undefined && !(w.maxRequests >= 1)) throw new InputError(`max requests must be >= 1, found ${w.maxRequests}`);
  if (w.maxRequests !== undefined && w.maxRequests > LIMITS.maxRequests)
    throw new InputError(
      `max requests (--max-requests) must be at most ${LIMITS.maxRequests} per run, found ${w.maxRequests}: every request is simulated ` +
        `(${LIMITS.maxRequests} take about a minute) and percentiles stop moving long before; use several seeds for more confidence`,
    );
  if (w.maxSeconds !== undefined && !(w.maxSeconds > 0)) throw new InputError(`max seconds must be > 0, found ${w.maxSeconds}`);
  const f = (w.warmupFraction ?? 0) + (w.cooldownFraction ?? 0);
  if (!(f >= 0 && f < 1)) throw new InputError(`warm-up + cool-down fractions must be in [0, 1), found ${f}`);
}
