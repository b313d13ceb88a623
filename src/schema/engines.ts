import { z } from 'zod';

/**
 * The engine families servesim models and their defaults, written once. `resolveDeployment` fills an unset
 * engine setting from `ENGINE_DEFAULTS[family]`, the CLI's help text shows the same values, and
 * calibration/map.ts takes `benchmarkRun` for measured runs that do not state their settings.
 */
export const ENGINE_FAMILIES = ['vllm', 'sglang', 'trtllm'] as const;
export const EngineFamilySchema = z.enum(ENGINE_FAMILIES);
export type EngineFamily = z.infer<typeof EngineFamilySchema>;
export const DEFAULT_ENGINE_FAMILY: EngineFamily = 'vllm';

/** The settings every engine family resolves (DeploymentChoice['engine'] minus family, max_model_len and prefix caching). */
export interface EngineDefaults {
  readonly gpuMemoryUtilization: number;
  readonly blockSize: number;
  readonly maxNumBatchedTokens: number;
  readonly maxNumSeqs: number;
  readonly chunkedPrefill: boolean;
  readonly cudaGraphs: boolean;
  /** the scheduler prepares step N+1 while the GPU runs step N (see Deployment.engine.asyncScheduling) */
  readonly asyncScheduling: boolean;
}

/** What a family's own benchmark runs used when a measurement does not state it, with the note to record. */
export interface BenchmarkRunDefaults {
  readonly gpuMemoryUtilization?: number;
  readonly maxNumSeqs?: number;
  readonly maxNumBatchedTokens?: number;
  readonly note: string;
}

export interface EngineFamilyDefaults {
  /** what a simulated deployment of this family gets when a setting is not given */
  readonly deployment: EngineDefaults;
  /** what the family's benchmark tool ran with (calibration against measurements); undefined = `deployment` */
  readonly benchmarkRun: BenchmarkRunDefaults | undefined;
}

/** vLLM V1 (0.8+) EngineArgs defaults (vllm/config). */
const VLLM: EngineDefaults = {
  gpuMemoryUtilization: 0.9,
  blockSize: 16,
  maxNumBatchedTokens: 8192,
  maxNumSeqs: 256,
  chunkedPrefill: true,
  cudaGraphs: true,
  asyncScheduling: true,
};

/**
 * SGLang and TensorRT-LLM deployments take vLLM's scheduler sizes (what the shipped calibrations were fitted
 * with); only async scheduling differs: SGLang's overlap scheduler is on by default (v0.4+), TensorRT-LLM's
 * calibrations were fitted with additive CPU overheads.
 */
export const ENGINE_DEFAULTS: Readonly<Record<EngineFamily, EngineFamilyDefaults>> = {
  vllm: { deployment: VLLM, benchmarkRun: undefined },
  sglang: {
    deployment: VLLM,
    benchmarkRun: { gpuMemoryUtilization: 0.88, maxNumSeqs: 1024, maxNumBatchedTokens: 8192, note: 'SGLang defaults: mem fraction 0.88, chunked prefill 8192' },
  },
  trtllm: {
    deployment: { ...VLLM, asyncScheduling: false },
    // trtllm-bench: kv_cache_free_gpu_mem_fraction 0.95 (perf-overview.md), large max batch, 8192-token budget
    benchmarkRun: {
      gpuMemoryUtilization: 0.95,
      maxNumSeqs: 2048,
      maxNumBatchedTokens: 8192,
      note: 'trtllm-bench defaults: 0.95 of free memory for KV, max batch 2048, 8192-token budget',
    },
  },
};
