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

export const LinearAttentionSchema = z
  .strictObject({
    kind: z.literal('gated_deltanet').describe('Gated DeltaNet (Qwen3-Next, Qwen3.5): a gated delta-rule recurrence per value head'),
    layers: posInt.describe('layers whose token mixer is linear attention: no KV cache, a fixed-size state per sequence'),
    num_key_heads: posInt.describe('linear_num_key_heads'),
    num_value_heads: posInt.describe('linear_num_value_heads: one dk x dv state matrix per value head'),
    key_head_dim: posInt.describe('linear_key_head_dim'),
    value_head_dim: posInt.describe('linear_value_head_dim'),
    conv_kernel: posInt.describe('linear_conv_kernel_dim: causal depthwise conv over q, k, v; its last kernel-1 inputs are cached'),
    state_dtype: z.enum(['bf16', 'fp32']).default('bf16').describe('dtype of the recurrent state (mamba_ssm_dtype); the conv state is bf16'),
  })
  .describe('Linear-attention layers replacing softmax attention in a hybrid stack');

export const SparseAttentionSchema = z
  .strictObject({
    kind: z.literal('dsa').describe('DeepSeek sparse attention (DeepSeek-V3.2, GLM-5): a lightning indexer picks top-k keys per query'),
    index_heads: posInt.describe('index_n_heads'),
    index_head_dim: posInt.describe('index_head_dim: one indexer key of this width is cached per token per layer (fp8 + a 4-byte scale)'),
    top_k: posInt.describe('index_topk: keys each query attends to'),
  })
  .describe('Sparse attention on every softmax layer: the indexer scores all keys, attention reads only the top-k');

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
  output_gate: z.boolean().default(false).describe('attn_output_gate (Qwen3.5): q_proj also emits a sigmoid gate per head, twice as wide'),
  linear_attention: LinearAttentionSchema.optional(),
  sparse: SparseAttentionSchema.optional(),
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
  active_excludes_lm_head: z
    .boolean()
    .default(false)
    .describe('the publisher also leaves the output projection out of the active count (GLM-5: 40B = 39.88B without both)'),
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
  native_weights: z
    .enum(['bf16', 'fp16', 'fp8', 'mxfp4', 'int4g32'])
    .default('bf16')
    .describe('int4g32: routed experts in INT4 with one bf16 scale per 32 weights (compressed-tensors pack-quantized, Kimi K2.5), the rest bf16'),
  mtp_layers: z
    .number()
    .int()
    .nonnegative()
    .default(0)
    .describe('multi-token-prediction layers shipped with the checkpoint (num_nextn_predict_layers); not counted in the totals, not run by the cost model'),
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
  if (a.linear_attention && a.linear_attention.layers >= m.layers)
    issue(['attention', 'linear_attention', 'layers'], `expected fewer than layers (${m.layers}): a hybrid stack keeps some softmax layers, found ${a.linear_attention.layers}`);
  if (a.linear_attention && a.sliding_window)
    issue(['attention', 'linear_attention'], 'expected either linear_attention or sliding_window: the cost model does not combine them');
  if (a.sparse && !a.mla) issue(['attention', 'sparse'], 'expected mla with sparse attention: DSA indexes an MLA latent cache');
  if (m.moe) {
    if (m.moe.experts_per_token > m.moe.num_experts)
      issue(['moe', 'experts_per_token'], `expected at most num_experts (${m.moe.num_experts}), found ${m.moe.experts_per_token}`);
    if (m.moe.dense_layers > m.layers) issue(['moe', 'dense_layers'], `expected at most layers (${m.layers}), found ${m.moe.dense_layers}`);
  }
});

export type ModelFile = z.infer<typeof ModelFileSchema>;
export type ModelFileInput = z.input<typeof ModelFileSchema>;
