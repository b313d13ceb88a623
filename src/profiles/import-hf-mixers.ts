import { InputError } from '../diagnostics/errors.ts';
import type { ModelFileInput } from '../schema/model.ts';
import type { ConfigReader, Draft, Sourced } from './import-hf.ts';

/**
 * The 2026 families of `servesim models import` (issue 17): what their configs add to the shared draft.
 *  - DeepSeek-style MLA + DeepSeekMoE, shared by deepseek_v2/v3, deepseek_v32 (DeepSeek-V3.2), glm_moe_dsa
 *    (GLM-5) and kimi_k25 / kimi_k2 (Kimi K2.5, whose language model sits under text_config)
 *  - DeepSeek sparse attention (index_topk, index_n_heads, index_head_dim)
 *  - Gated DeltaNet hybrids: qwen3_next, qwen3_5_moe (text_config) / qwen3_5_moe_text
 *  - compressed-tensors INT4 group-32 experts (Kimi K2.5) and multi-token-prediction layers
 */
export const MIXER_MODEL_TYPES = ['deepseek_v32', 'glm_moe_dsa', 'kimi_k25', 'kimi_k2', 'qwen3_next', 'qwen3_5_moe', 'qwen3_5_moe_text'] as const;

/** Families whose language model is nested under `text_config` next to a vision encoder (not modelled). */
export const NESTED_TEXT_CONFIG: ReadonlySet<string> = new Set(['llama4', 'kimi_k25', 'qwen3_5_moe']);

/** Families that take the DeepSeek MLA + MoE reading. */
export const DEEPSEEK_STYLE: ReadonlySet<string> = new Set(['deepseek_v2', 'deepseek_v3', 'deepseek_v32', 'glm_moe_dsa', 'kimi_k25', 'kimi_k2']);

/** Gated DeltaNet hybrids: Qwen3-MoE attention and experts, plus linear-attention layers. */
export const GDN_HYBRID: ReadonlySet<string> = new Set(['qwen3_next', 'qwen3_5_moe', 'qwen3_5_moe_text']);

/** What the new mechanisms add to a draft; absent for every earlier family. */
export interface MixerDraft {
  outputGate?: Sourced<boolean>;
  linear?: {
    layers: Sourced<number>;
    keyHeads: Sourced<number>;
    valueHeads: Sourced<number>;
    keyDim: Sourced<number>;
    valueDim: Sourced<number>;
    convKernel: Sourced<number>;
    stateDtype: Sourced<'bf16' | 'fp32'>;
  };
  sparse?: { heads: Sourced<number>; headDim: Sourced<number>; topK: Sourced<number> };
  mtp?: Sourced<number>;
}

/** DeepSeek-style MLA and DeepSeekMoE (HF DeepseekV2/V3: layer i is MoE iff i >= first_k_dense_replace and i % moe_layer_freq == 0). */
export function deepseekStyleDraft(r: ConfigReader, draft: Draft, layers: number): void {
  const t = r.modelType;
  const cfg = r.cfg;
  const freq = r.intOr('moe_layer_freq', { value: 1, from: '' }).value;
  const firstDense = r.count('first_k_dense_replace');
  let moeLayerCount = 0;
  for (let i = firstDense.value; i < layers; i++) if (i % freq === 0) moeLayerCount++;
  if (moeLayerCount === 0)
    throw new InputError(`config.json (model_type "${t}"): first_k_dense_replace ${firstDense.value} and moe_layer_freq ${freq} leave no MoE layer`);
  const denseLayers: Sourced<number> =
    freq === 1 ? firstDense : { value: layers - moeLayerCount, from: `first_k_dense_replace ${firstDense.value}, moe_layer_freq ${freq}: ${moeLayerCount} of ${layers} layers are MoE` };
  const qLora = cfg['q_lora_rank'];
  draft.mla = {
    qLoraRank: qLora === null || qLora === undefined ? { value: null, from: 'q_lora_rank null: full-rank queries' } : r.int('q_lora_rank'),
    kvLoraRank: r.int('kv_lora_rank'),
    qkNope: r.int('qk_nope_head_dim'),
    qkRope: r.int('qk_rope_head_dim'),
    vHead: r.int('v_head_dim'),
  };
  draft.headDim = { value: draft.mla.qkNope.value + draft.mla.qkRope.value, from: 'qk_nope_head_dim + qk_rope_head_dim (query/key width per head)' };
  const noaux = t !== 'deepseek_v2' || cfg['topk_method'] === 'noaux_tc';
  draft.moe = {
    experts: r.int('n_routed_experts'),
    topK: r.int('num_experts_per_tok'),
    width: r.int('moe_intermediate_size'),
    shared: r.intOr('n_shared_experts', { value: 0, from: 'n_shared_experts absent: 0' }),
    denseLayers,
    ...(noaux ? { routerBias: { value: true, from: 'gate.e_score_correction_bias (topk_method noaux_tc)' } } : {}),
  };
  if (draft.moe.shared?.value === 0) delete draft.moe.shared;
  if (r.has('num_nextn_predict_layers') && (cfg['num_nextn_predict_layers'] as number) > 0)
    r.warnings.push(`num_nextn_predict_layers ${String(cfg['num_nextn_predict_layers'])}: the multi-token-prediction module is not counted`);
}

