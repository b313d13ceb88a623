import type { Model } from '../schema/resolved-model.ts';

/**
 * Parameter counts derived from the architecture (hardware-and-models.md §3.1). The cost model uses the
 * per-component counts; the test suite checks totals against each model's published figures.
 */
export interface ParamBreakdown {
  /** per softmax-attention layer: projections incl. biases, norms inside attention (QK-norm), sinks, a DSA indexer */
  readonly attentionPerLayer: number;
  /** per linear-attention layer of a hybrid stack (0 when none) */
  readonly linearAttentionPerLayer: number;
  /** layers whose token mixer is linear attention instead of softmax attention */
  readonly linearAttentionLayers: number;
  /** per dense-MLP layer */
  readonly denseMlpPerLayer: number;
  /** per MoE layer: one routed expert */
  readonly expertParams: number;
  /** per MoE layer: shared experts together */
  readonly sharedExpertParams: number;
  /** per MoE layer: the router */
  readonly routerParams: number;
  /** per layer: the norms around attention and MLP */
  readonly normsPerLayer: number;
  readonly denseLayers: number;
  readonly moeLayers: number;
  readonly embedding: number;
  /** untied output projection (0 when tied) */
  readonly lmHead: number;
  readonly finalNorm: number;
  readonly total: number;
  /** parameters one token touches: attention, dense/shared MLP, k experts, router, embedding row's table, lm head */
  readonly active: number;
}

export function attentionParamsPerLayer(m: Model): number {
  const a = m.attention;
  const d = m.hiddenSize;
  if (a.mla) {
    const mla = a.mla;
    const qkHead = mla.qkNopeHeadDim + mla.qkRopeHeadDim;
    const q =
      mla.qLoraRank === null
        ? d * a.numHeads * qkHead
        : d * mla.qLoraRank + mla.qLoraRank /* q_a_layernorm */ + mla.qLoraRank * a.numHeads * qkHead;
    const kvDown = d * (mla.kvLoraRank + mla.qkRopeHeadDim) + mla.kvLoraRank; /* kv_a_layernorm */
    const kvUp = mla.kvLoraRank * a.numHeads * (mla.qkNopeHeadDim + mla.vHeadDim);
    const o = a.numHeads * mla.vHeadDim * d;
    return q + kvDown + kvUp + o + indexerParams(m);
  }
  const qDim = a.numHeads * a.headDim;
  const kvDim = a.numKvHeads * a.headDim;
  let p = d * qDim + 2 * d * kvDim + qDim * d;
  if (a.outputGate) p += d * qDim; // q_proj emits [query, gate]
  if (a.qkvBias) p += qDim + 2 * kvDim;
  if (a.oBias) p += d;
  if (a.qkNorm) p += 2 * a.headDim;
  if (a.sinks) p += a.numHeads;
  return p;
}

/**
 * DSA lightning indexer of one layer (DeepSeek-V3.2 inference/model.py `Indexer`): wq_b from the query
 * latent to index_heads x index_head_dim, wk from the hidden state to one key, its LayerNorm (weight and
 * bias), and weights_proj giving one weight per index head.
 */
export function indexerParams(m: Model): number {
  const s = m.attention.sparse;
  if (!s) return 0;
  const qIn = m.attention.mla?.qLoraRank ?? m.hiddenSize;
  return qIn * s.indexHeads * s.indexHeadDim + m.hiddenSize * s.indexHeadDim + 2 * s.indexHeadDim + m.hiddenSize * s.indexHeads;
}

/**
 * One Gated DeltaNet layer (HF Qwen3NextGatedDeltaNet / Qwen3.5): in_proj to q, k (key heads), v and the
 * output gate z (value heads), b and a (one per value head); the depthwise causal conv over q, k, v (no
 * bias); dt_bias and A_log per value head; the gated RMSNorm over a value head; out_proj.
 */
export function linearAttentionParamsPerLayer(m: Model): number {
  const la = m.attention.linearAttention;
  if (!la) return 0;
  const d = m.hiddenSize;
  const keyDim = la.numKeyHeads * la.keyHeadDim;
  const valueDim = la.numValueHeads * la.valueHeadDim;
  const convDim = 2 * keyDim + valueDim;
  return d * (2 * keyDim + 2 * valueDim + 2 * la.numValueHeads) + convDim * la.convKernel + 2 * la.numValueHeads + la.valueHeadDim + valueDim * d;
}

export function paramBreakdown(m: Model): ParamBreakdown {
  const d = m.hiddenSize;
  const mlpMatrices = m.gatedMlp ? 3 : 2;
  const attentionPerLayer = attentionParamsPerLayer(m);
  const denseMlpPerLayer = mlpMatrices * d * m.intermediateSize;
  const normWeights = m.norm === 'layernorm' ? 2 * d : d;
  const normsPerLayer = 2 * normWeights;
  const moe = m.moe;
  const moeLayers = moe ? m.layers - moe.denseLayers : 0;
  const denseLayers = m.layers - moeLayers;
  const expertParams = moe
    ? mlpMatrices * d * moe.expertIntermediateSize + (moe.expertBias ? (mlpMatrices - 1) * moe.expertIntermediateSize + d : 0)
    : 0;
  const sharedExpertParams = moe && moe.numSharedExperts > 0 ? mlpMatrices * d * moe.sharedIntermediateSize : 0;
  const routerParams = moe ? d * moe.numExperts + (moe.routerBias ? moe.numExperts : 0) : 0;
  const embedding = m.vocabSize * d;
  const lmHead = m.tiedEmbeddings ? 0 : m.vocabSize * d;
  const finalNorm = normWeights;

  const perLayerCommon = attentionPerLayer + normsPerLayer;
  const linearAttentionPerLayer = linearAttentionParamsPerLayer(m);
  const linearAttentionLayers = m.attention.linearAttention?.layers ?? 0;
  // token mixers and their norms: softmax layers, plus the linear-attention layers of a hybrid stack
  const mixers =
    linearAttentionLayers === 0
      ? m.layers * perLayerCommon
      : (m.layers - linearAttentionLayers) * perLayerCommon + linearAttentionLayers * (linearAttentionPerLayer + normsPerLayer);
  const total =
    mixers +
    denseLayers * denseMlpPerLayer +
    moeLayers * ((moe?.numExperts ?? 0) * expertParams + sharedExpertParams + routerParams) +
    embedding +
    lmHead +
    finalNorm;
  const active =
    mixers +
    denseLayers * denseMlpPerLayer +
    moeLayers * ((moe?.expertsPerToken ?? 0) * expertParams + sharedExpertParams + routerParams) +
    embedding +
    lmHead +
    finalNorm;
  return {
    attentionPerLayer,
    linearAttentionPerLayer,
    linearAttentionLayers,
    denseMlpPerLayer,
    expertParams,
    sharedExpertParams,
    routerParams,
    normsPerLayer,
    denseLayers,
    moeLayers,
    embedding,
    lmHead,
    finalNorm,
    total,
    active,
  };
}

/** Active parameters as the publisher counts them (some exclude the input embedding). */
export function publishedStyleActive(m: Model, p: ParamBreakdown = paramBreakdown(m)): number {
  const active = m.published.activeExcludesEmbedding ? p.active - p.embedding : p.active;
  return m.published.activeExcludesLmHead ? active - p.lmHead : active;
}
