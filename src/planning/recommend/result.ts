/** The document `servesim recommend --json` prints. */
import type { Candidate } from './types.ts';

export type CandidateStatus = 'front' | 'verified' | 'screened-out' | 'infeasible' | 'pruned';
export type Stage = 'bounds' | 'screening' | 'verification';

export const CRITERIA = ['cost', 'usd-per-mtok', 'gpus', 'ttft', 'itl', 'tpot', 'tokens-per-user'] as const;
export type Criterion = (typeof CRITERIA)[number];

export interface ScreenedFigures {
  readonly perReplicaRatePerS: number;
  readonly replicas: number;
  readonly usdPerHour: number | null;
  readonly ttftP99Ms: number;
  readonly itlP99Ms: number;
  readonly tpotP99Ms: number;
  readonly tokensPerSPerUser: number;
}

export interface VerifiedFigures {
  readonly perReplicaRatePerS: number;
  readonly saturationRatePerS: number;
  readonly binding: string;
  readonly estimatedReplicas: number;
  readonly replicas: number;
  readonly gpus: number;
  readonly nodes: number;
  /** at the peak */
  readonly usdPerHour: number | null;
  /** following the rate curve over a day (null without a curve) */
  readonly usdPerDay: number | null;
  readonly usdPerMillionOutputTokens: number | null;
  readonly outputTokensPerS: number;
  readonly ttftP50Ms: number;
  readonly ttftP99Ms: number;
  readonly itlP99Ms: number;
  readonly tpotP50Ms: number;
  readonly tpotP99Ms: number;
  readonly e2eP99Ms: number;
  readonly tokensPerSPerUser: number;
  /** 80% band (half-width as a fraction) of a fitted calibration on mean TTFT / TPOT; null without one */
  readonly band80: { readonly ttft: number | null; readonly tpot: number | null } | null;
}

export interface CandidateOutcome extends Omit<Candidate, 'label'> {
  readonly candidate: string;
  readonly status: CandidateStatus;
  readonly stage: Stage;
  /** why it is not on the front ('' for front members) */
  readonly reason: string;
  readonly calibration: string | null;
  readonly calibrationProvenance: string | null;
  /** fitted to measurements of this GPU × engine (or the user's file); otherwise transferred or datasheet-only */
  readonly calibrated: boolean;
  readonly usdPerGpuHour: number | null;
  readonly screening: ScreenedFigures | null;
  readonly verified: VerifiedFigures | null;
}

export interface RecommendResult {
  readonly schemaVersion: 1;
  readonly kind: 'recommend';
  readonly workload: string;
  readonly slo: string;
  readonly targetRatePerS: number;
  readonly headroom: number;
  readonly rateCurve: { readonly ratesPerS: readonly number[]; readonly source: string } | null;
  readonly criterion: Criterion;
  readonly shard: string | null;
  readonly search: {
    readonly spaceSize: number;
    /** candidates of this shard */
    readonly candidates: number;
    readonly pruned: number;
    /** simulated (screened), i.e. after pruning */
    readonly screened: number;
    readonly verified: number;
    readonly screenedOut: number;
    readonly infeasible: number;
    /** pruned ÷ candidates */
    readonly pruningRate: number;
    /** relative error screening is allowed before a candidate is left unverified */
    readonly screenMargin: number;
    readonly selectionRounds: number;
    /** simulations behind this answer (screening + verification), including those read from a checkpoint */
    readonly simulations: number;
  };
  /** verified, priced, non-dominated over ($/h, TTFT p99, ITL p99, tokens/s per user), best first by the criterion */
  readonly front: readonly CandidateOutcome[];
  /** the same over candidates without a price, GPUs standing in for cost (ranked apart, never dropped) */
  readonly unpricedFront: readonly CandidateOutcome[];
  /** the best `top` verified priced candidates by the criterion */
  readonly top: readonly CandidateOutcome[];
  /** every candidate, in space order, with its status and reason */
  readonly candidates: readonly CandidateOutcome[];
  readonly notes: readonly string[];
}
