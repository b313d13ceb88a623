import { paramBreakdown } from '../cost/params.ts';
import { InputError } from '../diagnostics/errors.ts';
import { ModelFileSchema, type ModelFileInput } from '../schema/model.ts';
import { DEEPSEEK_STYLE, deepseekStyleDraft, GDN_HYBRID, MIXER_MODEL_TYPES, mixerExtras, mixerFileFields, NESTED_TEXT_CONFIG, renderMixerAttention, type MixerDraft } from './import-hf-mixers.ts';
import { toModel } from './model.ts';
import { parseValidated } from './validate-file.ts';

/**
 * Turn a Hugging Face `config.json` object into the text of a `models/*.yaml` profile. Every value in the
 * output carries a comment naming the config key it came from, as in the hand-written profiles. Keys a
 * family's HF config class defaults are filled with that default and reported in `warnings`; a key the
 * architecture cannot be built without raises an InputError that names it.
 *
 * What the profile schema cannot express (Gemma 2's four norms per layer, GPT-J's single norm and MLP
 * biases, Qwen2-MoE's shared-expert gate) is reported as a warning with the parameter-count effect.
 *
 * Multimodal checkpoints whose language model sits under `text_config` (Llama 4's `llama4`) are read from
 * there; the vision encoder is counted into `published.not_modelled` so that the parameter check compares
 * like with like against the publisher's total.
 */

export interface ImportHfOptions {
  readonly id: string;
  readonly name?: string;
  readonly hfRepo?: string;
  readonly published?: { readonly total: number; readonly active?: number; readonly source: string };
}

export interface ImportHfResult {
  readonly yaml: string;
  readonly warnings: string[];
}

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
type ModelType = (typeof SUPPORTED_MODEL_TYPES)[number];

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

