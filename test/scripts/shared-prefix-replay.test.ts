/**
 * The showdown's replay of inference-perf's shared_prefix prompts (scripts/showdown.ts): 10 groups × 10
 * prompts, each group's system prompt shared, each prompt recurring every 100 requests; and what the
 * simulated vLLM cache makes of it — all prompts kept when their cycle fits the KV cache, every question
 * missed when it does not (least-recently-released eviction of a cyclic pattern larger than the cache).
 * Lengths and capacities are invented; nothing of blis_vllm is used.
 */
import { describe, expect, it } from 'vitest';
import type { BlisExperiment } from '../../scripts/blis-runs.ts';
import { predictExperiment, SHARED_PREFIX_GROUPS, SHARED_PREFIX_PROMPTS_PER_GROUP, sharedPrefixBlockHashes } from '../../scripts/showdown.ts';
import { defaultCalibration } from '../../src/cost/calibration-defaults.ts';
import type { CalibrationFile } from '../../src/schema/calibration.ts';
import { simulate } from '../../src/simulate.ts';
import { profiles, tinyKvDeployment } from '../helpers/deployment.ts';

const PROMPTS = SHARED_PREFIX_GROUPS * SHARED_PREFIX_PROMPTS_PER_GROUP;

describe('sharedPrefixBlockHashes', () => {
  const h = sharedPrefixBlockHashes(500, 100, 16);

  it('100 prompts of ceil(500/16) blocks; the first floor(100/16) blocks shared by the 10 prompts of a group', () => {
    expect(h.blockTokens).toBe(16);
    expect(h.hashIds).toHaveLength(PROMPTS);
    expect(h.hashIds.every((ids) => ids.length === 32)).toBe(true);
    const systemPrompts = new Map<string, number>();
    for (const ids of h.hashIds) {
      const head = ids.slice(0, 6).join(',');
      systemPrompts.set(head, (systemPrompts.get(head) ?? 0) + 1);
    }
    expect([...systemPrompts.values()]).toEqual(Array(SHARED_PREFIX_GROUPS).fill(SHARED_PREFIX_PROMPTS_PER_GROUP));
    // past the system prompt no block is shared: every question is its own
    const questionBlocks = h.hashIds.flatMap((ids) => ids.slice(6));
    expect(new Set(questionBlocks).size).toBe(questionBlocks.length);
  });

  it('is the same every time (a fixed shuffle), and shuffled', () => {
    expect(sharedPrefixBlockHashes(500, 100, 16)).toEqual(h);
    const groupOrder = h.hashIds.map((ids) => Math.floor(ids[0]! / 32));
    expect(groupOrder).not.toEqual([...groupOrder].sort((a, b) => a - b));
  });
});

describe('the replay under the simulated vLLM cache', () => {
  /** prompt hit rate of 600 requests at 4 req/s, 1,000-token prompts, 100-token outputs, with `kvTokens` of KV */
  function hitRate(kvTokens: number): number {
    const r = simulate({
      deployment: tinyKvDeployment(kvTokens, { prefixCache: 'vllm' }),
      seed: 1,
      workload: {
        arrival: { kind: 'poisson', ratePerS: 4 },
        lengths: { kind: 'fixed', inputTokens: 1000, outputTokens: 100 },
        blockHashes: sharedPrefixBlockHashes(1000, 100, 16),
        maxRequests: 600,
      },
    });
    return r.prefixCache!.hitRate;
  }

  it('keeps every prompt after the first pass when the 100-prompt cycle fits the cache', () => {
    // 100 × 1,100 tokens released per cycle: 150k tokens of KV hold them all; 5 of 6 passes hit
    expect(hitRate(150_000)).toBeGreaterThan(0.8);
  });

  it('misses every question when the cycle does not fit, keeping only the groups\' system prompts', () => {
    // 60k tokens hold about half a cycle: LRU evicts each prompt before it comes round again
    const rate = hitRate(60_000);
    expect(rate).toBeLessThan(0.1);
    expect(rate).toBeGreaterThan(0.05); // 96 of 1,000 tokens: the system prompt, recurring every ~10 requests
  });
});

describe('predictExperiment warm-up', () => {
  /** a hand-made single-stage experiment on one H100 (invented lengths and figures) */
  const experiment: BlisExperiment = {
    id: 'test-warmup',
    eval: false,
    modelRaw: 'meta-llama/Llama-3.1-8B-Instruct',
    modelId: 'llama-3.1-8b',
    gpuRaw: 'H100',
    hardwareId: 'h100-sxm',
    tp: 1,
    ep: 1,
    inputTokens: 800,
    outputTokens: 100,
    outputTokensSource: 'nominal',
    systemPromptTokens: 100,
    workloadSource: 'test',
    stages: [{ ratePerS: 4, durationS: 60 }],
    maxNumBatchedTokens: 2048,
    maxNumSeqs: 128,
    gpuMemoryUtilization: 0.9,
    cpuOffload: false,
    dataParallel: undefined,
    overloaded: false,
    figures: new Map([[-1, { e2eMeanS: 1, ttftMeanS: 0.05, tpotMeanS: 0.01, tails: {} }]]),
  };
  const registry = profiles();
  const cal: CalibrationFile = {
    id: 'test-datasheet',
    hardware: 'h100-sxm',
    engine: 'vllm',
    description: 'datasheet defaults',
    values: defaultCalibration(registry.getHardware('h100-sxm'), 'vllm'),
    sources: [],
  };

  it('leaves the warm-up requests out of every figure, so fewer scored requests are cold', () => {
    const cold = predictExperiment(experiment, registry, [], cal);
    const warm = predictExperiment(experiment, registry, [], cal, { warmupRequests: 100 });
    if (typeof cold === 'string' || typeof warm === 'string') throw new Error(String(cold) + String(warm));
    // 240 requests: the first 100 recompute their whole prompt when cold; after a 100-request warm-up none does
    expect(warm[0]!.predicted.ttft).toBeLessThan(0.8 * cold[0]!.predicted.ttft);
    // the decode does not depend on it
    expect(warm[0]!.predicted.tpot).toBeCloseTo(cold[0]!.predicted.tpot, 2);
  });
});
