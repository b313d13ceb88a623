import { InfeasibleError } from '../diagnostics/errors.ts';
import type { Hardware } from '../schema/resolved-hardware.ts';
import type { Model } from '../schema/resolved-model.ts';
import type { CalibrationBands, CalibrationValues } from '../schema/calibration.ts';
import type { DeploymentChoice } from '../schema/deployment.ts';
import { DEFAULT_ENGINE_FAMILY, ENGINE_DEFAULTS, type EngineFamily } from '../schema/engines.ts';
import type { SpeculativeDeployment } from './speculative.ts';
import { type ComputeDtype, gemmComputeDtype, type KvCacheDtype, type WeightFormat } from '../schema/dtype.ts';

/**
 * A fully resolved deployment: everything the cost model and the simulator need, with defaults filled
 * and impossible setups refused. Built by `resolveDeployment`; plain data, safe to share across runs.
 */
export interface Deployment {
  readonly model: Model;
  readonly hardware: Hardware;
  readonly tp: number;
  readonly pp: number;
  readonly ep: number;
  readonly quantization: {
    readonly weights: WeightFormat;
    readonly activations: ComputeDtype;
    readonly kvCache: KvCacheDtype;
    readonly weightOnly: boolean;
    /** tensor-core format the GEMMs run in */
    readonly gemmCompute: ComputeDtype;
  };
  readonly engine: {
    readonly family: EngineFamily;
    readonly gpuMemoryUtilization: number;
    readonly blockSize: number;
    readonly maxNumBatchedTokens: number;
    readonly maxNumSeqs: number;
    readonly maxModelLen: number;
    readonly chunkedPrefill: boolean;
    readonly cudaGraphs: boolean;
    /**
     * the scheduler prepares step N+1 while the GPU runs step N, so CPU work (step, per-sequence and
     * per-prompt-token overheads) is hidden behind the GPU unless it is the longer of the two: vLLM V1
     * (default on since vllm-project/vllm#27614, the last item of the plan #27679; #31998 of 2026-01-08
     * extends the default to speculative decoding, so v0.14+ has it) and SGLang's overlap scheduler
     * (default since v0.4). TensorRT-LLM's shipped calibrations were fitted with additive overheads: off.
     */
    readonly asyncScheduling: boolean;
    readonly prefixCaching: { readonly sharedPrefixTokens: number; readonly hitRate: number } | undefined;
    /** the simulated prefix cache (serving/prefix-cache.ts); absent = off, so outputs without it are unchanged */
    readonly prefixCache?: 'vllm' | 'radix';
    /** host-memory KV tier per replica for evicted prefix blocks, bytes (absent = none) */
    readonly kvOffloadBytes?: number;
    /** local-disk KV tier per replica below the host tier, bytes (absent = none; serving/offload-disk.ts) */
    readonly kvOffloadDiskBytes?: number;
    /** swap-style preemption over the host link (absent = recompute) */
    readonly preemption?: 'swap';
    /** tokens per streamed chunk (SGLang --stream-interval, serving/stream-chunks.ts); absent = every token */
    readonly streamInterval?: number;
    /**
     * decode steps per scheduling round (vLLM V0's multi-step scheduling, --num-scheduler-steps k): a round of
     * k decode steps runs without admitting anyone, so a new request waits for the round to end; its tokens
     * reach the client once per round (streamInterval k unless stated). Absent = one step per round.
     */
    readonly schedulerSteps?: number;
  };
  /**
   * provenance says how far to trust the values (fitted for this GPU × engine, transferred from another
   * GPU, datasheet only, or a user's file); absent when a caller passes bare values (tests, fitting)
   */
  readonly calibration: {
    readonly id: string;
    readonly values: CalibrationValues;
    readonly provenance?: string;
    readonly origin?: string;
    /** 80% band half-widths (log ratio) of a fitted calibration on stage means; absent when none was validated */
    readonly band80?: Readonly<Partial<Record<'ttft' | 'tpot' | 'e2e', number>>>;
    /** 80% bands of every provenance (fitted, transferred and datasheet-only widened by their held-out error) */
    readonly bands?: CalibrationBands;
  };
  /** speculative decoding, when on (set by prepareDeployment from the choice's techniques) */
  readonly speculative?: SpeculativeDeployment | undefined;
  /** attention data-parallel ranks of a DEP instance (each GPU one rank; experts sharded by EP = tp) */
  readonly attentionDp?: number | undefined;
  /** GPUs in one replica */
  readonly gpusPerReplica: number;
  /** non-fatal remarks on the setup (defaults chosen, approximations used) */
  readonly notes: readonly string[];
}

export type { DeploymentChoice } from '../schema/deployment.ts';

/**
 * How far to trust a deployment's calibration, for every output: its id and whether it was fitted to
 * measurements of this GPU × engine, transferred from another GPU, datasheet only, or a user's file.
 */
