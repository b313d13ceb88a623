/**
 * The bounds stage: every candidate is prepared (it must exist and fit) and checked against the analytic
 * bounds (bounds.ts) and the inventory, before any simulation. Survivors carry what the later stages need
 * from the deployment: GPUs per replica, calibration and its provenance, the price.
 */
import { calibrationProvenance } from '../../cost/deployment.ts';
import { InfeasibleError } from '../../diagnostics/errors.ts';
import type { DeploymentResolver } from '../deployment-resolver.ts';
import { minimumGpus, sloFloorViolation } from './bounds.ts';
import { prepareCandidate } from './prepare.ts';
import type { Candidate, EvalSettings } from './types.ts';

export interface Survivor {
  readonly candidate: Candidate;
  readonly gpusPerReplica: number;
  readonly calibration: string;
  readonly calibrationProvenance: string;
  readonly usdPerGpuHour: number | undefined;
}

export interface Pruned {
  readonly candidate: Candidate;
  readonly reason: string;
  /** set when the deployment exists (its calibration is still worth showing) */
  readonly calibration: string | undefined;
  readonly calibrationProvenance: string | undefined;
}

export interface PricesAndInventory {
  readonly usdPerGpuHour: (hardware: string) => number | undefined;
  /** GPUs available per hardware; undefined = unlimited */
  readonly available: ReadonlyMap<string, number> | undefined;
}

export function pruneByBounds(
  resolver: DeploymentResolver,
  candidates: readonly Candidate[],
  s: EvalSettings,
  market: PricesAndInventory,
): { survivors: Survivor[]; pruned: Pruned[] } {
  const survivors: Survivor[] = [];
  const pruned: Pruned[] = [];
  for (const c of candidates) {
    const available = market.available?.get(c.hardware);
    if (market.available && available === undefined) {
      pruned.push({ candidate: c, reason: `no ${c.hardware} in --available`, calibration: undefined, calibrationProvenance: undefined });
      continue;
    }
    let prepared;
    try {
      prepared = prepareCandidate(resolver, c, s.base);
    } catch (e) {
      if (!(e instanceof InfeasibleError)) throw e;
      pruned.push({ candidate: c, reason: e.reasons.join('; ') || e.message.replace(/\n\s*/g, ' '), calibration: undefined, calibrationProvenance: undefined });
      continue;
    }
    const d = prepared.deployment;
    const cal = { calibration: d.calibration.id, calibrationProvenance: calibrationProvenance(d) };
    const floor = sloFloorViolation(prepared, s.shape.lengths, s.slo);
    if (floor) {
      pruned.push({ candidate: c, reason: floor, ...cal });
      continue;
    }
    if (available !== undefined && d.gpusPerReplica > available) {
      pruned.push({ candidate: c, reason: `one replica needs ${d.gpusPerReplica} ${c.hardware}; ${available} available`, ...cal });
      continue;
    }
    const atLeast = available !== undefined ? minimumGpus(prepared, s.shape.lengths, s.targetRatePerS, s.headroom) : 0;
    if (available !== undefined && atLeast > available) {
      pruned.push({ candidate: c, reason: `the decode roofline ceiling needs at least ${atLeast} ${c.hardware} for ${s.targetRatePerS} req/s; ${available} available`, ...cal });
      continue;
    }
    survivors.push({ candidate: c, gpusPerReplica: d.gpusPerReplica, ...cal, usdPerGpuHour: market.usdPerGpuHour(c.hardware) });
  }
  return { survivors, pruned };
}
