import type { MetricId, Statistic } from '../metrics/definitions.ts';

/**
 * What every importer (GuideLLM JSON/YAML, vLLM bench JSON, the measurement CSV schema) produces: one
 * record per measured benchmark run, in servesim's vocabulary and SI units (latency in seconds, rates per
 * second). Fields the source does not state are absent, never guessed; `unmappedReason` says why a
 * record cannot be simulated (unknown model, GPU not in the profiles...).
 */
export interface MeasuredBenchmark {
  readonly id: string; // stable, unique within an import: e.g. "trtllm_perf_v0_17#12" or "file.json#3"
  readonly source: {
    readonly file: string;
    readonly tool: 'guidellm' | 'vllm-bench' | 'measurement-csv';
    /** e.g. GuideLLM schema era "v0.4", "v0.7"; CSV source_id */
    readonly format: string;
    readonly sourceId?: string;
    readonly notes?: string;
    /** when the run ended, as the tool states it (vLLM bench `date`, GuideLLM `end_time`; client clock, no zone): "2025-04-14T14:15:05" */
    readonly savedAt?: string;
  };
  readonly deployment: MeasuredDeployment;
  readonly workload: MeasuredWorkload;
  readonly metrics: readonly MeasuredMetric[];
  /** present when the file has per-request records (GuideLLM requests, vLLM per-request arrays) */
  readonly perRequest?: PerRequestRecords;
  /** set when the record cannot be mapped to a simulation; the same text groups records in coverage */
  readonly unmappedReason?: string;
  readonly measuredOrProjected?: string;
  /** measured figures refused at import (not finite, or not positive), kept to be reported as skipped */
  readonly rejectedMetrics?: readonly RejectedMetric[];
}

export interface RejectedMetric extends MeasuredMetric {
  /** "file:line" for CSV rows, else the benchmark id */
  readonly where: string;
  readonly reason: string;
}

/** weight and KV-cache formats a measured benchmark can state (also what calibrate/validate --weights/--kv-cache accept) */
export const MEASURED_WEIGHT_FORMATS = ['bf16', 'fp16', 'fp8', 'int8', 'int4', 'nvfp4', 'mxfp4'] as const;
export const MEASURED_KV_FORMATS = ['bf16', 'fp16', 'fp8', 'int8'] as const;
export type MeasuredWeightFormat = (typeof MEASURED_WEIGHT_FORMATS)[number];
export type MeasuredKvFormat = (typeof MEASURED_KV_FORMATS)[number];

export interface MeasuredDeployment {
  readonly modelRaw?: string;
  readonly modelId?: string; // a servesim model profile id, when recognised
  readonly hardwareRaw?: string;
  readonly hardwareId?: string; // a servesim hardware profile id, when recognised
  readonly numGpus?: number;
  readonly tp?: number;
  readonly pp?: number;
  readonly ep?: number;
  /** weights/activations/kv as far as the source states them */
  readonly weights?: MeasuredWeightFormat;
  readonly activations?: 'bf16' | 'fp16' | 'fp8' | 'int8' | 'fp4';
  readonly kvCache?: MeasuredKvFormat;
  readonly precisionRaw?: string;
  readonly engine?: 'vllm' | 'sglang' | 'trtllm' | 'tgi' | 'other';
  readonly engineVersion?: string;
  readonly engineRaw?: string;
}

export type LoadKind = 'synchronous' | 'concurrent' | 'throughput' | 'constant' | 'poisson' | 'offline-batch';

export interface MeasuredWorkload {
  /** absent only when the source does not state how load was applied (the record then has an unmappedReason) */
  readonly load?: LoadKind;
  /** requests/s for constant and poisson */
  readonly rate?: number;
  /** streams for concurrent; static batch size for offline-batch; the in-flight cap (max_concurrency) for throughput */
  readonly concurrency?: number;
  /** number of requests issued, when stated */
  readonly requests?: number;
  readonly durationS?: number;
  /** absent when the source states neither the lengths nor a dataset (the record then has an unmappedReason) */
  readonly lengths?: LengthSpec;
  /**
   * the id of an earlier run of the same import that sent this run's prompts to the server before it
   * (markRepeatedPrompts: the same per-request input lengths, in order, saved earlier); absent when unknown
   */
  readonly repeatsPromptsOf?: string;
}

export type LengthSpec =
  | { readonly kind: 'fixed'; readonly inputTokens: number; readonly outputTokens: number }
  | {
      readonly kind: 'synthetic'; // GuideLLM IntegerRangeSampler semantics
      readonly input: { readonly mean: number; readonly stdev?: number; readonly min?: number; readonly max?: number };
      readonly output: { readonly mean: number; readonly stdev?: number; readonly min?: number; readonly max?: number };
    }
  | { readonly kind: 'per-request'; readonly inputTokens: readonly number[]; readonly outputTokens: readonly number[] }
  | {
      readonly kind: 'dataset';
      readonly name: string; // "sharegpt", "openorca", "cnn-dailymail"...
      /**
       * the dataset's published token statistics, with their source. A figure no source publishes is absent
       * (never estimated); the citation says which ones are missing.
       */
      readonly input: { readonly mean?: number; readonly median?: number; readonly stdev?: number; readonly min?: number; readonly max?: number };
      readonly output: { readonly mean?: number; readonly median?: number; readonly stdev?: number; readonly min?: number; readonly max?: number };
      readonly citation: string;
    };

export interface MeasuredMetric {
  readonly metric: MetricId;
  readonly statistic: Statistic;
  /** seconds for latencies; per second for throughputs (output_throughput is tokens/s for the whole system) */
  readonly value: number;
}

export interface PerRequestRecords {
  readonly inputTokens: readonly number[];
  readonly outputTokens: readonly number[];
  readonly ttftS?: readonly number[];
  readonly e2eS?: readonly number[];
  /** per-request (last − first)/(n − 1) */
  readonly tpotS?: readonly number[];
}
