/**
 * `servesim models import` reads the 2026 families' configs (issue 17): each fixture re-imports to the
 * architecture of its shipped profile, and the new mechanisms come from the config keys.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { paramBreakdown } from '../../src/cost/params.ts';
import { InputError } from '../../src/diagnostics/errors.ts';
import { importHfConfig } from '../../src/profiles/import-hf.ts';
import { toModel } from '../../src/profiles/model.ts';
import type { Model } from '../../src/schema/resolved-model.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import { parseValidated } from '../../src/profiles/validate-file.ts';
import { ModelFileSchema } from '../../src/schema/model.ts';
import { runCli } from '../helpers/cli.ts';

const dir = fileURLToPath(new URL('../fixtures/hf-configs/', import.meta.url));
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as Record<string, unknown>;
const registry = loadProfiles();

function load(yaml: string, id: string): Model {
  return toModel(parseValidated(yaml, `${id}.yaml`, ModelFileSchema, 'imported model profile'), `${id}.yaml`);
}

function architecture(m: Model): unknown {
  const { id: _id, name: _name, hfRepo: _repo, published: _published, source: _source, ...arch } = m;
  return arch;
}

describe('models import: the 2026 families', () => {
  it.each([
    ['qwen3.5-397b-a17b', 396_346_104_576],
    ['deepseek-v3.2', 671_877_944_064],
    ['kimi-k2.5', 1_026_408_232_448],
    ['glm-5', 743_911_218_432],
  ])('%s re-imports to the architecture of models/%s.yaml', (id, total) => {
    const { yaml } = importHfConfig(fixture(id), { id });
    const imported = load(yaml, id);
    expect(architecture(imported)).toEqual(architecture(registry.getModel(id)));
    expect(paramBreakdown(imported).total).toBe(total);
  });

  it('Qwen3.5: Gated DeltaNet layers from layer_types, the output gate, fp32 state, the shared expert, MTP', () => {
    const { yaml, warnings } = importHfConfig(fixture('qwen3.5-397b-a17b'), { id: 'q' });
    const m = load(yaml, 'q');
    expect(m.attention.linearAttention).toEqual({
      kind: 'gated_deltanet', layers: 45, numKeyHeads: 16, numValueHeads: 64, keyHeadDim: 128, valueHeadDim: 128, convKernel: 4, stateDtype: 'fp32',
    });
    expect(m.attention.outputGate).toBe(true);
    expect(m.moe).toMatchObject({ numExperts: 512, expertsPerToken: 10, numSharedExperts: 1, sharedIntermediateSize: 1024 });
    expect(m.mtpLayers).toBe(1);
    expect(yaml).toContain('layers: 45 # layer_types: linear_attention count');
    expect(warnings.join('\n')).toContain('vision encoder (vision_config) is not counted');
  });

  it('a Gated DeltaNet config without layer_types counts every full_attention_interval-th layer as softmax', () => {
    const q = fixture('qwen3.5-397b-a17b');
    const text = { ...(q['text_config'] as Record<string, unknown>), layer_types: undefined, full_attention_interval: 3 };
    const m = load(importHfConfig({ ...q, text_config: text }, { id: 'q' }).yaml, 'q');
    expect(m.attention.linearAttention?.layers).toBe(40); // 60 - floor(60 / 3)
  });

  it('DSA keys become attention.sparse; GLM-5 reads the same MLA + MoE path as DeepSeek', () => {
    const ds = load(importHfConfig(fixture('deepseek-v3.2'), { id: 'd' }).yaml, 'd');
    expect(ds.attention.sparse).toEqual({ kind: 'dsa', indexHeads: 64, indexHeadDim: 128, topK: 2048 });
    const glm = load(importHfConfig(fixture('glm-5'), { id: 'g' }).yaml, 'g');
    expect(glm.attention.sparse).toEqual({ kind: 'dsa', indexHeads: 32, indexHeadDim: 128, topK: 2048 });
    expect(glm.attention.mla).toEqual({ qLoraRank: 2048, kvLoraRank: 512, qkNopeHeadDim: 192, qkRopeHeadDim: 64, vHeadDim: 256 });
    expect(glm.moe).toMatchObject({ numExperts: 256, numSharedExperts: 1, denseLayers: 3, routerBias: true });
    // without index_topk the same config is plain MLA
    const { index_topk: _k, ...dense } = fixture('deepseek-v3.2');
    expect(load(importHfConfig(dense, { id: 'd' }).yaml, 'd').attention.sparse).toBeUndefined();
  });

  it('Kimi K2.5: text_config read under the multimodal wrapper, INT4 group-32 experts become int4g32', () => {
    const m = load(importHfConfig(fixture('kimi-k2.5'), { id: 'k' }).yaml, 'k');
    expect(m.nativeWeights).toBe('int4g32');
    expect(m.moe).toMatchObject({ numExperts: 384, expertsPerToken: 8, denseLayers: 1 });
    // another group size is no servesim format: a warning, and the checkpoint dtype stays
    const k = fixture('kimi-k2.5');
    const text = k['text_config'] as Record<string, unknown>;
    const q = JSON.parse(JSON.stringify(text['quantization_config'])) as { config_groups: { group_0: { weights: { group_size: number } } } };
    q.config_groups.group_0.weights.group_size = 128;
    const r = importHfConfig({ ...k, text_config: { ...text, quantization_config: q } }, { id: 'k' });
    expect(load(r.yaml, 'k').nativeWeights).toBe('bf16');
    expect(r.warnings.join('\n')).toContain('group_size 128 is not a servesim weight format');
  });

  it('bad configs fail with the key named', () => {
    const k = fixture('kimi-k2.5');
    expect(() => importHfConfig({ ...k, text_config: undefined }, { id: 'k' })).toThrow(/model_type "kimi_k25"\) has no "text_config"/);
    const q = fixture('qwen3.5-397b-a17b');
    const text = { ...(q['text_config'] as Record<string, unknown>), linear_num_value_heads: undefined };
    expect(() => importHfConfig({ ...q, text_config: text }, { id: 'q' })).toThrow(InputError);
    expect(() => importHfConfig({ ...q, text_config: text }, { id: 'q' })).toThrow(/linear_num_value_heads/);
    const allLinear = { ...(q['text_config'] as Record<string, unknown>), layer_types: Array(60).fill('linear_attention') };
    expect(() => importHfConfig({ ...q, text_config: allLinear }, { id: 'q' })).toThrow(/a hybrid needs some of each/);
  });

  it('servesim models import reads them from the command line, and the YAML explains like the shipped profile', async () => {
    const r = await runCli(['models', 'import', `${dir}glm-5.json`, '--id', 'glm-5', '--hf-repo', 'zai-org/GLM-5-FP8']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning: no published parameter count given');
    const m = load(r.stdout, 'glm-5');
    expect(architecture(m)).toEqual(architecture(registry.getModel('glm-5')));
    const bad = await runCli(['models', 'import', `${dir}unsupported-mamba.json`, '--id', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('qwen3_5_moe'); // the supported list names the new families
  });
});
