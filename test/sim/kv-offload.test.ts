/**
 * KV offload tiers and swap preemption: blocks the GPU cache evicts load back from host memory on a hit
 * (cost = bytes / host-link bandwidth + latency), and swap preemption moves KV out and back instead of
 * recomputing it.
 */
import { describe, expect, it } from 'vitest';
import { KvTransfer, OffloadTier } from '../../src/serving/kv-transfer.ts';
import { HOST_TRANSFER_LATENCY_S } from '../../src/serving/replica-cache.ts';
import { simulate } from '../../src/simulate.ts';
import type { Workload } from '../../src/workload/workload.ts';
import { prepared, tinyKvDeployment } from '../helpers/deployment.ts';

const chat: Workload = {
  arrival: { kind: 'concurrent', streams: 8 },
  lengths: { kind: 'fixed', inputTokens: 256, outputTokens: 64 },
  sessions: { turns: { mean: 5, min: 5, max: 5 }, thinkTimeMeanS: 2, systemPromptTokens: 512 },
  maxRequests: 160,
};

describe('host link', () => {
  it('a transfer costs bytes / bandwidth + latency', () => {
    const t = new KvTransfer({ bytesPerToken: 131_072, bandwidthBytesPerS: 64e9, latencyS: 20e-6 });
    expect(t.timeS(0)).toBe(0);
    expect(t.timeS(1000)).toBeCloseTo((1000 * 131_072) / 64e9 + 20e-6, 15);
    t.load(1000);
    t.store(500);
    expect(t.takePendingS()).toBeCloseTo(t.timeS(1000) + t.timeS(500), 15);
    expect(t.takePendingS()).toBe(0);
  });

  it('the offload tier keeps the most recently evicted blocks', () => {
    const tier = new OffloadTier(2);
    tier.evicted(1);
    tier.evicted(2);
    tier.evicted(3);
    expect(tier.touch(1)).toBe(false);
    expect(tier.touch(2)).toBe(true);
    tier.evicted(4); // evicts 3, the least recently used
    expect(tier.touch(3)).toBe(false);
    expect(tier.size).toBe(2);
  });

  it('GH200 moves KV over NVLink-C2C, H100 over PCIe', () => {
    expect(prepared('llama-3.1-8b', 'gh200').deployment.hardware.hostLinkPerDirectionBytesPerS).toBe(450e9);
    expect(prepared('llama-3.1-8b', 'h100-sxm').deployment.hardware.hostLinkPerDirectionBytesPerS).toBeUndefined();
    expect(HOST_TRANSFER_LATENCY_S).toBeGreaterThan(0);
  });
});

describe('KV offload tier under a small GPU cache', () => {
  const run = (kvOffloadGb?: number) =>
    simulate({ deployment: tinyKvDeployment(3000, { prefixCache: 'vllm', maxNumSeqs: 8, ...(kvOffloadGb ? { kvOffloadGb } : {}) }), seed: 5, workload: chat });

  it('evicted blocks load back on a hit: more tokens saved, lower TTFT', () => {
    const gpuOnly = run();
    const offload = run(64);
    expect(gpuOnly.prefixCache!.evictions).toBeGreaterThan(0);
    expect(gpuOnly.prefixCache!.offloadTokensLoaded).toBe(0);
    expect(offload.prefixCache!.offloadTokensLoaded).toBeGreaterThan(0);
    expect(offload.prefixCache!.hitRate).toBeGreaterThan(gpuOnly.prefixCache!.hitRate);
    expect(offload.latencyS.ttft.mean).toBeLessThan(gpuOnly.latencyS.ttft.mean);
  });

  it('needs the prefix cache', () => {
    expect(() => tinyKvDeployment(3000, { kvOffloadGb: 8 })).toThrow(/needs --prefix-cache/);
  });
});

describe('swap preemption', () => {
  const heavy: Workload = { arrival: { kind: 'poisson', ratePerS: 40 }, lengths: { kind: 'fixed', inputTokens: 600, outputTokens: 300 }, maxRequests: 200 };
  it('preempted requests resume from host memory instead of recomputing their prompt', () => {
    const recompute = simulate({ deployment: tinyKvDeployment(4000), seed: 6, workload: heavy, recordRequests: true });
    const swap = simulate({ deployment: tinyKvDeployment(4000, { preemption: 'swap' }), seed: 6, workload: heavy, recordRequests: true });
    expect(recompute.engine.preemptions).toBeGreaterThan(0);
    expect(swap.engine.preemptions).toBeGreaterThan(0);
    expect(swap.requests.completed).toBe(200);
    // recompute re-prefills every preempted token; swap only moves them: far fewer prefill tokens overall
    expect(swap.latencyS.e2e.mean).toBeLessThan(recompute.latencyS.e2e.mean);
  });
});
