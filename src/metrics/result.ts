import type { Workload } from '../workload/workload.ts';
import type { PrefixCacheReport } from './prefix-cache-report.ts';
import type { RequestRecords, TimeSeriesPoint } from './collector.ts';
import type { LatencyMetric } from './definitions.ts';
import type { SaturationVerdict } from './saturation.ts';
import type { PredictionUncertainty } from './uncertainty.ts';

export interface DistributionStats {
  /** total weight: requests, or tokens/gaps for token-weighted metrics */
  readonly count: number;
  readonly mean: number;
  readonly stdev: number;
  /** GuideLLM's percentile set, non-interpolated: p001 = 0.1%, p01 = 1%, ... p999 = 99.9% */
  readonly percentiles: Readonly<Record<'p001' | 'p01' | 'p05' | 'p10' | 'p25' | 'p50' | 'p75' | 'p90' | 'p95' | 'p99' | 'p999', number>>;
  readonly median: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
  readonly min: number;
  readonly max: number;
}

export interface SloReport {
  readonly spec: string;
  readonly checks: readonly {
    readonly metric: string;
    readonly percentile: number | 'mean';
    readonly thresholdS: number;
    readonly valueS: number;
    readonly met: boolean;
  }[];
  readonly met: boolean;
  /** share of counted requests meeting every objective */
  readonly attainment: number;
  readonly goodputPerS: number;
}

/**
 * The result of one simulation. Generic in the policy and router names so this layer needs nothing from
 * serving/; simulate.ts exports it with serving's name unions filled in.
 */
export interface SimulationResult<PolicyName extends string = string, RouterName extends string = string> {
  readonly schemaVersion: 2;
  readonly seed: string;
  readonly deployment: {
    readonly model: string;
    readonly hardware: string;
    readonly tp: number;
    readonly pp: number;
    readonly ep: number;
    readonly replicas: number;
    readonly gpus: number;
    readonly weights: string;
    readonly activations: string;
    readonly kvCache: string;
    readonly engine: string;
    readonly policy: PolicyName;
    readonly router: RouterName;
    readonly calibration: string;
    /** fitted, transferred, datasheet only, or user file: how far to trust these predictions */
    readonly calibrationProvenance: string;
    readonly kvTokensPerReplica: number;
    /** issue 16's techniques, present only when one is on */
    readonly techniques?: TechniquesSummary;
  };
  readonly workload: Workload;
  readonly requests: {
    readonly issued: number;
    readonly completed: number;
    readonly counted: number;
    readonly rejected: number;
    readonly rejectReasons: Readonly<Record<string, number>>;
    readonly incomplete: number;
    /** most requests in the system at once (waiting + running, all replicas) */
    readonly peakOutstanding: number;
    /** most requests holding full per-request state at once (running, or at the head of a queue) */
    readonly peakMaterialized: number;
  };
  /** measurement window: first counted arrival to last counted completion */
  readonly durationS: number;
  readonly simulatedTimeS: number;
  readonly throughput: {
    readonly requestsPerS: number;
    readonly outputTokensPerS: number;
    readonly inputTokensPerS: number;
    readonly totalTokensPerS: number;
  };
  /** latency distributions in seconds (the --json document converts them to `latencyMs`) */
  readonly latencyS: Readonly<Record<LatencyMetric, DistributionStats>>;
  readonly slo: SloReport | undefined;
  readonly saturation: SaturationVerdict;
  readonly engine: {
    readonly steps: number;
    readonly events: number;
    readonly preemptions: number;
    /** time-weighted mean decode batch over busy time */
    readonly meanDecodeBatch: number;
    readonly busyFraction: number;
    readonly meanKvUtilization: number;
    readonly peakKvUtilization: number;
  };
  readonly timeSeries: readonly TimeSeriesPoint[];
  readonly cdf: Readonly<Record<'ttft' | 'itl' | 'e2e' | 'tpot', readonly { value: number; fraction: number }[]>>;
  readonly perRequest: RequestRecords | undefined;
  /** an 80% band around the mean latencies when the calibration has a validated one, else why not */
  readonly uncertainty: PredictionUncertainty;
  readonly warnings: readonly string[];
  /** the simulated prefix cache (engine.prefixCache): absent when it is off */
  readonly prefixCache?: PrefixCacheReport;
}

/** Speculative decoding, DEP and P/D as a run used them (absent for plain deployments). */
export interface TechniquesSummary {
  readonly speculative?: { readonly method: string; readonly draftTokens: number; readonly expectedTokensPerStep: number };
  readonly attentionDp?: number;
  readonly disaggregation?: {
    readonly prefillReplicas: number;
    readonly decodeReplicas: number;
    readonly decodeTp: number;
    readonly decodeGpus: number;
    readonly link: string;
    readonly transfers: number;
    readonly meanTransferMs: number;
    readonly decodeKvTokensPerReplica: number;
  };
}
