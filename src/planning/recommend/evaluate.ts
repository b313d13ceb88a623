/**
 * Evaluate one candidate, price-free (cost is applied afterwards, so a change of --price reuses every
 * simulation): a cheap screening search, or the verified evaluation — plan's capacity search and fleet
 * verification at the target, the very `planCapacity` of `servesim plan`. Pure: same candidate and
 * settings, same record, on any thread.
 */
import { InfeasibleError } from '../../diagnostics/errors.ts';
import { findCapacity, type RateCheck } from '../capacity.ts';
import type { DeploymentResolver } from '../deployment-resolver.ts';
import { latencyOf, planCapacity } from '../plan.ts';
import { prepareCandidate } from './prepare.ts';
import type { Candidate, EvalSettings, FrontLatency, ScreenRecord, VerifyRecord } from './types.ts';

const tokensPerUser = (tpotP50Ms: number): number => (tpotP50Ms > 0 ? 1000 / tpotP50Ms : 0);

function frontLatencyOf(c: RateCheck): FrontLatency {
  const l = latencyOf(c);
  return { ttftP99Ms: l.ttftP99Ms, itlP99Ms: l.itlP99Ms, tpotP99Ms: l.tpotP99Ms, tokensPerSPerUser: tokensPerUser(l.tpotP50Ms) };
}

/** Replicas for the target at this per-replica capacity, as plan estimates them. */
export function estimateReplicas(s: Pick<EvalSettings, 'targetRatePerS' | 'headroom'>, perReplicaRatePerS: number): number {
  return Math.max(1, Math.ceil((s.targetRatePerS * (1 + s.headroom)) / perReplicaRatePerS - 1e-9));
}

/** The check nearest above the per-replica load at the target: the screening's latency estimate there. */
function checkNearLoad(checks: readonly RateCheck[], atCapacity: RateCheck, loadPerS: number): RateCheck {
  let best = atCapacity;
  for (const c of checks) if (c.passed && c.ratePerS >= loadPerS && c.ratePerS < best.ratePerS) best = c;
  return best;
}

export function screenCandidate(resolver: DeploymentResolver, c: Candidate, s: EvalSettings): ScreenRecord {
  let prepared;
  try {
    prepared = prepareCandidate(resolver, c, s.base);
  } catch (e) {
    if (e instanceof InfeasibleError) return { kind: 'screen', candidate: c.label, feasible: false, reason: e.reasons.join('; ') || e.message, minimalLoadOverLimit: 1e9, simulations: 0 };
    throw e;
  }
  const cap = findCapacity({ deployment: prepared, shape: s.shape, slo: s.slo, seed: s.seed, search: s.screenSearch });
  if (!cap.feasible) {
    // how far over its limit the worst objective is at minimal load (1 when only Poisson bursts break it)
    const over = cap.minimalLoad.objectives.reduce((m, o) => Math.max(m, o.valueS / o.thresholdS), 0);
    return { kind: 'screen', candidate: c.label, feasible: false, reason: cap.reason, minimalLoadOverLimit: cap.minimalLoad.passed ? 1 : over, simulations: cap.simulations };
  }
  const load = s.targetRatePerS / estimateReplicas(s, cap.ratePerS);
  const near = checkNearLoad(cap.checks, cap.atCapacity, load);
  return { kind: 'screen', candidate: c.label, feasible: true, perReplicaRatePerS: cap.ratePerS, simulations: cap.simulations, ...frontLatencyOf(near) };
}

export function verifyCandidate(resolver: DeploymentResolver, c: Candidate, s: EvalSettings): VerifyRecord {
  let prepared;
  try {
    prepared = prepareCandidate(resolver, c, s.base);
  } catch (e) {
    if (e instanceof InfeasibleError) return { kind: 'verify', candidate: c.label, feasible: false, reason: e.reasons.join('; ') || e.message, simulations: 0 };
    throw e;
  }
  const p = planCapacity({
    deployment: prepared,
    shape: s.shape,
    slo: s.slo,
    seed: s.seed,
    targetRatePerS: s.targetRatePerS,
    headroom: s.headroom,
    search: s.search,
    ...(s.router ? { router: s.router } : {}),
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
