import { InputError } from '../../diagnostics/errors.ts';
import type { ConfigReader, Draft } from './config-reader.ts';
import { chunkedAttention, gatedNote, gptjDraft, llama4Moe, nativeWeights, slidingWindow } from './draft-parts.ts';
import { deepseekStyleDraft, GDN_HYBRID, mixerExtras } from './mixers.ts';
import { fmt } from './render.ts';

/**
 * The whole draft of one config: the fields every family shares, then attention details, windows, experts
 * (and MLA), then what the 2026 mixer families add (mixers.ts).
 */
export function buildDraft(r: ConfigReader): Draft {
  if (r.modelType === 'gptj') return gptjDraft(r);
  const draft = sharedDraft(r);
  attentionDetails(r, draft);
  const isLlama4 = r.modelType === 'llama4' || r.modelType === 'llama4_text';
  // sliding windows (Llama 4: chunked local attention)
  const window = isLlama4 ? chunkedAttention(r, draft.layers.value) : slidingWindow(r, draft.layers.value);
  if (window) draft.window = window;
  expertsAndMla(r, draft);
  mixerExtras(r, draft); // sparse attention, linear attention, output gate, MTP, INT4 experts (mixers.ts)
  return draft;
}

/** The dimensions every (non-GPT-J) family states under the same keys. */
function sharedDraft(r: ConfigReader): Draft {
  const t = r.modelType;
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
  const isLlama4 = t === 'llama4' || t === 'llama4_text';
  return {
    layers,
    hidden,
    // Llama 4: intermediate_size is the experts' (and shared expert's) width, intermediate_size_mlp the dense MLP's
    intermediate: isLlama4 ? r.int('intermediate_size_mlp') : r.int('intermediate_size'),
    mlp: { value: 'gated', from: gatedNote(r.cfg) },
    vocab: r.int('vocab_size'),
    tied: r.bool('tie_word_embeddings', t === 'gemma2'),
    maxPos: r.int('max_position_embeddings'),
    norm: { value: 'rmsnorm', from: 'RMSNorm' },
    heads,
    kvHeads,
    headDim,
    nativeWeights: nativeWeights(r.cfg),
  };
}

/** `attention_bias` true puts biases on q/k/v and o alike. */
function optionalAttentionBias(r: ConfigReader, draft: Draft): void {
  const bias = r.bool('attention_bias', false);
  if (bias.value) {
    draft.qkvBias = bias;
    draft.oBias = bias;
  }
}

/** Attention biases, QK norms and sinks, and the per-family warnings about what the schema cannot express. */
function attentionDetails(r: ConfigReader, draft: Draft): void {
  const t = r.modelType;
  const cfg = r.cfg;
  switch (t) {
    case 'llama':
    case 'qwen3':
    case 'qwen3_moe':
    case 'qwen3_next':
    case 'qwen3_5_moe':
    case 'qwen3_5_moe_text':
      optionalAttentionBias(r, draft);
      if (t !== 'llama') draft.qkNorm = { value: true, from: `${t} attention: q_norm / k_norm per head` };
      if (t === 'llama' && cfg['mlp_bias'] === true)
        r.warnings.push('mlp_bias true: MLP biases are not modelled (2·F + D parameters per layer missing)');
      break;
    case 'qwen2':
    case 'qwen2_moe':
      draft.qkvBias = { value: true, from: `${t} attention: q/k/v Linear with bias=True` };
      break;
    case 'gpt_oss':
      draft.qkvBias = r.bool('attention_bias', true);
      draft.oBias = draft.qkvBias;
      draft.sinks = { value: true, from: 'gpt_oss attention sinks (one learned logit per head)' };
      break;
    case 'minimax_m2':
      minimaxAttention(r, draft);
      break;
    case 'llama4':
    case 'llama4_text':
      optionalAttentionBias(r, draft);
      if (cfg['use_qk_norm'] === true)
        draft.qkNorm = { value: false, from: 'use_qk_norm true is a weightless L2 norm (Llama4TextL2Norm): no parameters' };
      break;
    case 'gemma2':
      r.warnings.push(
        `gemma2 has four RMSNorms per layer; the profile schema counts two, so the derived total is ${fmt(2 * draft.layers.value * draft.hidden.value)} low`,
      );
      break;
    case 'phi3':
      if (cfg['attention_bias'] === true) r.warnings.push('attention_bias true is not modelled for phi3');
      break;
    default:
      break;
  }
}

