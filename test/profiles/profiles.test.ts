import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paramBreakdown, publishedStyleActive } from '../../src/cost/params.ts';
import { packageRoot } from '../../src/profiles/package-root.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';

/**
 * Every shipped profile loads, and every model's derived parameter count agrees with what its publisher
 * states, to the precision the publisher states it. A typo in a dimension moves the derived count far more
 * than the tolerance, so these tests are what keeps the architecture fields honest.
 */

const root = packageRoot();
const registry = loadProfiles({ builtIn: true });

const yamlIds = (dir: string): string[] =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();

/**
 * How a published figure was rounded.
 *  - round:      the publisher rounded to `unit` ("8.03B" -> unit 1e7); tolerance = max(1% of the figure, unit/2)
 *  - truncate:   the publisher cut digits off ("3.3B" for 3.353B); the true value lies in [p, p + unit), widened
 *                by the same 1% floor below
 *  - size-class: the figure is a size-class name, not a count (Meta's "70B" for a 68.98B model); the allowed
 *                relative error is stated explicitly per model and must be justified in the comment
 */
type Precision =
  | { readonly mode: 'round'; readonly unit: number }
  | { readonly mode: 'truncate'; readonly unit: number }
  | { readonly mode: 'size-class'; readonly relTolerance: number };

interface ParamCase {
  readonly total: Precision;
  readonly active?: Precision;
}

const B = 1e9;