/** Sparse attention, Gated DeltaNet layers, the output gate, MTP layers and INT4 experts, where the config has them. */
export function mixerExtras(r: ConfigReader, draft: Draft): void {
  const extra: MixerDraft = {};
  if (r.modelType === 'kimi_k25' || r.modelType === 'qwen3_5_moe')
    r.warnings.push(`${r.modelType}: the vision encoder (vision_config) is not counted; add it to published.not_modelled to compare with a total that includes it`);
  if (r.has('index_topk')) extra.sparse = { heads: r.int('index_n_heads'), headDim: r.int('index_head_dim'), topK: r.int('index_topk') };
  if (GDN_HYBRID.has(r.modelType)) {
    extra.linear = gatedDeltaNet(r, draft.layers.value);
    extra.outputGate = r.bool('attn_output_gate', true);
  }
  const mtp = r.has('num_nextn_predict_layers') ? r.count('num_nextn_predict_layers') : r.count('mtp_num_hidden_layers');
  if (mtp.value > 0) extra.mtp = mtp;
  if (extra.sparse || extra.linear || extra.mtp) draft.extra = extra;
  const int4 = int4GroupWeights(r);
  if (int4) draft.nativeWeights = int4;
}

/** Linear-attention layers: layer_types when given, else every full_attention_interval-th layer is softmax. */
function gatedDeltaNet(r: ConfigReader, layers: number): NonNullable<MixerDraft['linear']> {
  const types = r.cfg['layer_types'];
  let linear: Sourced<number>;
  if (Array.isArray(types) && types.length > 0) {
    if (types.length !== layers) throw new InputError(`config.json (model_type "${r.modelType}"): layer_types has ${types.length} entries for ${layers} layers`);
    linear = { value: types.filter((x) => x === 'linear_attention').length, from: 'layer_types: linear_attention count' };
  } else {
    const interval = r.intOr('full_attention_interval', { value: 4, from: '' }).value;
    linear = { value: layers - Math.floor(layers / interval), from: `full_attention_interval ${interval}: every ${interval}th layer is softmax attention, the others linear` };
  }
  if (linear.value === 0 || linear.value >= layers)
    throw new InputError(`config.json (model_type "${r.modelType}"): ${linear.value} of ${layers} layers are linear attention; a hybrid needs some of each`);
  const ssm = r.cfg['mamba_ssm_dtype'];
  return {
    layers: linear,
    keyHeads: r.int('linear_num_key_heads'),
    valueHeads: r.int('linear_num_value_heads'),
    keyDim: r.int('linear_key_head_dim'),
    valueDim: r.int('linear_value_head_dim'),
    convKernel: r.int('linear_conv_kernel_dim'),
    stateDtype: ssm === 'float32' ? { value: 'fp32', from: 'mamba_ssm_dtype float32' } : { value: 'bf16', from: `mamba_ssm_dtype ${ssm === undefined ? 'absent' : String(ssm)}: bf16` },
  };
}

