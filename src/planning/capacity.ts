/**
 * Per-replica capacity under an SLO: the highest Poisson request rate one replica sustains while every
 * percentile objective is met and the queue does not grow.
 *
 *   1. minimal load   a synchronous run (one request at a time). If it misses an objective, no rate can
 *                     meet the SLO: the deployment is infeasible for it, and we say which objective, by how much.
 *   2. upper bound    a throughput run (all requests at once) gives the achieved saturation rate: the
 *                     roofline-limited ceiling. No rate above it can be sustained, so the search never runs away.
 *   3. bracketing     start at half the ceiling; halve on failure until a rate passes (or we fall below the
 *                     minimal load), otherwise step up towards the ceiling until one fails. (A screening search
 *                     may check near the ceiling first: `nearCeilingFirstBelow`, the same answer.)
 *   4. bisection      between the highest passing and the lowest failing rate, until the bracket is within
 *                     `tolerance` (relative) or `maxIterations` checks are spent.
 *
 * Every check runs `seeds` independent seeds with enough requests to span `spanS` simulated seconds (at
 * least `minRequests`), and passes only if every seed passes, so p99 values are not luck of one draw.
 */
import type { PreparedDeployment } from '../cost/prepare.ts';
import { isBacklogged } from '../metrics/saturation.ts';
import { formatStatistic, type SloMetric, type SloObjective } from '../metrics/slo.ts';
import type { DisaggregationConfig } from '../serving/disaggregation.ts';
import type { RouterName } from '../serving/router.ts';
import { simulate, type SimulationResult, type Workload } from '../simulate.ts';
import { msFromS } from '../units.ts';
import { expectedTurns, type SessionSpec } from '../workload/sessions.ts';

export interface SearchOptions {
  /** independent seeds per check (default 2) */
  readonly seeds?: number;
  /** requests per run: at least this many (default 1500) */
  readonly minRequests?: number;
  /** ... and enough to span this many simulated seconds at the tested rate (default 40) */
  readonly spanS?: number;
  /** ... but at most this many (default 4000) */
  readonly maxRequests?: number;
  /** stop bisecting when (hi − lo)/hi is below this (default 0.03) */
  readonly tolerance?: number;
  /** at most this many rate checks after the two bounds (default 10) */
  readonly maxIterations?: number;
  /** requests in the minimal-load (synchronous) run (default 200; a cheap screening search uses fewer) */
  readonly syncRequests?: number;
  /** requests in the ceiling (throughput) run, at least minRequests (default 1000) */
  readonly ceilingRequests?: number;
  /**
   * When every objective at minimal load is at most this share of its limit, check the near-ceiling rate
   * first (default 0: never; plan's search always starts at half the ceiling). It only reorders the checks:
   * if the SLO holds near the ceiling the search ends there, as it would have after passing at half the
   * ceiling; if not, the check is the one it would have made next, and the search goes on as before. The
   * answer differs only if the SLO held near the ceiling but not at half of it. Screening uses it (recommend).
   */
  readonly nearCeilingFirstBelow?: number;
  /**
   * The rate this search's throughput run achieves, when already known (recommend: screening ran the very
   * same run — deployment, seed, request count): it is not run again (default 0: unknown, run it). The search
   * and its answer are the same; the run is not counted in `simulations`.
   */
  readonly throughputRunRatePerS?: number;
}

export const DEFAULT_SEARCH: Required<SearchOptions> = {
  seeds: 2,
  minRequests: 1500,
  spanS: 40,
  maxRequests: 4000,
  tolerance: 0.03,
  maxIterations: 10,
  syncRequests: 200,
  ceilingRequests: 1000,
  nearCeilingFirstBelow: 0,
  throughputRunRatePerS: 0,
};

/** the highest rate the search tries, as a share of the saturation ceiling */
export const NEAR_CEILING = 0.95;

export type ObjectiveName = SloMetric;
export type BindingConstraint = ObjectiveName | 'memory' | 'compute';

export interface ObjectiveValue {
  readonly objective: string;
  readonly metric: ObjectiveName;
  readonly percentile: number | 'mean';
  /** seed variance: standard deviation of log(value) over the check's seeds */
  readonly seedSdLog: number;
  /** worst value over seeds, seconds */
  readonly valueS: number;
  readonly thresholdS: number;
  readonly met: boolean;
}

