/**
 * planCapacity: per-replica capacity under an SLO (capacity.ts), then — for a target rate — the replicas,
 * GPUs, nodes and cost to carry it with headroom, verified by a multi-replica simulation through the router.
 */
import { calibrationProvenance } from '../cost/deployment.ts';
import type { PreparedDeployment } from '../cost/prepare.ts';
import type { SloMetric } from '../metrics/slo.ts';
import { InputError } from '../diagnostics/errors.ts';
import { formatSlo, type SloObjective } from '../metrics/slo.ts';
import type { RouterName } from '../serving/router.ts';
import type { Workload } from '../simulate.ts';
import { checkRate, findCapacity, type BindingConstraint, type CapacityInput, type CapacityResult, type RateCheck, type SearchOptions } from './capacity.ts';
import { commaList } from './comma-list.ts';
import { bandFor, bandsOf, interval80, probabilityAtMost } from '../metrics/uncertainty.ts';
import type { CalibrationBands } from '../schema/calibration.ts';
import { formatProbability, oddsAround, type SloProbability } from './slo-probability.ts';

export interface PlanInput {
  readonly deployment: PreparedDeployment;
  readonly shape: Omit<Workload, 'arrival' | 'maxRequests' | 'maxSeconds'>;
  readonly slo: readonly SloObjective[];
  readonly seed?: string | number;
  /** requests per second the fleet must carry */
  readonly targetRatePerS?: number;
  /** spare capacity on top of the target, as a fraction (default 0.2) */
  readonly headroom?: number;
  readonly router?: RouterName;
  /** $/GPU-hour; default: the hardware profile's price */
  readonly usdPerGpuHour?: number;
  readonly search?: SearchOptions;
  /** give up verification after this many replicas beyond the estimate (default: max(4, estimate)) */
  readonly maxExtraReplicas?: number;
  /** replicas simulated to verify a fleet (default VERIFY_SLICE_REPLICAS) */
  readonly verifySliceReplicas?: number;
  /**
   * probability in (0, 1) of meeting the SLO that the answer must reach, given the calibration's 80% bands
   * (--confidence); default undefined: the answer is the fewest replicas meeting the SLO on the point prediction
   */
  readonly confidence?: number;
  /**
   * probe the fleet at one replica fewer and one more for the P(meets SLO) table (default true); recommend,
   * which reads only the answer, turns it off: two fleet checks fewer per verified candidate
   */
  readonly oddsNeighbours?: boolean;
}

/**
 * A fleet of n replicas is verified on a slice of min(n, 8) replicas carrying their share of the target
 * (target × slice / n) through the same router. The cost is then flat in the target rate, and the slice
 * errs on the safe side: a smaller pool balances load worse (least-outstanding and least-kv have fewer
 * replicas to choose from; round-robin hands each replica a burstier stream; random splitting is exact).
 */
export const VERIFY_SLICE_REPLICAS = 8;

export interface LatencySummary {
  readonly ttftP50Ms: number;
  readonly ttftP99Ms: number;
  /** inter-token latency, per gap */
  readonly itlP50Ms: number;
  readonly itlP99Ms: number;
  /** time per output token, per request */
  readonly tpotP50Ms: number;
  readonly tpotP99Ms: number;
  readonly e2eP50Ms: number;
  readonly e2eP99Ms: number;
}

/** One objective of the SLO at one load: its value against its limit. */
export interface ObjectiveAtLoad {
  /** e.g. "E2E p99" */
  readonly objective: string;
  readonly metric: SloMetric;
  readonly valueMs: number;
  readonly limitMs: number;
  readonly met: boolean;
  /** 80% band of the value (calibration band and seed variance); absent without a band */
  readonly band80Ms?: readonly [number, number];
  /** probability that the real value is within the limit (slo-probability.ts); absent without a band */
  readonly probabilityMet?: number;
}

/** 80% bands of the latency summary's figures (the calibration's band of each statistic), milliseconds */
export type LatencyBands = Partial<Record<keyof LatencySummary, readonly [number, number]>>;

/** The objective that limits the rate: at capacity (within its limit) and where it breaks just above. */
export interface BindingObjective {
  readonly atCapacity: ObjectiveAtLoad;
  readonly breaks: { readonly ratePerS: number; readonly valueMs: number };
}

