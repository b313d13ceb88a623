import { paramBreakdown, type ParamBreakdown } from '../../cost/params.ts';
import { InputError } from '../../diagnostics/errors.ts';
import { toModel } from '../../profiles/model.ts';
import { parseValidated } from '../../profiles/validate-file.ts';
import { ModelFileSchema } from '../../schema/model.ts';
import { ConfigReader, SUPPORTED_MODEL_TYPES, type ModelType } from './config-reader.ts';
import { buildDraft } from './draft.ts';
import { textConfig } from './draft-parts.ts';
import { DEEPSEEK_STYLE } from './mixers.ts';
import { fmt, render, toFileInput, type PublishedFigures } from './render.ts';

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

export { SUPPORTED_MODEL_TYPES } from './config-reader.ts';

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

  const published = publishedFigures(options.published, p, outside, derivedActive, excludesEmbedding, isMoe, r.warnings);

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

/** What `published:` says: the publisher's figures checked against the derived counts, or the derived counts marked unverified. */
function publishedFigures(
  pub: ImportHfOptions['published'],
  p: ParamBreakdown,
  outside: number,
  derivedActive: number,
  excludesEmbedding: boolean,
  isMoe: boolean,
  warnings: string[],
): PublishedFigures {
  if (pub) {
    const published: PublishedFigures = {
      total: pub.total,
      ...(pub.active !== undefined ? { active: pub.active } : {}),
      excl: excludesEmbedding,
      source: pub.source,
      totalNote: outside > 0 ? `published (derived ${fmt(p.total)} + not_modelled ${fmt(outside)})` : `published (derived ${fmt(p.total)})`,
      activeNote: `published (derived ${fmt(derivedActive)})`,
    };
    const off = Math.abs(p.total + outside - pub.total) / pub.total;
    if (off > 0.01)
      warnings.push(
        `derived total ${fmt(p.total)}${outside > 0 ? ` + not_modelled ${fmt(outside)}` : ''} is ${(off * 100).toFixed(1)}% from the published ${fmt(pub.total)}: check the config or the figure`,
      );
    if (pub.active !== undefined) {
      const offA = Math.abs(derivedActive - pub.active) / pub.active;
      if (offA > 0.02)
        warnings.push(`derived active ${fmt(derivedActive)} is ${(offA * 100).toFixed(1)}% from the published ${fmt(pub.active)}`);
    }
    return published;
  }
  warnings.push(
    `no published parameter count given: published.total is the derived ${fmt(p.total + outside)}${isMoe ? ` and published.active the derived ${fmt(derivedActive)}` : ''}, UNVERIFIED against the publisher`,
  );
  return {
    total: p.total + outside,
    ...(isMoe ? { active: derivedActive } : {}),
    excl: isMoe && excludesEmbedding,
    source: 'UNVERIFIED: derived from config.json by servesim import-hf, not a published figure',
    totalNote: 'derived, unverified',
    activeNote: 'derived, unverified',
  };
}
