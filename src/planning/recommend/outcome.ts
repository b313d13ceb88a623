/**
 * From the evaluations to the answer: every candidate's status, reason and figures (cost applied here, from
 * price-free records), the front best-first by the criterion, the top-k, and the search's counts.
 */
import { fleetCost } from './cost.ts';
import { estimateReplicas, LATENCY_ERROR } from './evaluate.ts';
import { dominates, type Objectives } from './pareto.ts';
import type { Pruned, Survivor } from './prune.ts';
import type { CandidateOutcome, Criterion, RecommendResult, ScreenedFigures, VerifiedFigures } from './result.ts';
import type { RecommendOptions } from './search.ts';
import type { Candidate, ScreenRecord, VerifyRecord } from './types.ts';

/** What the search stages found, keyed by candidate label (or index where noted). */
export interface Evaluated {
  readonly screens: Map<string, ScreenRecord>;
  readonly verified: Map<string, VerifyRecord>;
  /** verified, but out: infeasible or beyond the inventory */
  readonly verifyReasons: Map<string, string>;
  /** verified objectives of feasible candidates, and whether they are in the priced group */
  readonly objectives: Map<string, { readonly v: Objectives; readonly priced: boolean }>;
  /** candidate indices on the front */
  readonly front: Set<number>;
  /** candidate index → label of the verified candidate that dominates it */
  readonly screenedOutBy: Map<number, string>;
  rounds: number;
}

const FITTED = new Set(['fitted', 'user file']);
const pct = (x: number) => `${Math.round(x * 100)}%`;

function screenedFigures(s: Survivor, r: ScreenRecord | undefined, o: RecommendOptions): ScreenedFigures | null {
  if (!r?.feasible) return null;
  const replicas = estimateReplicas(o.settings, r.perReplicaRatePerS);
  const cost = fleetCost(replicas, s.gpusPerReplica, r.perReplicaRatePerS, o.settings.headroom, s.usdPerGpuHour, o.rateCurve);
  const { ttftP99Ms, itlP99Ms, tpotP99Ms, tokensPerSPerUser } = r;
  return { perReplicaRatePerS: r.perReplicaRatePerS, replicas, usdPerHour: cost.usdPerHour ?? null, ttftP99Ms, itlP99Ms, tpotP99Ms, tokensPerSPerUser };
}

function verifiedFigures(s: Survivor, r: VerifyRecord | undefined, o: RecommendOptions): VerifiedFigures | null {
  if (!r?.feasible) return null;
  const cost = fleetCost(r.replicas, r.gpusPerReplica, r.perReplicaRatePerS, o.settings.headroom, s.usdPerGpuHour, o.rateCurve);
  const l = r.latency;
  const band = (w: number | undefined) => (w === undefined ? null : Math.expm1(w));
  return {
    perReplicaRatePerS: r.perReplicaRatePerS,
    saturationRatePerS: r.saturationRatePerS,
    binding: r.binding,
    estimatedReplicas: r.estimatedReplicas,
    replicas: r.replicas,
    gpus: cost.gpus,
    nodes: r.nodes,
    usdPerHour: cost.usdPerHour ?? null,
    usdPerDay: cost.usdPerDay ?? null,
    usdPerMillionOutputTokens: cost.usdPerHour !== undefined && r.outputTokensPerS > 0 ? (cost.usdPerHour / (r.outputTokensPerS * 3600)) * 1e6 : null,
    outputTokensPerS: r.outputTokensPerS,
    ttftP50Ms: l.ttftP50Ms,
    ttftP99Ms: l.ttftP99Ms,
    itlP99Ms: l.itlP99Ms,
    tpotP50Ms: l.tpotP50Ms,
    tpotP99Ms: l.tpotP99Ms,
    e2eP99Ms: l.e2eP99Ms,
    tokensPerSPerUser: r.tokensPerSPerUser,
    band80: r.band80 && (r.band80.ttft !== undefined || r.band80.tpot !== undefined) ? { ttft: band(r.band80.ttft), tpot: band(r.band80.tpot) } : null,
  };
}

function fateOf(s: Survivor, ev: Evaluated, o: RecommendOptions): Pick<CandidateOutcome, 'status' | 'stage' | 'reason'> {
  const c = s.candidate;
  if (ev.front.has(c.index)) return { status: 'front', stage: 'verification', reason: '' };
  const why = ev.verifyReasons.get(c.label);
  if (why !== undefined) return { status: 'infeasible', stage: 'verification', reason: why };
  const mine = ev.objectives.get(c.label);
  if (mine) {
    const by = [...ev.objectives.entries()].find(([, x]) => x.priced === mine.priced && dominates(x.v, mine.v));
    return { status: 'verified', stage: 'verification', reason: by ? `dominated by ${by[0]}` : 'dominated' };
  }
  const by = ev.screenedOutBy.get(c.index);
  if (by !== undefined) return { status: 'screened-out', stage: 'screening', reason: `dominated by ${by} (verified) even if screening erred by ${pct(o.screenMargin)} on cost and ${pct(LATENCY_ERROR)} on latency (never below its proven floors)` };
  const r = ev.screens.get(c.label);
  return { status: 'infeasible', stage: 'screening', reason: r && !r.feasible ? r.reason : 'not evaluated' };
}