export function importHfConfig(config: unknown, options: ImportHfOptions): ImportHfResult {
  if (config === null || typeof config !== 'object' || Array.isArray(config))
    throw new InputError('config.json must be a JSON object');
  const cfg = config as Record<string, unknown>;
  const modelType = cfg['model_type'];
  const supported = `supported model_type values: ${SUPPORTED_MODEL_TYPES.join(', ')}`;
  if (typeof modelType !== 'string') throw new InputError(`config.json has no "model_type" key; ${supported}`);
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(modelType))
    throw new InputError(`unsupported model_type "${modelType}" in config.json; ${supported}`);
  const text = textConfig(cfg, modelType as ModelType);
  const r = new ConfigReader(text.cfg, modelType as ModelType);
  const draft = buildDraft(r);
  const notModelled = text.visionParams;
  if (modelType === 'llama4' && notModelled === undefined)
    r.warnings.push('llama4 config.json has no vision_config: the vision encoder in the published total is not counted');

  const hfRepo = options.hfRepo ?? (typeof cfg['_name_or_path'] === 'string' ? cfg['_name_or_path'] : undefined);
  if (hfRepo === undefined) r.warnings.push('no hfRepo given and no _name_or_path in config.json: hf_repo set to "unknown"');
  const repo = hfRepo ?? 'unknown';
  const name = options.name ?? (hfRepo ? hfRepo.split('/').pop()! : options.id);

  // derive the parameter counts from the architecture alone, then decide what "published" says
  const arch = toFileInput(draft, options.id, name, repo, modelType, { total: 1, source: 'placeholder' }, notModelled);
  const parsed = ModelFileSchema.safeParse(arch);
  if (!parsed.success)
    throw new InputError(`config.json (model_type "${modelType}") gives an invalid profile: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const model = toModel(parsed.data, '(import)');
  const p = paramBreakdown(model);
  const outside = notModelled?.value ?? 0;
  const isMoe = draft.moe !== undefined;
  // OpenAI (gpt-oss) and DeepSeek count active parameters without the input embedding (models/*.yaml)
  const excludesEmbedding = modelType === 'gpt_oss' || (DEEPSEEK_STYLE.has(modelType) && modelType !== 'glm_moe_dsa');
  const derivedActive = excludesEmbedding ? p.active - p.embedding : p.active;

  let published: { total: number; active?: number; excl: boolean; source: string; totalNote: string; activeNote: string };
  if (options.published) {
    const pub = options.published;
    published = {
      total: pub.total,
      ...(pub.active !== undefined ? { active: pub.active } : {}),
      excl: excludesEmbedding,
      source: pub.source,
      totalNote: outside > 0 ? `published (derived ${fmt(p.total)} + not_modelled ${fmt(outside)})` : `published (derived ${fmt(p.total)})`,
      activeNote: `published (derived ${fmt(derivedActive)})`,
    };
    const off = Math.abs(p.total + outside - pub.total) / pub.total;
    if (off > 0.01)
      r.warnings.push(
        `derived total ${fmt(p.total)}${outside > 0 ? ` + not_modelled ${fmt(outside)}` : ''} is ${(off * 100).toFixed(1)}% from the published ${fmt(pub.total)}: check the config or the figure`,
      );
    if (pub.active !== undefined) {
      const offA = Math.abs(derivedActive - pub.active) / pub.active;
      if (offA > 0.02)
        r.warnings.push(`derived active ${fmt(derivedActive)} is ${(offA * 100).toFixed(1)}% from the published ${fmt(pub.active)}`);
    }
  } else {
    r.warnings.push(
      `no published parameter count given: published.total is the derived ${fmt(p.total + outside)}${isMoe ? ` and published.active the derived ${fmt(derivedActive)}` : ''}, UNVERIFIED against the publisher`,
    );
    published = {
      total: p.total + outside,
      ...(isMoe ? { active: derivedActive } : {}),
      excl: isMoe && excludesEmbedding,
      source: 'UNVERIFIED: derived from config.json by servesim import-hf, not a published figure',
      totalNote: 'derived, unverified',
      activeNote: 'derived, unverified',
    };
  }

  const yaml = render(draft, {
    id: options.id,
    name,
    repo,
    modelType,
    published,
    derivedTotal: p.total,
    derivedActive: isMoe ? p.active : undefined,
    notModelled,
    warnings: r.warnings,
  });
  // the output must load exactly like a hand-written profile
  parseValidated(yaml, `${options.id}.yaml`, ModelFileSchema, 'imported model profile');
  return { yaml, warnings: r.warnings };
}

function buildDraft(r: ConfigReader): Draft {
  const t = r.modelType;
  const cfg = r.cfg;
  if (t === 'gptj') return gptjDraft(r);

  const layers = r.int('num_hidden_layers');
  const hidden = r.int('hidden_size');
  const heads = r.int('num_attention_heads');
  const kvHeads = r.intOr(
    'num_key_value_heads',
    { value: heads.value, from: 'num_key_value_heads absent: = num_attention_heads (MHA)' },
  );
  const headDimDefault = Math.floor(hidden.value / heads.value);
  const headDim = r.has('head_dim')
    ? r.int('head_dim')
    : { value: headDimDefault, from: 'hidden_size / num_attention_heads (no head_dim key in config)' };
  const tiedDefault = t === 'gemma2';
  const isLlama4 = t === 'llama4' || t === 'llama4_text';
  const draft: Draft = {
    layers,
    hidden,
    // Llama 4: intermediate_size is the experts' (and shared expert's) width, intermediate_size_mlp the dense MLP's
    intermediate: isLlama4 ? r.int('intermediate_size_mlp') : r.int('intermediate_size'),
    mlp: { value: 'gated', from: gatedNote(cfg) },
    vocab: r.int('vocab_size'),
    tied: r.bool('tie_word_embeddings', tiedDefault),
    maxPos: r.int('max_position_embeddings'),
    norm: { value: 'rmsnorm', from: 'RMSNorm' },
    heads,
    kvHeads,
    headDim,
    nativeWeights: nativeWeights(cfg),
  };

  // attention biases and norms
  switch (t) {
    case 'llama':
    case 'qwen3':
    case 'qwen3_moe':
    case 'qwen3_next':
    case 'qwen3_5_moe':
    case 'qwen3_5_moe_text': {
      const bias = r.bool('attention_bias', false);
      if (bias.value) {
        draft.qkvBias = bias;
        draft.oBias = bias;
      }
      if (t !== 'llama') draft.qkNorm = { value: true, from: `${t} attention: q_norm / k_norm per head` };
      if (t === 'llama' && cfg['mlp_bias'] === true)
        r.warnings.push('mlp_bias true: MLP biases are not modelled (2·F + D parameters per layer missing)');
      break;
    }
    case 'qwen2':
    case 'qwen2_moe':
      draft.qkvBias = { value: true, from: `${t} attention: q/k/v Linear with bias=True` };
      break;
    case 'gpt_oss':
      draft.qkvBias = r.bool('attention_bias', true);
      draft.oBias = draft.qkvBias;
      draft.sinks = { value: true, from: 'gpt_oss attention sinks (one learned logit per head)' };
      break;
    case 'minimax_m2': {
      const types = cfg['attn_type_list'];
      if (Array.isArray(types) && types.some((x) => x !== 1))
        throw new InputError(
          `config.json (model_type "minimax_m2"): attn_type_list has ${types.filter((x) => x !== 1).length} linear-attention (lightning) layers; the profile schema and the cost model have only softmax attention`,
        );
      const bias = r.bool('attention_bias', false);
      if (bias.value) {
        draft.qkvBias = bias;
        draft.oBias = bias;
      }
      if (cfg['use_qk_norm'] === true) {
        draft.qkNorm = { value: true, from: 'use_qk_norm' };
        if (cfg['qk_norm_type'] === 'per_layer')
          r.warnings.push(
            `qk_norm_type per_layer normalises all heads at once (q_norm ${heads.value * headDim.value}, k_norm ${kvHeads.value * headDim.value} weights); the schema counts 2 x head_dim, ${fmt(layers.value * ((heads.value + kvHeads.value - 2) * headDim.value))} parameters low`,
          );
      }
      break;
    }
    case 'llama4':
    case 'llama4_text': {
      const bias = r.bool('attention_bias', false);
      if (bias.value) {
        draft.qkvBias = bias;
        draft.oBias = bias;
      }
      if (cfg['use_qk_norm'] === true)
        draft.qkNorm = { value: false, from: 'use_qk_norm true is a weightless L2 norm (Llama4TextL2Norm): no parameters' };
      break;
    }
    case 'gemma2':
      r.warnings.push(
        `gemma2 has four RMSNorms per layer; the profile schema counts two, so the derived total is ${fmt(2 * layers.value * hidden.value)} low`,
      );
      break;
    case 'phi3':
      if (cfg['attention_bias'] === true) r.warnings.push('attention_bias true is not modelled for phi3');
      break;
    default:
      break;
  }

  // sliding windows (Llama 4: chunked local attention)
  const window = isLlama4 ? chunkedAttention(r, layers.value) : slidingWindow(r, layers.value);
  if (window) draft.window = window;

  // mixture of experts, MLA
  switch (t) {
    case 'mixtral':
      draft.moe = {
        experts: r.int('num_local_experts'),
        topK: r.int('num_experts_per_tok'),
        width: r.int('intermediate_size'),
      };
      break;
    case 'qwen2_moe':
    case 'qwen3_moe':
    case 'qwen3_next':
    case 'qwen3_5_moe':
    case 'qwen3_5_moe_text': {
      // HF: layer i is MoE iff i is not in mlp_only_layers and (i + 1) % decoder_sparse_step == 0; the others
      // have a dense MLP of intermediate_size. Only the count reaches the profile (dense_layers).
      const step = r.intOr('decoder_sparse_step', { value: 1, from: '' }).value;
      const mlpOnlyRaw = cfg['mlp_only_layers'] ?? [];
      if (!Array.isArray(mlpOnlyRaw) || !mlpOnlyRaw.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0))
        throw new InputError(`config.json (model_type "${t}"): "mlp_only_layers" must be a list of layer indices, found ${JSON.stringify(mlpOnlyRaw)}`);
      const mlpOnly = new Set(mlpOnlyRaw as number[]);
      let moeLayerCount = 0;
      for (let i = 0; i < layers.value; i++) if (!mlpOnly.has(i) && (i + 1) % step === 0) moeLayerCount++;
      if (moeLayerCount === 0)
        throw new InputError(`config.json (model_type "${t}"): decoder_sparse_step ${step} and mlp_only_layers leave no MoE layer`);
      draft.moe = { experts: r.int('num_experts'), topK: r.int('num_experts_per_tok'), width: r.int('moe_intermediate_size') };
      if (moeLayerCount < layers.value)
        draft.moe.denseLayers = {
          value: layers.value - moeLayerCount,
          from: `decoder_sparse_step ${step}, mlp_only_layers [${[...mlpOnly].join(', ')}]: ${moeLayerCount} of ${layers.value} layers are MoE, the others dense (intermediate_size)`,
        };
      if (t === 'qwen2_moe' || GDN_HYBRID.has(t)) {
        const sharedWidth = r.intOr('shared_expert_intermediate_size', { value: 0, from: '' });
        if (sharedWidth.value > 0) {
          draft.moe.shared = { value: 1, from: `${t}: one shared expert` };
          draft.moe.sharedWidth = sharedWidth;
          r.warnings.push(`${t} shared_expert_gate (hidden_size = ${hidden.value} parameters per layer) is not modelled`);
        }
      }
      break;
    }
    case 'deepseek_v2':
    case 'deepseek_v3':
    case 'deepseek_v32':
    case 'glm_moe_dsa':
    case 'kimi_k25':
    case 'kimi_k2':
      deepseekStyleDraft(r, draft, layers.value);
      break;
    case 'llama4':
    case 'llama4_text':
      draft.moe = llama4Moe(r, layers.value);
      break;
    case 'minimax_m2': {
      const shared = cfg['shared_intermediate_size'];
      if (typeof shared === 'number' && shared > 0)
        throw new InputError(`config.json (model_type "minimax_m2"): shared_intermediate_size ${shared} (a shared expert) is not supported`);
      draft.moe = {
        experts: r.int('num_local_experts'),
        topK: r.int('num_experts_per_tok'),
        width: r.int('intermediate_size'),
        ...(cfg['use_routing_bias'] === true ? { routerBias: { value: true, from: 'use_routing_bias: e_score_correction_bias per expert' } } : {}),
      };
      const mtp = cfg['num_mtp_layers'];
      if (typeof mtp === 'number' && mtp > 0)
        r.warnings.push(`num_mtp_layers ${mtp}: the multi-token-prediction modules are not counted`);
      break;
    }
    case 'gpt_oss':
      draft.moe = {
        experts: r.int('num_local_experts'),
        topK: r.int('num_experts_per_tok', 'experts_per_token'),
        width: r.int('intermediate_size'),
        routerBias: { value: true, from: 'gpt_oss router Linear with bias' },
        expertBias: { value: true, from: 'gpt_oss gate_up_proj_bias / down_proj_bias' },
      };
      break;
    default:
      break;
  }
  mixerExtras(r, draft); // sparse attention, linear attention, output gate, MTP, INT4 experts (import-hf-mixers.ts)
  return draft;
}

function gptjDraft(r: ConfigReader): Draft {
  const hidden = r.int('n_embd', 'hidden_size');
  const heads = r.int('n_head', 'num_attention_heads');
  const inner = r.has('n_inner')
    ? r.int('n_inner')
    : { value: 4 * hidden.value, from: 'n_inner null -> 4 x n_embd' };
  r.warnings.push(
    'gptj runs attention and MLP in parallel after one LayerNorm per layer and has MLP and lm_head biases; the schema counts two LayerNorms and no such biases (the derived total is ~0.05% low for GPT-J 6B)',
  );
  return {
    layers: r.int('n_layer', 'num_hidden_layers'),
    hidden,
    intermediate: inner,
    mlp: { value: 'ungated', from: `fc_in -> ${String(r.cfg['activation_function'] ?? 'gelu_new')} -> fc_out` },
    vocab: r.int('vocab_size'),
    tied: r.bool('tie_word_embeddings', false),
    maxPos: r.int('n_positions', 'max_position_embeddings'),
    norm: { value: 'layernorm', from: 'LayerNorm with bias' },
    heads,
    kvHeads: { value: heads.value, from: 'MHA (n_head)' },
    headDim: { value: Math.floor(hidden.value / heads.value), from: 'n_embd / n_head' },
    nativeWeights: nativeWeights(r.cfg),
  };
}

/**
 * The language model's config of a multimodal checkpoint. Llama 4 (`llama4`) nests it under `text_config`;
 * keys a checkpoint states only at the top level (tie_word_embeddings, torch_dtype, quantization_config,
 * _name_or_path) are taken from there when text_config lacks them.
 */
function textConfig(cfg: Record<string, unknown>, modelType: ModelType): { cfg: Record<string, unknown>; visionParams?: Sourced<number> } {
  if (!NESTED_TEXT_CONFIG.has(modelType)) return { cfg };
  const text = cfg['text_config'];
  if (text === null || typeof text !== 'object' || Array.isArray(text))
    throw new InputError(`config.json (model_type "${modelType}") has no "text_config" object: the language model's dimensions are read from there`);
  const merged: Record<string, unknown> = { ...(text as Record<string, unknown>) };
  for (const key of ['tie_word_embeddings', 'torch_dtype', 'dtype', 'quantization_config', '_name_or_path']) {
    if (merged[key] === undefined && cfg[key] !== undefined) merged[key] = cfg[key];
  }
  const vision = cfg['vision_config'];
  const visionParams =
    modelType === 'llama4' && vision !== null && typeof vision === 'object' && !Array.isArray(vision)
      ? llama4VisionParams(vision as Record<string, unknown>, merged['hidden_size'])
      : undefined;
  return { cfg: merged, ...(visionParams ? { visionParams } : {}) };
}