/** One row per model profile; the test fails if a profile has no row. */
const PRECISION: Record<string, ParamCase> = {
  'llama-3.1-8b': { total: { mode: 'round', unit: 0.01 * B } }, // "8.03B" -> ±0.005B, 1% floor 0.08B
  'llama-3.1-70b': { total: { mode: 'round', unit: 1 * B } }, // "70B" -> ±0.5B, 1% floor 0.7B; derived 70.55B
  'llama-3.1-405b': { total: { mode: 'round', unit: 1 * B } }, // "405B" -> 1% floor 4.05B; derived 405.85B
  'llama-3.2-1b': { total: { mode: 'round', unit: 0.01 * B } }, // "1.23B" -> 1% floor 0.0123B; derived 1.2358B
  'llama-3.2-3b': { total: { mode: 'round', unit: 0.01 * B } }, // "3.21B" -> 1% floor 0.032B; derived 3.2127B
  'llama-3.3-70b': { total: { mode: 'round', unit: 1 * B } }, // "70B"; derived 70.55B
  'llama-3-8b': { total: { mode: 'round', unit: 1 * B } }, // "8B" -> ±0.5B; derived 8.03B
  'llama-3-70b': { total: { mode: 'round', unit: 1 * B } }, // "70B"; derived 70.55B
  'llama-2-7b': { total: { mode: 'round', unit: 1 * B } }, // "7B" -> ±0.5B; derived 6.738B
  'llama-2-13b': { total: { mode: 'round', unit: 1 * B } }, // "13B" -> ±0.5B; derived 13.016B
  // "70B" names a 68,976,648,192-parameter model (-1.46%): outside both the 1% floor and ±0.5B, so the name is
  // a size class, not a count. The exact derived count is asserted below, which is the real check here.
  'llama-2-70b': { total: { mode: 'size-class', relTolerance: 0.015 } },
  'mistral-7b': { total: { mode: 'round', unit: 0.1 * B } }, // "7.3B" -> 1% floor 0.073B; derived 7.242B
  'mixtral-8x7b': { total: { mode: 'round', unit: 0.1 * B }, active: { mode: 'round', unit: 0.1 * B } }, // "46.7B" / "12.9B"
  'mixtral-8x22b': { total: { mode: 'round', unit: 1 * B }, active: { mode: 'round', unit: 1 * B } }, // "141B" / "39B"
  'qwen2.5-7b': { total: { mode: 'round', unit: 0.01 * B } }, // "7.61B" -> 1% floor 0.076B; derived 7.6156B
  'qwen2.5-72b': { total: { mode: 'round', unit: 0.1 * B } }, // "72.7B"; derived 72.706B
  'qwen3-8b': { total: { mode: 'round', unit: 0.1 * B } }, // "8.2B"; derived 8.1907B
  'qwen3-32b': { total: { mode: 'round', unit: 0.1 * B } }, // "32.8B"; derived 32.762B
  // "30.5B" total rounds fine; "3.3B activated" is the derived 3.353B truncated (rounding would say 3.4B and
  // ±0.05B misses by 3M). Qwen truncates elsewhere too: Qwen2.5-7B's 7.6156B is published as "7.61B".
  'qwen3-30b-a3b': { total: { mode: 'round', unit: 0.1 * B }, active: { mode: 'truncate', unit: 0.1 * B } },
  'qwen3-235b-a22b': { total: { mode: 'round', unit: 1 * B }, active: { mode: 'round', unit: 1 * B } }, // "235B" / "22B"
  // "671B" / "37B"; active counted without the input embedding (36.63B; with it 37.55B would round to 38B)
  'deepseek-v3': { total: { mode: 'round', unit: 1 * B }, active: { mode: 'round', unit: 1 * B } },
  // "117B" / "5.1B" (active without the input embedding: 5.133B -> 1% floor 0.051B)
  'gpt-oss-120b': { total: { mode: 'round', unit: 1 * B }, active: { mode: 'round', unit: 0.1 * B } },
  'gpt-oss-20b': { total: { mode: 'round', unit: 1 * B }, active: { mode: 'round', unit: 0.1 * B } }, // "21B" / "3.6B"
  // "6,053,381,344" is exact, so the 1% floor (60.5M) is the tolerance: the schema cannot express GPT-J's single
  // LayerNorm per block, its MLP biases and its lm_head bias (net -2.9M, see models/gpt-j-6b.yaml).
  'gpt-j-6b': { total: { mode: 'round', unit: 1 } },
  'codellama-34b': { total: { mode: 'round', unit: 1 * B } }, // "34B" -> ±0.5B; derived 33.744B (-0.75%)
  'qwen3-14b': { total: { mode: 'round', unit: 0.1 * B } }, // "14.8B"; derived 14.768B
  // the checkpoint's own count (safetensors total_size / 2 B per BF16 parameter) is exact: the 1% floor applies
  'mistral-nemo-12b': { total: { mode: 'round', unit: 1 } },
  // "34B" names a 34,388,917,248-parameter model (+1.14%): outside both the 1% floor and ±0.5B, so, as for
  // Llama 2 70B, the name is a size class; the exact derived count is asserted below
  'yi-34b': { total: { mode: 'size-class', relTolerance: 0.012 } },
  // "109B" counts the vision encoder (published.not_modelled, 0.87B): derived text 107.77B + 0.87B = 108.64B;
  // "17B" active with the embedding and lm_head (17.17B; without the input embedding 16.14B would miss)
  'llama-4-scout': { total: { mode: 'round', unit: 1 * B }, active: { mode: 'round', unit: 1 * B } },
  // "400B" with the vision encoder (401.58B); "17B" active with embedding and lm_head (17.18B)
  'llama-4-maverick': { total: { mode: 'round', unit: 1 * B }, active: { mode: 'round', unit: 1 * B } },
  // "230B" / "10B" (active without the input embedding: 10.42B); the report's 9.8B is asserted exactly below
  'minimax-m2.5': { total: { mode: 'round', unit: 1 * B }, active: { mode: 'round', unit: 1 * B } },
  // "397B" counts the vision encoder this text profile leaves out (derived text 396.35B, -0.16%); "17B" active
  // with the embedding and lm_head (17.35B)
  'qwen3.5-397b-a17b': { total: { mode: 'round', unit: 1 * B }, active: { mode: 'round', unit: 1 * B } },
  // "671B" / "37B" as V3, plus 61 indexers (0.85B): 671.88B; active without the input embedding 37.48B
  'deepseek-v3.2': { total: { mode: 'round', unit: 1 * B }, active: { mode: 'round', unit: 1 * B } },
  // "744B" / "40B": active counted without the embedding and lm_head (39.88B; with both 41.78B)
  'glm-5': { total: { mode: 'round', unit: 1 * B }, active: { mode: 'round', unit: 1 * B } },
  // "1T" is a size class, the only total Moonshot publishes (third parties quote 1.04T): derived 1,026.4B is
  // +2.6% (the 0.4B MoonViT encoder not counted); no publisher figure exists at 1% precision. "32B" active
  // without the input embedding: 31.69B
  'kimi-k2.5': { total: { mode: 'size-class', relTolerance: 0.03 }, active: { mode: 'round', unit: 1 * B } },
};