/** One SLO check at one rate (all seeds). */
export interface RateCheck {
  readonly ratePerS: number;
  readonly replicas: number;
  readonly passed: boolean;
  readonly requests: number;
  readonly objectives: readonly ObjectiveValue[];
  readonly backlogged: boolean;
  readonly incomplete: number;
  readonly preemptions: number;
  readonly peakKvUtilization: number;
  /** worst over seeds, seconds */
  readonly ttft: { readonly p50: number; readonly p99: number };
  /** per-gap inter-token latency */
  readonly itl: { readonly p50: number; readonly p99: number };
  /** per-request time per output token */
  readonly tpot: { readonly p50: number; readonly p99: number };
  readonly e2e: { readonly p50: number; readonly p99: number };
  /** mean over seeds */
  readonly achievedRatePerS: number;
  readonly outputTokensPerS: number;
  readonly sloAttainment: number;
  readonly why: string;
}

export interface CapacityInput {
  readonly deployment: PreparedDeployment;
  /** the workload without its arrival process (lengths etc.); max-requests is chosen by the search */
  readonly shape: Omit<Workload, 'arrival' | 'maxRequests' | 'maxSeconds'>;
  readonly slo: readonly SloObjective[];
  readonly seed: string | number;
  readonly search?: SearchOptions;
  /** prefill/decode disaggregation: `deployment` is then the prefill pool and the checks run whole xPyD units */
  readonly disaggregation?: DisaggregationConfig;
  /** replicas every check runs (default 1; a P/D unit's prefill instances) */
  readonly replicas?: number;
}

export type CapacityResult =
  | {
      readonly feasible: true;
      /** highest passing rate per replica, req/s */
      readonly ratePerS: number;
      /** lowest failing rate found (or the saturation ceiling), req/s */
      readonly failingRatePerS: number;
      /** throughput-run achieved rate: the compute ceiling, req/s */
      readonly saturationRatePerS: number;
      /** what the throughput run itself achieved (saturationRatePerS may be the synchronous rate when higher) */
      readonly throughputRunRatePerS: number;
      readonly binding: BindingConstraint;
      readonly bindingExplanation: string;
      readonly atCapacity: RateCheck;
      /** the lowest failing check (undefined when the SLO held up to the ceiling) */
      readonly failingCheck: RateCheck | undefined;
      readonly checks: readonly RateCheck[];
      readonly simulations: number;
    }
  | {
      readonly feasible: false;
      readonly reason: string;
      readonly minimalLoad: RateCheck;
      readonly saturationRatePerS: number;
      readonly throughputRunRatePerS: number;
      readonly checks: readonly RateCheck[];
      readonly simulations: number;
    };

export function seedList(seed: string | number, n: number): string[] {
  const s = String(seed);
  return Array.from({ length: Math.max(1, n) }, (_, i) => (i === 0 ? s : `${s}#${i + 1}`));
}

export function requestsFor(ratePerS: number, o: Required<SearchOptions>): number {
  return Math.min(o.maxRequests, Math.max(o.minRequests, Math.ceil(ratePerS * o.spanS)));
}

const METRIC_LABEL: Record<ObjectiveName, string> = { ttft: 'TTFT', itl: 'ITL', tpot: 'TPOT', e2e: 'E2E', queue: 'queue time' };

export function objectiveLabel(o: { metric: SloMetric; percentile: number | 'mean' }): string {
  return `${METRIC_LABEL[o.metric]} ${formatStatistic(o.percentile)}`;
}

const ms = (s: number) => `${msFromS(s).toFixed(msFromS(s) >= 100 ? 0 : 1)} ms`;

/** Aggregate the runs of one check (worst value over seeds for every objective). */
/** sample standard deviation of log(value) over seeds (0 for one seed or a non-finite value) */
function logSpread(values: readonly number[]): number {
  if (values.length < 2 || values.some((v) => !(v > 0 && Number.isFinite(v)))) return 0;
  const logs = values.map(Math.log);
  const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
  return Math.sqrt(logs.reduce((a, x) => a + (x - mean) ** 2, 0) / (logs.length - 1));
}

