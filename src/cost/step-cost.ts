import { EXPERT_ONLY_WEIGHT_FORMATS, KV_BYTES, WEIGHT_BYTES, type ComputeDtype } from '../schema/dtype.ts';
import type { Deployment } from './deployment.ts';
import { kvBytesPerTokenPerLayer, nonExpertWeightBytes } from './memory-plan.ts';
import { hotPathConstants, type HotPathConstants } from './hot-path-constants.ts';
import { mixerConstants, type MixerConstants } from './mixer-cost.ts';
import { allreduceVolumeBytes, fabricCosts } from './fabric.ts';
import { paramBreakdown } from './params.ts';
import { sFromMs, sFromUs } from '../units.ts';
import { busiestGpuExperts, busiestGpuRoutings } from './ep-imbalance.ts';
import { type Bound, OPERATOR_CLASSES, type OperatorClass, type OperatorCost, type StepBreakdown, type StepShape } from './step-shape.ts';

/**
 * Roofline cost of one scheduler step of one replica.
 *
 * A step runs a mixed batch — prefill chunks plus one token for each decoding sequence — through every
 * layer. Each operator class costs max(FLOPs / (peak × compute efficiency), bytes / (bandwidth × memory
 * efficiency)) per GPU; collectives and fixed overheads add on. The batch is described by a handful of
 * sums (StepShape) so a step costs O(1) to evaluate whatever the batch size.
 *
 * Conventions (docs/cost-model.md): FLOPs count 2 per multiply-accumulate; prefill attention is causal
 * (a query sees the keys before it, and itself); pipeline stages run one after another (no micro-batch
 * overlap), so PP saves memory but not latency.
 */
export { allreduceVolumeBytes } from './fabric.ts';
export { OPERATOR_CLASSES, type Bound, type OperatorClass, type OperatorCost, type StepBreakdown, type StepShape } from './step-shape.ts';

const N_OPS = OPERATOR_CLASSES.length;
const OP = Object.fromEntries(OPERATOR_CLASSES.map((o, i) => [o, i])) as Record<OperatorClass, number>;
/** slots per operator in the scratch array: time, flops, bytes, bound code */
const SLOT = 4;
const BOUND_CODES: readonly Bound[] = ['compute', 'memory', 'communication', 'overhead'];

/** Σ_{i=1..c} min(prior + i, window): keys attended by a causal chunk of c tokens after `prior` cached ones. */
export function causalKeyCount(chunk: number, prior: number, window = Infinity): number {
  if (chunk <= 0) return 0;
  if (prior + chunk <= window) return chunk * prior + (chunk * (chunk + 1)) / 2;
  if (prior >= window) return chunk * window;
  const rising = window - prior; // tokens before the window saturates
  return rising * prior + (rising * (rising + 1)) / 2 + (chunk - rising) * window;
}

/**
 * The compiled cost model of one deployment: constants folded once, then `stepTimeS(shape)` per step.
 * Pure: the only state is a scratch buffer private to this instance, overwritten by every call.
 */
