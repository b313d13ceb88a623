import { z } from 'zod';

/**
 * The `models/*.yaml` file format: a model's architecture as its Hugging Face `config.json` states it,
 * renamed into one vocabulary across families. Quantization is NOT part of a model: it belongs to a
 * deployment (see schema/deployment.ts). `native_weights` only records the checkpoint's own format.
 *
 * Parameter counts are derived from these fields (cost/params.ts) and checked against `published` in
 * the test suite, so a typo in a dimension is caught.
 */

const posInt = z.number().int().positive();

export const MlaSchema = z
  .strictObject({
    q_lora_rank: posInt.nullable().describe('null when queries are not low-rank (DeepSeek-V2-Lite)'),
    kv_lora_rank: posInt,
    qk_nope_head_dim: posInt,
    qk_rope_head_dim: posInt,
    v_head_dim: posInt,
  })
  .describe('Multi-head latent attention (DeepSeek-V2/V3)');

export const SlidingWindowSchema = z.strictObject({
  size: posInt.describe('window (sliding) or chunk (chunked) in tokens'),
  layers: posInt.describe('how many layers use the window (the rest attend to the full context)'),
  kind: z
    .enum(['sliding', 'chunked'])
    .default('sliding')
    .describe(
      'sliding: a token attends to the previous `size` tokens (Mistral, gpt-oss); chunked: to the tokens of its own ' +
        'aligned chunk of `size` (Llama 4 attention_chunk_size), i.e. (position mod size) + 1 keys, and only the current ' +
        "chunk's KV needs to stay cached. A cost model that treats chunked as sliding is exact up to `size` tokens of " +
        'context and an upper bound beyond',
    ),
});

export const AttentionSchema = z.strictObject({
  num_heads: posInt,
  num_kv_heads: posInt.describe('= num_heads for MHA, fewer for GQA, 1 for MQA; for MLA the number of heads'),
  head_dim: posInt,
  qkv_bias: z.boolean().default(false),
  o_bias: z.boolean().default(false),
  qk_norm: z.boolean().default(false),
  sinks: z.boolean().default(false).describe('learned attention-sink logits per head (gpt-oss)'),
  sliding_window: SlidingWindowSchema.optional(),
  mla: MlaSchema.optional(),
});

export const MoeSchema = z.strictObject({
  num_experts: posInt.describe('routed experts per MoE layer'),
  experts_per_token: posInt.describe('top-k'),
  expert_intermediate_size: posInt,
  num_shared_experts: z.number().int().nonnegative().default(0),
  shared_expert_intermediate_size: posInt.optional().describe('defaults to expert_intermediate_size × num_shared_experts'),
  dense_layers: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe(
      'layers with a dense MLP (intermediate_size) instead of experts: DeepSeek first_k_dense_replace (leading), Llama 4 ' +
        'interleave_moe_layer_step (interleaved). Only the count matters to the cost model: pipeline stages get equal layer shares',
    ),
  router_bias: z.boolean().default(false),
  expert_bias: z.boolean().default(false).describe('biases on expert projections (gpt-oss)'),
});

export const PublishedParamsSchema = z.strictObject({
  total: z.number().positive().describe('published total parameter count'),
  active: z.number().positive().optional().describe('published active parameters per token (MoE)'),
  active_excludes_embedding: z.boolean().default(false).describe('the publisher counts active parameters without the input embedding'),
  not_modelled: z
    .strictObject({
      params: posInt.describe('parameters the published total counts that this text-only profile does not describe'),
      what: z.string().min(3).describe('what they are and where the count comes from'),
    })
    .optional()
    .describe(
      "a multimodal checkpoint's vision encoder and projector (Llama 4): the parameter check compares derived + params with " +
        'the published total. Engines that load the encoder hold these weights too (BF16), which the memory plan does not count',
    ),
  source: z.string(),
});

export const ModelFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case id like "llama-3.1-8b"'),
  name: z.string(),
  hf_repo: z.string().describe('Hugging Face repository the config was taken from'),
  family: z.string().describe('HF model_type, e.g. llama, mistral, mixtral, qwen2, qwen3, qwen3_moe, deepseek_v3, gpt_oss'),
  layers: posInt,
  hidden_size: posInt,
  intermediate_size: posInt.describe('dense MLP width (for MoE models: the dense layers, if any)'),
  mlp: z.enum(['gated', 'ungated']).default('gated').describe('gated = SwiGLU/GeGLU (3 matrices), ungated = 2'),
  vocab_size: posInt,
  tie_word_embeddings: z.boolean(),
  max_position_embeddings: posInt,
  norm: z.enum(['rmsnorm', 'layernorm']).default('rmsnorm'),
  attention: AttentionSchema,
  moe: MoeSchema.optional(),
  native_weights: z.enum(['bf16', 'fp16', 'fp8', 'mxfp4']).default('bf16'),
  mtp_modules: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('multi-token-prediction modules shipped with the checkpoint (DeepSeek num_nextn_predict_layers, MiniMax num_mtp_modules); MTP speculative decoding needs at least one. Not counted in the parameter totals'),
  published: PublishedParamsSchema,
  sources: z.array(z.string().min(3)).min(1),
  notes: z.string().optional(),
}).superRefine((m, ctx) => {
  // relations between fields that each look fine alone; the cost model divides by these
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const a = m.attention;
  if (a.num_kv_heads > a.num_heads) issue(['attention', 'num_kv_heads'], `expected at most num_heads (${a.num_heads}), found ${a.num_kv_heads}`);
  else if (a.num_heads % a.num_kv_heads !== 0)
    issue(['attention', 'num_kv_heads'], `expected a divisor of num_heads (${a.num_heads}): each KV head serves a whole group of query heads; found ${a.num_kv_heads}`);
  if (a.sliding_window && a.sliding_window.layers > m.layers)
    issue(['attention', 'sliding_window', 'layers'], `expected at most layers (${m.layers}), found ${a.sliding_window.layers}`);
  if (m.moe) {
    if (m.moe.experts_per_token > m.moe.num_experts)
      issue(['moe', 'experts_per_token'], `expected at most num_experts (${m.moe.num_experts}), found ${m.moe.experts_per_token}`);
    if (m.moe.dense_layers > m.layers) issue(['moe', 'dense_layers'], `expected at most layers (${m.layers}), found ${m.moe.dense_layers}`);
  }
});

export type ModelFile = z.infer<typeof ModelFileSchema>;
export type ModelFileInput = z.input<typeof ModelFileSchema>;