export function summarizeRuns(runs: readonly SimulationResult[], ratePerS: number, replicas: number, slo: readonly SloObjective[]): RateCheck {
  const worst = (f: (r: SimulationResult) => number) => Math.max(...runs.map(f));
  const mean = (f: (r: SimulationResult) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
  const objectives: ObjectiveValue[] = slo.map((o, i) => {
    const valueS = worst((r) => r.slo?.checks[i]?.valueS ?? Infinity);
    const seedSdLog = logSpread(runs.map((r) => r.slo?.checks[i]?.valueS ?? Infinity));
    return { objective: objectiveLabel(o), metric: o.metric, percentile: o.percentile, valueS, thresholdS: o.thresholdS, met: valueS <= o.thresholdS, seedSdLog };
  });
  const backlogged = runs.some((r) => isBacklogged(r.saturation));
  const incomplete = runs.reduce((s, r) => s + r.requests.incomplete, 0);
  const counted = runs.every((r) => r.requests.counted > 0);
  const passed = counted && !backlogged && incomplete === 0 && objectives.every((o) => o.met);
  const failed = objectives.filter((o) => !o.met).map((o) => `${o.objective} ${ms(o.valueS)} > ${ms(o.thresholdS)}`);
  const firstBacklog = runs.find((r) => isBacklogged(r.saturation));
  if (firstBacklog) failed.push(`queue backlogged (offered load above capacity): ${firstBacklog.saturation.reason}`);
  if (incomplete > 0) failed.push(`${incomplete} requests unfinished`);
  if (!counted) failed.push('no request completed');
  return {
    ratePerS,
    replicas,
    passed,
    requests: runs[0]?.requests.issued ?? 0,
    objectives,
    backlogged,
    incomplete,
    preemptions: runs.reduce((s, r) => s + r.engine.preemptions, 0),
    peakKvUtilization: worst((r) => r.engine.peakKvUtilization),
    ttft: { p50: worst((r) => r.latencyS.ttft.median), p99: worst((r) => r.latencyS.ttft.p99) },
    itl: { p50: worst((r) => r.latencyS.itl.median), p99: worst((r) => r.latencyS.itl.p99) },
    tpot: { p50: worst((r) => r.latencyS.tpot.median), p99: worst((r) => r.latencyS.tpot.p99) },
    e2e: { p50: worst((r) => r.latencyS.e2e.median), p99: worst((r) => r.latencyS.e2e.p99) },
    achievedRatePerS: mean((r) => r.throughput.requestsPerS),
    outputTokensPerS: mean((r) => r.throughput.outputTokensPerS),
    sloAttainment: Math.min(...runs.map((r) => r.slo?.attainment ?? 1)),
    why: passed ? 'every objective met, queue stable' : failed.join('; '),
  };
}

/**
 * Run one SLO check: Poisson arrivals at `ratePerS` over `replicas` replicas, every seed. The run is sized
 * per replica (requestsFor the per-replica rate, times the replicas) so each replica sees the same span of
 * simulated time whatever the fleet: a fleet run sized for one replica would end while it still ramps up.
 */
export function checkRate(
  input: CapacityInput,
  ratePerS: number,
  replicas = 1,
  router?: RouterName,
): { check: RateCheck; runs: SimulationResult[] } {
  const o = { ...DEFAULT_SEARCH, ...input.search };
  const maxRequests = requestsFor(ratePerS / replicas, o) * replicas;
  const runs = seedList(input.seed, o.seeds).map((seed) =>
    simulate({
      deployment: input.deployment,
      seed,
      replicas,
      ...(router ? { router } : {}),
      ...(input.disaggregation ? { disaggregation: input.disaggregation } : {}),
      slo: input.slo,
      workload:
        input.shape.sessions === undefined
          ? { warmupFraction: 0.1, ...input.shape, arrival: { kind: 'poisson', ratePerS }, maxRequests }
          : sessionCheckWorkload(input.shape, input.shape.sessions, ratePerS, o.spanS),
    }),
  );
  return { check: summarizeRuns(runs, ratePerS, replicas, input.slo), runs };
}

/** Which constraint makes this failing check fail: memory pressure first, then the objective furthest over. */
export function bindingOf(check: RateCheck, atCeiling: boolean): { binding: BindingConstraint; explanation: string } {
  if (atCeiling)
    return { binding: 'compute', explanation: 'the SLO still holds at the saturation throughput: compute (the roofline) limits the rate' };
  if (check.preemptions > 0)
    return {
      binding: 'memory',
      explanation: `KV cache full just above capacity: ${check.preemptions} preemptions at ${check.ratePerS.toFixed(2)} req/s (peak KV ${(check.peakKvUtilization * 100).toFixed(0)}%)`,
    };
  let worst: ObjectiveValue | undefined;
  for (const o of check.objectives) if (!o.met && (!worst || o.valueS / o.thresholdS > worst.valueS / worst.thresholdS)) worst = o;
  if (worst)
    return {
      binding: worst.metric,
      explanation: `${worst.objective} is the first objective to break: ${ms(worst.valueS)} > ${ms(worst.thresholdS)} at ${check.ratePerS.toFixed(2)} req/s`,
    };
  return { binding: 'compute', explanation: `the queue backlogs at ${check.ratePerS.toFixed(2)} req/s before any objective breaks: compute limits the rate` };
}

/** The search's running state: every check made, the simulations run, the iterations used. */
interface SearchState {
  readonly input: CapacityInput;
  readonly options: Required<SearchOptions>;
  readonly checks: RateCheck[];
  simulations: number;
  iterations: number;
}

function runAt(state: SearchState, ratePerS: number): RateCheck {
  state.iterations++;
  const { check, runs } = checkRate(state.input, ratePerS, state.input.replicas ?? 1);
  state.simulations += runs.length;
  state.checks.push(check);
  return check;
}

/** 1. minimal load (one request at a time) and 2. the ceiling (everything at once). */
function minimalAndCeiling(state: SearchState, seeds: readonly string[]): { minimal: RateCheck; syncRate: number; ceiling: number; thrRate: number } {
  const { input, options: o } = state;
  const syncRuns = seeds.map((seed) =>
    simulate({
      deployment: input.deployment,
      seed,
      ...(input.replicas !== undefined ? { replicas: input.replicas } : {}),
      slo: input.slo,
      ...(input.disaggregation ? { disaggregation: input.disaggregation } : {}),
      workload: { ...input.shape, arrival: { kind: 'synchronous' }, maxRequests: o.syncRequests },
    }),
  );
  state.simulations += syncRuns.length;
  // rates are of arrivals: requests, or sessions of several turns for a multi-turn workload
  const perArrival = requestsPerArrival(input.shape);
  const syncRate = syncRuns.reduce((s, r) => s + r.throughput.requestsPerS, 0) / syncRuns.length / perArrival;
  const minimal = summarizeRuns(syncRuns, syncRate, 1, input.slo);
  // sessions: no think time in the throughput run, so it measures the engine rather than idle users
  const shape = input.shape.sessions === undefined ? input.shape : { ...input.shape, sessions: { ...input.shape.sessions, thinkTimeMeanS: 0 } };
  let thrRate = o.throughputRunRatePerS;
  if (!(thrRate > 0)) {
    const thr = simulate({
      deployment: input.deployment,
      seed: seeds[0]!,
      ...(input.replicas !== undefined ? { replicas: input.replicas } : {}),
      ...(input.disaggregation ? { disaggregation: input.disaggregation } : {}),
      workload: { ...shape, arrival: { kind: 'throughput' }, maxRequests: Math.max(o.minRequests, o.ceilingRequests) },
    });
    state.simulations++;
    thrRate = thr.throughput.requestsPerS;
  }
  return { minimal, syncRate, ceiling: Math.max(thrRate / perArrival, syncRate), thrRate };
}

/**
 * A check of multi-turn sessions arriving at `ratePerS` sessions/s: the load builds up over a session's
 * lifetime (its turns and think times), so the run lasts three lifetimes (at least `spanS`) and the first
 * third, the ramp, is not counted.
 */
function sessionCheckWorkload(shape: CapacityInput['shape'], sessions: SessionSpec, ratePerS: number, spanS: number): Workload {
  const lifetimeS = expectedTurns(sessions) * sessions.thinkTimeMeanS;
  return { warmupFraction: 1 / 3, ...shape, arrival: { kind: 'poisson', ratePerS }, maxSeconds: Math.max(spanS, 3 * lifetimeS) };
}

/** requests one open-loop arrival brings: a multi-turn session's expected turns (workload/sessions.ts), else 1 */
function requestsPerArrival(shape: CapacityInput['shape']): number {
  return shape.sessions === undefined ? 1 : expectedTurns(shape.sessions);
}

export function minimalLoadReason(minimal: RateCheck): string {
  const failing = minimal.objectives.filter((x) => !x.met);
  return failing.length > 0
    ? `cannot meet the SLO even at minimal load (one request at a time): ` +
        failing.map((x) => `${x.objective} is ${ms(x.valueS)} against a threshold of ${ms(x.thresholdS)}`).join('; ')
    : `cannot meet the SLO even at minimal load: ${minimal.why}`;
}

interface Bracket {
  lo: RateCheck | undefined;
  hiRate: number;
  hiCheck: RateCheck | undefined;
  /** the last failing rate, kept for the "fails even at a trickle" message */
  lastFailing: RateCheck | undefined;
}

/**
 * The near-ceiling check made first (nearCeilingFirstBelow): passing, it is the answer's `lo`; failing, it is
 * kept as the check refine makes after a pass at half the ceiling, and counted as an iteration only then, so
 * every later check, and the answer, are those of the usual order.
 */
function nearCeilingFirst(state: SearchState, ceiling: number): { passed: RateCheck } | { failed: RateCheck } | undefined {
  if (state.iterations >= state.options.maxIterations) return undefined;
  const c = runAt(state, ceiling * NEAR_CEILING);
  if (c.passed) return { passed: c };
  state.iterations--;
  return { failed: c };
}

/** whether every objective at minimal load is within `share` of its limit */
function clearlyWithin(minimal: RateCheck, share: number): boolean {
  return share > 0 && minimal.objectives.every((o) => o.valueS <= share * o.thresholdS);
}

/** 3. bracketing: halve from half the ceiling to a passing `lo`; the failing rates above it are `hi`. */
function bracket(state: SearchState, ceiling: number, syncRate: number, early: { failed: RateCheck } | undefined): Bracket {
  const b: Bracket = { lo: undefined, hiRate: ceiling, hiCheck: undefined, lastFailing: undefined };
  let r = ceiling * 0.5;
  while (state.iterations < state.options.maxIterations) {
    const c = runAt(state, r);
    if (c.passed) {
      b.lo = c;
      if (early && !b.hiCheck && state.iterations < state.options.maxIterations) {
        // passing at half the ceiling: the near-ceiling check made first is refine's next, counted now
        state.iterations++;
        b.hiRate = early.failed.ratePerS;
        b.hiCheck = early.failed;
      }
      break;
    }
    b.hiRate = r;
    b.hiCheck = c;
    b.lastFailing = c;
    if (r <= syncRate * 0.5) break;
    r = Math.max(r * 0.5, syncRate * 0.5);
  }
  return b;
}

/** Passing at half the ceiling: probe near the ceiling, then 4. bisect between passing and failing. */
function refine(state: SearchState, b: Bracket & { lo: RateCheck }, ceiling: number): void {
  if (!b.hiCheck && b.lo.ratePerS < ceiling * NEAR_CEILING && state.iterations < state.options.maxIterations) {
    const c = runAt(state, ceiling * NEAR_CEILING);
    if (c.passed) b.lo = c;
    else {
      b.hiRate = c.ratePerS;
      b.hiCheck = c;
    }
  }
  while (b.hiCheck && state.iterations < state.options.maxIterations && (b.hiRate - b.lo.ratePerS) / b.hiRate > state.options.tolerance) {
    const mid = (b.lo.ratePerS + b.hiRate) / 2;
    const c = runAt(state, mid);
    if (c.passed) b.lo = c;
    else {
      b.hiRate = mid;
      b.hiCheck = c;
    }
  }
}

export function findCapacity(input: CapacityInput): CapacityResult {
  const state: SearchState = { input, options: { ...DEFAULT_SEARCH, ...input.search }, checks: [], simulations: 0, iterations: 0 };
  const { minimal, syncRate, ceiling, thrRate } = minimalAndCeiling(state, seedList(input.seed, state.options.seeds));
  const infeasible = (reason: string): CapacityResult => ({
    feasible: false,
    reason,
    minimalLoad: minimal,
    saturationRatePerS: ceiling,
    throughputRunRatePerS: thrRate,
    checks: state.checks,
    simulations: state.simulations,
  });
  if (!minimal.passed) return infeasible(minimalLoadReason(minimal));
  const early = clearlyWithin(minimal, state.options.nearCeilingFirstBelow) ? nearCeilingFirst(state, ceiling) : undefined;
  const b: Bracket =
    early && 'passed' in early
      ? { lo: early.passed, hiRate: ceiling, hiCheck: undefined, lastFailing: undefined }
      : bracket(state, ceiling, syncRate, early);
  const lo = b.lo;
  // even a trickle of Poisson traffic fails: bursts break the SLO the synchronous run met
  if (!lo) return infeasible(`meets the SLO one request at a time but not under Poisson arrivals even at ${b.lastFailing!.ratePerS.toFixed(3)} req/s: ${b.lastFailing!.why}`);
  const found = { ...b, lo };
  refine(state, found, ceiling);
  const { binding, explanation } = found.hiCheck ? bindingOf(found.hiCheck, false) : bindingOf(found.lo, true);
  return {
    feasible: true,
    ratePerS: found.lo.ratePerS,
    failingRatePerS: found.hiRate,
    saturationRatePerS: ceiling,
    throughputRunRatePerS: thrRate,
    binding,
    bindingExplanation: explanation,
    atCapacity: found.lo,
    failingCheck: found.hiCheck,
    checks: state.checks,
    simulations: state.simulations,
  };
}