export class StepCostModel {
  readonly deployment: Deployment;
  readonly #scratch = new Float64Array(N_OPS * SLOT);
  // folded constants (per GPU)
  readonly #layers: number;
  readonly #denseLayers: number;
  readonly #moeLayers: number;
  readonly #fullAttnLayers: number;
  readonly #windowLayers: number;
  readonly #window: number;
  readonly #attnProjParams: number;
  readonly #attnProjActDims: number;
  readonly #denseMlpParams: number;
  readonly #denseMlpActDims: number;
  readonly #expertParams: number;
  readonly #expertActDims: number;
  readonly #numExperts: number;
  readonly #topK: number;
  readonly #sharedParams: number;
  readonly #routerParams: number;
  readonly #lmHeadParams: number;
  readonly #vocabPerGpu: number;
  readonly #hidden: number;
  readonly #headsPerGpu: number;
  readonly #qkDim: number;
  readonly #vDim: number;
  readonly #decodeQkDim: number;
  readonly #decodeVDim: number;
  readonly #mlaUpProjPerToken: number;
  readonly #mixers: MixerConstants;
  readonly #kvBytesPerTokenLayer: number;
  readonly #weightBytes: number;
  /** bytes per weight of attention and dense-MLP layers (see nonExpertWeightBytes) */
  readonly #nonExpertWeightBytes: number;
  readonly #sharedWeightBytes: number;
  readonly #actBytes = 2;
  readonly #elementwiseDims: number;
  readonly #gemmPeak: number;
  readonly #bf16Peak: number;
  readonly #indexerPeak: number;
  readonly #gemmEff: number;
  readonly #memBw: number;
  readonly #allreduceBusBw: number;
  readonly #allreduceLatencyS: number;
  /** latency of one TP all-reduce of this group (see fabricCosts) */
  readonly #tpAllreduceLatencyS: number;
  /** vLLM's custom all-reduce runs the TP collectives (full NVLink): its one-shot / two-shot volumes apply */
  readonly #customAllreduce: boolean;
  readonly #ppBw: number;
  readonly #ppLatencyS: number;
  /**
   * calibration overheads in seconds, converted once; the per-sequence and per-prompt-token terms stay
   * (count × µs) × 1e-6 in #evaluate, since precomputing µs × 1e-6 would move step times by an ulp
   */
  readonly #layerLaunchS: number;
  readonly #stepGpuOverheadS: number;
  readonly #stepOverheadS: number;
  /** the drafter's cost model when the deployment decodes speculatively */
  readonly #drafter: StepCostModel | undefined;
  /** what the hot path reads of the calibration, deployment and mixers (hotPathConstants) */
  readonly #k: HotPathConstants;