export interface PlanResult {
  readonly schemaVersion: 2;
  readonly deployment: {
    readonly model: string;
    readonly hardware: string;
    readonly tp: number;
    readonly pp: number;
    readonly weights: string;
    readonly kvCache: string;
    readonly engine: string;
    readonly gpusPerReplica: number;
    readonly label: string;
    /** the calibration id and how far to trust it (fitted, transferred, datasheet only, user file) */
    readonly calibration: string;
    readonly calibrationProvenance: string;
  };
  readonly slo: string;
  readonly seed: string;
  readonly feasible: boolean;
  /** set when infeasible: which objective fails and by how much at minimal load */
  readonly infeasibleReason: string | undefined;
  readonly capacity: {
    /** max sustainable req/s per replica meeting the SLO */
    readonly perReplicaRatePerS: number;
    /** lowest failing rate found by the search */
    readonly failingRatePerS: number;
    /** throughput-run saturation rate per replica (the compute ceiling) */
    readonly saturationRatePerS: number;
    readonly binding: BindingConstraint | undefined;
    readonly bindingExplanation: string;
    /** set when an objective of the SLO binds (not memory or compute) */
    readonly bindingObjective: BindingObjective | undefined;
    /** every objective at the capacity rate: value against limit */
    readonly objectives: readonly ObjectiveAtLoad[];
    readonly latencyAtCapacity: LatencySummary | undefined;
    /** 80% band of each latency figure at capacity, milliseconds */
    readonly latencyAtCapacityBand80Ms: LatencyBands | undefined;
    readonly checks: readonly { readonly ratePerS: number; readonly passed: boolean; readonly why: string }[];
  };
  readonly target:
    | {
        readonly ratePerS: number;
        readonly headroom: number;
        /** ceil(target × (1 + headroom) / per-replica capacity) */
        readonly estimatedReplicas: number;
        /** replicas after verification */
        readonly replicas: number;
        readonly gpus: number;
        readonly nodes: number;
        readonly verified: boolean;
        readonly verificationAddedReplicas: number;
        readonly verificationNote: string;
        readonly latency: LatencySummary;
        /** 80% band of each latency figure, milliseconds */
        readonly latencyBand80Ms: LatencyBands;
        /** every objective at the target load on the verified fleet */
        readonly objectives: readonly ObjectiveAtLoad[];
        readonly sloAttainment: number;
        readonly outputTokensPerS: number;
        readonly usdPerGpuHour: number | undefined;
        readonly usdPerHour: number | undefined;
        readonly usdPerMillionOutputTokens: number | undefined;
        /** fleet SLO capacity / target − 1 */
        readonly margin: number;
        /** target / fleet saturation throughput */
        readonly saturationUtilization: number;
        /** replicas simulated per verification and the rate they carried */
        readonly verificationSlice: { readonly replicas: number; readonly ratePerS: number };
        readonly verificationChecks: readonly { readonly replicas: number; readonly passed: boolean; readonly why: string }[];
        /** the probability of meeting every objective for replica counts around the answer (slo-probability.ts) */
        readonly sloProbability: SloProbability;
      }
    | undefined;
  readonly simulations: number;
  readonly notes: readonly string[];
}

export function latencyOf(c: RateCheck): LatencySummary {
  return {
    ttftP50Ms: c.ttft.p50 * 1e3,
    ttftP99Ms: c.ttft.p99 * 1e3,
    itlP50Ms: c.itl.p50 * 1e3,
    itlP99Ms: c.itl.p99 * 1e3,
    tpotP50Ms: c.tpot.p50 * 1e3,
    tpotP99Ms: c.tpot.p99 * 1e3,
    e2eP50Ms: c.e2e.p50 * 1e3,
    e2eP99Ms: c.e2e.p99 * 1e3,
  };
}

export function objectivesOf(c: RateCheck, bands?: CalibrationBands): ObjectiveAtLoad[] {
  return c.objectives.map((o) => {
    const base = { objective: o.objective, metric: o.metric, valueMs: o.valueS * 1e3, limitMs: o.thresholdS * 1e3, met: o.met };
    const band = bands ? bandFor(bands.byMetric, o.metric, o.percentile) : undefined;
    if (!band || !(o.valueS > 0 && Number.isFinite(o.valueS))) return base;
    const [lo, hi] = interval80(o.valueS * 1e3, band, o.seedSdLog);
    return { ...base, band80Ms: [lo, hi] as const, probabilityMet: probabilityAtMost(o.valueS, o.thresholdS, band, o.seedSdLog) };
  });
}

/** the 80% band of each figure of latencyOf(c) */
export function latencyBandsOf(c: RateCheck, bands: CalibrationBands | undefined): LatencyBands {
  if (!bands) return {};
  const out: Record<string, readonly [number, number]> = {};
  for (const [key, value] of Object.entries(latencyOf(c))) {
    const m = /^(ttft|itl|tpot|e2e)P(50|99)Ms$/.exec(key);
    const band = m ? bandFor(bands.byMetric, m[1] as SloMetric, Number(m[2]) / 100) : undefined;
    if (band && value > 0 && Number.isFinite(value)) out[key] = interval80(value, band);
  }
  return out as LatencyBands;
}