/** Exact derived counts from hardware-and-models.md §2.4 (same formulas, computed independently). */
const EXACT_TOTAL: Record<string, number> = {
  'llama-3.1-8b': 8_030_261_248,
  'llama-3.1-70b': 70_553_706_496,
  'llama-3.1-405b': 405_853_388_800,
  'llama-3.2-1b': 1_235_814_400,
  'llama-3.2-3b': 3_212_749_824,
  'llama-3.3-70b': 70_553_706_496,
  'llama-3-8b': 8_030_261_248, // same weights layout as Llama 3.1 8B
  'llama-3-70b': 70_553_706_496, // same weights layout as Llama 3.1 70B
  'llama-2-7b': 6_738_415_616,
  'llama-2-13b': 13_015_864_320,
  'llama-2-70b': 68_976_648_192,
  // §2.4 gives v0.3 (7,248,023,552); v0.1 has 768 fewer vocabulary rows in both embedding and lm_head
  'mistral-7b': 7_248_023_552 - 2 * 768 * 4096,
  'mixtral-8x7b': 46_702_792_704,
  'mixtral-8x22b': 140_620_634_112,
  'qwen2.5-7b': 7_615_616_512,
  'qwen2.5-72b': 72_706_203_648,
  'qwen3-8b': 8_190_735_360,
  'qwen3-32b': 32_762_123_264,
  'qwen3-30b-a3b': 30_532_122_624,
  'qwen3-235b-a22b': 235_093_634_560,
  'deepseek-v3': 671_026_419_200,
  'gpt-oss-120b': 116_829_156_672,
  'gpt-oss-20b': 20_914_757_184,
  // hand-computed from the configs: L·(attn + 3·D·F + 2·D) + 2·V·D + D
  // CodeLlama 34B: 48·(8192·(8192+2·1024) + 8192·8192 + 3·8192·22016 + 2·8192) + 2·32000·8192 + 8192
  'codellama-34b': 48 * (8192 * (8192 + 2 * 1024) + 8192 * 8192 + 3 * 8192 * 22016 + 2 * 8192) + 2 * 32000 * 8192 + 8192,
  // Qwen3 14B: QK-norm adds 2·128 per layer
  'qwen3-14b': 40 * (5120 * (5120 + 2 * 1024) + 5120 * 5120 + 2 * 128 + 3 * 5120 * 17408 + 2 * 5120) + 2 * 151936 * 5120 + 5120,
  // Mistral NeMo: q is 32·128 = 4096 wide, not the hidden 5120; = safetensors total_size 24,495,564,800 / 2
  'mistral-nemo-12b': 12_247_782_400,
  // Llama 4 Scout, text model: 48·(attn + 16 experts + shared expert + router + norms) + 2·V·D + D
  // Maverick: 24 dense layers (3·D·16384) and 24 MoE layers (128 experts + shared + router)
  'llama-4-maverick':
    48 * (5120 * (5120 + 2 * 1024) + 5120 * 5120 + 2 * 5120) + 24 * 3 * 5120 * 16384 + 24 * (129 * 3 * 5120 * 8192 + 5120 * 128) + 2 * 202048 * 5120 + 5120,
  // MiniMax M2.5: q 48·128 = 6144 wide; 256 experts of 1536; router with correction bias; QK-norm 2·128
  'minimax-m2.5': 62 * (3072 * (6144 + 2 * 1024) + 6144 * 3072 + 2 * 128 + 256 * 3 * 3072 * 1536 + 3072 * 256 + 256 + 2 * 3072) + 2 * 200064 * 3072 + 3072,
  'llama-4-scout': 48 * (5120 * (5120 + 2 * 1024) + 5120 * 5120 + 17 * 3 * 5120 * 8192 + 5120 * 16 + 2 * 5120) + 2 * 202048 * 5120 + 5120,
  'yi-34b': 60 * (7168 * (7168 + 2 * 1024) + 7168 * 7168 + 3 * 7168 * 20480 + 2 * 7168) + 2 * 64000 * 7168 + 7168,
};

