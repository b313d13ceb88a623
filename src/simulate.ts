/**
 * simulate(config) → SimulationResult: the whole serving simulation as one pure, re-entrant call.
 *
 *   1. wire       check the config; resolve the batch policy, router and issuing limits
 *   2. workload   seeded streams draw arrival times and request lengths (workload/)
 *   3. kernel     a discrete-event loop pops (time, seq)-ordered events (kernel/) and calls the serving
 *                 handlers (serving/engine-loop.ts): arrival → router → replica queue; each replica plans a
 *                 step with its batch policy (serving/policies/: continuous batching, chunked prefill, paged
 *                 KV, preemption), asks the cost model for its duration and schedules its end (cost/);
 *                 finishing requests feed streaming histograms, steps feed engine statistics (metrics/)
 *   4. drain      run until every issued request finished, or a drain limit after the last arrival
 *   5. summarize  distributions, throughput, SLO attainment, goodput, a saturation verdict (metrics/summarize.ts)
 *
 * Nothing here reads files, the clock, the environment or Math.random; the same config gives a
 * byte-identical result.
 */
import type { PreparedDeployment } from './cost/prepare.ts';
import { InfeasibleError, InputError } from './diagnostics/errors.ts';
import { MetricsCollector } from './metrics/collector.ts';
import type { SimulationResult as GenericSimulationResult } from './metrics/result.ts';
import { rejectReasonList, type RunRecord, summarize } from './metrics/summarize.ts';
import type { SloObjective } from './metrics/slo.ts';
import { checkSimulationConfig } from './simulation-config.ts';
import { VERDICT_CONFIDENCE } from './metrics/saturation.ts';
import { BACKLOG_STOP_REASON, prefixCacheTotals, preemptionsOf, SimulationObserver } from './simulation-observer.ts';
import { allReplicas, createEngine, runToCompletion, startArrivals } from './serving/engine.ts';
import { type DisaggregationConfig, resolveDisaggregation } from './serving/disaggregation.ts';
import { techniquesSummary } from './metrics/techniques-summary.ts';
import type { EngineState, IssueLimits } from './serving/engine-loop.ts';
import { createRng } from './workload/random.ts';
import { BATCH_POLICIES, type SchedulerPolicyName } from './serving/policies/index.ts';
import type { Replica } from './serving/replica.ts';
import { EMPTY_REQUEST } from './serving/reject.ts';
import { createRouter, type RouterName } from './serving/router.ts';
import { closedLoopStreams } from './workload/arrivals.ts';
import { requestSource } from './request-source.ts';
import type { Workload } from './workload/workload.ts';
import { sFromMs } from './units.ts';

export type { Workload } from './workload/workload.ts';
export type { DistributionStats, SloReport } from './metrics/result.ts';
export type { SaturationVerdict } from './metrics/saturation.ts';
export { EARLY_STOP_MIN_ARRIVALS } from './simulation-observer.ts';

/** The result of simulate(), with the policy and router names it can hold. */
export type SimulationResult = GenericSimulationResult<SchedulerPolicyName, RouterName>;

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
  /** prefill/decode disaggregation: `deployment` × `replicas` is the prefill pool, this the decode pool */
  readonly disaggregation?: DisaggregationConfig;
}

/**
 * Limits that keep every run finite and its memory bounded. Every request is simulated, so the request
 * cap bounds the run time (10 million requests take about a minute); the router looks at every replica
 * for every request, so the replica cap bounds the cost per request.
 */
export const LIMITS = {
  maxRequests: 10_000_000,
  replicas: 10_000,
} as const;