  constructor(deployment: Deployment) {
    this.deployment = deployment;
    const d = deployment;
    const m = d.model;
    const hw = d.hardware;
    const c = d.calibration.values;
    const p = paramBreakdown(m);
    const tp = d.tp;
    const a = m.attention;
    this.#layers = m.layers;
    this.#drafter = d.speculative ? new StepCostModel({ ...d, model: d.speculative.drafter, speculative: undefined }) : undefined;
    this.#layerLaunchS = sFromUs(m.layers * c.layer_overhead_us);
    this.#stepGpuOverheadS = sFromMs(c.step_gpu_overhead_ms);
    this.#stepOverheadS = sFromMs(c.step_overhead_ms);
    this.#denseLayers = p.denseLayers;
    this.#moeLayers = p.moeLayers;
    this.#windowLayers = a.slidingWindow?.layers ?? 0;
    this.#fullAttnLayers = m.layers - this.#windowLayers - (a.linearAttention?.layers ?? 0);
    this.#window = a.slidingWindow?.size ?? Infinity;
    this.#hidden = m.hiddenSize;

    // token mixers per GPU: attention projections as the memory plan shards them, attention widths, a
    // hybrid's linear-attention layers and a DSA indexer (mixer-cost.ts)
    const mx = mixerConstants(d);
    this.#mixers = mx;
    this.#attnProjParams = mx.projParams;
    this.#attnProjActDims = mx.projActDims;
    this.#headsPerGpu = a.numHeads / tp;
    this.#qkDim = mx.qkDim;
    this.#vDim = mx.vDim;
    this.#decodeQkDim = mx.decodeQkDim;
    this.#decodeVDim = mx.decodeVDim;
    this.#mlaUpProjPerToken = mx.mlaUpProjPerToken;
    const mlpMats = m.gatedMlp ? 3 : 2;
    this.#denseMlpParams = p.denseMlpPerLayer / tp;
    this.#denseMlpActDims = 2 * m.hiddenSize + (mlpMats * m.intermediateSize) / tp;
    const moe = m.moe;
    this.#numExperts = moe?.numExperts ?? 0;
    this.#topK = moe?.expertsPerToken ?? 0;
    this.#expertParams = moe ? p.expertParams / (tp / d.ep) : 0; // an expert's shard on one GPU
    this.#expertActDims = moe ? 2 * m.hiddenSize + (mlpMats * moe.expertIntermediateSize) / (tp / d.ep) : 0;
    this.#sharedParams = p.sharedExpertParams / tp;
    this.#routerParams = p.routerParams;
    this.#lmHeadParams = (m.vocabSize * m.hiddenSize) / tp;
    this.#vocabPerGpu = m.vocabSize / tp;
    const widest = moe ? moe.expertIntermediateSize * moe.expertsPerToken + (moe.sharedIntermediateSize || 0) : m.intermediateSize;
    // fused add+norm twice (read x and residual, write both) and the gated activation (read 2F, write F)
    this.#elementwiseDims = 8 * m.hiddenSize + (mlpMats * widest) / tp;

    const kvElem = KV_BYTES[d.quantization.kvCache];
    // attention reads the latent / K and V; a DSA indexer's keys are read by the indexer (#indexer)
    this.#kvBytesPerTokenLayer = kvBytesPerTokenPerLayer(m, kvElem, tp) - mx.indexer.keyBytes;
    this.#weightBytes = WEIGHT_BYTES[d.quantization.weights];
    this.#nonExpertWeightBytes = nonExpertWeightBytes(d.quantization.weights);
    // expert-only formats (MXFP4, INT4-g32) leave the shared experts unquantised
    this.#sharedWeightBytes = EXPERT_ONLY_WEIGHT_FORMATS.has(d.quantization.weights) ? this.#nonExpertWeightBytes : this.#weightBytes;

    const peakOf = (dt: ComputeDtype) => hw.peakFlopsPerS[dt] ?? hw.peakFlopsPerS.bf16 ?? 1;
    this.#gemmPeak = peakOf(d.quantization.gemmCompute);
    this.#bf16Peak = peakOf('bf16');
    this.#indexerPeak = peakOf('fp8'); // DeepGEMM's FP8 MQA-logits kernels (bf16 where the GPU has no FP8)
    const lowPrecision = ['fp8', 'int8', 'fp4'].includes(d.quantization.gemmCompute);
    this.#gemmEff = c.gemm_efficiency * (lowPrecision ? c.lowp_gemm_relative : 1);
    this.#memBw = hw.memoryBandwidthBytesPerS;

    const fabric = fabricCosts(d);
    this.#allreduceBusBw = fabric.allreduceBusBw;
    this.#allreduceLatencyS = fabric.allreduceLatencyS;
    this.#tpAllreduceLatencyS = fabric.tpAllreduceLatencyS;
    this.#customAllreduce = fabric.customAllreduce;
    this.#ppBw = fabric.ppBw;
    this.#ppLatencyS = fabric.ppLatencyS;
    this.#k = hotPathConstants(d, mx, { memBw: this.#memBw, bf16: this.#bf16Peak, indexer: this.#indexerPeak });
  }

  /** Step time in seconds. Allocation-free; the hot path of the simulator. */
  stepTimeS(shape: StepShape): number {
    return this.#evaluate(shape);
  }

  /** The same computation as stepTimeS, returned as a readonly per-operator record. */
  explain(shape: StepShape): StepBreakdown {
    const totalS = this.#evaluate(shape);
    const s = this.#scratch;
    const operators: OperatorCost[] = [];
    for (let i = 0; i < N_OPS; i++) {
      const timeS = s[i * SLOT]!;
      const flops = s[i * SLOT + 1]!;
      const bytes = s[i * SLOT + 2]!;
      if (timeS === 0 && flops === 0 && bytes === 0) continue;
      operators.push({
        op: OPERATOR_CLASSES[i]!,
        timeS,
        flops,
        bytes,
        bound: BOUND_CODES[s[i * SLOT + 3]!]!,
        arithmeticIntensity: bytes > 0 && flops > 0 ? flops / bytes : 0,
      });
    }
    return { shape: { ...shape }, totalS, operators };
  }