function bindingObjectiveOf(binding: BindingConstraint, atCapacity: RateCheck, failing: RateCheck | undefined): BindingObjective | undefined {
  if (binding === 'memory' || binding === 'compute' || !failing) return undefined;
  // the objective furthest over its limit, as bindingOf chose it
  let i = -1;
  failing.objectives.forEach((o, j) => {
    const w = failing.objectives[i];
    if (!o.met && (!w || o.valueS / o.thresholdS > w.valueS / w.thresholdS)) i = j;
  });
  const at = objectivesOf(atCapacity)[i];
  const broken = failing.objectives[i];
  return at && broken ? { atCapacity: at, breaks: { ratePerS: failing.ratePerS, valueMs: broken.valueS * 1e3 } } : undefined;
}

export function deploymentLabel(p: PreparedDeployment): string {
  const d = p.deployment;
  const parts = [`${d.model.id}@${d.hardware.id}`, `tp=${d.tp}`];
  if (d.pp > 1) parts.push(`pp=${d.pp}`);
  parts.push(`weights=${d.quantization.weights}`);
  if (d.quantization.kvCache !== 'bf16') parts.push(`kv=${d.quantization.kvCache}`);
  if (d.engine.family !== 'vllm') parts.push(`engine=${d.engine.family}`);
  return parts.join(':');
}

const fmtRate = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));

/** Nodes for `replicas` replicas of `gpr` GPUs each, a replica never split across nodes unless it must be. */
export function nodesFor(replicas: number, gpr: number, gpusPerNode: number): number {
  if (gpr > gpusPerNode) return replicas * Math.ceil(gpr / gpusPerNode);
  return Math.ceil(replicas / Math.floor(gpusPerNode / gpr));
}

/** Checks the plan's own inputs (the SLO, headroom and target); returns the headroom to plan with. */
function checkPlanInput(input: PlanInput): number {
  if (input.slo.length === 0)
    throw new InputError('planning needs an SLO: pass --slo (e.g. ttft:p99<=200ms,tpot:p99<=50ms) or a --workload preset that carries one (servesim presets)');
  const headroom = input.headroom ?? 0.2;
  if (!(headroom >= 0 && Number.isFinite(headroom))) throw new InputError(`--headroom must be >= 0, found ${headroom}`);
  if (input.targetRatePerS !== undefined && !(input.targetRatePerS > 0 && Number.isFinite(input.targetRatePerS)))
    throw new InputError(`--target-rate must be a positive number of requests/s, found ${input.targetRatePerS}`);
  return headroom;
}

function planDeployment(prepared: PreparedDeployment): PlanResult['deployment'] {
  const d = prepared.deployment;
  return {
    model: d.model.id,
    hardware: d.hardware.id,
    tp: d.tp,
    pp: d.pp,
    weights: d.quantization.weights,
    kvCache: d.quantization.kvCache,
    engine: d.engine.family,
    gpusPerReplica: d.gpusPerReplica,
    label: deploymentLabel(prepared),
    calibration: d.calibration.id,
    calibrationProvenance: calibrationProvenance(d),
  };
}

export function planCapacity(input: PlanInput): PlanResult {
  const headroom = checkPlanInput(input);
  const seed = String(input.seed ?? 42);
  const capIn: CapacityInput = { deployment: input.deployment, shape: input.shape, slo: input.slo, seed, ...(input.search ? { search: input.search } : {}) };
  const cap = findCapacity(capIn);
  const notes: string[] = [...input.deployment.deployment.notes];
  const head = { schemaVersion: 2 as const, deployment: planDeployment(input.deployment), slo: formatSlo(input.slo), seed };
  const checks = cap.checks.map((c) => ({ ratePerS: c.ratePerS, passed: c.passed, why: c.why }));
  if (!cap.feasible) {
    const capacity = {
      perReplicaRatePerS: 0,
      failingRatePerS: cap.minimalLoad.ratePerS,
      saturationRatePerS: cap.saturationRatePerS,
      binding: undefined,
      bindingExplanation: cap.reason,
      bindingObjective: undefined,
      objectives: objectivesOf(cap.minimalLoad),
      latencyAtCapacity: undefined,
      latencyAtCapacityBand80Ms: undefined,
      checks,
    };
    return { ...head, feasible: false, infeasibleReason: cap.reason, capacity, target: undefined, simulations: cap.simulations, notes };
  }
  const sized = input.targetRatePerS === undefined ? undefined : sizeFleet(input, capIn, cap, input.targetRatePerS, headroom, notes);
  const capacity = {
    perReplicaRatePerS: cap.ratePerS,
    failingRatePerS: cap.failingRatePerS,
    saturationRatePerS: cap.saturationRatePerS,
    binding: cap.binding,
    bindingExplanation: cap.bindingExplanation,
    bindingObjective: bindingObjectiveOf(cap.binding, cap.atCapacity, cap.failingCheck),
    objectives: objectivesOf(cap.atCapacity, bandsOf(input.deployment.deployment)),
    latencyAtCapacity: latencyOf(cap.atCapacity),
    latencyAtCapacityBand80Ms: latencyBandsOf(cap.atCapacity, bandsOf(input.deployment.deployment)),
    checks,
  };
  return { ...head, feasible: true, infeasibleReason: undefined, capacity, target: sized?.target, simulations: cap.simulations + (sized?.simulations ?? 0), notes };
}