export function calibrationProvenance(d: Deployment): string {
  return d.calibration.provenance ?? 'values given by the caller';
}

/**
 * Resolve a choice into a Deployment or throw InfeasibleError listing every reason it cannot exist.
 * Memory fit is checked separately by `planMemory`, which needs the resolved deployment.
 */
export function resolveDeployment(
  model: Model,
  hardware: Hardware,
  choice: DeploymentChoice,
  calibration: { id: string; values: CalibrationValues },
): Deployment {
  const reasons: string[] = [];
  const notes: string[] = [];
  const tp = choice.tp ?? 1;
  const pp = choice.pp ?? 1;
  const ep = choice.ep ?? 1;

  reasons.push(...headShardingReasons(model, tp));
  if (tp > hardware.interconnect.maxGpus)
    reasons.push(
      `TP=${tp} spans more than the ${hardware.interconnect.maxGpus} GPUs joined by ${hardware.interconnect.name}; use PP across nodes`,
    );
  if (model.layers < pp) reasons.push(`PP=${pp} exceeds the ${model.layers} layers`);
  if (ep > 1) {
    if (!model.moe) reasons.push(`EP=${ep} needs a mixture-of-experts model; ${model.id} is dense`);
    else {
      if (tp % ep !== 0) reasons.push(`EP=${ep} must divide TP=${tp} (experts are sharded over the TP group)`);
      if (model.moe.numExperts % ep !== 0) reasons.push(`EP=${ep} does not divide the ${model.moe.numExperts} experts`);
    }
  }

  const weights: WeightFormat = choice.weights ?? nativeWeights(model);
  const hasFp8 = hardware.peakFlopsPerS.fp8 !== undefined;
  const hasFp4 = hardware.peakFlopsPerS.fp4 !== undefined;
  const weightOnly = choice.weightOnly ?? false;
  let activations: ComputeDtype;
  if (choice.activations) activations = choice.activations;
  else if (weightOnly) activations = 'bf16';
  else if (weights === 'fp8') activations = hasFp8 ? 'fp8' : 'bf16';
  else if (weights === 'int8') activations = hardware.peakFlopsPerS.int8 !== undefined ? 'int8' : 'bf16';
  else if (weights === 'nvfp4') activations = hasFp4 ? 'fp4' : hasFp8 ? 'fp8' : 'bf16';
  else if (weights === 'mxfp4') activations = hasFp8 && hardware.id.match(/^(b|gb)/) ? 'fp8' : 'bf16';
  else activations = 'bf16';

  if (!weightOnly) {
    if (weights === 'fp8' && !hasFp8)
      reasons.push(
        `${hardware.name} has no FP8 tensor cores: FP8 W8A8 cannot run; ask for weight-only FP8 (weight_only: true, as vLLM's Marlin kernels do) or bf16`,
      );
    if (weights === 'nvfp4' && !hasFp4 && choice.activations === 'fp4')
      reasons.push(`${hardware.name} has no FP4 tensor cores: NVFP4 W4A4 needs Blackwell; use weight_only`);
  }
  if (hardware.peakFlopsPerS[activations] === undefined)
    reasons.push(`${hardware.name} has no ${activations} tensor-core throughput in its profile`);

  const kvCache: KvCacheDtype = choice.kvCache ?? 'bf16';
  if (kvCache === 'fp4' && !hasFp4) reasons.push(`an FP4 KV cache needs FP4 tensor cores (Blackwell); ${hardware.name} has none`);

  const engine = resolveEngine(choice.engine ?? {}, model, reasons, notes);
  if (engine.streamInterval !== undefined && choice.speculative !== undefined)
    reasons.push('--stream-interval with speculative decoding is not modelled (a chunk per verify step is): give one or the other');
  if (engine.schedulerSteps !== undefined && choice.speculative !== undefined)
    reasons.push('--scheduler-steps with speculative decoding is not modelled (vLLM did not combine multi-step scheduling with it): give one or the other');

  if (reasons.length > 0)
    throw new InfeasibleError(`${model.id} on ${tp * pp}x ${hardware.id} cannot run:\n  - ${reasons.join('\n  - ')}`, reasons);

  return {
    model,
    hardware,
    tp,
    pp,
    ep,
    quantization: { weights, activations, kvCache, weightOnly, gemmCompute: gemmComputeDtype(weights, activations) },
    engine,
    calibration,
    gpusPerReplica: tp * pp,
    notes,
  };
}