  /**
   * Writes every operator slot of the scratch, or zeroes it: the operators a deployment has are written on
   * every step (their conditions are constants of the model), those that depend on the shape are zeroed
   * when the step has none, so no slot keeps a value from an earlier step without a fill of the whole array.
   */
  #evaluate(sh: StepShape): number {
    const s = this.#scratch;
    const k = sh.speculativeTokens ?? 0;
    // a speculative step verifies k drafts per decoding sequence: k + 1 positions through the target
    const decodePositions = k === 0 ? sh.decodeSeqs : sh.decodeSeqs * (k + 1);
    const T = decodePositions + sh.prefillTokens;
    if (T === 0) {
      s.fill(0);
      return 0;
    }
    const act = this.#actBytes;
    const gemmEff = this.#gemmEff * (T / (T + this.#k.gemmHalfTokens));
    const gemmFlopsPerS = this.#gemmPeak * gemmEff;
    const weightBw = this.#k.weightBw;

    this.#linearLayers(T, gemmFlopsPerS, weightBw);

    // attention: FLOPs over attended keys with the query-head count; bytes from the KV cache read
    const attnFlopsPerS = this.#k.attnFlopsPerS;
    const kvBw = this.#k.kvBw;
    if (sh.prefillTokens > 0) this.#prefillAttention(sh, attnFlopsPerS, kvBw);
    else this.#zero(OP.attention_prefill);
    if (sh.decodeSeqs > 0) this.#decodeAttention(sh, k, attnFlopsPerS, kvBw);
    else this.#zero(OP.attention_decode);
    if (this.#k.linearLayers > 0) this.#linearAttention(sh, attnFlopsPerS, kvBw);
    if (this.#k.hasIndexer) this.#indexer(sh, this.#k.indexerFlopsPerS, kvBw);

    this.#roof(OP.elementwise, 0, this.#layers * T * this.#elementwiseDims * act, 1, weightBw);

    // logits for every position that samples: each verified position, and each finishing prefill
    this.#lmHead(decodePositions + sh.prefillSeqs, weightBw);
    const sampling = sh.decodeSeqs + sh.prefillSeqs;

    if (this.#drafter && sh.decodeSeqs > 0 && k > 0) this.#draft(sh, k);
    else if (this.#drafter) this.#zero(OP.speculative_draft);
    this.#communication(T);
    return this.#overheadAndTotal(sh, sampling);
  }

  #zero(op: number): void {
    const s = this.#scratch;
    s[op * SLOT] = 0;
    s[op * SLOT + 1] = 0;
    s[op * SLOT + 2] = 0;
    s[op * SLOT + 3] = 0;
  }

  /** Linear layers (attention projections, dense MLP, MoE experts, shared experts and router): weights read once per step, activations read and written per token. */
  #linearLayers(T: number, gemmFlopsPerS: number, weightBw: number): void {
    const act = this.#actBytes;
    const L = this.#layers;
    this.#roof(OP.attention_proj, L * 2 * T * this.#attnProjParams, L * (this.#attnProjParams * this.#nonExpertWeightBytes + T * this.#attnProjActDims * act), gemmFlopsPerS, weightBw);
    if (this.#denseLayers > 0)
      this.#roof(
        OP.mlp,
        this.#denseLayers * 2 * T * this.#denseMlpParams,
        this.#denseLayers * (this.#denseMlpParams * this.#nonExpertWeightBytes + T * this.#denseMlpActDims * act),
        gemmFlopsPerS,
        weightBw,
      );
    if (this.#moeLayers === 0) return;
    const E = this.#numExperts;
    const k = this.#topK;
    // expected distinct experts hit by T tokens routed top-k uniformly: E (1 - (1 - k/E)^T)
    const touched = E * (1 - Math.pow(1 - k / E, T));
    const tokensPerExpert = (T * k) / touched;
    const expertEff = this.#gemmEff * (tokensPerExpert / (tokensPerExpert + this.#k.gemmHalfTokens));
    const ep = this.#k.ep;
    // under EP the layer waits for the busiest GPU's experts and routings (ep-imbalance.ts)
    const expertsOnGpu = ep > 1 ? busiestGpuExperts(touched, E, ep, this.#k.epMaxZ) : touched;
    const routingsOnGpu = ep > 1 ? busiestGpuRoutings(T, k, E, ep, this.#k.epMaxZ) : T * k;
    this.#roof(
      OP.moe_experts,
      this.#moeLayers * (2 * routingsOnGpu * this.#expertParams),
      this.#moeLayers * (expertsOnGpu * this.#expertParams * this.#weightBytes + routingsOnGpu * this.#expertActDims * act),
      this.#gemmPeak * expertEff,
      weightBw,
    );
    if (this.#sharedParams > 0 || this.#routerParams > 0)
      this.#roof(
        OP.moe_shared_router,
        this.#moeLayers * 2 * T * (this.#sharedParams + this.#routerParams),
        this.#moeLayers * (this.#sharedParams * this.#sharedWeightBytes + this.#routerParams * 2 + T * (2 * this.#hidden + E) * act),
        gemmFlopsPerS,
        weightBw,
      );
  }

  /** Collectives of T tokens: TP all-reduces, EP all-to-all, PP sends between stages. */
  #communication(T: number): void {
    const act = this.#actBytes;
    const L = this.#layers;
    const tp = this.#k.tp;
    if (tp > 1) {
      // two all-reduces per layer of the T × hidden activation (Megatron TP)
      const msg = T * this.#hidden * act;
      const perCall = this.#tpAllreduceLatencyS + allreduceVolumeBytes(msg, tp, this.#customAllreduce) / this.#allreduceBusBw;
      const calls = 2 * L - (this.#k.ep > 1 ? this.#moeLayers : 0);
      this.#comm(OP.tp_allreduce, calls * perCall, calls * msg);
    }
    const ep = this.#k.ep;
    if (ep > 1 && this.#moeLayers > 0) {
      // dispatch + combine: each GPU's share of tokens to k experts, (ep-1)/ep of them remote
      const msg = ((T / ep) * this.#topK * this.#hidden * act * (ep - 1)) / ep;
      const perLayer = 2 * (this.#allreduceLatencyS + msg / this.#allreduceBusBw);
      this.#comm(OP.ep_alltoall, this.#moeLayers * perLayer, this.#moeLayers * 2 * msg);
    }
    const pp = this.#k.pp;
    if (pp > 1) {
      const msg = T * this.#hidden * act;
      this.#comm(OP.pp_send, (pp - 1) * (this.#ppLatencyS + msg / this.#ppBw), (pp - 1) * msg);
    }
  }

  /**
   * Kernel launches not hidden by CUDA graphs and the per-step GPU work (sampling, input copies) are on the
   * GPU's timeline; the scheduler's CPU work (step, per-sequence, per-prompt-token) is hidden behind the GPU
   * under async scheduling, unless it is the longer of the two. Records the overhead slot; returns the step time.
   */
  #overheadAndTotal(sh: StepShape, sampling: number): number {
    const s = this.#scratch;
    const graphs = this.#k.cudaGraphs && sh.prefillTokens === 0;
    const launch = this.#layerLaunchS * (graphs ? 1 : 3) + this.#stepGpuOverheadS;
    const cpu = this.#stepOverheadS + sFromUs(sampling * this.#k.sequenceOverheadUs) + sFromUs(sh.prefillTokens * this.#k.prefillTokenOverheadUs);
    let gpu = launch;
    for (let i = 0; i < N_OPS; i++) if (i !== OP.overhead) gpu += s[i * SLOT]!;
    const visibleCpu = this.#k.asyncScheduling ? Math.max(0, cpu - gpu) : cpu;
    s[OP.overhead * SLOT] = launch + visibleCpu;
    s[OP.overhead * SLOT + 3] = 3;
    return gpu + visibleCpu;
  }

  /** Prefill attention; windowed layers see at most `window` keys per query, sparse ones at most top-k. */
  #prefillAttention(sh: StepShape, flopsPerS: number, bytesPerS: number): void {
    const act = this.#actBytes;
    const headFlops = 2 * this.#headsPerGpu;
    const win = this.#window;
    const topK = this.#k.sparseTopK;
    const keysFull = topK === Infinity ? sh.prefillAttendedKeys : Math.min(sh.prefillAttendedKeys, sh.prefillTokens * topK);
    const keysWindow = win === Infinity ? keysFull : Math.min(keysFull, sh.prefillTokens * win);
    const layers = this.#k.softmaxLayers;
    const flops =
      headFlops * (this.#qkDim + this.#vDim) * (this.#fullAttnLayers * keysFull + this.#windowLayers * keysWindow) +
      layers * this.#mlaUpProjPerToken * Math.max(0, sh.prefillContextTokens - sh.prefillTokens);
    const bytes = layers * (sh.prefillContextTokens * this.#kvBytesPerTokenLayer + sh.prefillTokens * this.#headsPerGpu * (this.#qkDim + this.#vDim) * act * 2);
    this.#roof(OP.attention_prefill, flops, bytes, flopsPerS, bytesPerS);
  }

  /**
   * Decode attention: one query per sequence over its cached keys (capped by a window or top-k); with k
   * speculative drafts, k + 1 queries per sequence, query i seeing i more keys, the KV read once.
   */
  #decodeAttention(sh: StepShape, k: number, flopsPerS: number, bytesPerS: number): void {
    const win = this.#window;
    const topK = this.#k.sparseTopK;
    const B = sh.decodeSeqs;
    const ctxFull = topK === Infinity ? sh.decodeContextSum : Math.min(sh.decodeContextSum, B * topK);
    const ctxWindow = win === Infinity ? ctxFull : Math.min(ctxFull, B * win);
    const keys = this.#fullAttnLayers * ctxFull + this.#windowLayers * ctxWindow;
    const layers = this.#k.softmaxLayers;
    const attended = k === 0 ? keys : (k + 1) * keys + (layers * B * k * (k + 1)) / 2;
    const read = k === 0 ? keys : keys + layers * B * k;
    const queries = k === 0 ? B : B * (k + 1);
    const flops = 2 * this.#headsPerGpu * (this.#decodeQkDim + this.#decodeVDim) * attended;
    const bytes = read * this.#kvBytesPerTokenLayer + layers * queries * this.#headsPerGpu * (this.#decodeQkDim + this.#decodeVDim) * this.#actBytes;
    this.#roof(OP.attention_decode, flops, bytes, flopsPerS, bytesPerS);
  }

  /**
   * Linear-attention layers of a hybrid stack: FLOPs linear in tokens (recurrent form for decode tokens,
   * chunked form for prefill tokens); bytes = each sequence's fixed state read and written once, plus the
   * q, k, v, o activations per token. No KV cache is read.
   */
  #linearAttention(sh: StepShape, flopsPerS: number, bytesPerS: number): void {
    const la = this.#mixers.linear;
    const flops = la.layers * (sh.decodeSeqs * la.decodeFlopsPerToken + sh.prefillTokens * la.prefillFlopsPerToken);
    const bytes = la.layers * ((sh.decodeSeqs + sh.prefillSeqs) * 2 * la.stateBytesPerSeq + (sh.decodeSeqs + sh.prefillTokens) * la.actBytesPerToken);
    this.#roof(OP.linear_attention, flops, bytes, flopsPerS, bytesPerS);
  }

  /**
   * DSA lightning indexer on every softmax layer: each query scores every cached key (causal in prefill)
   * with index_heads dot products of index_head_dim in FP8, reading all cached indexer keys. Replicated on
   * every TP rank, so its cost does not shrink with TP.
   */
  #indexer(sh: StepShape, flopsPerS: number, bytesPerS: number): void {
    const ix = this.#mixers.indexer;
    const layers = this.#mixers.softmaxLayers;
    const flops = layers * ix.flopsPerKey * (sh.prefillAttendedKeys + sh.decodeContextSum);
    const bytes = layers * ix.keyBytes * (sh.prefillContextTokens + sh.decodeContextSum);
    this.#roof(OP.attention_indexer, flops, bytes, flopsPerS, bytesPerS);
  }

  /** logits only for the positions that sample a token this step (LM head weights at 2 bytes, fp32 logits) */
  #lmHead(sampling: number, weightBw: number): void {
    const flopsPerS = this.#k.lmHeadPeak * (sampling / (sampling + this.#k.gemmHalfTokens));
    this.#roof(OP.lm_head, 2 * sampling * this.#lmHeadParams, this.#lmHeadParams * 2 + sampling * (this.#hidden * this.#actBytes + this.#vocabPerGpu * 4), flopsPerS, weightBw);
  }

  /**
   * The drafter's own forward passes: the first runs over the step's prefill chunks (the drafter keeps its
   * own KV of every prompt) and one token per decoding sequence; each further draft token is one more
   * single-token pass. Costed by the drafter's own cost model (its operators, without step overheads).
   */
  #draft(sh: StepShape, k: number): void {
    const drafter = this.#drafter!;
    const first = drafter.gpuWorkS({ ...sh, speculativeTokens: 0 });
    const flops = drafter.lastFlops;
    const bytes = drafter.lastBytes;
    const single = { decodeSeqs: sh.decodeSeqs, decodeContextSum: sh.decodeContextSum, prefillSeqs: 0, prefillTokens: 0, prefillAttendedKeys: 0, prefillContextTokens: 0 };
    const more = k > 1 ? drafter.gpuWorkS(single) : 0;
    const s = this.#scratch;
    const o = OP.speculative_draft * SLOT;
    s[o] = first + (k - 1) * more;
    s[o + 1] = flops + (k > 1 ? (k - 1) * drafter.lastFlops : 0);
    s[o + 2] = bytes + (k > 1 ? (k - 1) * drafter.lastBytes : 0);
    s[o + 3] = 1;
  }

