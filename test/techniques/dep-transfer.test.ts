import { describe, expect, it } from 'vitest';
import { busiestRankShape, DepStepCostModel } from '../../src/cost/dep.ts';
import { kvTransferBytesPerTokenPerGpu, kvTransferTimeS, linkBetweenPools } from '../../src/cost/kv-transfer.ts';
import { InfeasibleError } from '../../src/diagnostics/errors.ts';
import { decodeShape, prepared, profiles } from '../helpers/deployment.ts';

describe('attention data-parallel + expert parallelism (DEP)', () => {
  const dep = () => prepared('minimax-m2.5', 'h200-sxm', { tp: 8, ep: 8, attentionDp: 8 });
  const tep = () => prepared('minimax-m2.5', 'h200-sxm', { tp: 8, ep: 8 });

  it('the busiest rank carries ceil(B / N) sequences and their share of the context', () => {
    const r = busiestRankShape(decodeShape(20, 1000), 8);
    expect(r.decodeSeqs).toBe(3);
    expect(r.decodeContextSum).toBe(3000);
    expect(busiestRankShape(decodeShape(0, 0), 8).decodeSeqs).toBe(0);
  });

  it('attention runs unsharded on each rank, experts see every rank\'s tokens, and there is no TP all-reduce', () => {
    const d = dep();
    expect(d.cost).toBeInstanceOf(DepStepCostModel);
    const b = d.cost.explain(decodeShape(64, 2000));
    const ops = new Set(b.operators.map((o) => o.op));
    expect(ops.has('tp_allreduce')).toBe(false);
    expect(ops.has('ep_alltoall')).toBe(true);
    // 8 sequences per rank at TP 1 read the whole attention; the TEP8 step reads 1/8 of it for all 64
    const tepB = tep().cost.explain(decodeShape(64, 2000));
    const proj = (x: typeof b) => x.operators.find((o) => o.op === 'attention_proj')!.bytes;
    expect(proj(b)).toBeGreaterThan(proj(tepB));
    const experts = (x: typeof b) => x.operators.find((o) => o.op === 'moe_experts')!.flops;
    expect(experts(b)).toBe(experts(tepB));
    expect(b.totalS).toBe(d.cost.stepTimeS(decodeShape(64, 2000)));
  });

  it('KV: each rank caches whole KV heads for its own sequences; the instance pools N ranks', () => {
    const d = dep();
    const t = tep();
    // TEP8 shards 8 KV heads one per GPU; DEP keeps all 8 heads on each rank
    expect(d.memory.kvBytesPerTokenPerGpu).toBe(t.memory.kvBytesPerTokenPerGpu * 8);
    expect(d.memory.kvBlocks % 8).toBe(0);
    expect(d.memory.weightBytesPerGpu).toBeGreaterThan(t.memory.weightBytesPerGpu);
  });

  it('DEP on a dense model, or with TP/EP not equal to the ranks, is refused with the reason', () => {
    expect(() => prepared('llama-3.1-70b', 'h200-sxm', { tp: 8, attentionDp: 8 })).toThrow(InfeasibleError);
    expect(() => prepared('llama-3.1-70b', 'h200-sxm', { tp: 8, attentionDp: 8 })).toThrow(/dense/);
    expect(() => prepared('minimax-m2.5', 'h200-sxm', { tp: 8, ep: 4, attentionDp: 8 })).toThrow(/--tp 8 --ep 8/);
  });
});

describe('KV transfer between prefill and decode pools', () => {
  it('hand-worked: 8k prompt of Llama 3.1 70B at TP 4 over a 50 GB/s NIC', () => {
    const p = prepared('llama-3.1-70b', 'h200-sxm', { tp: 4 });
    const perToken = kvTransferBytesPerTokenPerGpu(p.deployment);
    expect(perToken).toBe((80 * 2 * 8 * 128 * 2) / 4); // 81,920 B per token per GPU
    const { link } = linkBetweenPools(p.deployment.hardware, false);
    expect(link.bandwidthBytesPerS).toBe(50e9);
    expect(kvTransferTimeS(8192, perToken, link)).toBeCloseTo(10e-6 + (8192 * 81920) / 50e9, 15);
    expect(kvTransferTimeS(0, perToken, link)).toBe(0);
  });

  it('same node uses the scale-up fabric; a profile without a NIC falls back to PCIe and says so', () => {
    const h200 = profiles().getHardware('h200-sxm');
    expect(linkBetweenPools(h200, true).link.bandwidthBytesPerS).toBe(450e9);
    const mi355 = linkBetweenPools(profiles().getHardware('mi355x'), false);
    expect(mi355.link.kind).toBe('pcie');
    expect(mi355.notes[0]).toMatch(/no scale_out/);
  });
});
