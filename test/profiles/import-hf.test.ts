import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { paramBreakdown, publishedStyleActive } from '../../src/cost/params.ts';
import { InputError } from '../../src/diagnostics/errors.ts';
import { importHfConfig, SUPPORTED_MODEL_TYPES } from '../../src/importers/hf-config/import-hf.ts';
import type { Model } from '../../src/schema/resolved-model.ts';
import { toModel } from '../../src/profiles/model.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import { parseValidated } from '../../src/profiles/validate-file.ts';
import { ModelFileSchema } from '../../src/schema/model.ts';

const dir = fileURLToPath(new URL('../fixtures/hf-configs/', import.meta.url));
const fixture = (name: string): unknown => JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8'));
const registry = loadProfiles();

function load(yaml: string, id: string): Model {
  return toModel(parseValidated(yaml, `${id}.yaml`, ModelFileSchema, 'imported model profile'), `${id}.yaml`);
}

/** The architecture part of a model: what an import must reproduce exactly. */
function architecture(m: Model): unknown {
  const { id: _id, name: _name, hfRepo: _repo, published: _published, source: _source, ...arch } = m;
  return arch;
}

describe('importHfConfig', () => {
  it('llama-3.1-8b: same derived parameter count and architecture as models/llama-3.1-8b.yaml', () => {
    const { yaml, warnings } = importHfConfig(fixture('llama-3.1-8b'), {
      id: 'llama-3.1-8b',
      hfRepo: 'meta-llama/Llama-3.1-8B-Instruct',
      published: { total: 8.03e9, source: 'third-party catalogs: 8.03B' },
    });
    const imported = load(yaml, 'llama-3.1-8b');
    const shipped = registry.getModel('llama-3.1-8b');
    expect(paramBreakdown(imported).total).toBe(paramBreakdown(shipped).total);
    expect(paramBreakdown(imported).total).toBe(8_030_261_248);
    expect(architecture(imported)).toEqual(architecture(shipped));
    expect(imported.published.total).toBe(8.03e9);
    expect(warnings).toEqual([]);
    // header: schema line, and says it was imported and from where
    const lines = yaml.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=../schemas/model-profile.schema.json');
    expect(yaml).toContain('Imported by servesim');
    expect(yaml).toContain('meta-llama/Llama-3.1-8B-Instruct');
    expect(yaml).toContain('hidden_size: 4096 # hidden_size');
  });

  // the showdown's dense models: each shipped profile IS the import of its config fixture (plus hand-written
  // header and published figures), so re-importing must give the same architecture with no warnings
  it.each([
    ['codellama-34b-instruct', 'codellama-34b', 33_743_970_304],
    ['qwen3-14b', 'qwen3-14b', 14_768_307_200],
    ['mistral-nemo-instruct-2407', 'mistral-nemo-12b', 12_247_782_400],
    ['yi-34b', 'yi-34b', 34_388_917_248],
  ])('%s reproduces models/%s.yaml', (file, id, total) => {
    const { yaml } = importHfConfig(fixture(file), { id });
    const imported = load(yaml, id);
    expect(architecture(imported)).toEqual(architecture(registry.getModel(id)));
    expect(paramBreakdown(imported).total).toBe(total);
  });

  describe('llama4 (Llama 4 Scout, text_config nested under a multimodal config)', () => {
    const scout = fixture('llama-4-scout-17b-16e-instruct-fp8-dynamic') as Record<string, unknown>;
    const text = scout['text_config'] as Record<string, unknown>;
    const D = 5120;
    const attn = D * (5120 + 2 * 1024) + 5120 * D;
    const expert = 3 * D * 8192;
    const vocab = 2 * 202048 * D;

    it('reproduces models/llama-4-scout.yaml: shared expert, chunked attention, FP8, vision encoder outside', () => {
      const { yaml, warnings } = importHfConfig(scout, {
        id: 'llama-4-scout',
        hfRepo: 'RedHatAI/Llama-4-Scout-17B-16E-Instruct-FP8-dynamic',
        published: { total: 109e9, active: 17e9, source: 'Meta' },
      });
      expect(warnings).toEqual([]);
      const m = load(yaml, 'llama-4-scout');
      expect(architecture(m)).toEqual(architecture(registry.getModel('llama-4-scout')));
      expect(m.moe).toMatchObject({ numExperts: 16, expertsPerToken: 1, numSharedExperts: 1, sharedIntermediateSize: 8192, denseLayers: 0 });
      // 3 of every 4 layers (no_rope_layers = 1) are chunked; the NoPE ones attend to everything
      expect(m.attention.slidingWindow).toEqual({ size: 8192, layers: 36, kind: 'chunked' });
      expect(m.attention.qkNorm).toBe(false); // weightless L2 norm
      expect(m.nativeWeights).toBe('fp8'); // compressed-tensors, 8-bit float weights
      expect(m.published.notModelledParams).toBe(871_932_416);
      expect(paramBreakdown(m).total).toBe(48 * (attn + 17 * expert + D * 16 + 2 * D) + vocab + D);
      expect(yaml).toContain('kind: chunked # attention_chunk_size');
    });

    it('interleaved MoE (Maverick-style interleave_moe_layer_step 2) gives dense layers of intermediate_size_mlp', () => {
      const { yaml } = importHfConfig({ ...scout, text_config: { ...text, interleave_moe_layer_step: 2, no_rope_layers: [] } }, { id: 'x' });
      const m = load(yaml, 'x');
      expect(m.moe?.denseLayers).toBe(24);
      expect(m.intermediateSize).toBe(16384);
      const dense = 3 * D * 16384;
      expect(paramBreakdown(m).total).toBe(48 * (attn + 2 * D) + 24 * dense + 24 * (17 * expert + D * 16) + vocab + D);
      // no_rope_layers empty: HF's default interval 4 (every 4th layer NoPE)
      expect(m.attention.slidingWindow).toEqual({ size: 8192, layers: 36, kind: 'chunked' });
    });

    it('Maverick (interleave_moe_layer_step 2, moe_layers listed) reproduces models/llama-4-maverick.yaml', () => {
      const { yaml, warnings } = importHfConfig(fixture('llama-4-maverick-17b-128e-instruct'), {
        id: 'llama-4-maverick',
        hfRepo: 'meta-llama/Llama-4-Maverick-17B-128E-Instruct',
        published: { total: 400e9, active: 17e9, source: 'Meta' },
      });
      expect(warnings).toEqual([]);
      const m = load(yaml, 'llama-4-maverick');
      expect(architecture(m)).toEqual(architecture(registry.getModel('llama-4-maverick')));
      expect(m.moe).toMatchObject({ numExperts: 128, denseLayers: 24, numSharedExperts: 1 });
      expect(m.attention.qkNorm).toBe(false); // use_qk_norm false: no comment line either
    });

    it('without published figures the vision encoder is still counted into published.total, and said to be unverified', () => {
      const { yaml, warnings } = importHfConfig(scout, { id: 'x' });
      const m = load(yaml, 'x');
      expect(m.published.total).toBe(107_769_861_120 + 871_932_416);
      expect(warnings.join('\n')).toMatch(/UNVERIFIED/);
    });

    it('a llama4 config without text_config, or with a wrong no_rope_layers, is a clear error', () => {
      const { text_config: _t, ...noText } = scout;
      expect(() => importHfConfig(noText, { id: 'x' })).toThrow(/model_type "llama4"\) has no "text_config" object/);
      expect(() => importHfConfig({ ...scout, text_config: { ...text, no_rope_layers: [1, 0] } }, { id: 'x' })).toThrow(
        'no_rope_layers has 2 entries for 48 layers',
      );
    });

    it('a text-only llama4_text config imports the same language model (no vision encoder to count)', () => {
      const { yaml } = importHfConfig({ ...text, tie_word_embeddings: false }, { id: 'x' });
      const m = load(yaml, 'x');
      expect(architecture({ ...m, nativeWeights: 'fp8', family: 'llama4' })).toEqual(architecture(registry.getModel('llama-4-scout')));
      expect(m.published.notModelledParams).toBe(0);
    });
  });

  it('minimax_m2 (MiniMax M2.5) reproduces models/minimax-m2.5.yaml, and says what it does not count', () => {
    const { yaml, warnings } = importHfConfig(fixture('minimax-m2.5'), { id: 'minimax-m2.5', hfRepo: 'MiniMaxAI/MiniMax-M2.5' });
    const m = load(yaml, 'minimax-m2.5');
    expect(architecture(m)).toEqual(architecture(registry.getModel('minimax-m2.5')));
    expect(m.moe).toMatchObject({ numExperts: 256, expertsPerToken: 8, numSharedExperts: 0, routerBias: true, denseLayers: 0 });
    expect(m.nativeWeights).toBe('fp8');
    expect(warnings.join('\n')).toMatch(/qk_norm_type per_layer .* 428,544 parameters low/);
    expect(warnings.join('\n')).toMatch(/num_mtp_modules 3/);
  });

  it('minimax_m2 with linear-attention layers (MiniMax-01 style attn_type_list 0) is refused, not approximated', () => {
    const cfg = fixture('minimax-m2.5') as Record<string, unknown>;
    const mixed = { ...cfg, attn_type_list: [0, 0, 0, 0, 0, 0, 0, 1, ...Array<number>(54).fill(1)] };
    expect(() => importHfConfig(mixed, { id: 'x' })).toThrow(/attn_type_list has 7 linear-attention \(lightning\) layers/);
  });

  it('deepseek_v3 round-trips: MLA, shared expert, dense layers, router bias, FP8', () => {
    const { yaml, warnings } = importHfConfig(fixture('deepseek-v3'), {
      id: 'deepseek-v3',
      name: 'DeepSeek-V3',
      hfRepo: 'deepseek-ai/DeepSeek-V3',
      published: { total: 671e9, active: 37e9, source: 'DeepSeek-V3 Technical Report' },
    });
    const imported = load(yaml, 'deepseek-v3');
    const shipped = registry.getModel('deepseek-v3');
    expect(architecture(imported)).toEqual(architecture(shipped));
    const p = paramBreakdown(imported);
    expect(p.total).toBe(671_026_419_200);
    expect(p.active).toBe(37_552_297_472);
    expect(imported.published.activeExcludesEmbedding).toBe(true);
    expect(publishedStyleActive(imported, p)).toBe(36_625_618_432);
    expect(imported.nativeWeights).toBe('fp8');
    expect(warnings.join('\n')).toContain('multi-token-prediction module is not counted');
    // importing the emitted YAML's own numbers again gives identical text
    const again = importHfConfig(fixture('deepseek-v3'), {
      id: 'deepseek-v3',
      name: 'DeepSeek-V3',
      hfRepo: 'deepseek-ai/DeepSeek-V3',
      published: { total: 671e9, active: 37e9, source: 'DeepSeek-V3 Technical Report' },
    });
    expect(again.yaml).toBe(yaml);
  });

  it('gpt_oss round-trips: sinks, biases, half the layers windowed, MXFP4', () => {
    const { yaml } = importHfConfig(fixture('gpt-oss-120b'), {
      id: 'gpt-oss-120b',
      name: 'gpt-oss-120b',
      hfRepo: 'openai/gpt-oss-120b',
      published: { total: 117e9, active: 5.1e9, source: 'OpenAI model card' },
    });
    const imported = load(yaml, 'gpt-oss-120b');
    expect(architecture(imported)).toEqual(architecture(registry.getModel('gpt-oss-120b')));
    expect(imported.attention.slidingWindow).toEqual({ size: 128, layers: 18, kind: 'sliding' });
    expect(imported.attention.sinks).toBe(true);
    expect(imported.moe?.routerBias && imported.moe.expertBias).toBe(true);
    expect(imported.nativeWeights).toBe('mxfp4');
    const p = paramBreakdown(imported);
    expect(p.total).toBe(116_829_156_672);
    expect(publishedStyleActive(imported, p)).toBe(5_132_849_472);
  });

  it('without published figures: uses the derived counts and warns that they are unverified', () => {
    const { yaml, warnings } = importHfConfig(fixture('mixtral-8x7b'), { id: 'mixtral-test', hfRepo: 'mistralai/Mixtral-8x7B-v0.1' });
    const m = load(yaml, 'mixtral-test');
    expect(m.published.total).toBe(46_702_792_704);
    expect(m.published.active).toBe(12_879_925_248);
    expect(m.published.source).toContain('UNVERIFIED');
    expect(warnings.some((w) => w.includes('UNVERIFIED'))).toBe(true);
    expect(yaml).toContain('# WARNING: no published parameter count given');
  });

  it('warns when the derived count is far from the published one', () => {
    const { warnings } = importHfConfig(fixture('llama-3.1-8b'), {
      id: 'wrong',
      hfRepo: 'x/y',
      published: { total: 7e9, source: 'a wrong figure' },
    });
    expect(warnings.join('\n')).toMatch(/derived total 8,030,261,248 is 14\.7% from the published 7,000,000,000/);
  });

  // every other supported family: loads, and where hardware-and-models.md §2.4 or a profile gives the count, matches it
  const FAMILIES: [fixture: string, modelType: string, total: number, check: (m: Model) => void][] = [
    ['mistral-7b-v0.1', 'mistral', paramBreakdown(registry.getModel('mistral-7b')).total, (m) => {
      expect(m.attention.slidingWindow).toEqual({ size: 4096, layers: 32, kind: 'sliding' });
      expect(architecture(m)).toEqual(architecture(registry.getModel('mistral-7b')));
    }],
    ['qwen2-7b', 'qwen2', 7_615_616_512, (m) => {
      expect(m.attention.qkvBias).toBe(true);
      expect(m.attention.slidingWindow).toBeUndefined(); // use_sliding_window false
    }],
    ['qwen3-30b-a3b', 'qwen3_moe', 30_532_122_624, (m) => {
      expect(architecture(m)).toEqual(architecture(registry.getModel('qwen3-30b-a3b')));
    }],
    ['deepseek-v2-lite', 'deepseek_v2', 15_706_484_224, (m) => {
      expect(m.attention.mla?.qLoraRank).toBeNull();
      expect(m.moe?.numSharedExperts).toBe(2);
      expect(m.moe?.denseLayers).toBe(1);
      expect(m.moe?.routerBias).toBe(false);
    }],
    // §2.4 derives 9,241,705,984 with four norms per layer; the schema counts two (warned, -301,056)
    ['gemma-2-9b', 'gemma2', 9_241_705_984 - 2 * 42 * 3584, (m) => {
      expect(m.tiedEmbeddings).toBe(true); // no tie_word_embeddings key: Gemma2Config default
      expect(m.attention.slidingWindow).toEqual({ size: 4096, layers: 21, kind: 'sliding' });
    }],
    ['phi-3-mini-4k', 'phi3', 3_821_079_552, (m) => {
      expect(m.attention.slidingWindow).toEqual({ size: 2047, layers: 32, kind: 'sliding' });
    }],
    ['gpt-j-6b', 'gptj', paramBreakdown(registry.getModel('gpt-j-6b')).total, (m) => {
      // the config has no torch_dtype (bf16 assumed, said in a comment); the profile records the fp16 revision
      expect({ ...(architecture(m) as object), nativeWeights: 'fp16' }).toEqual(architecture(registry.getModel('gpt-j-6b')));
      expect(m.gatedMlp).toBe(false);
      expect(m.norm).toBe('layernorm');
    }],
  ];
  for (const [name, modelType, total, check] of FAMILIES) {
    it(`${modelType} (${name})`, () => {
      const { yaml } = importHfConfig(fixture(name), { id: name, hfRepo: `test/${name}` });
      const m = load(yaml, name);
      expect(m.family).toBe(modelType);
      expect(paramBreakdown(m).total).toBe(total);
      check(m);
    });
  }

  it('an unsupported model_type is a clear InputError listing the supported types', () => {
    expect(() => importHfConfig(fixture('unsupported-mamba'), { id: 'mamba' })).toThrow(InputError);
    expect(() => importHfConfig(fixture('unsupported-mamba'), { id: 'mamba' })).toThrow(
      `unsupported model_type "mamba" in config.json; supported model_type values: ${SUPPORTED_MODEL_TYPES.join(', ')}`,
    );
    expect(() => importHfConfig({ hidden_size: 1 }, { id: 'x' })).toThrow(/no "model_type" key; supported model_type values: llama,/);
    expect(() => importHfConfig([], { id: 'x' })).toThrow(InputError);
  });

  it('a missing required key names the key and the model_type', () => {
    expect(() => importHfConfig(fixture('llama-missing-hidden-size'), { id: 'x' })).toThrow(
      'config.json (model_type "llama") is missing the required key "hidden_size"',
    );
    const bad = { ...(fixture('llama-3.1-8b') as Record<string, unknown>), num_attention_heads: '32' };
    expect(() => importHfConfig(bad, { id: 'x' })).toThrow('"num_attention_heads" must be a positive integer, found "32"');
  });

  it('DeepSeek moe_layer_freq 2 after first_k_dense_replace: the dense layers are counted, not refused', () => {
    const base = fixture('deepseek-v2-lite') as Record<string, unknown>; // 27 layers, first_k_dense_replace 1
    const m = load(importHfConfig({ ...base, moe_layer_freq: 2 }, { id: 'x' }).yaml, 'x');
    // MoE layers: i >= 1 and i even -> 2, 4, ..., 26 = 13; dense 14
    expect(m.moe?.denseLayers).toBe(14);
    expect(() => importHfConfig({ ...base, first_k_dense_replace: 27 }, { id: 'x' })).toThrow(/leave no MoE layer/);
  });

  it('Qwen MoE with dense layers in between (decoder_sparse_step, mlp_only_layers): counted as dense_layers of intermediate_size', () => {
    const base = fixture('qwen3-30b-a3b') as Record<string, unknown>;
    const d = 2048;
    const moeLayer = 128 * 3 * d * 768 + d * 128;
    const dense = 3 * d * 6144;
    const total = (m: Model): number => paramBreakdown(m).total;
    const all = load(importHfConfig(base, { id: 'x' }).yaml, 'x');
    // every second layer MoE (i + 1 even): 24 dense layers replace 24 MoE layers
    const step2 = load(importHfConfig({ ...base, decoder_sparse_step: 2 }, { id: 'x' }).yaml, 'x');
    expect(step2.moe?.denseLayers).toBe(24);
    expect(total(step2)).toBe(total(all) - 24 * moeLayer + 24 * dense);
    // mlp_only_layers [0, 47]: two dense layers
    const two = load(importHfConfig({ ...base, mlp_only_layers: [0, 47] }, { id: 'x' }).yaml, 'x');
    expect(two.moe?.denseLayers).toBe(2);
    expect(() => importHfConfig({ ...base, mlp_only_layers: 'all' }, { id: 'x' })).toThrow(/"mlp_only_layers" must be a list/);
    expect(() => importHfConfig({ ...base, decoder_sparse_step: 49 }, { id: 'x' })).toThrow(/leave no MoE layer/);
  });
});