  /**
   * GPU time of the operators alone (no step overheads, no CPU): what one more forward pass of this model
   * adds inside another model's step (a drafter). Launches are charged per layer as with CUDA graphs.
   */
  gpuWorkS(shape: StepShape): number {
    this.#evaluate(shape);
    const s = this.#scratch;
    let gpu = this.#layerLaunchS;
    let flops = 0;
    let bytes = 0;
    for (let i = 0; i < N_OPS; i++) {
      if (i === OP.overhead) continue;
      gpu += s[i * SLOT]!;
      flops += s[i * SLOT + 1]!;
      bytes += s[i * SLOT + 2]!;
    }
    this.lastFlops = flops;
    this.lastBytes = bytes;
    return gpu;
  }
  /** FLOPs and bytes of the last gpuWorkS call */
  lastFlops = 0;
  lastBytes = 0;

  /** time of one operator class in the last evaluation (stepTimeS, explain or gpuWorkS) */
  lastOperatorTimeS(op: OperatorClass): number {
    return this.#scratch[OP[op] * SLOT]!;
  }

  #roof(op: number, flops: number, bytes: number, flopsPerS: number, bytesPerS: number): void {
    const s = this.#scratch;
    const tc = flops / flopsPerS;
    const tm = bytes / bytesPerS;
    s[op * SLOT] = tc > tm ? tc : tm;
    s[op * SLOT + 1] = flops;
    s[op * SLOT + 2] = bytes;
    s[op * SLOT + 3] = tc > tm ? 0 : 1;
  }

  #comm(op: number, timeS: number, bytes: number): void {
    const s = this.#scratch;
    s[op * SLOT] = timeS;
    s[op * SLOT + 2] = bytes;
    s[op * SLOT + 3] = 2;
  }
}
