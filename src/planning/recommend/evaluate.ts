/**
 * Evaluate one candidate, price-free (cost is applied afterwards, so a change of --price reuses every
 * simulation): a cheap screening search, or the verified evaluation — plan's capacity search and fleet
 * verification at the target, the very `planCapacity` of `servesim plan`. Pure: same candidate and
 * settings, same record, on any thread.
 */
import { InfeasibleError } from '../../diagnostics/errors.ts';
import type { PreparedDeployment } from '../../cost/prepare.ts';
import { checkRate, DEFAULT_SEARCH, findCapacity, type RateCheck, type SearchOptions } from '../capacity.ts';
import type { DeploymentResolver } from '../deployment-resolver.ts';
import { latencyOf, planCapacity } from '../plan.ts';
import { latencyFloors } from './bounds.ts';
import { prepareCandidate } from './prepare.ts';
import { withStepMemo } from './step-memo.ts';
import type { Candidate, EvalSettings, FrontLatency, ScreenBounds, ScreenRecord, VerifyRecord } from './types.ts';

const tokensPerUser = (tpotP50Ms: number): number => (tpotP50Ms > 0 ? 1000 / tpotP50Ms : 0);

function frontLatencyOf(c: RateCheck): FrontLatency {
  const l = latencyOf(c);
  return { ttftP99Ms: l.ttftP99Ms, itlP99Ms: l.itlP99Ms, tpotP99Ms: l.tpotP99Ms, tokensPerSPerUser: tokensPerUser(l.tpotP50Ms) };
}

/** Replicas for the target at this per-replica capacity, as plan estimates them. */
export function estimateReplicas(s: Pick<EvalSettings, 'targetRatePerS' | 'headroom'>, perReplicaRatePerS: number): number {
  return Math.max(1, Math.ceil((s.targetRatePerS * (1 + s.headroom)) / perReplicaRatePerS - 1e-9));
}

/**
 * Screening reads latency on one replica at the per-replica load the verified fleet would carry if its capacity
 * were LOAD_MARGIN below the screened one: verification sizes the fleet from its own, more exact capacity, and
 * a fleet with more replicas than screening expects runs each at a lower load, with lower latency. Measured on
 * the 132 candidates of the 70B benchmark's --quick space: with the fleet size right, one replica's TTFT p99 is
 * 0.90–1.28× the verified fleet's (a lone replica pools no load), ITL p99 0.90–1.08×, tokens/s per user
 * 1.00–1.09×; the fleet size was wrong for a third of the candidates when latency was read at the screened
 * capacity instead (docs/planning.md).
 */
export const LOAD_MARGIN = 0.3;

/**
 * Relative error allowed to that latency reading when deciding what to verify (select.ts): the lower-side
 * errors measured above are at most 10%; 15% leaves room.
 */
export const LATENCY_ERROR = 0.15;

function latencyProbe(prepared: PreparedDeployment, s: EvalSettings, capacityPerS: number): { check: RateCheck; simulations: number } {
  const replicas = estimateReplicas(s, capacityPerS * (1 - LOAD_MARGIN));
  const input = { deployment: prepared, shape: s.shape, slo: s.slo, seed: s.seed, search: s.screenSearch };
  const { check, runs } = checkRate(input, s.targetRatePerS / replicas, 1);
  return { check, simulations: runs.length };
}

/** Requests of the throughput (ceiling) run of a capacity search with these options (capacity.ts). */
function ceilingRunRequests(o: SearchOptions): number {
  const full = { ...DEFAULT_SEARCH, ...o };
  return Math.max(full.minRequests, full.ceilingRequests);
}

/** The screening search: the settings' own, with plan's ceiling run, so its ceiling is plan's exactly. */
export function screenSearchOf(s: Pick<EvalSettings, 'search' | 'screenSearch'>): SearchOptions {
  return { ...s.screenSearch, ceilingRequests: ceilingRunRequests(s.search) };
}

/** What screening proves about the verified evaluation (types.ts ScreenBounds). */
function boundsOf(p: PreparedDeployment, s: EvalSettings, ceilingRatePerS: number, throughputRunRatePerS: number): ScreenBounds {
  const f = latencyFloors(p, s.shape.lengths);
  const sameCeilingRun = ceilingRunRequests(screenSearchOf(s)) === ceilingRunRequests(s.search);
  // a speculative decoder emits several tokens per step: no per-token floor then
  const gapFloorMs = p.deployment.speculative ? 0 : f.gapS * 1e3;
  if (!sameCeilingRun) return { ceilingRatePerS: undefined, ttftFloorMs: f.ttftS * 1e3, gapFloorMs };
  return { ceilingRatePerS, throughputRunRatePerS, ttftFloorMs: f.ttftS * 1e3, gapFloorMs };
}

