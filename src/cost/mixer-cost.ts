import type { Deployment } from './deployment.ts';
import { indexerKeyBytesPerToken, linearAttentionActDims, linearAttentionGemmParamsPerGpu, recurrentStateBytesPerSeqPerLayer } from './mixer-memory.ts';
import { attentionParamsPerGpu, kvHeadsPerGpu } from './memory-plan.ts';

/**
 * Per-GPU constants of the token mixers, folded once per deployment for StepCostModel
 * (docs/cost-model.md): softmax attention's widths, a hybrid stack's linear-attention layers, a DSA
 * indexer. Every field of a mixer a model lacks is 0 (or Infinity for the top-k), so the step formulas
 * reduce to the plain softmax ones.
 */
export interface MixerConstants {
  /** layers with softmax attention (all but a hybrid's linear-attention layers) */
  readonly softmaxLayers: number;
  /** mean per layer of the attention-projection GEMM parameters and of their activation widths */
  readonly projParams: number;
  readonly projActDims: number;
  /** attention widths: prefill (MHA form for MLA) and decode (weight-absorbed latent for MLA) */
  readonly qkDim: number;
  readonly vDim: number;
  readonly decodeQkDim: number;
  readonly decodeVDim: number;
  /** FLOPs per cached context token to re-expand an MLA latent to K and V in prefill (0 when absorbed) */
  readonly mlaUpProjPerToken: number;
  /** keys each query attends to under sparse attention (Infinity without) */
  readonly topK: number;
  readonly linear: LinearAttentionConstants;
  readonly indexer: IndexerConstants;
}

/** Gated DeltaNet layers (0 layers when the model has none). */
export interface LinearAttentionConstants {
  readonly layers: number;
  /** recurrence FLOPs per token per layer on one GPU: decode (recurrent form) and prefill (chunked form) */
  readonly decodeFlopsPerToken: number;
  readonly prefillFlopsPerToken: number;
  /** recurrent + conv state of one sequence in one layer on one GPU: read and written once per step */
  readonly stateBytesPerSeq: number;
  /** bytes per token the recurrence kernel reads (q, k, v) and writes (o) */
  readonly actBytesPerToken: number;
}

/** DSA lightning indexer (0 heads when the model has none); replicated on every TP rank. */
export interface IndexerConstants {
  /** FLOPs per (query, key) pair: 2 x index_heads x index_head_dim */
  readonly flopsPerKey: number;
  /** cached indexer key per token per layer */
  readonly keyBytes: number;
}

/** FLA's chunk_gated_delta_rule processes prefill in chunks of 64 tokens. */
export const GDN_CHUNK_TOKENS = 64;

export function mixerConstants(d: Deployment): MixerConstants {
  const m = d.model;
  const tp = d.tp;
  const a = m.attention;
  const softmax = softmaxConstants(d);
  const la = a.linearAttention;
  const linearLayers = la?.layers ?? 0;
  const softmaxLayers = m.layers - linearLayers;
  const attn = attentionParamsPerGpu(m, tp);
  const softmaxProj = attn.replicatedLinear + attn.sharded;
  // a hybrid stack's projections differ per layer kind: the per-layer mean keeps L x mean exact in total
  const projParams = la ? (softmaxLayers * softmaxProj + linearLayers * linearAttentionGemmParamsPerGpu(m, tp)) / m.layers : softmaxProj;
  const projActDims = la ? (softmaxLayers * softmax.projActDims + linearLayers * linearAttentionActDims(m, tp)) / m.layers : softmax.projActDims;
  const state = la ? la.keyHeadDim * la.valueHeadDim : 0;
  const valueHeads = la ? la.numValueHeads / tp : 0;
  return {
    ...softmax,
    softmaxLayers,
    projParams,
    projActDims,
    topK: a.sparse?.topK ?? Infinity,
    linear: {
      layers: linearLayers,
      // per value head: decay (1), kᵀS (2), rank-1 update (2), qᵀS (2) per state element
      decodeFlopsPerToken: valueHeads * 7 * state,
      // chunked form: state terms (6 per element) plus the intra-chunk attention of C tokens over dk + dv
      prefillFlopsPerToken: la ? valueHeads * (6 * state + 2 * GDN_CHUNK_TOKENS * (la.keyHeadDim + la.valueHeadDim)) : 0,
      stateBytesPerSeq: recurrentStateBytesPerSeqPerLayer(m, tp),
      actBytesPerToken: la ? ((2 * la.numKeyHeads * la.keyHeadDim + 2 * la.numValueHeads * la.valueHeadDim) / tp) * 2 : 0,
    },
    indexer: {
      flopsPerKey: a.sparse ? 2 * a.sparse.indexHeads * a.sparse.indexHeadDim : 0,
      keyBytes: indexerKeyBytesPerToken(m),
    },
  };
}

/** Softmax attention widths; MLA runs prefill in the MHA form unless it is sparse (FlashMLA sparse absorbs both). */
function softmaxConstants(d: Deployment): Pick<MixerConstants, 'projActDims' | 'qkDim' | 'vDim' | 'decodeQkDim' | 'decodeVDim' | 'mlaUpProjPerToken'> {
  const m = d.model;
  const a = m.attention;
  const tp = d.tp;
  if (a.mla) {
    const mla = a.mla;
    const decodeQkDim = mla.kvLoraRank + mla.qkRopeHeadDim; // decode runs on the latent (512 + 64 for K, 512 for V)
    const projActDims = 2 * m.hiddenSize + (a.numHeads * (mla.qkNopeHeadDim + mla.qkRopeHeadDim + mla.vHeadDim)) / tp;
    if (a.sparse) return { projActDims, qkDim: decodeQkDim, vDim: mla.kvLoraRank, decodeQkDim, decodeVDim: mla.kvLoraRank, mlaUpProjPerToken: 0 };
    return {
      projActDims,
      qkDim: mla.qkNopeHeadDim + mla.qkRopeHeadDim,
      vDim: mla.vHeadDim,
      decodeQkDim,
      decodeVDim: mla.kvLoraRank,
      // prefill with cached context re-expands the latent to K and V for every context token
      mlaUpProjPerToken: 2 * mla.kvLoraRank * ((a.numHeads * (mla.qkNopeHeadDim + mla.vHeadDim)) / tp),
    };
  }
  const qDim = (a.numHeads / tp) * a.headDim;
  const kvDim = kvHeadsPerGpu(m, tp) * a.headDim;
  const gateDim = a.outputGate ? qDim : 0; // Qwen3.5: q_proj also writes the output gate
  return { projActDims: 2 * m.hiddenSize + 2 * qDim + 2 * kvDim + gateDim, qkDim: a.headDim, vDim: a.headDim, decodeQkDim: a.headDim, decodeVDim: a.headDim, mlaUpProjPerToken: 0 };
}
