import type { ModelFileInput } from '../../schema/model.ts';
import type { Draft, Sourced } from './config-reader.ts';
import { mixerFileFields, renderMixerAttention } from './mixers.ts';

/** The draft as a profile object (for validation and parameter counting) and as commented YAML text. */

export function toFileInput(
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

/** The `published:` block: the figures and the comment saying where each came from. */
export interface PublishedFigures {
  readonly total: number;
  readonly active?: number;
  readonly excl: boolean;
  readonly source: string;
  readonly totalNote: string;
  readonly activeNote: string;
}

export interface RenderInfo {
  id: string;
  name: string;
  repo: string;
  modelType: string;
  published: PublishedFigures;
  derivedTotal: number;
  derivedActive: number | undefined;
  notModelled: Sourced<number> | undefined;
  warnings: readonly string[];
}

export function render(d: Draft, info: RenderInfo): string {
  const out: string[] = [];
  const q = (s: string): string => JSON.stringify(s);
  const line = (indent: number, key: string, value: string | number | boolean | null, from?: string): void => {
    const v = value === null ? 'null' : typeof value === 'string' ? value : String(value);
    out.push(`${'  '.repeat(indent)}${key}: ${v}${from ? ` # ${from}` : ''}`);
  };
  out.push('# yaml-language-server: $schema=../schemas/model-profile.schema.json');
  out.push(`# ${info.name}. Imported by servesim (src/importers/hf-config/import-hf.ts) from the Hugging Face config.json of`);
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

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}