import { InputError } from '../../diagnostics/errors.ts';
import { MIXER_MODEL_TYPES, type MixerDraft } from './mixers.ts';

/** The HF config reader and the draft profile it fills: each value with the config key it came from. */

export const SUPPORTED_MODEL_TYPES = [
  'llama',
  'mistral',
  'mixtral',
  'qwen2',
  'qwen2_moe',
  'qwen3',
  'qwen3_moe',
  'deepseek_v2',
  'deepseek_v3',
  'gpt_oss',
  'gemma2',
  'phi3',
  'gptj',
  'llama4',
  'llama4_text',
  'minimax_m2',
  ...MIXER_MODEL_TYPES,
] as const;
export type ModelType = (typeof SUPPORTED_MODEL_TYPES)[number];

/** A profile field together with the comment that says where its value came from. */
export interface Sourced<T> {
  readonly value: T;
  readonly from: string;
}

export interface Draft {
  layers: Sourced<number>;
  hidden: Sourced<number>;
  intermediate: Sourced<number>;
  mlp: Sourced<'gated' | 'ungated'>;
  vocab: Sourced<number>;
  tied: Sourced<boolean>;
  maxPos: Sourced<number>;
  norm: Sourced<'rmsnorm' | 'layernorm'>;
  heads: Sourced<number>;
  kvHeads: Sourced<number>;
  headDim: Sourced<number>;
  qkvBias?: Sourced<boolean>;
  oBias?: Sourced<boolean>;
  qkNorm?: Sourced<boolean>;
  sinks?: Sourced<boolean>;
  window?: { size: Sourced<number>; layers: Sourced<number>; kind?: Sourced<'chunked'> };
  mla?: {
    qLoraRank: Sourced<number | null>;
    kvLoraRank: Sourced<number>;
    qkNope: Sourced<number>;
    qkRope: Sourced<number>;
    vHead: Sourced<number>;
  };
  moe?: {
    experts: Sourced<number>;
    topK: Sourced<number>;
    width: Sourced<number>;
    shared?: Sourced<number>;
    sharedWidth?: Sourced<number>;
    denseLayers?: Sourced<number>;
    routerBias?: Sourced<boolean>;
    expertBias?: Sourced<boolean>;
  };
  nativeWeights: Sourced<'bf16' | 'fp16' | 'fp8' | 'mxfp4' | 'int4g32'>;
  extra?: MixerDraft;
}

/** Reads keys from the config, recording which were defaulted. */
export class ConfigReader {
  readonly warnings: string[] = [];
  constructor(
    readonly cfg: Record<string, unknown>,
    readonly modelType: ModelType,
  ) {}

  has(key: string): boolean {
    return this.cfg[key] !== undefined && this.cfg[key] !== null;
  }

  /** A required positive integer: the first of `keys` present. */
  int(...keys: string[]): Sourced<number> {
    for (const key of keys) {
      const v = this.cfg[key];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)
        throw new InputError(`config.json (model_type "${this.modelType}"): "${key}" must be a positive integer, found ${JSON.stringify(v)}`);
      return { value: v, from: key };
    }
    throw new InputError(
      `config.json (model_type "${this.modelType}") is missing the required key "${keys[0]!}"` +
        (keys.length > 1 ? ` (or ${keys.slice(1).map((k) => `"${k}"`).join(', ')})` : ''),
    );
  }

  /** An optional positive integer, or `fallback` (with a warning when `warn` is set). */
  intOr(key: string, fallback: Sourced<number>, warn?: string): Sourced<number> {
    if (!this.has(key)) {
      if (warn) this.warnings.push(warn);
      return fallback;
    }
    return this.int(key);
  }

  /** An optional non-negative integer count, 0 when absent. */
  count(key: string): Sourced<number> {
    const v = this.cfg[key];
    if (v === undefined || v === null) return { value: 0, from: `${key} absent: 0` };
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      throw new InputError(`config.json (model_type "${this.modelType}"): "${key}" must be a non-negative integer, found ${JSON.stringify(v)}`);
    return { value: v, from: key };
  }

  bool(key: string, familyDefault: boolean): Sourced<boolean> {
    const v = this.cfg[key];
    if (v === undefined || v === null) return { value: familyDefault, from: `${key} absent: ${this.modelType} default ${String(familyDefault)}` };
    if (typeof v !== 'boolean') throw new InputError(`config.json (model_type "${this.modelType}"): "${key}" must be true or false, found ${JSON.stringify(v)}`);
    return { value: v, from: key };
  }
}
