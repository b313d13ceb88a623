/**
 * The token mixers of the 2026 models, costed as what they are (issue 17), not as dense attention:
 * hand-computed bytes and FLOPs of one decode step, and the invariants that tell the mechanisms apart.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveDeployment } from '../../src/cost/deployment.ts';
import { kvBytesPerTokenPerLayer, planMemory } from '../../src/cost/memory-plan.ts';
import { kvLayerCount, recurrentStateBytesPerSeqPerLayer } from '../../src/cost/mixer-memory.ts';
import { prepareSmallestFitting } from '../../src/cost/prepare.ts';
import { causalKeyCount, type StepBreakdown } from '../../src/cost/step-cost.ts';
import type { Model } from '../../src/schema/resolved-model.ts';
import { WEIGHT_BYTES, groupQuantizedBytesPerWeight } from '../../src/schema/dtype.ts';
import { calibrationFor, decodeShape, prefillShape, prepared, profiles } from '../helpers/deployment.ts';

const op = (b: StepBreakdown, name: string) => b.operators.find((o) => o.op === name);

describe('hybrid linear attention (Qwen3.5 397B-A17B: 45 Gated DeltaNet + 15 softmax layers)', () => {
  const p = prepared('qwen3.5-397b-a17b', 'b200', { tp: 8 });
  const m = p.deployment.model;

  it('state per sequence per layer: 64/8 value heads x 128 x 128 fp32 + 3 conv steps x 12288/8 channels bf16', () => {
    expect(recurrentStateBytesPerSeqPerLayer(m, 8)).toBe(8 * 128 * 128 * 4 + 3 * 1536 * 2); // 533,504
    expect(recurrentStateBytesPerSeqPerLayer(m, 1)).toBe(4_268_032);
    const r = p.memory.recurrentState!;
    expect(r.bytesPerSeqPerGpu).toBe(45 * 533_504);
    expect(r.reserveBytes).toBe(45 * 533_504 * 256); // max_num_seqs 256
    expect(p.memory.notes.join('\n')).toContain('45 linear-attention layers hold no KV cache');
  });

  it('KV per token only in the 15 softmax layers: 2 x 2 KV heads x 256 x 2 B each = 30,720 B per token', () => {
    expect(kvLayerCount(m)).toBe(15);
    expect(p.memory.kvBytesPerTokenModel).toBe(15 * 2 * 2 * 256 * 2);
    // TP 8 > 2 KV heads: one replicated KV head per GPU
    expect(p.memory.kvBytesPerTokenPerGpu).toBe(15 * 2 * 1 * 256 * 2);
  });

  it('invariant: the hybrid KV cache grows 4x slower per token than the same model with all 60 layers softmax', () => {
    const dense: Model = { ...m, attention: { ...m.attention, linearAttention: undefined } };
    const hybridKv = kvLayerCount(m) * kvBytesPerTokenPerLayer(m, 2, 1);
    const denseKv = kvLayerCount(dense) * kvBytesPerTokenPerLayer(dense, 2, 1);
    expect(denseKv / hybridKv).toBe(4);
  });

  it('one decode step of 8 sequences: linear_attention FLOPs and bytes by hand, independent of the context', () => {
    const b = p.cost.explain(decodeShape(8, 50_000));
    const la = op(b, 'linear_attention')!;
    // per token per GPU: 8 value heads x 7 x 128 x 128 (decay, kᵀS, rank-1 update, qᵀS)
    expect(la.flops).toBe(45 * 8 * (8 * 7 * 128 * 128));
    // each sequence's state read and written once, plus q, k, v, o: (2 x 2048 + 2 x 8192) / 8 x 2 B per token
    expect(la.bytes).toBe(45 * (8 * 2 * 533_504 + 8 * 5120));
    // softmax attention over the 15 KV layers: 4 heads per GPU x (256 + 256), 8 x 50,000 keys per layer
    const ad = op(b, 'attention_decode')!;
    expect(ad.flops).toBe(2 * 4 * 512 * 15 * 8 * 50_000);
    expect(ad.bytes).toBe(15 * 8 * 50_000 * 1024 + 15 * 8 * 4 * 512 * 2);
  });

  it('property: linear-attention cost does not depend on the context; softmax attention is linear in it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 2, max: 8 }), (batch, ctx, k) => {
        const a = p.cost.explain(decodeShape(batch, ctx));
        const c = p.cost.explain(decodeShape(batch, ctx * k));
        expect(op(c, 'linear_attention')!.flops).toBe(op(a, 'linear_attention')!.flops);
        expect(op(c, 'linear_attention')!.bytes).toBe(op(a, 'linear_attention')!.bytes);
        expect(op(c, 'attention_decode')!.flops / op(a, 'attention_decode')!.flops).toBeCloseTo(k, 9);
      }),
      { numRuns: 60 },
    );
  });

  it('TP must divide the linear-attention heads (16 key / 64 value): TP 32 on a GB300 NVL72 domain is refused', () => {
    const reg = profiles();
    expect(() => resolveDeployment(m, reg.getHardware('gb300'), { tp: 32 }, calibrationFor('gb300'))).toThrow(/16 key \/ 64 value heads/);
  });

  it('prefill: FLOPs linear in tokens (chunked form, 64-token chunks), state read/written once per sequence', () => {
    const one = op(p.cost.explain(prefillShape(4096)), 'linear_attention')!;
    const two = op(p.cost.explain(prefillShape(8192)), 'linear_attention')!;
    expect(one.flops).toBe(45 * 4096 * 8 * (6 * 128 * 128 + 2 * 64 * 256));
    expect(two.flops).toBe(2 * one.flops);
  });
});

describe('DeepSeek sparse attention (DeepSeek-V3.2: indexer of 64 x 128 over every key, attention over the top 2048)', () => {
  const p = prepared('deepseek-v3.2', 'h200-sxm', { tp: 8 });
  const v3 = prepared('deepseek-v3', 'h200-sxm', { tp: 8 });

  it('KV per token per layer: the MLA latent (512 + 64) x 2 B plus a 128-byte fp8 indexer key and its 4-byte scale', () => {
    expect(kvBytesPerTokenPerLayer(p.deployment.model, 2, 8)).toBe(576 * 2 + 132);
    expect(p.memory.kvBytesPerTokenModel).toBe(61 * 1284);
    // KV is still stored for every token: capacity in tokens is set by 1284 B/token/layer, not by top-k
    expect(p.memory.kvBytesPerTokenPerGpu).toBe(61 * 1284);
  });

  it('one decode step of 8 sequences at 100,000 tokens of context, by hand', () => {
    const C = 100_000;
    const b = p.cost.explain(decodeShape(8, C));
    const ad = op(b, 'attention_decode')!;
    // 128 heads / 8 = 16 per GPU, absorbed latent widths 576 (K) + 512 (V), only 2048 keys per query
    expect(ad.flops).toBe(2 * 16 * (576 + 512) * 61 * 8 * 2048);
    expect(ad.bytes).toBe(61 * 8 * 2048 * 1152 + 61 * 8 * 16 * 1088 * 2);
    const ix = op(b, 'attention_indexer')!;
    // the indexer scores all 100,000 keys with 64 heads of 128, replicated on every TP rank
    expect(ix.flops).toBe(61 * 2 * 64 * 128 * 8 * C);
    expect(ix.bytes).toBe(61 * 132 * 8 * C);
  });

  it('invariant: below top-k the attention is V3\'s; above it attention stays flat while the indexer grows linearly', () => {
    const short = decodeShape(8, 1024);
    expect(op(p.cost.explain(short), 'attention_decode')!.flops).toBe(op(v3.cost.explain(short), 'attention_decode')!.flops);
    const at = (ctx: number) => p.cost.explain(decodeShape(8, ctx));
    expect(op(at(50_000), 'attention_decode')!.flops).toBe(op(at(5_000), 'attention_decode')!.flops);
    expect(op(at(50_000), 'attention_indexer')!.flops).toBe(10 * op(at(5_000), 'attention_indexer')!.flops);
    expect(op(v3.cost.explain(decodeShape(8, 50_000)), 'attention_indexer')).toBeUndefined();
  });

  it('prefill runs the absorbed form over at most top-k keys per query, the indexer over all of them (causal)', () => {
    const T = 8192;
    const b = p.cost.explain(prefillShape(T));
    const causal = causalKeyCount(T, 0);
    expect(op(b, 'attention_prefill')!.flops).toBe(2 * 16 * 1088 * 61 * Math.min(causal, T * 2048));
    expect(op(b, 'attention_indexer')!.flops).toBe(61 * 2 * 64 * 128 * causal);
  });
});

describe('chunked local attention (Llama 4 Scout: 36 of 48 layers attend within 8192-token chunks)', () => {
  it('decode at 20,000 tokens of context: 12 global layers see 20,000 keys, 36 chunked layers at most 8192', () => {
    const p = prepared('llama-4-scout', 'h200-sxm', { tp: 1 });
    const b = p.cost.explain(decodeShape(4, 20_000));
    const keys = 4 * (12 * 20_000 + 36 * 8192);
    expect(op(b, 'attention_decode')!.flops).toBe(2 * 40 * (128 + 128) * keys);
    // at or below the chunk every layer sees the whole context
    expect(op(p.cost.explain(decodeShape(4, 8000)), 'attention_decode')!.flops).toBe(2 * 40 * 256 * 4 * 48 * 8000);
  });
});

describe('INT4 group-quantised experts (Kimi K2.5, int4g32)', () => {
  it('bytes per weight = 4 bits + one bf16 scale per 32 weights = 0.5625', () => {
    expect(groupQuantizedBytesPerWeight(4, 32, 2)).toBe(0.5625);
    expect(WEIGHT_BYTES.int4g32).toBe(0.5625);
  });

  it('only the routed experts shrink: bf16 minus int4g32 weights = routed params x (2 - 0.5625) / TP', () => {
    const reg = profiles();
    const model = reg.getModel('kimi-k2.5');
    const hw = reg.getHardware('b200');
    const cal = calibrationFor('b200');
    const int4 = resolveDeployment(model, hw, { tp: 8 }, cal);
    const bf16 = resolveDeployment(model, hw, { tp: 8, weights: 'bf16' }, cal);
    expect(int4.quantization.weights).toBe('int4g32'); // the checkpoint's own format by default
    expect(int4.quantization.gemmCompute).toBe('bf16'); // W4A16, as vLLM's Marlin MoE kernels run it
    const routed = 60 * 384 * 3 * 7168 * 2048;
    const diff = planMemory(bf16).weightBytesPerGpu - planMemory(int4).weightBytesPerGpu;
    expect(diff / ((routed * (2 - 0.5625)) / 8)).toBeCloseTo(1, 12);
  });

  it('decode streams the touched experts at 0.5625 B per weight', () => {
    const p = prepared('kimi-k2.5', 'b200', { tp: 8 });
    const b = p.cost.explain(decodeShape(1, 1000));
    const experts = op(b, 'moe_experts')!;
    // one token, top-8: 8 experts x 3 x 7168 x 2048 / 8 (TP shards) per layer, 60 MoE layers, plus activations
    const expertBytes = 60 * 8 * ((3 * 7168 * 2048) / 8) * 0.5625;
    expect(experts.bytes).toBeGreaterThan(expertBytes);
    expect(experts.bytes).toBeLessThan(expertBytes * 1.01);
  });
});

describe('memory plans of the new models: they fit where they should, at the smallest TP that fits', () => {
  it.each([
    ['qwen3.5-397b-a17b', 'b200', 8],
    ['deepseek-v3.2', 'b200', 4],
    ['kimi-k2.5', 'b200', 4],
    ['glm-5', 'b200', 8],
    ['qwen3.5-397b-a17b', 'b300', 4],
    ['kimi-k2.5', 'h200-sxm', 8],
    ['deepseek-v3.2', 'h200-sxm', 8],
  ])('%s on %s: TP %i', (id, hw, tp) => {
    const reg = profiles();
    const p = prepareSmallestFitting(reg.getModel(id), reg.getHardware(hw), {}, calibrationFor(hw));
    expect(p.deployment.tp).toBe(tp);
    // at least one long request's KV fits (DeepSeek-V3.2 at TP 4 on B200 just fits: ~15k tokens)
    expect(p.memory.kvTokens).toBeGreaterThan(8192);
    expect(p.deployment.notes[0]).toContain(`TP ${tp}, the smallest tensor-parallel degree at which ${id} fits`);
  });
});
