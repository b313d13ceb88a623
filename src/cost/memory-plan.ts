import { InfeasibleError } from '../diagnostics/errors.ts';
import type { Model } from '../schema/resolved-model.ts';
import { EXPERT_ONLY_WEIGHT_FORMATS, KV_BYTES, WEIGHT_BYTES, type WeightFormat } from '../schema/dtype.ts';
import { GiB } from '../units.ts';
import type { Deployment } from './deployment.ts';
import { indexerKeyBytesPerToken, kvLayerCount, linearAttentionGemmParamsPerGpu, recurrentStateBytesPerSeqPerLayer } from './mixer-memory.ts';
import { indexerParams, paramBreakdown } from './params.ts';

/**
 * Where one GPU's memory goes (vLLM's accounting): weights of its shard, an activation/workspace
 * reserve, and the KV cache gets what is left of `gpu_memory_utilization × capacity`.
 */
export interface MemoryPlan {
  readonly capacityBytes: number;
  readonly budgetBytes: number; // capacity × gpu_memory_utilization
  readonly weightBytesPerGpu: number;
  readonly weightBreakdown: { readonly quantized: number; readonly bf16: number; readonly replicated: number };
  readonly activationReserveBytes: number;
  readonly kvCacheBytes: number;
  /** K and V of one token on one GPU, all layers of its pipeline stage */
  readonly kvBytesPerTokenPerGpu: number;
  /** same for the whole model on one replica (all GPUs) — the figure usually quoted */
  readonly kvBytesPerTokenModel: number;
  readonly kvBlocks: number;
  readonly kvTokens: number;
  readonly blockSize: number;
  /** sequences of `maxModelLen` tokens that fit at once */
  readonly maxConcurrencyAtMaxLen: number;
  /**
   * hybrid linear-attention models only: the fixed-size state each running sequence keeps in the
   * linear-attention layers, reserved for max_num_seqs sequences before the KV cache gets the rest
   */
  readonly recurrentState?: { readonly bytesPerSeqPerGpu: number; readonly reservedSeqs: number; readonly reserveBytes: number };
  readonly notes: readonly string[];
}

/** Fixed reserve vLLM does not give to the KV cache: CUDA context, NCCL and cuBLAS workspaces. */
const NON_TORCH_RESERVE_BYTES = 1.0 * GiB;
/** CUDA-graph pools (vLLM logs 0.3–1 GiB for captured decode graphs). */
const CUDA_GRAPH_RESERVE_BYTES = 0.5 * GiB;

export function kvBytesPerTokenPerLayer(model: Model, kvElementBytes: number, tp: number): number {
  const a = model.attention;
  // latent, replicated across TP; a DSA layer caches its indexer key beside it
  if (a.mla) return (a.mla.kvLoraRank + a.mla.qkRopeHeadDim) * kvElementBytes + indexerKeyBytesPerToken(model);
  return 2 * kvHeadsPerGpu(model, tp) * a.headDim * kvElementBytes;
}