type FeasibleCapacity = Extract<CapacityResult, { feasible: true }>;

/**
 * The fewest replicas that meet the SLO at the target: the estimate first; if it fails, gallop up (+1, +2,
 * +4 …) to a passing count, then bisect down to the fewest passing: O(log) checks however many are needed.
 */
function verifyFleet(estimate: number, maxExtra: number, verify: (n: number) => RateCheck): { replicas: number; last: RateCheck } {
  let replicas = estimate;
  let last = verify(estimate);
  if (last.passed) return { replicas, last };
  let lo = estimate; // highest failing
  let hi = -1;
  for (let step = 1; hi < 0; step *= 2) {
    const n = Math.min(estimate + maxExtra, lo + step);
    if (verify(n).passed) hi = n;
    else if (n === estimate + maxExtra) break;
    else lo = n;
  }
  if (hi > 0) {
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (verify(mid).passed) hi = mid;
      else lo = mid;
    }
    replicas = hi;
  } else replicas = estimate + maxExtra;
  last = verify(replicas);
  return { replicas, last };
}

interface Verification {
  readonly ratePerS: number;
  readonly estimate: number;
  readonly replicas: number;
  readonly slice: number;
  readonly last: RateCheck;
  readonly firstWhy: string;
  readonly router: RouterName | undefined;
}

function verificationNoteOf(v: Verification): string {
  const { ratePerS: R, estimate, replicas, slice, last } = v;
  const added = replicas - estimate;
  const sliceNote = slice < replicas ? ` (simulated on ${slice} of the ${replicas} replicas at ${fmtRate((R * slice) / replicas)} req/s)` : '';
  if (!last.passed) return `verification FAILED: ${replicas} replicas still miss the SLO at ${R} req/s${sliceNote} (${last.why})`;
  if (added > 0)
    return (
      `verification needed ${added} more replica${added === 1 ? '' : 's'} than the estimate (${estimate} → ${replicas}): ` +
      `at ${estimate} the fleet missed the SLO (${v.firstWhy})`
    );
  return `verified: ${replicas} replica${replicas === 1 ? '' : 's'} meet the SLO at ${R} req/s through the ${v.router ?? 'least-outstanding'} router${sliceNote}`;
}

