import { InputError } from '../../diagnostics/errors.ts';
import type { ConfigReader, Draft, ModelType, Sourced } from './config-reader.ts';
import { NESTED_TEXT_CONFIG } from './mixers.ts';

/** Draft pieces one family or one config key decides: GPT-J, Llama 4's text config, vision, MoE and chunking, windows, dtype. */

export function gptjDraft(r: ConfigReader): Draft {
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
export function textConfig(cfg: Record<string, unknown>, modelType: ModelType): { cfg: Record<string, unknown>; visionParams?: Sourced<number> } {
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
export function llama4Moe(r: ConfigReader, layers: number): NonNullable<Draft['moe']> {
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
export function chunkedAttention(r: ConfigReader, layers: number): Draft['window'] {
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

export function gatedNote(cfg: Record<string, unknown>): string {
  const act = cfg['hidden_act'] ?? cfg['hidden_activation'];
  return typeof act === 'string' ? `gated MLP (gate/up/down, hidden_act ${act})` : 'gated MLP (gate/up/down)';
}

export function nativeWeights(cfg: Record<string, unknown>): Sourced<'bf16' | 'fp16' | 'fp8' | 'mxfp4'> {
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

export function slidingWindow(r: ConfigReader, layers: number): Draft['window'] {
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
