/**
 * The simulated prefix cache in whole runs: hits emerge from multi-turn sessions and the KV capacity,
 * match the analytic count when nothing is evicted, fall as KV shrinks, lower TTFT, and a cache-aware
 * router beats least-outstanding exactly when prefixes are shared.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate, type SimulationResult } from '../../src/simulate.ts';
import type { Workload } from '../../src/workload/workload.ts';
import { tinyDeployment, tinyKvDeployment } from '../helpers/deployment.ts';
import { expectInvariants } from '../helpers/invariants.ts';

const B = 16;

function sessions(users: number, turns: number, input: number, output: number, maxRequests: number, systemPromptTokens = 0): Workload {
  return {
    arrival: { kind: 'concurrent', streams: users },
    lengths: { kind: 'fixed', inputTokens: input, outputTokens: output },
    sessions: { turns: { mean: turns, min: turns, max: turns }, thinkTimeMeanS: 0.5, systemPromptTokens },
    maxRequests,
  };
}

describe('one session, nothing evicted: every re-sent token whose KV was computed hits', () => {
  for (const mode of ['vllm', 'radix'] as const) {
    it(mode, () => {
      const T = 6;
      const I = 100;
      const O = 40;
      const r = simulate({ deployment: tinyDeployment({ prefixCache: mode }), seed: 1, workload: sessions(1, T, I, O, T), recordRequests: true });
      expectInvariants(r);
      // turn k (1-based) re-sends (k−1)(I+O) tokens; turn k−1 computed KV for all but its last output
      // token, (k−1)(I+O) − 1 tokens, of which the full blocks are cached
      let hits = 0;
      let prompt = 0;
      for (let k = 1; k <= T; k++) {
        const resent = (k - 1) * (I + O);
        prompt += resent + I;
        if (k > 1) hits += B * Math.floor((resent - 1) / B);
      }
      const c = r.prefixCache!;
      expect(c.mode).toBe(mode);
      expect(c.lookups).toBe(T);
      expect(c.promptTokens).toBe(prompt);
      expect(c.tokensSaved).toBe(hits);
      expect(c.hitRate).toBeCloseTo(hits / prompt, 12);
      expect(c.evictions).toBe(0);
    });
  }
});

describe('the cache off leaves a run as it was', () => {
  it('no prefixCache block, identical latencies with and without session keys being ignored', () => {
    const w = sessions(4, 3, 200, 50, 24);
    const r = simulate({ deployment: tinyDeployment(), seed: 2, workload: w });
    expect(r.prefixCache).toBeUndefined();
    expect('prefixCache' in r).toBe(false);
  });
});

const hitRateAt = (kvTokens: number, seed: number, mode: 'vllm' | 'radix'): SimulationResult =>
  simulate({ deployment: tinyKvDeployment(kvTokens, { prefixCache: mode, maxNumSeqs: 8 }), seed, workload: sessions(8, 5, 256, 64, 160, 512) });

describe('hit rate falls as the KV cache shrinks', () => {
  it('property: a smaller cache never hits more (beyond a little noise from changed timing)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.constantFrom('vllm' as const, 'radix' as const), (seed, mode) => {
        const big = hitRateAt(60_000, seed, mode).prefixCache!;
        const small = hitRateAt(6_000, seed, mode).prefixCache!;
        const tiny = hitRateAt(2_500, seed, mode).prefixCache!;
        expect(big.evictions).toBe(0);
        expect(small.hitRate).toBeLessThan(big.hitRate);
        expect(tiny.hitRate).toBeLessThan(small.hitRate + 0.02);
        expect(small.evictions).toBeGreaterThan(0);
      }),
      { numRuns: 6 },
    );
  });
});

describe('the cache lowers TTFT', () => {
  it('multi-turn chat: mean and p90 TTFT lower with the cache on', () => {
    const w = sessions(16, 6, 300, 80, 400, 1024);
    const off = simulate({ deployment: tinyDeployment(), seed: 3, workload: w });
    const on = simulate({ deployment: tinyDeployment({ prefixCache: 'vllm' }), seed: 3, workload: w });
    expect(on.prefixCache!.hitRate).toBeGreaterThan(0.5);
    expect(on.latencyS.ttft.mean).toBeLessThan(0.7 * off.latencyS.ttft.mean);
    expect(on.latencyS.ttft.p90).toBeLessThan(off.latencyS.ttft.p90);
  });
});

describe('cache-aware routing', () => {
  const run = (router: 'prefix-affinity' | 'least-outstanding', w: Workload): SimulationResult =>
    simulate({ deployment: tinyKvDeployment(20_000, { prefixCache: 'vllm' }), seed: 4, replicas: 4, router, workload: w });

  it('beats least-outstanding when sessions share their history', () => {
    const w = sessions(32, 8, 400, 60, 800, 2048);
    const affinity = run('prefix-affinity', w);
    const least = run('least-outstanding', w);
    expect(affinity.prefixCache!.hitRate).toBeGreaterThan(least.prefixCache!.hitRate);
    expect(affinity.latencyS.ttft.mean).toBeLessThan(least.latencyS.ttft.mean);
  });

  it('loses to least-outstanding when every prompt is unique', () => {
    const n = 600;
    const w: Workload = {
      arrival: { kind: 'poisson', ratePerS: 60 },
      lengths: { kind: 'fixed', inputTokens: 1024, outputTokens: 64 },
      // one distinct hash per request: nothing to share
      blockHashes: { blockTokens: 512, hashIds: Array.from({ length: n }, (_, k) => [2 * k, 2 * k + 1]) },
      maxRequests: n,
    };
    const affinity = run('prefix-affinity', w);
    const least = run('least-outstanding', w);
    // only preempted requests find their own blocks again
    expect(affinity.prefixCache!.tokensSaved).toBe(0);
    expect(least.prefixCache!.tokensSaved).toBe(0);
    expect(affinity.latencyS.ttft.mean).toBeGreaterThan(least.latencyS.ttft.mean);
  });
});

describe('session presets', () => {
  it('multiturn-chat and agentic-coding run, and agentic contexts reuse more', async () => {
    const { SESSION_PRESETS } = await import('../../src/workload/session-presets.ts');
    const hit = (name: 'multiturn-chat' | 'agentic-coding') => {
      const p = SESSION_PRESETS[name];
      const r = simulate({
        deployment: tinyDeployment({ prefixCache: 'vllm', maxModelLen: 131072 }),
        seed: 7,
        workload: { arrival: { kind: 'concurrent', streams: 8 }, lengths: p.lengths, sessions: p.sessions, maxRequests: 200 },
      });
      expect(p.source.length).toBeGreaterThan(40);
      return r.prefixCache!.hitRate;
    };
    expect(hit('agentic-coding')).toBeGreaterThan(hit('multiturn-chat'));
  });
});