/** compressed-tensors pack-quantized INT4, symmetric, group 32 (Kimi K2 / K2.5 routed experts) is int4g32; other INT4 groupings warn. */
function int4GroupWeights(r: ConfigReader): Sourced<'int4g32'> | undefined {
  const q = r.cfg['quantization_config'];
  if (q === null || typeof q !== 'object') return undefined;
  const groups = (q as { config_groups?: unknown }).config_groups;
  if (groups === null || typeof groups !== 'object') return undefined;
  for (const g of Object.values(groups as Record<string, unknown>)) {
    const w = (g as { weights?: { num_bits?: unknown; type?: unknown; group_size?: unknown } } | null)?.weights;
    if (w?.num_bits !== 4 || w.type !== 'int') continue;
    if (w.group_size === 32) return { value: 'int4g32', from: 'quantization_config compressed-tensors: int, num_bits 4, group_size 32 (routed experts)' };
    r.warnings.push(`INT4 with group_size ${String(w.group_size)} is not a servesim weight format (int4g32 is): native_weights left at the checkpoint dtype`);
  }
  return undefined;
}

/** The profile-file fields of a MixerDraft, inside `attention` and at the top level. */
export function mixerFileFields(x: MixerDraft | undefined): { attention: Partial<ModelFileInput['attention']>; top: Partial<ModelFileInput> } {
  if (!x) return { attention: {}, top: {} };
  const l = x.linear;
  return {
    attention: {
      ...(x.outputGate ? { output_gate: x.outputGate.value } : {}),
      ...(l
        ? {
            linear_attention: {
              kind: 'gated_deltanet' as const,
              layers: l.layers.value,
              num_key_heads: l.keyHeads.value,
              num_value_heads: l.valueHeads.value,
              key_head_dim: l.keyDim.value,
              value_head_dim: l.valueDim.value,
              conv_kernel: l.convKernel.value,
              state_dtype: l.stateDtype.value,
            },
          }
        : {}),
      ...(x.sparse ? { sparse: { kind: 'dsa' as const, index_heads: x.sparse.heads.value, index_head_dim: x.sparse.headDim.value, top_k: x.sparse.topK.value } } : {}),
    },
    top: x.mtp ? { mtp_layers: x.mtp.value } : {},
  };
}

type LineWriter = (indent: number, key: string, value: string | number | boolean | null, from?: string) => void;

/** YAML lines of the attention-level additions, each with the config key it came from. */
export function renderMixerAttention(x: MixerDraft | undefined, out: string[], line: LineWriter): void {
  if (!x) return;
  if (x.outputGate) line(1, 'output_gate', x.outputGate.value, x.outputGate.from);
  const l = x.linear;
  if (l) {
    out.push('  linear_attention:');
    line(2, 'kind', 'gated_deltanet', 'Gated DeltaNet (layer_types linear_attention)');
    line(2, 'layers', l.layers.value, l.layers.from);
    line(2, 'num_key_heads', l.keyHeads.value, l.keyHeads.from);
    line(2, 'num_value_heads', l.valueHeads.value, l.valueHeads.from);
    line(2, 'key_head_dim', l.keyDim.value, l.keyDim.from);
    line(2, 'value_head_dim', l.valueDim.value, l.valueDim.from);
    line(2, 'conv_kernel', l.convKernel.value, l.convKernel.from);
    line(2, 'state_dtype', l.stateDtype.value, l.stateDtype.from);
  }
  if (x.sparse) {
    out.push('  sparse:');
    line(2, 'kind', 'dsa', 'DeepSeek sparse attention (index_topk present)');
    line(2, 'index_heads', x.sparse.heads.value, x.sparse.heads.from);
    line(2, 'index_head_dim', x.sparse.headDim.value, x.sparse.headDim.from);
    line(2, 'top_k', x.sparse.topK.value, x.sparse.topK.from);
  }
}
