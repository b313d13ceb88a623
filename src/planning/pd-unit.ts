/**
 * P/D capacity without a target rate: the highest SLO-meeting rate of a small xPyD unit, for the units
 * around the analytic balance of the pools (pd-estimate.ts), each found by plan's verified rate search
 * (findCapacity on the whole unit). The unit that carries the most per GPU wins; ties go to fewer GPUs.
 */
import { findCapacity, type BindingConstraint, type CapacityResult } from './capacity.ts';
import { gpusOf, poolsLabel, type PdContext, type PoolSizes } from './pd-check.ts';
import type { PdEstimate } from './pd-estimate.ts';
import { latencyOf, objectivesOf, type LatencySummary, type ObjectiveAtLoad } from './plan.ts';

export interface PdUnitCandidate {
  readonly prefill: number;
  readonly decode: number;
  readonly gpus: number;
  readonly feasible: boolean;
  /** highest SLO-meeting rate of the unit, req/s (0 when infeasible) */
  readonly ratePerS: number;
  readonly ratePerGpuPerS: number;
  /** the binding constraint, or why the unit cannot meet the SLO */
  readonly explanation: string;
}

export interface PdUnitCapacity {
  readonly prefill: number;
  readonly decode: number;
  readonly ratio: string;
  readonly gpus: number;
  readonly ratePerS: number;
  readonly ratePerGpuPerS: number;
  /** throughput-run saturation rate of the unit, req/s */
  readonly saturationRatePerS: number;
  readonly binding: BindingConstraint;
  readonly bindingExplanation: string;
  readonly objectives: readonly ObjectiveAtLoad[];
  readonly latency: LatencySummary;
  readonly candidates: readonly PdUnitCandidate[];
}

/** At most this many instances in a unit: a unit is the ratio, not the fleet. */
const MAX_UNIT_INSTANCES = 12;

/** 1PnD for n around the balance when decode is the slower pool, nP1D around it when prefill is; and 1P1D. */
export function unitCandidates(e: PdEstimate, fits: (s: PoolSizes) => boolean): PoolSizes[] {
  const r = e.decodePerPrefill;
  const around = (x: number) => [Math.max(1, Math.floor(x)), Math.max(1, Math.ceil(x))];
  const units = [{ prefill: 1, decode: 1 }, ...(r >= 1 ? around(r).map((d) => ({ prefill: 1, decode: d })) : around(1 / r).map((p) => ({ prefill: p, decode: 1 })))];
  const seen = new Set<string>();
  return units.filter((u) => {
    const k = poolsLabel(u);
    if (seen.has(k) || u.prefill + u.decode > MAX_UNIT_INSTANCES || !fits(u)) return false;
    seen.add(k);
    return true;
  });
}

function unitInput(ctx: PdContext, u: PoolSizes) {
  return {
    deployment: ctx.prefill,
    shape: ctx.shape,
    slo: ctx.slo,
    seed: ctx.seed,
    ...(ctx.search ? { search: ctx.search } : {}),
    replicas: u.prefill,
    disaggregation: { decode: ctx.decode, decodeReplicas: u.decode, sameNode: ctx.sameNode },
  };
}

/** Capacities of the candidate units; the best one per GPU, or the reason none meets the SLO. */
export function bestUnit(ctx: PdContext, units: readonly PoolSizes[]): { best: PdUnitCapacity | undefined; reason: string; simulations: number } {
  let simulations = 0;
  const results: { u: PoolSizes; r: CapacityResult }[] = [];
  for (const u of units) {
    const r = findCapacity(unitInput(ctx, u));
    simulations += r.simulations;
    results.push({ u, r });
  }
  const candidates: PdUnitCandidate[] = results.map(({ u, r }) => {
    const gpus = gpusOf(ctx, u);
    const ratePerS = r.feasible ? r.ratePerS : 0;
    return { prefill: u.prefill, decode: u.decode, gpus, feasible: r.feasible, ratePerS, ratePerGpuPerS: ratePerS / gpus, explanation: r.feasible ? r.bindingExplanation : r.reason };
  });
  let win: number | undefined;
  candidates.forEach((c, i) => {
    const w = win === undefined ? undefined : candidates[win]!;
    if (c.feasible && (!w || c.ratePerGpuPerS > w.ratePerGpuPerS * (1 + 1e-9) || (Math.abs(c.ratePerGpuPerS - w.ratePerGpuPerS) <= w.ratePerGpuPerS * 1e-9 && c.gpus < w.gpus))) win = i;
  });
  const first = results[0]?.r;
  const chosen = win === undefined ? undefined : results[win]!;
  if (!chosen || !chosen.r.feasible) return { best: undefined, reason: first && !first.feasible ? first.reason : 'no P/D unit fits the limits', simulations };
  const { u, r } = chosen;
  const c = candidates[win!]!;
  return {
    best: {
      prefill: u.prefill,
      decode: u.decode,
      ratio: poolsLabel(u),
      gpus: c.gpus,
      ratePerS: r.ratePerS,
      ratePerGpuPerS: c.ratePerGpuPerS,
      saturationRatePerS: r.saturationRatePerS,
      binding: r.binding,
      bindingExplanation: r.bindingExplanation,
      objectives: objectivesOf(r.atCapacity),
      latency: latencyOf(r.atCapacity),
      candidates,
    },
    reason: '',
    simulations,
  };
}