export function planMemory(d: Deployment): MemoryPlan {
  const m = d.model;
  const p = paramBreakdown(m);
  const notes: string[] = [];
  const attnBytes = nonExpertWeightBytes(d.quantization.weights);
  const denseBytes = attnBytes;
  const layersPerStage = Math.ceil(m.layers / d.pp);
  const layerShare = layersPerStage / m.layers;

  const attn = attentionParamsPerGpu(m, d.tp);
  const moe = m.moe;
  const expertBytesPerGpu = moe ? expertWeightBytesPerGpu(d, p.moeLayers * moe.numExperts * p.expertParams, p.moeLayers * p.sharedExpertParams) : 0;
  const quantized =
    layerShare *
    (mixerShardedParamsPerGpu(m, d.tp, attn.sharded) * attnBytes + (p.denseLayers * p.denseMlpPerLayer * denseBytes) / d.tp + expertBytesPerGpu);
  const replicated =
    layerShare *
    (m.layers * ((attn.replicatedLinear + attn.replicatedNorms) * attnBytes + p.normsPerLayer * 2) + p.moeLayers * p.routerParams * 2);
  // embedding on the first stage, lm head on the last: size the worst stage
  const vocabBf16 = d.pp === 1 ? ((p.embedding + p.lmHead) * 2) / d.tp : (Math.max(p.embedding, p.lmHead || p.embedding) * 2) / d.tp;
  const draft = drafterFootprint(d);
  const weightBytesPerGpu = quantized + replicated + vocabBf16 + p.finalNorm * 2 + draft.weightBytes;

  const capacityBytes = d.hardware.memoryBytes;
  const budgetBytes = capacityBytes * d.engine.gpuMemoryUtilization;
  const activationReserveBytes = activationPeakBytes(d) + NON_TORCH_RESERVE_BYTES + (d.engine.cudaGraphs ? CUDA_GRAPH_RESERVE_BYTES : 0);
  const kvElem = KV_BYTES[d.quantization.kvCache];
  const kvLayers = kvLayerCount(m);
  const kvBytesPerTokenPerGpu = Math.ceil(kvLayers / d.pp) * kvBytesPerTokenPerLayer(m, kvElem, d.tp) + draft.kvBytesPerToken;
  const kvBytesPerTokenModel = kvLayers * kvBytesPerTokenPerLayer(m, kvElem, 1);
  if (m.attention.slidingWindow)
    notes.push(
      `${m.attention.slidingWindow.layers} sliding-window layers are sized for the full context (vLLM before the hybrid KV allocator); real usage at long context is lower`,
    );
  const recurrentState = planRecurrentState(d);
  if (recurrentState) notes.push(recurrentStateNote(d, recurrentState));
  if (m.attention.sparse)
    notes.push(
      `DSA: each layer caches a ${indexerKeyBytesPerToken(m)}-byte fp8 indexer key per token beside the MLA latent; attention reads only the top ${m.attention.sparse.topK} keys`,
    );

  const free = budgetBytes - weightBytesPerGpu - activationReserveBytes - (recurrentState?.reserveBytes ?? 0);
  const blockBytes = d.engine.blockSize * kvBytesPerTokenPerGpu;
  const kvBlocks = free > 0 ? Math.floor(free / blockBytes) : 0;
  const kvTokens = kvBlocks * d.engine.blockSize;
  const blocksPerMaxLen = Math.ceil(d.engine.maxModelLen / d.engine.blockSize);
  return {
    capacityBytes,
    budgetBytes,
    weightBytesPerGpu,
    weightBreakdown: { quantized, bf16: vocabBf16, replicated },
    activationReserveBytes,
    kvCacheBytes: kvBlocks * blockBytes,
    kvBytesPerTokenPerGpu,
    kvBytesPerTokenModel,
    kvBlocks,
    kvTokens,
    blockSize: d.engine.blockSize,
    maxConcurrencyAtMaxLen: Math.floor(kvBlocks / blocksPerMaxLen),
    ...(recurrentState ? { recurrentState } : {}),
    notes,
  };
}

/**
 * A speculative drafter's weights and KV per token on one GPU (zero without speculation). EAGLE and MTP
 * share the target's embedding and LM head, so only their layers count; a draft model counts whole. The
 * drafter's KV lives in the same paged cache as the target's (vLLM allocates both per block).
 */
function drafterFootprint(d: Deployment): { weightBytes: number; kvBytesPerToken: number } {
  const spec = d.speculative;
  if (!spec) return { weightBytes: 0, kvBytesPerToken: 0 };
  const plan = planMemory({ ...d, model: spec.drafter, speculative: undefined });
  const w = plan.weightBreakdown;
  return { weightBytes: spec.sharesVocabWeights ? w.quantized + w.replicated : plan.weightBytesPerGpu, kvBytesPerToken: plan.kvBytesPerTokenPerGpu };
}

/**
 * Routed-expert weights on one GPU, with the shared experts: formats that quantise only the routed experts
 * (EXPERT_ONLY_WEIGHT_FORMATS) keep the shared experts at the non-expert width.
 */
function expertWeightBytesPerGpu(d: Deployment, routedParams: number, sharedParams: number): number {
  const w = d.quantization.weights;
  if (!EXPERT_ONLY_WEIGHT_FORMATS.has(w) || sharedParams === 0) return ((routedParams + sharedParams) / d.tp) * WEIGHT_BYTES[w];
  return (routedParams / d.tp) * WEIGHT_BYTES[w] + (sharedParams / d.tp) * nonExpertWeightBytes(w);
}

/** TP-sharded token-mixer parameters of all layers on one GPU: softmax layers plus a hybrid's linear-attention layers. */
function mixerShardedParamsPerGpu(m: Model, tp: number, softmaxShardedPerLayer: number): number {
  const linearLayers = m.attention.linearAttention?.layers ?? 0;
  if (linearLayers === 0) return m.layers * softmaxShardedPerLayer;
  return (m.layers - linearLayers) * softmaxShardedPerLayer + linearLayers * linearAttentionGemmParamsPerGpu(m, tp);
}

/** The recurrent state of a hybrid model, reserved for max_num_seqs sequences (as SGLang sizes its mamba pool). */
function planRecurrentState(d: Deployment): MemoryPlan['recurrentState'] {
  const la = d.model.attention.linearAttention;
  if (!la) return undefined;
  const bytesPerSeqPerGpu = Math.ceil(la.layers / d.pp) * recurrentStateBytesPerSeqPerLayer(d.model, d.tp);
  return { bytesPerSeqPerGpu, reservedSeqs: d.engine.maxNumSeqs, reserveBytes: bytesPerSeqPerGpu * d.engine.maxNumSeqs };
}