/**
 * Llama 4's vision encoder and projector (HF Llama4VisionModel + Llama4MultiModalProjector): patch and
 * position embeddings, pre/post LayerNorms, `num_hidden_layers` ViT blocks (biased q/k/v/o and fc1/fc2, two
 * LayerNorms), the pixel-shuffle adapter MLP (intermediate_size -> projector_input_dim -> projector_output_dim,
 * no biases) and the projector into the text hidden size (no bias). Scout: 871,932,416.
 */
function llama4VisionParams(v: Record<string, unknown>, textHidden: unknown): Sourced<number> | undefined {
  const keys = ['hidden_size', 'intermediate_size', 'num_hidden_layers', 'patch_size', 'image_size', 'num_channels', 'projector_input_dim', 'projector_output_dim', 'vision_output_dim'] as const;
  const n: Record<string, number> = {};
  for (const k of keys) {
    const x = v[k];
    if (typeof x !== 'number' || !Number.isInteger(x) || x <= 0) return undefined;
    n[k] = x;
  }
  if (typeof textHidden !== 'number') return undefined;
  const h = n['hidden_size']!;
  const i = n['intermediate_size']!;
  const patches = (n['image_size']! / n['patch_size']!) ** 2;
  const block = 4 * (h * h + h) + (h * i + i) + (i * h + h) + 2 * 2 * h;
  const total =
    h + // class_embedding
    (patches + 1) * h + // positional_embedding_vlm
    n['num_channels']! * n['patch_size']! ** 2 * h + // patch_embedding (no bias)
    2 * 2 * h + // layernorm_pre, layernorm_post
    n['num_hidden_layers']! * block +
    i * n['projector_input_dim']! + n['projector_output_dim']! * n['projector_output_dim']! + // vision_adapter
    n['vision_output_dim']! * textHidden; // multi_modal_projector
  return {
    value: total,
    from: `Llama 4 vision encoder (${n['num_hidden_layers']!} ViT blocks of ${h}) and projector, counted from vision_config`,
  };
}