export function screenCandidate(resolver: DeploymentResolver, c: Candidate, s: EvalSettings): ScreenRecord {
  let prepared;
  try {
    prepared = prepareCandidate(resolver, c, s.base);
  } catch (e) {
    if (e instanceof InfeasibleError) return { kind: 'screen', candidate: c.label, feasible: false, reason: e.reasons.join('; ') || e.message, minimalLoadOverLimit: 1e9, simulations: 0 };
    throw e;
  }
  const memo = withStepMemo(prepared);
  const cap = findCapacity({ deployment: memo, shape: s.shape, slo: s.slo, seed: s.seed, search: screenSearchOf(s) });
  const bounds = boundsOf(prepared, s, cap.saturationRatePerS, cap.throughputRunRatePerS);
  if (!cap.feasible) {
    // how far over its limit the worst objective is at minimal load (1 when only Poisson bursts break it)
    const over = cap.minimalLoad.objectives.reduce((m, o) => Math.max(m, o.valueS / o.thresholdS), 0);
    return { kind: 'screen', candidate: c.label, feasible: false, reason: cap.reason, minimalLoadOverLimit: cap.minimalLoad.passed ? 1 : over, simulations: cap.simulations, ...bounds };
  }
  const probe = latencyProbe(memo, s, cap.ratePerS);
  const simulations = cap.simulations + probe.simulations;
  return { kind: 'screen', candidate: c.label, feasible: true, perReplicaRatePerS: cap.ratePerS, simulations, ...frontLatencyOf(probe.check), ...bounds };
}

/**
 * `throughputRunRatePerS`: what screening's throughput run achieved — plan's own throughput run (same
 * deployment, seed and request count: boundsOf), so plan's search uses it instead of running it again.
 */
export function verifyCandidate(resolver: DeploymentResolver, c: Candidate, s: EvalSettings, throughputRunRatePerS?: number): VerifyRecord {
  let prepared;
  try {
    prepared = prepareCandidate(resolver, c, s.base);
  } catch (e) {
    if (e instanceof InfeasibleError) return { kind: 'verify', candidate: c.label, feasible: false, reason: e.reasons.join('; ') || e.message, simulations: 0 };
    throw e;
  }
  const p = planCapacity({
    deployment: withStepMemo(prepared),
    shape: s.shape,
    slo: s.slo,
    seed: s.seed,
    targetRatePerS: s.targetRatePerS,
    headroom: s.headroom,
    search: throughputRunRatePerS !== undefined ? { ...s.search, throughputRunRatePerS } : s.search,
    ...(s.router ? { router: s.router } : {}),
    // the verified record is the point answer: no P(meets SLO) probes at one replica fewer or more
    oddsNeighbours: false,
  });
  const t = p.target;
  if (!p.feasible || !t) return { kind: 'verify', candidate: c.label, feasible: false, reason: p.infeasibleReason ?? 'no target', simulations: p.simulations };
  if (!t.verified) return { kind: 'verify', candidate: c.label, feasible: false, reason: t.verificationNote, simulations: p.simulations };
  const d = prepared.deployment;
  return {
    kind: 'verify',
    candidate: c.label,
    feasible: true,
    perReplicaRatePerS: p.capacity.perReplicaRatePerS,
    saturationRatePerS: p.capacity.saturationRatePerS,
    binding: p.capacity.binding ?? 'compute',
    estimatedReplicas: t.estimatedReplicas,
    replicas: t.replicas,
    nodes: t.nodes,
    gpusPerReplica: d.gpusPerReplica,
    outputTokensPerS: t.outputTokensPerS,
    latency: t.latency,
    ttftP99Ms: t.latency.ttftP99Ms,
    itlP99Ms: t.latency.itlP99Ms,
    tpotP99Ms: t.latency.tpotP99Ms,
    tokensPerSPerUser: tokensPerUser(t.latency.tpotP50Ms),
    calibration: p.deployment.calibration,
    calibrationProvenance: p.deployment.calibrationProvenance,
    band80: d.calibration.band80,
    simulations: p.simulations,
  };
}