function recurrentStateNote(d: Deployment, r: NonNullable<MemoryPlan['recurrentState']>): string {
  const la = d.model.attention.linearAttention;
  const layers = la?.layers ?? 0;
  return (
    `${layers} linear-attention layers hold no KV cache: ${(r.bytesPerSeqPerGpu / 2 ** 20).toFixed(1)} MiB of recurrent state per sequence per GPU, ` +
    `reserved for max_num_seqs ${r.reservedSeqs} (${(r.reserveBytes / GiB).toFixed(1)} GiB); only the ${d.model.layers - layers} softmax layers hold paged KV`
  );
}

/** Throw with the smallest TP that would fit when weights (plus reserve) exceed the budget. */
export function assertFits(d: Deployment, plan: MemoryPlan, smallestFittingTp?: number): void {
  if (plan.kvBlocks > 0) return;
  const gib = (b: number) => (b / GiB).toFixed(1);
  const hint =
    smallestFittingTp !== undefined
      ? `; the smallest TP that fits is ${smallestFittingTp}`
      : '; no TP within one node fits: use PP across nodes, lower-precision weights, or a larger GPU';
  throw new InfeasibleError(
    `${d.model.id} (${d.quantization.weights} weights) does not fit on ${d.tp * d.pp}x ${d.hardware.id}: ` +
      `weights ${gib(plan.weightBytesPerGpu)} GiB + reserve ${gib(plan.activationReserveBytes)} GiB per GPU exceed ` +
      `${gib(plan.budgetBytes)} GiB (${d.engine.gpuMemoryUtilization} × ${gib(plan.capacityBytes)} GiB), leaving no room for KV cache` +
      hint,
  );
}

/**
 * Bytes per weight of attention and dense-MLP layers. MXFP4 (gpt-oss) and INT4-g32 (Kimi K2.5) checkpoints
 * quantise only the routed experts; their attention and dense layers stay bf16. Other formats quantise every
 * linear layer.
 */
export function nonExpertWeightBytes(weights: WeightFormat): number {
  return EXPERT_ONLY_WEIGHT_FORMATS.has(weights) ? 2 : WEIGHT_BYTES[weights];
}

/** KV heads one GPU holds: its share of them, or one replicated head when TP exceeds the KV heads. */
export function kvHeadsPerGpu(m: Model, tp: number): number {
  return m.attention.numKvHeads >= tp ? m.attention.numKvHeads / tp : 1;
}

/**
 * Attention parameters of one layer on one GPU: the TP-sharded projections, the replicated projections
 * (MLA's q_a/kv_a down-projections, vLLM ReplicatedLinear; K/V when TP > KV heads is in `sharded` as
 * one head per GPU), and replicated norm weights (MLA latent norms, QK-norm). GEMMs cost the first two;
 * memory holds all three.
 */
export interface AttentionParamsPerGpu {
  readonly sharded: number;
  readonly replicatedLinear: number;
  readonly replicatedNorms: number;
}

export function attentionParamsPerGpu(m: Model, tp: number): AttentionParamsPerGpu {
  const a = m.attention;
  const d = m.hiddenSize;
  if (a.mla) {
    const mla = a.mla;
    const qUp = (mla.qLoraRank ?? d) * a.numHeads * (mla.qkNopeHeadDim + mla.qkRopeHeadDim);
    const kvUp = mla.kvLoraRank * a.numHeads * (mla.qkNopeHeadDim + mla.vHeadDim);
    const o = a.numHeads * mla.vHeadDim * d;
    // a DSA indexer is replicated on every TP rank (vLLM builds its projections as ReplicatedLinear)
    return {
      sharded: (qUp + kvUp + o) / tp,
      replicatedLinear: (mla.qLoraRank ?? 0) * d + d * (mla.kvLoraRank + mla.qkRopeHeadDim) + indexerParams(m),
      replicatedNorms: (mla.qLoraRank ?? 0) + mla.kvLoraRank,
    };
  }
  const q = ((a.outputGate ? 2 : 1) * d * a.numHeads * a.headDim) / tp; // Qwen3.5 q_proj also emits the output gate
  const o = (a.numHeads * a.headDim * d) / tp;
  const kv = 2 * d * kvHeadsPerGpu(m, tp) * a.headDim;
  return { sharded: q + o + kv, replicatedLinear: 0, replicatedNorms: a.qkNorm ? 2 * a.headDim : 0 };
}

/**
 * Peak activation memory of vLLM's profiling run: a forward pass over max_num_batched_tokens tokens
 * (the gate/up output is the largest live tensor) plus fp32 logits for max_num_seqs sequences.
 */
function activationPeakBytes(d: Deployment): number {
  const m = d.model;
  const tokens = d.engine.maxNumBatchedTokens;
  const widest = m.moe
    ? Math.max(m.intermediateSize, m.moe.expertIntermediateSize * m.moe.expertsPerToken)
    : m.intermediateSize;
  const perToken = ((2 * widest + 4 * m.hiddenSize) * 2) / d.tp;
  const logits = (d.engine.maxNumSeqs * m.vocabSize * 4) / d.tp;
  return tokens * perToken + logits;
}
