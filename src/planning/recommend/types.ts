/**
 * Shared shapes of `recommend`: a candidate deployment of the search space, the settings every evaluation
 * shares, and the records an evaluation produces (one JSONL checkpoint line each).
 */
import type { DeploymentFlags } from '../../schema/deployment-flags.ts';
import type { SloObjective } from '../../metrics/slo.ts';
import type { RouterName } from '../../serving/router.ts';
import type { LengthDistribution } from '../../workload/lengths.ts';
import type { SearchOptions } from '../capacity.ts';
import type { LatencySummary } from '../plan.ts';

/** One point of the deployment space. `label` is its stable key (checkpoints, tables, --json). */
export interface Candidate {
  readonly index: number;
  readonly label: string;
  readonly model: string;
  readonly hardware: string;
  readonly tp: number;
  readonly pp: number;
  readonly ep: number;
  readonly weights: string;
  readonly kvCache: string;
  readonly engine: string;
  readonly maxNumSeqs: number;
  readonly maxNumBatchedTokens: number;
  readonly chunkedPrefill: boolean;
}

/** What every evaluation of one search shares; plain data (sent to worker threads, hashed for checkpoints). */
export interface EvalSettings {
  readonly shape: { readonly lengths: LengthDistribution; readonly warmupFraction?: number };
  readonly slo: readonly SloObjective[];
  readonly seed: string;
  /** the rate the fleet is sized for (the peak of a rate curve) */
  readonly targetRatePerS: number;
  readonly headroom: number;
  readonly router?: RouterName;
  /** the verified (plan) search */
  readonly search: SearchOptions;
  /** the cheap screening search */
  readonly screenSearch: SearchOptions;
  /** engine settings every candidate shares (memory utilisation, block size, calibration file …) */
  readonly base: Partial<DeploymentFlags>;
  readonly profileDirs: readonly string[];
}

/** Latency of a candidate at the target load: the four front axes besides cost. */
export interface FrontLatency {
  readonly ttftP99Ms: number;
  readonly itlP99Ms: number;
  readonly tpotP99Ms: number;
  /** decode speed one user sees: 1000 / median TPOT */
  readonly tokensPerSPerUser: number;
}

/**
 * What screening proves, not estimates, about the verified evaluation (select.ts uses them as floors):
 *   - the saturation ceiling of the verified search — the screening runs plan's very throughput run (same
 *     seed, same request count), and plan's capacity never exceeds 0.95 × that ceiling (capacity.ts: the
 *     highest rate it tries is 0.95 × the ceiling), so the verified fleet has at least
 *     ceil(target × (1 + headroom) / (0.95 × ceiling)) replicas; undefined when the two runs differ;
 *   - the batch-1 latency floors (bounds.ts): no TTFT beats a lone prefill of the shortest prompt, no token
 *     gap (nor the median time per output token) beats a lone decode step.
 */
export interface ScreenBounds {
  readonly ceilingRatePerS: number | undefined;
  /** what that throughput run achieved: the verified search reuses it instead of running it again */
  readonly throughputRunRatePerS?: number | undefined;
  readonly ttftFloorMs: number;
  readonly gapFloorMs: number;
}

/** A cheap screening search's estimate (one seed, few requests, coarse bracket). */
export type ScreenRecord =
  | ({
      readonly kind: 'screen';
      readonly candidate: string;
      readonly feasible: true;
      readonly perReplicaRatePerS: number;
      readonly simulations: number;
    } & FrontLatency &
      ScreenBounds)
  | ({
      readonly kind: 'screen';
      readonly candidate: string;
      readonly feasible: false;
      readonly reason: string;
      /** worst objective ÷ its limit at minimal load: how clearly the candidate fails */
      readonly minimalLoadOverLimit: number;
      readonly simulations: number;
    } & Partial<ScreenBounds>);

/** The verified evaluation: plan's capacity search and fleet verification at the target (price-free). */
export type VerifyRecord =
  | ({
      readonly kind: 'verify';
      readonly candidate: string;
      readonly feasible: true;
      readonly perReplicaRatePerS: number;
      readonly saturationRatePerS: number;
      readonly binding: string;
      readonly estimatedReplicas: number;
      readonly replicas: number;
      readonly nodes: number;
      readonly gpusPerReplica: number;
      readonly outputTokensPerS: number;
      readonly latency: LatencySummary;
      readonly calibration: string;
      readonly calibrationProvenance: string;
      /** 80% band half-widths (log ratio) of a fitted calibration, when it has them */
      readonly band80: Readonly<Partial<Record<'ttft' | 'tpot' | 'e2e', number>>> | undefined;
      readonly simulations: number;
    } & FrontLatency)
  | { readonly kind: 'verify'; readonly candidate: string; readonly feasible: false; readonly reason: string; readonly simulations: number };

export type EvalRecord = ScreenRecord | VerifyRecord;
