import { z } from 'zod';
import { ComputeDtypeSchema, KvCacheDtypeSchema, WeightFormatSchema } from './dtype.ts';
import { SpeculativeChoiceSchema } from './techniques.ts';

/**
 * A deployment as a user writes it (scenario files, CLI flags): model + hardware by id, parallelism,
 * quantization and engine settings. `cost/deployment.ts` resolves ids and refuses setups that cannot exist.
 * Defaults follow vLLM V1 (0.8+) where an engine default exists.
 */
export const ENGINE_FAMILIES = ['vllm', 'sglang', 'trtllm'] as const;
export const EngineFamilySchema = z.enum(ENGINE_FAMILIES);
export type EngineFamily = z.infer<typeof EngineFamilySchema>;

export const QuantizationSchema = z.strictObject({
  weights: WeightFormatSchema.optional().describe("weight storage format; default: the model's native format (bf16 for most)"),
  activations: ComputeDtypeSchema.optional().describe('GEMM input format; default: fp8 with fp8 weights on GPUs with fp8 tensor cores, else bf16'),
  kv_cache: KvCacheDtypeSchema.optional().describe('KV-cache element format; default bf16'),
  weight_only: z
    .boolean()
    .default(false)
    .describe('run low-precision weights through wider tensor cores (e.g. FP8 weights on A100 via Marlin): weight bytes shrink, FLOP/s do not grow'),
});

export const EngineSettingsSchema = z.strictObject({
  family: EngineFamilySchema.default('vllm'),
  gpu_memory_utilization: z.number().gt(0).max(1).default(0.9),
  block_size: z.number().int().positive().default(16),
  max_num_batched_tokens: z.number().int().positive().default(8192),
  max_num_seqs: z.number().int().positive().default(256),
  max_model_len: z.number().int().positive().optional().describe("default: the model's max_position_embeddings"),
  chunked_prefill: z.boolean().default(true),
  cuda_graphs: z.boolean().default(true),
  async_scheduling: z.boolean().optional().describe('CPU scheduling overlapped with the GPU step (default: on for vllm and sglang, off for trtllm)'),
  prefix_caching: z
    .strictObject({
      shared_prefix_tokens: z.number().int().nonnegative(),
      hit_rate: z.number().min(0).max(1),
    })
    .optional(),
});

export const DeploymentSpecSchema = z.strictObject({
  model: z.string(),
  hardware: z.string(),
  tp: z.number().int().positive().default(1),
  pp: z.number().int().positive().default(1),
  ep: z.number().int().positive().default(1).describe('expert parallelism for MoE layers; must divide tp × pp'),
  quantization: QuantizationSchema.default({ weight_only: false }),
  engine: EngineSettingsSchema.default({
    family: 'vllm',
    gpu_memory_utilization: 0.9,
    block_size: 16,
    max_num_batched_tokens: 8192,
    max_num_seqs: 256,
    chunked_prefill: true,
    cuda_graphs: true,
  }),
  calibration: z.string().optional().describe('calibration profile id or file; default: the shipped one for this GPU and engine'),
});
export type DeploymentSpec = z.infer<typeof DeploymentSpecSchema>;
export type DeploymentSpecInput = z.input<typeof DeploymentSpecSchema>;

/**
 * A deployment choice as code gives it (DeploymentChoice in cost/deployment.ts, camelCase). The CLI's
 * flags, compare's candidate strings, sweep grids and library callers are all checked against this one
 * schema before anything is resolved, so a bad value is an input error naming its field.
 */
const wholeNumber = z.number().int().min(1);
/** vLLM's CUDA block sizes go up to 128 tokens; far larger blocks only waste KV cache */
export const MAX_BLOCK_SIZE = 1024;
export const EngineChoiceSchema = z.strictObject({
  family: EngineFamilySchema.optional(),
  gpuMemoryUtilization: z.number().gt(0).max(1).optional(),
  blockSize: wholeNumber.max(MAX_BLOCK_SIZE).optional(),
  maxNumBatchedTokens: wholeNumber.optional(),
  maxNumSeqs: wholeNumber.optional(),
  maxModelLen: wholeNumber.optional(),
  chunkedPrefill: z.boolean().optional(),
  cudaGraphs: z.boolean().optional(),
  asyncScheduling: z.boolean().optional(),
  prefixCaching: z.strictObject({ sharedPrefixTokens: z.number().int().min(0), hitRate: z.number().min(0).max(1) }).optional(),
});
export const DeploymentChoiceSchema = z.strictObject({
  tp: wholeNumber.optional(),
  pp: wholeNumber.optional(),
  ep: wholeNumber.optional(),
  weights: WeightFormatSchema.optional(),
  activations: ComputeDtypeSchema.optional(),
  kvCache: KvCacheDtypeSchema.optional(),
  weightOnly: z.boolean().optional(),
  engine: EngineChoiceSchema.optional(),
  speculative: SpeculativeChoiceSchema.optional(),
  attentionDp: wholeNumber.optional(),
});
