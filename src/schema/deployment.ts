import { z } from 'zod';
import { ComputeDtypeSchema, KvCacheDtypeSchema, WeightFormatSchema } from './dtype.ts';
import { EngineFamilySchema } from './engines.ts';
import { FLAG_META } from './flag-meta.ts';
import { AttentionDpSchema, SpeculativeChoiceSchema } from './techniques.ts';

export { ENGINE_FAMILIES, EngineFamilySchema, type EngineFamily } from './engines.ts';

/**
 * A deployment choice (parallelism, quantization, engine settings): the ONE schema for it. CLI flags,
 * SERVESIM_* variables, scenario files, sweep grids, compare's candidate strings and library callers are all
 * parsed against it (schema/deployment-flags.ts), and the CLI's options and help are generated from the
 * `flag(...)` metadata below. To add an engine setting: add one field here (and its default, if any, to
 * engines.ts); flags, help, scenario keys, sweep grid keys and candidate keys follow.
 * Field names are camelCase; the flag is the kebab-case of the name unless the metadata says otherwise.
 */
const wholeNumber = z.number().int().min(1);
/** vLLM's CUDA block sizes go up to 128 tokens; far larger blocks only waste KV cache */
export const MAX_BLOCK_SIZE = 1024;

export const PrefixCachingChoiceSchema = z.strictObject({
  sharedPrefixTokens: z.number().int().min(0).default(0).register(FLAG_META, { name: 'prefix-tokens', describe: 'shared prompt prefix length for prefix caching' }),
  hitRate: z.number().min(0).max(1).default(1).register(FLAG_META, { name: 'prefix-hit-rate', describe: 'share of requests that hit the prefix cache (0..1)' }),
});

export const EngineChoiceSchema = z.strictObject({
  family: EngineFamilySchema.optional().register(FLAG_META, { name: 'engine', describe: 'engine family', defaultText: 'vllm' }),
  gpuMemoryUtilization: z.number().gt(0).max(1).optional().register(FLAG_META, { describe: 'share of GPU memory the engine may use' }),
  blockSize: wholeNumber.max(MAX_BLOCK_SIZE).optional().register(FLAG_META, { describe: 'KV block size in tokens' }),
  maxNumBatchedTokens: wholeNumber.optional().register(FLAG_META, { describe: 'token budget per step' }),
  maxNumSeqs: wholeNumber.optional().register(FLAG_META, { describe: 'max running sequences' }),
  maxModelLen: wholeNumber.optional().register(FLAG_META, { describe: 'max tokens per request', defaultText: "the model's context" }),
  chunkedPrefill: z.boolean().optional().register(FLAG_META, { describe: 'chunked prefill' }),
  cudaGraphs: z.boolean().optional().register(FLAG_META, { describe: 'CUDA-graph decode' }),
  asyncScheduling: z.boolean().optional().register(FLAG_META, { describe: 'CPU scheduling overlapped with the GPU step' }),
  streamInterval: wholeNumber.optional().register(FLAG_META, {
    describe: 'tokens per streamed chunk (SGLang --stream-interval): the first token at once, then one chunk per k tokens; ITL is per chunk, TPOT per token',
    defaultText: '1',
  }),
  schedulerSteps: wholeNumber.optional().register(FLAG_META, {
    describe:
      'decode steps per scheduling round (vLLM before V1, --num-scheduler-steps): waiting requests are admitted only between rounds, and tokens stream one chunk per round',
    defaultText: '1',
  }),
  prefixCaching: PrefixCachingChoiceSchema.optional(),
  prefixCache: z.enum(['off', 'vllm', 'radix']).optional().register(FLAG_META, {
    describe: 'simulated prefix cache: vllm (hash-chained blocks, LRU) or radix (SGLang radix tree, leaves first); hits emerge from the workload',
    defaultText: 'off',
  }),
  kvOffloadGb: z.number().min(0).optional().register(FLAG_META, {
    describe: 'host-memory KV tier per replica, GB: prefix blocks evicted from the GPU move there and load back on a hit (needs --prefix-cache)',
    defaultText: '0 (none)',
  }),
  kvOffloadDiskGb: z.number().min(0).optional().register(FLAG_META, {
    describe:
      "local-disk KV tier per replica, GB, below the host-memory tier: blocks that tier evicts move there and load back on a hit at the profile's local_disk read bandwidth (needs --kv-offload-gb)",
    defaultText: '0 (none)',
  }),
  preemption: z.enum(['recompute', 'swap']).optional().register(FLAG_META, {
    describe: 'preempted KV: recompute it later (vLLM V1, SGLang) or swap it to host memory and back over the host link',
    defaultText: 'recompute',
  }),
});

export const DeploymentChoiceSchema = z.strictObject({
  tp: wholeNumber.optional().register(FLAG_META, { describe: 'tensor-parallel degree', defaultText: 'the smallest that fits' }),
  pp: wholeNumber.optional().register(FLAG_META, { describe: 'pipeline-parallel degree', defaultText: '1' }),
  ep: wholeNumber.optional().register(FLAG_META, { describe: 'expert-parallel degree (MoE); must divide tp', defaultText: '1' }),
  weights: WeightFormatSchema.optional().register(FLAG_META, { describe: 'weight format', defaultText: "the model's native format" }),
  activations: ComputeDtypeSchema.optional().register(FLAG_META, {
    describe: 'GEMM activation format',
    defaultText: 'fp8 with fp8 weights on GPUs with fp8 tensor cores, else bf16',
  }),
  kvCache: KvCacheDtypeSchema.optional().register(FLAG_META, { describe: 'KV-cache dtype', defaultText: 'bf16' }),
  weightOnly: z.boolean().optional().register(FLAG_META, { describe: 'low-precision weights on wider tensor cores (e.g. FP8 on A100)', defaultText: 'off' }),
  engine: EngineChoiceSchema.optional(),
  speculative: SpeculativeChoiceSchema.optional(),
  attentionDp: AttentionDpSchema,
});

/** A deployment choice as code gives it; `resolveDeployment` (cost/deployment.ts) fills the defaults. */
export type DeploymentChoice = z.output<typeof DeploymentChoiceSchema>;