/** Llama 4 MoE: every `interleave_moe_layer_step`-th layer (or the `moe_layers` list) routes to experts, plus one shared expert. */
function llama4Moe(r: ConfigReader, layers: number): NonNullable<Draft['moe']> {
  const list = r.cfg['moe_layers'];
  let moeLayers: number;
  let from: string;
  if (Array.isArray(list) && list.length > 0) {
    moeLayers = new Set(list.filter((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < layers)).size;
    from = `moe_layers lists ${moeLayers} of ${layers} layers`;
  } else {
    const step = r.intOr('interleave_moe_layer_step', { value: 1, from: '' }).value;
    moeLayers = Math.floor(layers / step); // HF: range(step - 1, layers, step)
    from = `interleave_moe_layer_step ${step}: ${moeLayers} of ${layers} layers are MoE`;
  }
  if (moeLayers === 0) throw new InputError(`config.json (model_type "${r.modelType}"): no MoE layers (${from})`);
  return {
    experts: r.int('num_local_experts'),
    topK: r.int('num_experts_per_tok'),
    width: r.int('intermediate_size'),
    shared: { value: 1, from: 'llama4 shared_expert: one dense expert of intermediate_size on every MoE layer' },
    ...(moeLayers < layers
      ? { denseLayers: { value: layers - moeLayers, from: `${from}; the others (interleaved) have a dense MLP of intermediate_size_mlp` } }
      : {}),
  };
}

/**
 * Llama 4 chunked local attention: layers that use RoPE (no_rope_layers[i] = 1) attend within their aligned
 * chunk of attention_chunk_size tokens; the NoPE layers (every no_rope_layer_interval-th, default 4th) attend
 * to the whole context.
 */
function chunkedAttention(r: ConfigReader, layers: number): Draft['window'] {
  const cfg = r.cfg;
  if (!r.has('attention_chunk_size')) return undefined;
  const size = r.int('attention_chunk_size');
  const flags = cfg['no_rope_layers'];
  let chunked: Sourced<number>;
  if (Array.isArray(flags) && flags.length > 0) {
    if (flags.length !== layers)
      throw new InputError(`config.json (model_type "${r.modelType}"): no_rope_layers has ${flags.length} entries for ${layers} layers`);
    chunked = { value: flags.filter((x) => x === 1 || x === true).length, from: 'no_rope_layers: layers with RoPE (1) use chunked attention' };
  } else {
    const interval = r.intOr('no_rope_layer_interval', { value: 4, from: '' }).value;
    chunked = {
      value: layers - Math.floor(layers / interval),
      from: `no_rope_layer_interval ${interval}: every ${interval}th layer is NoPE with full attention, the others chunked`,
    };
  }
  if (chunked.value === 0) return undefined;
  return { size, layers: chunked, kind: { value: 'chunked', from: 'attention_chunk_size: chunked local attention, not a sliding window' } };
}

function gatedNote(cfg: Record<string, unknown>): string {
  const act = cfg['hidden_act'] ?? cfg['hidden_activation'];
  return typeof act === 'string' ? `gated MLP (gate/up/down, hidden_act ${act})` : 'gated MLP (gate/up/down)';
}

function nativeWeights(cfg: Record<string, unknown>): Sourced<'bf16' | 'fp16' | 'fp8' | 'mxfp4'> {
  const q = cfg['quantization_config'] as { quant_method?: unknown; config_groups?: unknown } | undefined;
  if (q && q.quant_method === 'fp8') return { value: 'fp8', from: 'quantization_config quant_method fp8' };
  if (q && q.quant_method === 'compressed-tensors' && compressedTensorsFp8(q.config_groups))
    return { value: 'fp8', from: 'quantization_config compressed-tensors: 8-bit float weights (config_groups)' };
  if (q && q.quant_method === 'mxfp4') return { value: 'mxfp4', from: 'quantization_config quant_method mxfp4' };
  const dtype = cfg['torch_dtype'] ?? cfg['dtype'];
  if (dtype === 'float16') return { value: 'fp16', from: 'torch_dtype float16' };
  if (dtype === 'bfloat16') return { value: 'bf16', from: 'torch_dtype bfloat16' };
  return { value: 'bf16', from: `torch_dtype ${dtype === undefined ? 'absent' : String(dtype)}: bf16 assumed` };
}

/** compressed-tensors (llm-compressor, e.g. RedHatAI "-FP8-dynamic"): every config group has 8-bit float weights. */
function compressedTensorsFp8(groups: unknown): boolean {
  if (groups === null || typeof groups !== 'object') return false;
  const list = Object.values(groups as Record<string, unknown>);
  return (
    list.length > 0 &&
    list.every((g) => {
      const w = (g as { weights?: { num_bits?: unknown; type?: unknown } } | null)?.weights;
      return w?.num_bits === 8 && w.type === 'float';
    })
  );
}

function slidingWindow(r: ConfigReader, layers: number): Draft['window'] {
  const cfg = r.cfg;
  const size = cfg['sliding_window'];
  if (typeof size !== 'number' || size <= 0) return undefined;
  const sizeS = { value: size, from: 'sliding_window' };
  const types = cfg['layer_types'];
  if (Array.isArray(types)) {
    const n = types.filter((x) => x === 'sliding_attention').length;
    return n > 0 ? { size: sizeS, layers: { value: n, from: 'layer_types: sliding_attention count' } } : undefined;
  }
  switch (r.modelType) {
    case 'mistral':
    case 'mixtral':
      return { size: sizeS, layers: { value: layers, from: 'every layer' } };
    case 'qwen2':
    case 'qwen2_moe':
    case 'qwen3':
    case 'qwen3_moe': {
      if (cfg['use_sliding_window'] !== true) return undefined;
      const full = typeof cfg['max_window_layers'] === 'number' ? cfg['max_window_layers'] : layers;
      const n = Math.max(0, layers - full);
      return n > 0 ? { size: sizeS, layers: { value: n, from: 'use_sliding_window: layers from max_window_layers on' } } : undefined;
    }
    case 'gemma2':
      return { size: sizeS, layers: { value: Math.ceil(layers / 2), from: 'gemma2 alternates local/global, starting local' } };
    case 'phi3': {
      const maxPos = cfg['max_position_embeddings'];
      if (typeof maxPos === 'number' && size >= maxPos) return undefined; // never reached: full attention
      return { size: sizeS, layers: { value: layers, from: 'every layer' } };
    }
    case 'gpt_oss':
      return { size: sizeS, layers: { value: Math.ceil(layers / 2), from: 'gpt_oss alternates sliding/full, starting sliding' } };
    default:
      return undefined;
  }
}

function toFileInput(
  d: Draft,
  id: string,
  name: string,
  repo: string,
  family: string,
  published: { total: number; active?: number; excl?: boolean; source: string },
  notModelled: Sourced<number> | undefined,
): ModelFileInput {
  return {
    id,
    name,
    hf_repo: repo,
    family,
    layers: d.layers.value,
    hidden_size: d.hidden.value,
    intermediate_size: d.intermediate.value,
    mlp: d.mlp.value,
    vocab_size: d.vocab.value,
    tie_word_embeddings: d.tied.value,
    max_position_embeddings: d.maxPos.value,
    norm: d.norm.value,
    attention: {
      num_heads: d.heads.value,
      num_kv_heads: d.kvHeads.value,
      head_dim: d.headDim.value,
      ...(d.qkvBias ? { qkv_bias: d.qkvBias.value } : {}),
      ...(d.oBias ? { o_bias: d.oBias.value } : {}),
      ...(d.qkNorm ? { qk_norm: d.qkNorm.value } : {}),
      ...(d.sinks ? { sinks: d.sinks.value } : {}),
      ...(d.window
        ? {
            sliding_window: {
              size: d.window.size.value,
              layers: d.window.layers.value,
              ...(d.window.kind ? { kind: d.window.kind.value } : {}),
            },
          }
        : {}),
      ...(d.mla
        ? {
            mla: {
              q_lora_rank: d.mla.qLoraRank.value,
              kv_lora_rank: d.mla.kvLoraRank.value,
              qk_nope_head_dim: d.mla.qkNope.value,
              qk_rope_head_dim: d.mla.qkRope.value,
              v_head_dim: d.mla.vHead.value,
            },
          }
        : {}),
      ...mixerFileFields(d.extra).attention,
    },
    ...(d.moe
      ? {
          moe: {
            num_experts: d.moe.experts.value,
            experts_per_token: d.moe.topK.value,
            expert_intermediate_size: d.moe.width.value,
            ...(d.moe.shared ? { num_shared_experts: d.moe.shared.value } : {}),
            ...(d.moe.sharedWidth ? { shared_expert_intermediate_size: d.moe.sharedWidth.value } : {}),
            ...(d.moe.denseLayers ? { dense_layers: d.moe.denseLayers.value } : {}),
            ...(d.moe.routerBias ? { router_bias: d.moe.routerBias.value } : {}),
            ...(d.moe.expertBias ? { expert_bias: d.moe.expertBias.value } : {}),
          },
        }
      : {}),
    native_weights: d.nativeWeights.value,
    ...mixerFileFields(d.extra).top,
    published: {
      total: published.total,
      ...(published.active !== undefined ? { active: published.active } : {}),
      ...(published.excl ? { active_excludes_embedding: true } : {}),
      ...(notModelled ? { not_modelled: { params: notModelled.value, what: notModelled.from } } : {}),
      source: published.source,
    },
    sources: [`huggingface.co/${repo} config.json (imported by servesim import-hf)`],
  };
}

interface RenderInfo {
  id: string;
  name: string;
  repo: string;
  modelType: string;
  published: { total: number; active?: number; excl: boolean; source: string; totalNote: string; activeNote: string };
  derivedTotal: number;
  derivedActive: number | undefined;
  notModelled: Sourced<number> | undefined;
  warnings: readonly string[];
}

function render(d: Draft, info: RenderInfo): string {
  const out: string[] = [];
  const q = (s: string): string => JSON.stringify(s);
  const line = (indent: number, key: string, value: string | number | boolean | null, from?: string): void => {
    const v = value === null ? 'null' : typeof value === 'string' ? value : String(value);
    out.push(`${'  '.repeat(indent)}${key}: ${v}${from ? ` # ${from}` : ''}`);
  };
  out.push('# yaml-language-server: $schema=../schemas/model-profile.schema.json');
  out.push(`# ${info.name}. Imported by servesim (src/profiles/import-hf.ts) from the Hugging Face config.json of`);
  out.push(`# ${info.repo} (model_type ${info.modelType}). Each comment names the config key a value came from.`);
  out.push(
    `# Derived parameter count (cost/params.ts): ${fmt(info.derivedTotal)} total` +
      (info.derivedActive !== undefined ? `, ${fmt(info.derivedActive)} active incl. embedding.` : '.'),
  );
  for (const w of info.warnings) out.push(`# WARNING: ${w}`);
  line(0, 'id', q(info.id));
  line(0, 'name', q(info.name));
  line(0, 'hf_repo', q(info.repo));
  line(0, 'family', q(info.modelType));
  line(0, 'layers', d.layers.value, d.layers.from);
  line(0, 'hidden_size', d.hidden.value, d.hidden.from);
  line(0, 'intermediate_size', d.intermediate.value, d.moe && !d.moe.denseLayers ? `${d.intermediate.from} (no dense-MLP layers)` : d.intermediate.from);
  line(0, 'mlp', d.mlp.value, d.mlp.from);
  line(0, 'vocab_size', d.vocab.value, d.vocab.from);
  line(0, 'tie_word_embeddings', d.tied.value, d.tied.from);
  line(0, 'max_position_embeddings', d.maxPos.value, d.maxPos.from);
  line(0, 'norm', d.norm.value, d.norm.from);
  out.push('attention:');
  line(1, 'num_heads', d.heads.value, d.heads.from);
  line(1, 'num_kv_heads', d.kvHeads.value, d.kvHeads.from);
  line(1, 'head_dim', d.headDim.value, d.headDim.from);
  if (d.qkvBias) line(1, 'qkv_bias', d.qkvBias.value, d.qkvBias.from);
  if (d.oBias) line(1, 'o_bias', d.oBias.value, d.oBias.from);
  if (d.qkNorm) line(1, 'qk_norm', d.qkNorm.value, d.qkNorm.from);
  if (d.sinks) line(1, 'sinks', d.sinks.value, d.sinks.from);
  if (d.window) {
    out.push('  sliding_window:');
    line(2, 'size', d.window.size.value, d.window.size.from);
    line(2, 'layers', d.window.layers.value, d.window.layers.from);
    if (d.window.kind) line(2, 'kind', d.window.kind.value, d.window.kind.from);
  }
  if (d.mla) {
    out.push('  mla:');
    line(2, 'q_lora_rank', d.mla.qLoraRank.value, d.mla.qLoraRank.from);
    line(2, 'kv_lora_rank', d.mla.kvLoraRank.value, d.mla.kvLoraRank.from);
    line(2, 'qk_nope_head_dim', d.mla.qkNope.value, d.mla.qkNope.from);
    line(2, 'qk_rope_head_dim', d.mla.qkRope.value, d.mla.qkRope.from);
    line(2, 'v_head_dim', d.mla.vHead.value, d.mla.vHead.from);
  }
  renderMixerAttention(d.extra, out, line);
  if (d.moe) {
    const m = d.moe;
    out.push('moe:');
    line(1, 'num_experts', m.experts.value, m.experts.from);
    line(1, 'experts_per_token', m.topK.value, m.topK.from);
    line(1, 'expert_intermediate_size', m.width.value, m.width.from);
    if (m.shared) line(1, 'num_shared_experts', m.shared.value, m.shared.from);
    if (m.sharedWidth) line(1, 'shared_expert_intermediate_size', m.sharedWidth.value, m.sharedWidth.from);
    if (m.denseLayers) line(1, 'dense_layers', m.denseLayers.value, m.denseLayers.from);
    if (m.routerBias) line(1, 'router_bias', m.routerBias.value, m.routerBias.from);
    if (m.expertBias) line(1, 'expert_bias', m.expertBias.value, m.expertBias.from);
  }
  line(0, 'native_weights', d.nativeWeights.value, d.nativeWeights.from);
  if (d.extra?.mtp) line(0, 'mtp_layers', d.extra.mtp.value, `${d.extra.mtp.from} (not counted in the totals)`);
  out.push('published:');
  line(1, 'total', info.published.total, info.published.totalNote);
  if (info.published.active !== undefined) line(1, 'active', info.published.active, info.published.activeNote);
  if (info.published.excl) line(1, 'active_excludes_embedding', true, 'publisher counts active parameters without the input embedding');
  if (info.notModelled) {
    out.push('  not_modelled:');
    line(2, 'params', info.notModelled.value, 'vision_config, counted by servesim import-hf');
    line(2, 'what', q(info.notModelled.from));
  }
  line(1, 'source', q(info.published.source));
  out.push('sources:');
  out.push(`  - ${q(`huggingface.co/${info.repo} config.json (imported by servesim import-hf)`)}`);
  return out.join('\n') + '\n';
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
