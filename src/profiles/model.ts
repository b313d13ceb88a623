import type { ModelFile } from '../schema/model.ts';
import type { Model } from '../schema/resolved-model.ts';

export type { LinearAttention, SparseAttention } from '../schema/resolved-model.ts';

export function toModel(f: ModelFile, source: string): Model {
  const a = f.attention;
  return {
    id: f.id,
    name: f.name,
    hfRepo: f.hf_repo,
    family: f.family,
    layers: f.layers,
    hiddenSize: f.hidden_size,
    intermediateSize: f.intermediate_size,
    gatedMlp: f.mlp === 'gated',
    vocabSize: f.vocab_size,
    tiedEmbeddings: f.tie_word_embeddings,
    maxContextTokens: f.max_position_embeddings,
    norm: f.norm,
    attention: {
      numHeads: a.num_heads,
      numKvHeads: a.num_kv_heads,
      headDim: a.head_dim,
      qkvBias: a.qkv_bias,
      oBias: a.o_bias,
      qkNorm: a.qk_norm,
      sinks: a.sinks,
      slidingWindow: a.sliding_window
        ? { size: a.sliding_window.size, layers: a.sliding_window.layers, kind: a.sliding_window.kind }
        : undefined,
      mla: a.mla
        ? {
            qLoraRank: a.mla.q_lora_rank,
            kvLoraRank: a.mla.kv_lora_rank,
            qkNopeHeadDim: a.mla.qk_nope_head_dim,
            qkRopeHeadDim: a.mla.qk_rope_head_dim,
            vHeadDim: a.mla.v_head_dim,
          }
        : undefined,
      outputGate: a.output_gate,
      linearAttention: a.linear_attention
        ? {
            kind: a.linear_attention.kind,
            layers: a.linear_attention.layers,
            numKeyHeads: a.linear_attention.num_key_heads,
            numValueHeads: a.linear_attention.num_value_heads,
            keyHeadDim: a.linear_attention.key_head_dim,
            valueHeadDim: a.linear_attention.value_head_dim,
            convKernel: a.linear_attention.conv_kernel,
            stateDtype: a.linear_attention.state_dtype,
          }
        : undefined,
      sparse: a.sparse
        ? { kind: a.sparse.kind, indexHeads: a.sparse.index_heads, indexHeadDim: a.sparse.index_head_dim, topK: a.sparse.top_k }
        : undefined,
    },
    moe: f.moe
      ? {
          numExperts: f.moe.num_experts,
          expertsPerToken: f.moe.experts_per_token,
          expertIntermediateSize: f.moe.expert_intermediate_size,
          numSharedExperts: f.moe.num_shared_experts,
          sharedIntermediateSize:
            f.moe.shared_expert_intermediate_size ?? f.moe.expert_intermediate_size * f.moe.num_shared_experts,
          denseLayers: f.moe.dense_layers,
          routerBias: f.moe.router_bias,
          expertBias: f.moe.expert_bias,
        }
      : undefined,
    nativeWeights: f.native_weights,
    mtpLayers: f.mtp_layers,
    published: {
      total: f.published.total,
      active: f.published.active,
      activeExcludesEmbedding: f.published.active_excludes_embedding,
      activeExcludesLmHead: f.published.active_excludes_lm_head,
      notModelledParams: f.published.not_modelled?.params ?? 0,
      source: f.published.source,
    },
    source,
  };
}