/** §2.4 "derived active" (embedding included, whatever the publisher's convention). */
const EXACT_ACTIVE: Record<string, number> = {
  'mixtral-8x7b': 12_879_925_248,
  'mixtral-8x22b': 39_152_031_744,
  'qwen3-30b-a3b': 3_353_032_704,
  'qwen3-235b-a22b': 22_190_763_520,
  'deepseek-v3': 37_552_297_472,
  'gpt-oss-120b': 5_711_982_912,
  'gpt-oss-20b': 4_187_440_704,
  'llama-4-maverick':
    48 * (5120 * (5120 + 2 * 1024) + 5120 * 5120 + 2 * 5120) + 24 * 3 * 5120 * 16384 + 24 * (2 * 3 * 5120 * 8192 + 5120 * 128) + 2 * 202048 * 5120 + 5120,
  'minimax-m2.5': 62 * (3072 * (6144 + 2 * 1024) + 6144 * 3072 + 2 * 128 + 8 * 3 * 3072 * 1536 + 3072 * 256 + 256 + 2 * 3072) + 2 * 200064 * 3072 + 3072,
  'llama-4-scout': 48 * (5120 * (5120 + 2 * 1024) + 5120 * 5120 + 2 * 3 * 5120 * 8192 + 5120 * 16 + 2 * 5120) + 2 * 202048 * 5120 + 5120,
};

function allowedRange(published: number, p: Precision): [number, number] {
  const floor = 0.01 * published;
  switch (p.mode) {
    case 'round': {
      const tol = Math.max(floor, p.unit / 2);
      return [published - tol, published + tol];
    }
    case 'truncate':
      return [published - floor, published + Math.max(floor, p.unit)];
    case 'size-class':
      return [published * (1 - p.relTolerance), published * (1 + p.relTolerance)];
  }
}