function outcomeOf(c: Candidate, base: Pick<CandidateOutcome, 'status' | 'stage' | 'reason' | 'calibration' | 'calibrationProvenance' | 'usdPerGpuHour' | 'screening' | 'verified'>): CandidateOutcome {
  const { label, ...rest } = c;
  return { ...rest, candidate: label, ...base, calibrated: base.calibrationProvenance !== null && FITTED.has(base.calibrationProvenance) };
}

export function criterionValue(c: CandidateOutcome, criterion: Criterion): number {
  const v = c.verified;
  if (!v) return Infinity;
  const pick: Record<Criterion, number | null> = {
    cost: v.usdPerDay ?? v.usdPerHour ?? v.gpus,
    'usd-per-mtok': v.usdPerMillionOutputTokens,
    gpus: v.gpus,
    ttft: v.ttftP99Ms,
    itl: v.itlP99Ms,
    tpot: v.tpotP99Ms,
    'tokens-per-user': -v.tokensPerSPerUser,
  };
  return pick[criterion] ?? Infinity;
}

const byCriterion = (criterion: Criterion) => (a: CandidateOutcome, b: CandidateOutcome) =>
  criterionValue(a, criterion) - criterionValue(b, criterion) || a.index - b.index;

export interface AssembleInput {
  readonly options: RecommendOptions;
  readonly spaceSize: number;
  readonly candidates: readonly Candidate[];
  readonly survivors: readonly Survivor[];
  readonly pruned: readonly Pruned[];
  readonly evaluated: Evaluated;
  readonly shard: string | null;
}

function outcomes(a: AssembleInput): CandidateOutcome[] {
  const o = a.options;
  const byIndex = new Map<number, CandidateOutcome>();
  for (const p of a.pruned)
    byIndex.set(p.candidate.index, outcomeOf(p.candidate, { status: 'pruned', stage: 'bounds', reason: p.reason, calibration: p.calibration ?? null, calibrationProvenance: p.calibrationProvenance ?? null, usdPerGpuHour: o.market.usdPerGpuHour(p.candidate.hardware) ?? null, screening: null, verified: null }));
  for (const s of a.survivors) {
    const ev = a.evaluated;
    const cal = { calibration: s.calibration, calibrationProvenance: s.calibrationProvenance, usdPerGpuHour: s.usdPerGpuHour ?? null };
    byIndex.set(s.candidate.index, outcomeOf(s.candidate, { ...fateOf(s, ev, o), ...cal, screening: screenedFigures(s, ev.screens.get(s.candidate.label), o), verified: verifiedFigures(s, ev.verified.get(s.candidate.label), o) }));
  }
  return a.candidates.map((c) => byIndex.get(c.index)!);
}

export function assembleResult(a: AssembleInput): RecommendResult {
  const o = a.options;
  const all = outcomes(a);
  const ev = a.evaluated;
  const count = (st: CandidateOutcome['status']) => all.filter((c) => c.status === st).length;
  const front = all.filter((c) => c.status === 'front');
  const sort = byCriterion(o.criterion);
  const priced = (c: CandidateOutcome) => c.usdPerGpuHour !== null;
  const verifiedOk = all.filter((c) => c.verified !== null && (c.status === 'front' || c.status === 'verified'));
  const sims = [...ev.screens.values(), ...ev.verified.values()].reduce((s, r) => s + r.simulations, 0);
  return {
    schemaVersion: 1,
    kind: 'recommend',
    workload: o.workloadLabel,
    slo: o.sloText,
    targetRatePerS: o.settings.targetRatePerS,
    headroom: o.settings.headroom,
    rateCurve: o.rateCurve ? { ratesPerS: o.rateCurve.ratesPerS, source: o.rateCurve.source } : null,
    criterion: o.criterion,
    shard: a.shard,
    search: {
      spaceSize: a.spaceSize,
      candidates: all.length,
      pruned: a.pruned.length,
      screened: ev.screens.size,
      verified: ev.verified.size,
      screenedOut: count('screened-out'),
      infeasible: count('infeasible'),
      pruningRate: all.length > 0 ? a.pruned.length / all.length : 0,
      screenMargin: o.screenMargin,
      selectionRounds: ev.rounds,
      simulations: sims,
    },
    front: front.filter(priced).sort(sort),
    unpricedFront: front.filter((c) => !priced(c)).sort(byCriterion(o.criterion === 'cost' || o.criterion === 'usd-per-mtok' ? 'gpus' : o.criterion)),
    top: verifiedOk.filter(priced).sort(sort).slice(0, o.top),
    candidates: all,
    notes: notesOf(all, front),
  };
}

function notesOf(all: readonly CandidateOutcome[], front: readonly CandidateOutcome[]): string[] {
  const notes: string[] = [];
  const uncalibrated = front.filter((c) => !c.calibrated);
  if (uncalibrated.length > 0)
    notes.push(`${uncalibrated.length} of ${front.length} front candidates rest on a calibration not fitted for their GPU × engine (transferred or datasheet only; marked †): expect errors of 20–30%`);
  const unpricedHw = [...new Set(all.filter((c) => c.usdPerGpuHour === null && c.status !== 'pruned').map((c) => c.hardware))];
  for (const h of unpricedHw) notes.push(`no price for ${h}: ranked apart (unpriced front, by GPUs); pass --price ${h}=USD_PER_GPU_HOUR to rank it by cost`);
  return notes;
}
