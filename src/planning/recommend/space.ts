/**
 * The deployment space `recommend` searches: models × GPUs × TP (× PP at the NVLink-domain TP, × EP for
 * mixture-of-experts) × weight formats and KV-cache dtypes the GPU computes in × engine families × engine
 * knobs. Enumerated in a fixed order (model outermost), so candidate indices — and shards — are stable.
 */
import { candidateTps } from '../../cost/prepare.ts';
import { InputError } from '../../diagnostics/errors.ts';
import type { Hardware } from '../../schema/resolved-hardware.ts';
import type { Model } from '../../schema/resolved-model.ts';
import type { ProfileRegistry } from '../../profiles/registry.ts';
import { ENGINE_FAMILIES } from '../../schema/deployment.ts';
import { KV_CACHE_DTYPES, WEIGHT_FORMATS } from '../../schema/dtype.ts';
import type { Candidate } from './types.ts';

/** The axes; an undefined axis takes its default (every value the model and GPU allow). */
export interface SpaceSpec {
  readonly models: readonly string[];
  /** default: every hardware profile */
  readonly hardware?: readonly string[] | undefined;
  readonly tp?: readonly number[] | undefined;
  readonly pp?: readonly number[] | undefined;
  readonly weights?: readonly string[] | undefined;
  readonly kvCache?: readonly string[] | undefined;
  readonly engines?: readonly string[] | undefined;
  readonly maxNumSeqs?: readonly number[] | undefined;
  readonly maxNumBatchedTokens?: readonly number[] | undefined;
  readonly chunkedPrefill?: readonly boolean[] | undefined;
}

export const DEFAULT_MAX_NUM_SEQS = [128, 256, 512] as const;
export const DEFAULT_MAX_NUM_BATCHED_TOKENS = [2048, 8192] as const;
/** TP beyond one 8-GPU board is rare in serving even where NVLink spans a rack (GB200 NVL72) */
const MAX_DEFAULT_TP = 8;

function oneOf(list: readonly string[] | undefined, known: readonly string[], flag: string): void {
  for (const v of list ?? [])
    if (!known.includes(v)) throw new InputError(`${flag}: unknown value "${v}"; expected one of ${known.join(', ')}`);
}

/** Refuse unknown names before anything runs (models and GPUs with a did-you-mean from the registry). */
export function validateSpace(registry: ProfileRegistry, spec: SpaceSpec): void {
  if (spec.models.length === 0) throw new InputError('--model: name at least one model (servesim profiles list)');
  for (const m of spec.models) registry.getModel(m);
  for (const h of spec.hardware ?? []) registry.getHardware(h);
  oneOf(spec.weights, WEIGHT_FORMATS, '--weights');
  oneOf(spec.kvCache, KV_CACHE_DTYPES, '--kv-cache');
  oneOf(spec.engines, ENGINE_FAMILIES, '--engine');
  const whole = (xs: readonly number[] | undefined, flag: string, min: number) => {
    for (const x of xs ?? []) if (!(Number.isInteger(x) && x >= min)) throw new InputError(`${flag}: expected whole numbers >= ${min}, found ${x}`);
  };
  whole(spec.tp, '--tp', 1);
  whole(spec.pp, '--pp', 1);
  whole(spec.maxNumSeqs, '--max-num-seqs', 1);
  whole(spec.maxNumBatchedTokens, '--max-num-batched-tokens', 1);
}

/** Weight formats worth trying: the model's own, FP8 where the GPU has FP8 tensor cores, NVFP4 where FP4. */
function defaultWeights(model: Model, hw: Hardware): string[] {
  const native = model.nativeWeights === 'fp16' ? 'fp16' : model.nativeWeights === 'fp8' ? 'fp8' : model.nativeWeights === 'mxfp4' ? 'mxfp4' : 'bf16';
  const out = [native];
  if (hw.peakFlopsPerS.fp8 !== undefined && (native === 'bf16' || native === 'fp16')) out.push('fp8');
  if (hw.peakFlopsPerS.fp4 !== undefined && native !== 'mxfp4') out.push('nvfp4');
  return out;
}

function defaultKv(hw: Hardware): string[] {
  return hw.peakFlopsPerS.fp8 !== undefined ? ['bf16', 'fp8'] : ['bf16'];
}

/** TensorRT-LLM runs on NVIDIA GPUs only. */
function defaultEngines(hw: Hardware): string[] {
  return ENGINE_FAMILIES.filter((e) => e !== 'trtllm' || hw.vendor.toUpperCase() === 'NVIDIA');
}

function parallelisms(model: Model, hw: Hardware, spec: SpaceSpec): { tp: number; pp: number; ep: number }[] {
  const domainTps = candidateTps(hw);
  const tps = spec.tp ?? domainTps.filter((t) => t <= MAX_DEFAULT_TP);
  const widest = Math.max(...domainTps.filter((t) => t <= MAX_DEFAULT_TP), 1);
  const out: { tp: number; pp: number; ep: number }[] = [];
  for (const tp of tps) {
    // PP spans nodes once TP fills the NVLink domain; below that, more TP is the better use of GPUs
    const pps = spec.pp ?? (tp === widest ? [1, 2] : [1]);
    const eps = model.moe && tp > 1 && model.moe.numExperts % tp === 0 ? [1, tp] : [1];
    for (const pp of pps) for (const ep of eps) out.push({ tp, pp, ep });
  }
  return out;
}

export function candidateLabel(c: Omit<Candidate, 'index' | 'label'>): string {
  const parts = [`${c.model}@${c.hardware}`, `tp=${c.tp}`];
  if (c.pp > 1) parts.push(`pp=${c.pp}`);
  if (c.ep > 1) parts.push(`ep=${c.ep}`);
  parts.push(`weights=${c.weights}`, `kv=${c.kvCache}`, `engine=${c.engine}`, `seqs=${c.maxNumSeqs}`, `mbt=${c.maxNumBatchedTokens}`);
  if (!c.chunkedPrefill) parts.push('chunked=off');
  return parts.join(':');
}

/** Every candidate of the space, in a fixed order. Candidates that cannot exist are pruned later, with reasons. */
export function enumerateSpace(registry: ProfileRegistry, spec: SpaceSpec): Candidate[] {
  validateSpace(registry, spec);
  const hardwareIds = spec.hardware ?? [...registry.hardware.keys()].sort();
  const out: Candidate[] = [];
  for (const modelId of spec.models) {
    const model = registry.getModel(modelId);
    for (const hwId of hardwareIds) {
      const hw = registry.getHardware(hwId);
      for (const par of parallelisms(model, hw, spec))
        for (const weights of spec.weights ?? defaultWeights(model, hw))
          for (const kvCache of spec.kvCache ?? defaultKv(hw))
            for (const engine of spec.engines ?? defaultEngines(hw))
              for (const maxNumSeqs of spec.maxNumSeqs ?? DEFAULT_MAX_NUM_SEQS)
                for (const maxNumBatchedTokens of spec.maxNumBatchedTokens ?? DEFAULT_MAX_NUM_BATCHED_TOKENS)
                  for (const chunkedPrefill of spec.chunkedPrefill ?? [true]) {
                    const c = { model: model.id, hardware: hw.id, ...par, weights, kvCache, engine, maxNumSeqs, maxNumBatchedTokens, chunkedPrefill };
                    out.push({ index: out.length, label: candidateLabel(c), ...c });
                  }
    }
  }
  return out;
}