/** Engine settings with the family's defaults (schema/engines.ts) filled; pushes reasons a setup cannot run. */
function resolveEngine(e: NonNullable<DeploymentChoice['engine']>, model: Model, reasons: string[], notes: string[]): Deployment['engine'] {
  const family = e.family ?? DEFAULT_ENGINE_FAMILY;
  const defaults = ENGINE_DEFAULTS[family].deployment;
  const maxModelLen = e.maxModelLen ?? model.maxContextTokens;
  if (maxModelLen > model.maxContextTokens)
    notes.push(`max_model_len ${maxModelLen} exceeds the model's ${model.maxContextTokens} positions`);
  const maxNumSeqs = e.maxNumSeqs ?? defaults.maxNumSeqs;
  const maxNumBatchedTokens = e.maxNumBatchedTokens ?? defaults.maxNumBatchedTokens;
  if (maxNumBatchedTokens < maxNumSeqs)
    reasons.push(
      `max_num_batched_tokens (${maxNumBatchedTokens}) must be at least max_num_seqs (${maxNumSeqs}) so every running sequence can decode each step`,
    );
  if (e.kvOffloadGb !== undefined && e.kvOffloadGb > 0 && (e.prefixCache === undefined || e.prefixCache === 'off'))
    reasons.push('--kv-offload-gb holds blocks the prefix cache evicts: it needs --prefix-cache vllm or radix');
  if (e.kvOffloadDiskGb !== undefined && e.kvOffloadDiskGb > 0 && !(e.kvOffloadGb !== undefined && e.kvOffloadGb > 0))
    reasons.push('--kv-offload-disk-gb holds blocks the host-memory tier evicts: it needs --kv-offload-gb (and --prefix-cache)');
  if (e.prefixCache !== undefined && e.prefixCache !== 'off' && e.prefixCaching !== undefined)
    reasons.push('--prefix-cache simulates the cache; --prefix-tokens / --prefix-hit-rate assume its hit rate instead: give one or the other');
  return {
    family,
    gpuMemoryUtilization: e.gpuMemoryUtilization ?? defaults.gpuMemoryUtilization,
    blockSize: e.blockSize ?? defaults.blockSize,
    maxNumBatchedTokens,
    maxNumSeqs,
    maxModelLen,
    chunkedPrefill: e.chunkedPrefill ?? defaults.chunkedPrefill,
    cudaGraphs: e.cudaGraphs ?? defaults.cudaGraphs,
    asyncScheduling: e.asyncScheduling ?? defaults.asyncScheduling,
    prefixCaching: e.prefixCaching,
    ...(e.prefixCache !== undefined && e.prefixCache !== 'off' ? { prefixCache: e.prefixCache } : {}),
    ...(e.kvOffloadGb !== undefined && e.kvOffloadGb > 0 ? { kvOffloadBytes: e.kvOffloadGb * 1e9 } : {}),
    ...(e.kvOffloadDiskGb !== undefined && e.kvOffloadDiskGb > 0 ? { kvOffloadDiskBytes: e.kvOffloadDiskGb * 1e9 } : {}),
    ...(e.preemption === 'swap' ? { preemption: 'swap' as const } : {}),
    ...streamAndRounds(e.streamInterval, e.schedulerSteps),
  };
}

/** A multi-step round streams its tokens when it ends: the stream interval follows the round unless stated. */
function streamAndRounds(streamInterval: number | undefined, schedulerSteps: number | undefined): { streamInterval?: number; schedulerSteps?: number } {
  const rounds = schedulerSteps !== undefined && schedulerSteps > 1 ? schedulerSteps : undefined;
  const interval = streamInterval ?? rounds;
  return { ...(interval !== undefined && interval > 1 ? { streamInterval: interval } : {}), ...(rounds !== undefined ? { schedulerSteps: rounds } : {}) };
}

/** Why TP cannot shard this model's heads: attention, KV (divisor or multiple) and linear-attention heads. */
function headShardingReasons(model: Model, tp: number): string[] {
  const a = model.attention;
  const reasons: string[] = [];
  if (a.numHeads % tp !== 0) reasons.push(`TP=${tp} does not divide the ${a.numHeads} attention heads of ${model.id}`);
  if (!a.mla && tp > a.numKvHeads && tp % a.numKvHeads !== 0)
    reasons.push(`TP=${tp} is neither a divisor nor a multiple of the ${a.numKvHeads} KV heads`);
  if (!a.mla && tp <= a.numKvHeads && a.numKvHeads % tp !== 0)
    reasons.push(`TP=${tp} does not divide the ${a.numKvHeads} KV heads of ${model.id}`);
  const la = a.linearAttention;
  if (la && (la.numKeyHeads % tp !== 0 || la.numValueHeads % tp !== 0))
    reasons.push(`TP=${tp} does not divide the ${la.numKeyHeads} key / ${la.numValueHeads} value heads of ${model.id}'s linear-attention layers`);
  return reasons;
}

function nativeWeights(model: Model): WeightFormat {
  if (model.nativeWeights === 'int4g32') return 'int4g32'; // Kimi K2.5: INT4 routed experts, run W4A16
  return model.nativeWeights === 'fp16' ? 'fp16' : model.nativeWeights === 'fp8' ? 'fp8' : model.nativeWeights === 'mxfp4' ? 'mxfp4' : 'bf16';
}