/** MiniMax-M2: softmax attention only (lightning layers are refused), optional per-layer QK norm. */
function minimaxAttention(r: ConfigReader, draft: Draft): void {
  const cfg = r.cfg;
  const types = cfg['attn_type_list'];
  if (Array.isArray(types) && types.some((x) => x !== 1))
    throw new InputError(
      `config.json (model_type "minimax_m2"): attn_type_list has ${types.filter((x) => x !== 1).length} linear-attention (lightning) layers; the profile schema and the cost model have only softmax attention`,
    );
  optionalAttentionBias(r, draft);
  if (cfg['use_qk_norm'] !== true) return;
  draft.qkNorm = { value: true, from: 'use_qk_norm' };
  if (cfg['qk_norm_type'] === 'per_layer') {
    const { heads, kvHeads, headDim, layers } = draft;
    r.warnings.push(
      `qk_norm_type per_layer normalises all heads at once (q_norm ${heads.value * headDim.value}, k_norm ${kvHeads.value * headDim.value} weights); the schema counts 2 x head_dim, ${fmt(layers.value * ((heads.value + kvHeads.value - 2) * headDim.value))} parameters low`,
    );
  }
}

/** Mixture of experts per family (and MLA for the DeepSeek-style families). */
function expertsAndMla(r: ConfigReader, draft: Draft): void {
  const t = r.modelType;
  switch (t) {
    case 'mixtral':
      draft.moe = { experts: r.int('num_local_experts'), topK: r.int('num_experts_per_tok'), width: r.int('intermediate_size') };
      break;
    case 'qwen2_moe':
    case 'qwen3_moe':
    case 'qwen3_next':
    case 'qwen3_5_moe':
    case 'qwen3_5_moe_text':
      draft.moe = qwenMoe(r, draft);
      break;
    case 'deepseek_v2':
    case 'deepseek_v3':
    case 'deepseek_v32':
    case 'glm_moe_dsa':
    case 'kimi_k25':
    case 'kimi_k2':
      deepseekStyleDraft(r, draft, draft.layers.value);
      break;
    case 'llama4':
    case 'llama4_text':
      draft.moe = llama4Moe(r, draft.layers.value);
      break;
    case 'minimax_m2':
      draft.moe = minimaxMoe(r);
      break;
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
}

/**
 * Qwen MoE families. HF: layer i is MoE iff i is not in mlp_only_layers and (i + 1) % decoder_sparse_step == 0;
 * the others have a dense MLP of intermediate_size. Only the count reaches the profile (dense_layers).
 */
function qwenMoe(r: ConfigReader, draft: Draft): NonNullable<Draft['moe']> {
  const t = r.modelType;
  const layers = draft.layers.value;
  const step = r.intOr('decoder_sparse_step', { value: 1, from: '' }).value;
  const mlpOnlyRaw = r.cfg['mlp_only_layers'] ?? [];
  if (!Array.isArray(mlpOnlyRaw) || !mlpOnlyRaw.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0))
    throw new InputError(`config.json (model_type "${t}"): "mlp_only_layers" must be a list of layer indices, found ${JSON.stringify(mlpOnlyRaw)}`);
  const mlpOnly = new Set(mlpOnlyRaw as number[]);
  let moeLayerCount = 0;
  for (let i = 0; i < layers; i++) if (!mlpOnly.has(i) && (i + 1) % step === 0) moeLayerCount++;
  if (moeLayerCount === 0)
    throw new InputError(`config.json (model_type "${t}"): decoder_sparse_step ${step} and mlp_only_layers leave no MoE layer`);
  const moe: NonNullable<Draft['moe']> = { experts: r.int('num_experts'), topK: r.int('num_experts_per_tok'), width: r.int('moe_intermediate_size') };
  if (moeLayerCount < layers)
    moe.denseLayers = {
      value: layers - moeLayerCount,
      from: `decoder_sparse_step ${step}, mlp_only_layers [${[...mlpOnly].join(', ')}]: ${moeLayerCount} of ${layers} layers are MoE, the others dense (intermediate_size)`,
    };
  if (t === 'qwen2_moe' || GDN_HYBRID.has(t)) {
    const sharedWidth = r.intOr('shared_expert_intermediate_size', { value: 0, from: '' });
    if (sharedWidth.value > 0) {
      moe.shared = { value: 1, from: `${t}: one shared expert` };
      moe.sharedWidth = sharedWidth;
      r.warnings.push(`${t} shared_expert_gate (hidden_size = ${draft.hidden.value} parameters per layer) is not modelled`);
    }
  }
  return moe;
}

/** MiniMax-M2 experts: no shared expert supported; MTP modules are reported, not counted. */
function minimaxMoe(r: ConfigReader): NonNullable<Draft['moe']> {
  const cfg = r.cfg;
  const shared = cfg['shared_intermediate_size'];
  if (typeof shared === 'number' && shared > 0)
    throw new InputError(`config.json (model_type "minimax_m2"): shared_intermediate_size ${shared} (a shared expert) is not supported`);
  const moe = {
    experts: r.int('num_local_experts'),
    topK: r.int('num_experts_per_tok'),
    width: r.int('intermediate_size'),
    ...(cfg['use_routing_bias'] === true ? { routerBias: { value: true, from: 'use_routing_bias: e_score_correction_bias per expert' } } : {}),
  };
  const mtp = cfg['num_mtp_modules'];
  if (typeof mtp === 'number' && mtp > 0)
    r.warnings.push(`num_mtp_modules ${mtp}: the multi-token-prediction modules are not counted`);
  return moe;
}