/** Replicas, GPUs, nodes and cost for the target rate, verified by simulating a slice of the fleet. */
function sizeFleet(input: PlanInput, capIn: CapacityInput, cap: FeasibleCapacity, R: number, headroom: number, notes: string[]) {
  const d = input.deployment.deployment;
  const estimate = Math.max(1, Math.ceil((R * (1 + headroom)) / cap.ratePerS - 1e-9));
  const sliceMax = input.verifySliceReplicas ?? VERIFY_SLICE_REPLICAS;
  let simulations = 0;
  const vchecks: { replicas: number; passed: boolean; why: string }[] = [];
  const verdicts = new Map<number, RateCheck>();
  // probes for the odds (slo-probability.ts) share the cache but are not verification steps
  const probe = (n: number, record = false): RateCheck => {
    const known = verdicts.get(n);
    if (known) return known;
    const slice = Math.min(n, sliceMax);
    const { check, runs } = checkRate(capIn, (R * slice) / n, slice, input.router);
    simulations += runs.length;
    if (record) vchecks.push({ replicas: n, passed: check.passed, why: check.why });
    verdicts.set(n, check);
    return check;
  };
  const maxExtra = input.maxExtraReplicas ?? Math.max(4, estimate);
  const point = verifyFleet(estimate, maxExtra, (n) => probe(n, true));
  const slice0 = Math.min(point.replicas, sliceMax);
  const verificationNote = verificationNoteOf({ ...point, ratePerS: R, estimate, slice: slice0, firstWhy: vchecks[0]?.why ?? '', router: input.router });
  if (point.replicas > estimate || !point.last.passed) notes.push(verificationNote);
  const sloProbability = oddsAround(point.replicas, probe, bandsOf(d), input.confidence, estimate + maxExtra, input.oddsNeighbours ?? true);
  const replicas = sloProbability.replicasForConfidence ?? point.replicas;
  const last = probe(replicas);
  const slice = Math.min(replicas, sliceMax);
  if (input.confidence !== undefined) notes.push(confidenceNote(input.confidence, point.replicas, sloProbability));
  const price = input.usdPerGpuHour ?? d.hardware.price?.usdPerGpuHour;
  if (price === undefined) notes.push(`no price for ${d.hardware.id}: pass --price ${d.hardware.id}=USD_PER_GPU_HOUR for costs`);
  const gpus = replicas * d.gpusPerReplica;
  const usdPerHour = price !== undefined ? gpus * price : undefined;
  // the slice carries slice/replicas of the fleet's traffic
  const outTok = (last.outputTokensPerS * replicas) / slice;
  const target: NonNullable<PlanResult['target']> = {
    ratePerS: R,
    headroom,
    estimatedReplicas: estimate,
    replicas,
    gpus,
    nodes: nodesFor(replicas, d.gpusPerReplica, d.hardware.gpusPerNode),
    verified: last.passed,
    verificationAddedReplicas: replicas - estimate,
    verificationNote,
    latency: latencyOf(last),
    latencyBand80Ms: latencyBandsOf(last, bandsOf(d)),
    objectives: objectivesOf(last, bandsOf(d)),
    sloAttainment: last.sloAttainment,
    outputTokensPerS: outTok,
    usdPerGpuHour: price,
    usdPerHour,
    usdPerMillionOutputTokens: usdPerHour !== undefined && outTok > 0 ? (usdPerHour / (outTok * 3600)) * 1e6 : undefined,
    margin: (replicas * cap.ratePerS) / R - 1,
    saturationUtilization: R / (replicas * cap.saturationRatePerS),
    verificationSlice: { replicas: slice, ratePerS: (R * slice) / replicas },
    verificationChecks: vchecks,
    sloProbability,
  };
  return { target, simulations };
}

function confidenceNote(confidence: number, pointReplicas: number, odds: SloProbability): string {
  const c = formatProbability(confidence);
  const n = odds.replicasForConfidence;
  if (n === undefined) {
    const top = odds.byReplicas[odds.byReplicas.length - 1]!;
    return `confidence ${c}: no fleet up to ${top.replicas} replicas reaches it (${top.replicas}: ${formatProbability(top.probabilityMeetsSlo)}); the answer stays at ${pointReplicas}`;
  }
  return n === pointReplicas
    ? `confidence ${c}: ${n} replica${n === 1 ? '' : 's'} already meet the SLO with ${formatProbability(odds.byReplicas.find((r) => r.replicas === n)!.probabilityMeetsSlo)} probability`
    : `confidence ${c}: ${n} replicas instead of the point answer ${pointReplicas}, to meet the SLO with at least that probability`;
}

/** `--price h200-sxm=3.50,h100-sxm=2.2` → map; a bare number applies to every hardware. */
export function parsePrices(spec: string | string[] | undefined): { byHardware: Map<string, number>; all: number | undefined } {
  const byHardware = new Map<string, number>();
  let all: number | undefined;
  const items = commaList(spec);
  for (const item of items) {
    const m = /^(?:([\w.-]+)=)?\$?([0-9]*\.?[0-9]+)$/.exec(item);
    if (!m) throw new InputError(`--price: cannot read "${item}"; expected HARDWARE=USD_PER_GPU_HOUR, e.g. h200-sxm=3.50`);
    const v = Number(m[2]);
    if (!(v > 0)) throw new InputError(`--price: price must be positive in "${item}"`);
    if (m[1]) byHardware.set(m[1], v);
    else all = v;
  }
  return { byHardware, all };
}

/** "20%" → 0.2; "0.2" → 0.2; "20" → 0.2 (a number above 1 is read as a percentage). */
export function parseHeadroom(v: string | number | undefined): number {
  if (v === undefined) return 0.2;
  const s = String(v).trim();
  const pct = s.endsWith('%');
  const n = Number(pct ? s.slice(0, -1) : s);
  if (!Number.isFinite(n) || n < 0) throw new InputError(`--headroom: expected a percentage like 20% or a fraction like 0.2, found "${s}"`);
  return pct || n > 1 ? n / 100 : n;
}