export function simulate(config: SimulationConfig): SimulationResult {
  // 1. wire: check the config; resolve the fleet, the batch policy, the router and the issuing limits
  checkSimulationConfig(config);
  const w = config.workload;
  validateWorkload(w);
  const prepared = config.deployment;
  const nReplicas = checkedReplicas(config.replicas ?? 1);
  const policyName: SchedulerPolicyName = config.policy ?? prepared.deployment.engine.family;
  const routerName: RouterName = config.router ?? 'least-outstanding';
  const seed = String(config.seed);
  const slo: readonly SloObjective[] = config.slo ?? [];
  const drainLimitS = config.drainLimitS ?? Infinity;
  const limits = issueLimits(w, config.stopWhenBacklogged ?? true);
  const metrics = new MetricsCollector({
    clientOverheadS: sFromMs(prepared.deployment.calibration.values.client_overhead_ms),
    slo,
    recordRequests: config.recordRequests ?? false,
    maxRecords: config.maxRecords ?? 100_000,
  });
  const observer = new SimulationObserver(metrics, nReplicas);
  const disaggregation = config.disaggregation ? resolveDisaggregation(prepared, nReplicas, config.disaggregation) : undefined;

  // 2. workload: seeded request lengths, prefix-cache hits and arrival times (closed loop: streams of users)
  const streams = closedLoopStreams(w.arrival, Number.isFinite(limits.maxRequests) ? limits.maxRequests : Number.MAX_SAFE_INTEGER);
  const engine = createEngine({
    prepared,
    policy: BATCH_POLICIES[policyName],
    replicas: nReplicas,
    router: createRouter(routerName),
    limits,
    source: requestSource(prepared, w, seed, streams === undefined),
    observer,
    acceptanceStream: acceptanceStreams(prepared, config.disaggregation?.decode, seed),
    disaggregation,
  });

  // 3. kernel: schedule the first arrivals; from then on the serving handlers schedule every event
  startArrivals(engine, streams);
  // 4. drain: run until every issued request finished, or the drain limit after the last arrival
  runToCompletion(engine, drainLimitS);
  const every = allReplicas(engine);
  observer.sample(engine.sim.now, every);
  checkServedSomething(engine, prepared);

  // 5. summarize: judged at the last arrival (a process that never produced one is judged at the end)
  return summarize({
    prepared,
    seed,
    workload: w,
    replicas: nReplicas,
    policy: policyName,
    router: routerName,
    slo,
    requests: requestCounts(engine),
    metrics,
    series: observer.series,
    engineStats: observer.engineStats,
    steps: every.reduce((n: number, r: Replica) => n + r.steps, 0),
    preemptions: preemptionsOf(every),
    events: engine.sim.eventsProcessed,
    simulatedTimeS: engine.sim.now,
    closedLoop: streams !== undefined,
    evidence: streams !== undefined ? undefined : (observer.endEvidence ?? observer.evidence(engine, VERDICT_CONFIDENCE)),
    stoppedEarly: engine.stoppedEarly,
    drainLimitS,
    prefixCache: prepared.deployment.engine.prefixCache === undefined
      ? undefined
      : observer.prefixCache.report(prepared.deployment.engine.prefixCache, prefixCacheTotals(engine.replicas), prepared.deployment.engine.kvOffloadDiskBytes !== undefined),
    techniques: techniquesSummary(prepared, nReplicas, engine),
  });
}

/** speculative decoding: one seeded acceptance stream per replica (prefill pool, then decode pool) */
function acceptanceStreams(prepared: PreparedDeployment, decode: PreparedDeployment | undefined, seed: string): ((replica: number) => () => number) | undefined {
  if (!prepared.deployment.speculative && !decode?.deployment.speculative) return undefined;
  return (replica) => {
    const rng = createRng(seed, `acceptance/${replica}`);
    return () => rng.next();
  };
}

function checkedReplicas(n: number): number {
  if (!(Number.isInteger(n) && n >= 1 && n <= LIMITS.replicas))
    throw new InputError(
      `replicas (--replicas) must be a whole number from 1 to ${LIMITS.replicas}, found ${n}: the router weighs every replica for every ` +
        `request, so a bigger fleet is planned per replica (servesim plan --target-rate) rather than simulated whole`,
    );
  return n;
}

/** how many requests to issue, over what time, which of them count, and whether a backlog may stop the run */
function issueLimits(w: Workload, stopWhenBacklogged: boolean): IssueLimits {
  const timeLimited = w.maxSeconds !== undefined;
  // only a stationary process (a steady rate) can be judged part-way: a rate curve or a trace may pass a
  // peak and recover, and the run is asked to show exactly that
  const stationary = w.arrival.kind === 'poisson' || w.arrival.kind === 'constant' || w.arrival.kind === 'gamma';
  return {
    // a time-limited run still issues at most LIMITS.maxRequests requests (it says so when it stops there)
    requestCap: w.maxRequests ?? (timeLimited ? LIMITS.maxRequests : 1000),
    maxRequests: w.maxRequests ?? (timeLimited ? Infinity : 1000),
    maxSeconds: w.maxSeconds ?? Infinity,
    warmupFraction: w.warmupFraction ?? 0,
    cooldownFraction: w.cooldownFraction ?? 0,
    requestCapReason: `the limit of ${LIMITS.maxRequests} requests per run`,
    stopWhenBacklogged: stopWhenBacklogged && stationary,
    backlogStopReason: BACKLOG_STOP_REASON,
  };
}

/** a run that serves nothing has no latency to report: that is an impossible setup, not a result */
function checkServedSomething(s: EngineState, prepared: PreparedDeployment): void {
  const d = prepared.deployment;
  if (s.issued === 0)
    throw new InfeasibleError(
      'no request was issued: the arrival process produced no arrival within the limits (a rate curve of zeros, an empty trace, or max seconds before the first arrival)',
    );
  if (s.rejected === s.issued)
    throw new InfeasibleError(
      `nothing can be served: all ${s.issued} requests were rejected (${rejectReasonList(s.rejectReasons)})` +
        (s.rejectReasons[EMPTY_REQUEST] === s.issued
          ? ''
          : `; max_model_len is ${d.engine.maxModelLen} tokens and one replica holds ${prepared.memory.kvTokens} KV tokens: shorten the requests or raise those limits`),
    );
}

function requestCounts(s: EngineState): RunRecord<string, string>['requests'] {
  return {
    issued: s.issued,
    rejected: s.rejected,
    rejectReasons: s.rejectReasons,
    incomplete: s.inSystem,
    peakOutstanding: s.peakOutstanding,
    peakMaterialized: s.peakMaterialized,
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
