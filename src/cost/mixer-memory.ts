import type { Model } from '../schema/resolved-model.ts';

/**
 * Memory of the token mixers that are not plain softmax attention (docs/cost-model.md, "Hybrid linear
 * attention" and "Sparse attention"): which layers hold a paged KV cache, the fixed-size recurrent state a
 * linear-attention layer keeps per sequence instead, and the indexer key a DSA layer caches per token.
 */

/** Layers whose KV cache grows with the context: all of them except a hybrid stack's linear-attention layers. */
export function kvLayerCount(m: Model): number {
  return m.layers - (m.attention.linearAttention?.layers ?? 0);
}

/**
 * DSA indexer key cached per token per layer: index_head_dim fp8 values and one fp32 scale (vLLM's indexer
 * cache stores the key quantised to fp8 with a per-token scale whatever the KV-cache dtype).
 */
export function indexerKeyBytesPerToken(m: Model): number {
  const s = m.attention.sparse;
  return s ? s.indexHeadDim + 4 : 0;
}

/**
 * Recurrent state of one Gated DeltaNet layer for one sequence on one GPU (value heads and the conv
 * channels split over TP): a key_head_dim x value_head_dim matrix per value head in state_dtype, plus the
 * last conv_kernel - 1 inputs of the depthwise conv over q, k and v in bf16.
 */
export function recurrentStateBytesPerSeqPerLayer(m: Model, tp: number): number {
  const la = m.attention.linearAttention;
  if (!la) return 0;
  const stateBytes = la.stateDtype === 'fp32' ? 4 : 2;
  const ssm = (la.numValueHeads / tp) * la.keyHeadDim * la.valueHeadDim * stateBytes;
  const convDim = 2 * la.numKeyHeads * la.keyHeadDim + la.numValueHeads * la.valueHeadDim;
  const conv = (la.convKernel - 1) * (convDim / tp) * 2;
  return ssm + conv;
}

/** Parameters of one linear-attention layer on one GPU: projections and conv split over TP, per-head vectors too. */
export function linearAttentionGemmParamsPerGpu(m: Model, tp: number): number {
  const la = m.attention.linearAttention;
  if (!la) return 0;
  const d = m.hiddenSize;
  const keyDim = la.numKeyHeads * la.keyHeadDim;
  const valueDim = la.numValueHeads * la.valueHeadDim;
  // in_proj (q, k, v, z, b, a) and out_proj: the GEMMs; conv, dt_bias, A_log and the norm are negligible
  return (d * (2 * keyDim + 2 * valueDim + 2 * la.numValueHeads) + valueDim * d) / tp;
}

/**
 * Activation widths the projections of one linear-attention layer read and write per token on one GPU:
 * in_proj reads the hidden state and writes q, k (key dim each), v and z (value dim each); out_proj reads
 * the gated output (value dim) and writes the hidden state.
 */
export function linearAttentionActDims(m: Model, tp: number): number {
  const la = m.attention.linearAttention;
  if (!la) return 0;
  return 2 * m.hiddenSize + (2 * la.numKeyHeads * la.keyHeadDim + 3 * la.numValueHeads * la.valueHeadDim) / tp;
}
