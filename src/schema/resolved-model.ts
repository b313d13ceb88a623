import type { ModelFile } from './model.ts';

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
    /** q_proj emits a per-head output gate too (Qwen3.5 attn_output_gate); false for every earlier model */
    readonly outputGate: boolean;
    readonly linearAttention: LinearAttention | undefined;
    readonly sparse: SparseAttention | undefined;
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
  /** multi-token-prediction layers in the checkpoint, outside the counted totals */
  readonly mtpLayers: number;
  readonly published: {
    readonly total: number;
    readonly active: number | undefined;
    readonly activeExcludesEmbedding: boolean;
    readonly activeExcludesLmHead: boolean;
    /** parameters in the published total outside this profile (a vision encoder); 0 when none */
    readonly notModelledParams: number;
    readonly source: string;
  };
  readonly source: string;
}

/** Gated DeltaNet layers of a hybrid stack (see schema/model.ts LinearAttentionSchema). */
export interface LinearAttention {
  readonly kind: 'gated_deltanet';
  readonly layers: number;
  readonly numKeyHeads: number;
  readonly numValueHeads: number;
  readonly keyHeadDim: number;
  readonly valueHeadDim: number;
  readonly convKernel: number;
  readonly stateDtype: 'bf16' | 'fp32';
}

/** DeepSeek sparse attention: a lightning indexer over all keys, attention over the top-k. */
export interface SparseAttention {
  readonly kind: 'dsa';
  readonly indexHeads: number;
  readonly indexHeadDim: number;
  readonly topK: number;
}