describe('shipped profiles', () => {
  it('every hardware profile file loads, under the id of its file name', () => {
    const ids = yamlIds('hardware-profiles');
    expect([...registry.hardware.keys()].sort()).toEqual(ids);
    expect(ids).toEqual(
      [
        'a100-pcie-80gb', 'a100-sxm-40gb', 'a100-sxm-80gb', 'b200', 'gb200', 'gh200', 'gh200-144gb', 'h100-nvl', 'h100-pcie',
        'h100-sxm', 'h200-nvl', 'h200-sxm', 'l4', 'l40s', 'mi300x', 'mi325x', 'mi355x', 'b300', 'gb300', 'h20',
        'gaudi3', 'rtx-pro-6000-server',
      ].sort(),
    );
  });

  it('every model profile file loads, under the id of its file name', () => {
    const ids = yamlIds('models');
    expect([...registry.models.keys()].sort()).toEqual(ids);
    expect(Object.keys(PRECISION).sort()).toEqual(ids);
  });

  it('every numeric value in a profile carries a source comment', () => {
    const bare: string[] = [];
    for (const dir of ['hardware-profiles', 'models']) {
      for (const id of yamlIds(dir)) {
        const lines = readFileSync(join(root, dir, `${id}.yaml`), 'utf8').split('\n');
        lines.forEach((line, i) => {
          if (/^\s*[\w.-]+:\s*[-+]?\d[\d_]*(\.\d*)?([eE][-+]?\d+)?\s*$/.test(line)) bare.push(`${dir}/${id}.yaml:${i + 1}: ${line.trim()}`);
        });
        expect(lines[0], `${dir}/${id}.yaml first line`).toMatch(/^# yaml-language-server: \$schema=\.\.\/schemas\//);
      }
    }
    expect(bare).toEqual([]);
  });

  it('hardware profiles are self-consistent', () => {
    for (const hw of registry.hardware.values()) {
      expect(hw.interconnect.maxGpus, hw.id).toBeGreaterThanOrEqual(1);
      if (hw.interconnect.kind !== 'xgmi-p2p') expect(hw.interconnect.linkPerDirectionBytesPerS, hw.id).toBeUndefined();
      else expect(hw.interconnect.linkPerDirectionBytesPerS! * 7, hw.id).toBe(hw.interconnect.perDirectionBytesPerS);
      // NVSwitch parts: at least a node's worth of GPUs share the NVLink domain
      if (hw.interconnect.kind === 'nvswitch') expect(hw.interconnect.maxGpus, hw.id).toBeGreaterThanOrEqual(hw.gpusPerNode);
      expect(hw.peakFlopsPerS.bf16, hw.id).toBeGreaterThan(0);
    }
    // spot values that are easy to get wrong by a factor of 2 (bidirectional NVLink, sparse FLOPs)
    const h100 = registry.getHardware('h100-sxm');
    expect(h100.peakFlopsPerS.bf16).toBe(989e12);
    expect(h100.interconnect.perDirectionBytesPerS).toBe(450e9);
    expect(registry.getHardware('b200').peakFlopsPerS.fp4).toBe(9000e12);
    expect(registry.getHardware('mi300x').interconnect.linkPerDirectionBytesPerS).toBe(64e9);
    // MI355X: dense FP8 = 256 CUs x 8,192 FLOP/clock x 2.4 GHz; 288 GB (decimal) at 8 TB/s
    const mi355x = registry.getHardware('mi355x');
    expect(mi355x.peakFlopsPerS.fp8).toBeCloseTo(256 * 8192 * 2.4e9, -11);
    expect(mi355x.peakFlopsPerS.bf16! * 2).toBeCloseTo(mi355x.peakFlopsPerS.fp8!, -11);
    expect(mi355x.datasheetMemoryBytes).toBe(288e9);
    expect(registry.getHardware('gb200').datasheetMemoryBytes).toBe(186e9);
    // 2026 fleet: dense figures (sparse / 2), per-direction links, Gaudi 3's 7 peers x 3 x 200 GbE
    expect(registry.getHardware('b300').peakFlopsPerS.fp4).toBe(14000e12);
    expect(registry.getHardware('gb300').peakFlopsPerS.fp8).toBe(5000e12);
    expect(registry.getHardware('gb300').interconnect.maxGpus).toBe(72);
    expect(registry.getHardware('h20').peakFlopsPerS.bf16).toBe(148e12);
    expect(registry.getHardware('h20').interconnect.perDirectionBytesPerS).toBe(450e9);
    expect(registry.getHardware('rtx-pro-6000-server').memoryBandwidthBytesPerS).toBe(1.597e12);
    expect(registry.getHardware('rtx-pro-6000-server').interconnect.kind).toBe('pcie');
    expect(registry.getHardware('gaudi3').interconnect.linkPerDirectionBytesPerS).toBe(75e9);
    expect(registry.getHardware('gaudi3').peakFlopsPerS.fp8).toBeUndefined(); // same rate as bf16: see gaudi3.yaml
    // engines size KV from the driver-reported total, not the vendor "GB" label
    expect(registry.getHardware('h100-sxm').memoryBytes).toBe(81559 * 1024 ** 2);
    expect(registry.getHardware('h100-sxm').datasheetMemoryBytes).toBe(80e9);
  });
});

describe('parameter counts', () => {
  for (const [id, precision] of Object.entries(PRECISION)) {
    it(`${id}: derived total and active match the published figures`, () => {
      const model = registry.getModel(id);
      const p = paramBreakdown(model);
      // what the publisher's total counts: the profile's layers plus what it does not describe (a vision encoder)
      const total = p.total + model.published.notModelledParams;
      const [lo, hi] = allowedRange(model.published.total, precision.total);
      expect(total, `${id} total`).toBeGreaterThanOrEqual(lo);
      expect(total, `${id} total`).toBeLessThanOrEqual(hi);

      expect(precision.active !== undefined, `${id}: a precision for active iff published.active`).toBe(
        model.published.active !== undefined,
      );
      if (model.published.active !== undefined && precision.active) {
        const active = publishedStyleActive(model, p);
        const [alo, ahi] = allowedRange(model.published.active, precision.active);
        expect(active, `${id} active`).toBeGreaterThanOrEqual(alo);
        expect(active, `${id} active`).toBeLessThanOrEqual(ahi);
      }
    });
  }

  it('the hand-computed totals of the showdown models are the figures quoted in their profiles', () => {
    expect(EXACT_TOTAL['codellama-34b']).toBe(33_743_970_304);
    expect(EXACT_TOTAL['qwen3-14b']).toBe(14_768_307_200);
    expect(EXACT_TOTAL['yi-34b']).toBe(34_388_917_248);
    expect(EXACT_TOTAL['llama-4-scout']).toBe(107_769_861_120);
    expect(EXACT_ACTIVE['llama-4-scout']).toBe(17_172_894_720);
    // the text model alone is 1.1% short of "109B": only with the vision encoder does the check pass
    const scout = registry.getModel('llama-4-scout');
    expect(scout.published.notModelledParams).toBe(871_932_416);
    expect(EXACT_TOTAL['llama-4-scout']! / 109e9).toBeLessThan(0.99);
    expect((EXACT_TOTAL['llama-4-scout']! + 871_932_416) / 109e9).toBeGreaterThan(0.99);
    expect(scout.attention.slidingWindow).toEqual({ size: 8192, layers: 36, kind: 'chunked' });
    expect(EXACT_TOTAL['minimax-m2.5']).toBe(228_689_336_320);
    expect(EXACT_TOTAL['llama-4-maverick']).toBe(400_711_848_960);
    expect(registry.getModel('llama-4-maverick').moe?.denseLayers).toBe(24);
    // MiniMax's report gives 9.8B activated: the derived active count without embedding AND lm_head, to 3 digits
    const mm = paramBreakdown(registry.getModel('minimax-m2.5'));
    expect(mm.active - mm.embedding - mm.lmHead).toBe(9_800_931_328);
    // Mistral NeMo's head_dim (128) is not hidden/heads (160): a profile that derived it would be 2.6% high
    const nemo = registry.getModel('mistral-nemo-12b');
    expect(nemo.attention.headDim).toBe(128);
    expect(paramBreakdown({ ...nemo, attention: { ...nemo.attention, headDim: 160 } }).total).toBeGreaterThan(12.5e9);
  });

  it('derived totals reproduce hardware-and-models.md §2.4 exactly', () => {
    for (const [id, total] of Object.entries(EXACT_TOTAL)) {
      expect(paramBreakdown(registry.getModel(id)).total, id).toBe(total);
    }
    for (const [id, active] of Object.entries(EXACT_ACTIVE)) {
      expect(paramBreakdown(registry.getModel(id)).active, id).toBe(active);
    }
  });

  it('the tolerance rule itself rejects what it should', () => {
    // "37B" allows 36.5..37.5B; DeepSeek-V3 with the embedding counted (37.55B) would fail
    const [lo, hi] = allowedRange(37e9, { mode: 'round', unit: 1e9 });
    expect([lo, hi]).toEqual([36.5e9, 37.5e9]);
    expect(37_552_297_472).toBeGreaterThan(hi);
    // "3.3B" rounded would allow only 3.25..3.35B
    const [, rhi] = allowedRange(3.3e9, { mode: 'round', unit: 0.1e9 });
    expect(3_353_032_704).toBeGreaterThan(rhi);
    // a one-layer typo in Llama 3.1 8B (31 layers) is far outside "8.03B"
    const m = registry.getModel('llama-3.1-8b');
    const typo = paramBreakdown({ ...m, layers: 31 }).total;
    const [tlo] = allowedRange(8.03e9, PRECISION['llama-3.1-8b']!.total);
    expect(typo).toBeLessThan(tlo);
  });

  it('publisher conventions for active parameters', () => {
    expect(registry.getModel('gpt-oss-120b').published.activeExcludesEmbedding).toBe(true);
    expect(registry.getModel('gpt-oss-20b').published.activeExcludesEmbedding).toBe(true);
    expect(registry.getModel('deepseek-v3').published.activeExcludesEmbedding).toBe(true);
    expect(registry.getModel('qwen3-30b-a3b').published.activeExcludesEmbedding).toBe(false);
    expect(registry.getModel('qwen3-235b-a22b').published.activeExcludesEmbedding).toBe(false);
    expect(registry.getModel('mixtral-8x7b').published.activeExcludesEmbedding).toBe(false);
  });
});
