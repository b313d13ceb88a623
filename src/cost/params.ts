import type { Model } from '../schema/resolved-model.ts';

/**
 * Parameter counts derived from the architecture (hardware-and-models.md §3.1). The cost model uses the
 * per-component counts; the test suite checks totals against each model's published figures.
 */
export interface ParamBreakdown {
  /** per layer, attention projections incl. biases, norms inside attention (QK-norm), sinks */
  readonly attentionPerLayer: number;
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
    return q + kvDown + kvUp + o;
  }
  const qDim = a.numHeads * a.headDim;
  const kvDim = a.numKvHeads * a.headDim;
  let p = d * qDim + 2 * d * kvDim + qDim * d;
  if (a.qkvBias) p += qDim + 2 * kvDim;
  if (a.oBias) p += d;
  if (a.qkNorm) p += 2 * a.headDim;
  if (a.sinks) p += a.numHeads;
  return p;
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
  const total =
    m.layers * perLayerCommon +
    denseLayers * denseMlpPerLayer +
    moeLayers * ((moe?.numExperts ?? 0) * expertParams + sharedExpertParams + routerParams) +
    embedding +
    lmHead +
    finalNorm;
  const active =
    m.layers * perLayerCommon +
    denseLayers * denseMlpPerLayer +
    moeLayers * ((moe?.expertsPerToken ?? 0) * expertParams + sharedExpertParams + routerParams) +
    embedding +
    lmHead +
    finalNorm;
  return {
    attentionPerLayer,
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
  return m.published.activeExcludesEmbedding ? p.active - p.embedding : p.active;
}
