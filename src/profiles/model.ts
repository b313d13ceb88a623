import type { ModelFile } from '../schema/model.ts';

/** A model's architecture with every default resolved. Dimensions are counts, not bytes. */
export interface Model {
  readonly id: string;
  readonly name: string;
  readonly hfRepo: string;
  readonly family: string;
  readonly layers: number;
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly gatedMlp: boolean;
  readonly vocabSize: number;
  readonly tiedEmbeddings: boolean;
  readonly maxContextTokens: number;
  readonly norm: 'rmsnorm' | 'layernorm';
  readonly attention: {
    readonly numHeads: number;
    readonly numKvHeads: number;
    readonly headDim: number;
    readonly qkvBias: boolean;
    readonly oBias: boolean;
    readonly qkNorm: boolean;
    readonly sinks: boolean;
    readonly slidingWindow: { readonly size: number; readonly layers: number; readonly kind: 'sliding' | 'chunked' } | undefined;
    readonly mla:
      | {
          readonly qLoraRank: number | null;
          readonly kvLoraRank: number;
          readonly qkNopeHeadDim: number;
          readonly qkRopeHeadDim: number;
          readonly vHeadDim: number;
        }
      | undefined;
  };
  readonly moe:
    | {
        readonly numExperts: number;
        readonly expertsPerToken: number;
        readonly expertIntermediateSize: number;
        readonly numSharedExperts: number;
        readonly sharedIntermediateSize: number;
        readonly denseLayers: number;
        readonly routerBias: boolean;
        readonly expertBias: boolean;
      }
    | undefined;
  readonly nativeWeights: ModelFile['native_weights'];
  /** multi-token-prediction modules in the checkpoint (0 when none): MTP speculative decoding needs one */
  readonly mtpModules: number;
  readonly published: {
    readonly total: number;
    readonly active: number | undefined;
    readonly activeExcludesEmbedding: boolean;
    /** parameters in the published total outside this profile (a vision encoder); 0 when none */
    readonly notModelledParams: number;
    readonly source: string;
  };
  readonly source: string;
}

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
    mtpModules: f.mtp_modules,
    published: {
      total: f.published.total,
      active: f.published.active,
      activeExcludesEmbedding: f.published.active_excludes_embedding,
      notModelledParams: f.published.not_modelled?.params ?? 0,
      source: f.published.source,
    },
    source,
  };
}
