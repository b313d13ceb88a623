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
