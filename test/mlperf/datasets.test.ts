import { describe, expect, it } from 'vitest';
import { datasetLengthsFor } from '../../src/workload/datasets/flag.ts';
import { equalIssueOrder, equalIssueQueries } from '../../src/workload/datasets/order.ts';
import { loadDataset, replayDataset } from '../../src/workload/datasets/read.ts';
import { applyOutputPolicy, REPLAY_DATASETS, rescaleFactor } from '../../src/workload/datasets/registry.ts';
import { createRng } from '../../src/workload/random.ts';
import { InputError } from '../../src/diagnostics/errors.ts';

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('MLPerf dataset registry', () => {
  // official sample counts and tokens_per_sample, and the input means of ../shared/reference/mlperf-datasets/README.md
  const expected: Record<string, { samples: number; inputMean: number; outputMean: number }> = {
    'mlperf-llama2-70b': { samples: 24576, inputMean: 222.3, outputMean: 294.45 },
    'mlperf-llama3.1-405b': { samples: 8313, inputMean: 9428.6, outputMean: 684.68 },
    'mlperf-llama3.1-8b': { samples: 13368, inputMean: 870.7, outputMean: 128 },
    'mlperf-mixtral-8x7b': { samples: 15000, inputMean: 427.4, outputMean: 144.84 },
    'mlperf-deepseek-r1': { samples: 4388, inputMean: 803.8, outputMean: 3886.2274 },
  };
  for (const [id, e] of Object.entries(expected))
    it(`${id}: ${e.samples} samples, input mean ${e.inputMean}, output mean ${e.outputMean}`, () => {
      const d = loadDataset(id);
      expect(d.inputTokens.length).toBe(e.samples);
      expect(d.outputTokens.length).toBe(e.samples);
      expect(mean(d.inputTokens)).toBeCloseTo(e.inputMean, 0);
      expect(Math.abs(mean(d.outputTokens) - e.outputMean)).toBeLessThan(0.05);
      expect(Math.min(...d.outputTokens)).toBeGreaterThanOrEqual(1);
    });

  it('caps deepseek-r1 at 20,000 and fixes llama3.1-8b at its 128-token cap', () => {
    expect(Math.max(...loadDataset('mlperf-deepseek-r1').outputTokens)).toBe(20000);
    expect(new Set(loadDataset('mlperf-llama3.1-8b').outputTokens)).toEqual(new Set([128]));
    expect(Math.max(...loadDataset('mlperf-llama2-70b').outputTokens)).toBeLessThanOrEqual(1024);
  });

  it('names an unknown dataset with a suggestion', () => {
    expect(() => replayDataset('mlperf-llama2-7b')).toThrow(InputError);
    expect(() => replayDataset('mlperf-llama2-7b')).toThrow(/did you mean "mlperf-llama2-70b"/);
  });

  it('states the Server limits of mlperf.conf', () => {
    expect(REPLAY_DATASETS['mlperf-llama2-70b']!.limits.server).toEqual({ ttftMs: 2000, tpotMs: 200 });
    expect(REPLAY_DATASETS['mlperf-llama2-70b']!.limits.interactive).toEqual({ ttftMs: 450, tpotMs: 40 });
    expect(REPLAY_DATASETS['mlperf-mixtral-8x7b']!.limits.interactive).toBeUndefined();
  });
});

describe('output-length policies', () => {
  it('rescales to a mean (hand case: ×2 turns 1,2,3 into 2,4,6, mean 4)', () => {
    // any factor that rounds 1, 2, 3 to 2, 4, 6 will do: 3·f ≥ 5.5 and 3·f < 6.5
    const f = rescaleFactor([1, 2, 3], 4, 100);
    expect(f).toBeGreaterThanOrEqual(5.5 / 3 - 1e-9);
    expect(f).toBeLessThan(6.5 / 3);
    expect(applyOutputPolicy({ kind: 'rescale-to-mean', meanTokens: 4, maxTokens: 100 }, [9, 9, 9], [1, 2, 3])).toEqual([2, 4, 6]);
  });
  it('keeps the mean under a cap by scaling the rest further', () => {
    const out = applyOutputPolicy({ kind: 'rescale-to-mean', meanTokens: 5, maxTokens: 6 }, [0, 0, 0], [1, 2, 10]);
    expect(Math.max(...out)).toBe(6);
    expect(mean(out)).toBeCloseTo(5, 0);
  });
  it('caps and fixes', () => {
    expect(applyOutputPolicy({ kind: 'cap', maxTokens: 5 }, [1, 1], [3, 9])).toEqual([3, 5]);
    expect(applyOutputPolicy({ kind: 'fixed', tokens: 128 }, [1, 2], undefined)).toEqual([128, 128]);
  });
});

describe("LoadGen's equal-issue order", () => {
  it('walks whole permutations: in 2.5 passes every sample is issued 2 or 3 times, each pass once', () => {
    const order = equalIssueOrder(10, 25, createRng(1, 'x'));
    expect(order).toHaveLength(25);
    for (const pass of [order.slice(0, 10), order.slice(10, 20)]) expect([...pass].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Set(order.slice(20)).size).toBe(5);
    expect(order.slice(0, 10)).not.toEqual(order.slice(10, 20));
  });
  it('is seeded', () => {
    expect(equalIssueOrder(50, 50, createRng(7, 'x'))).toEqual(equalIssueOrder(50, 50, createRng(7, 'x')));
    expect(equalIssueOrder(50, 50, createRng(7, 'x'))).not.toEqual(equalIssueOrder(50, 50, createRng(8, 'x')));
  });
  it('pads a run to whole passes', () => {
    expect(equalIssueQueries(24576, 100)).toBe(24576);
    expect(equalIssueQueries(24576, 24577)).toBe(49152);
  });
  it('--dataset replays one pass covering the dataset exactly once', () => {
    const { lengths, label } = datasetLengthsFor('mlperf-mixtral-8x7b', 200, 42);
    expect(label).toMatch(/mlperf-mixtral-8x7b \(15000 samples/);
    if (lengths.kind !== 'sequence') throw new Error('expected a sequence');
    const d = loadDataset('mlperf-mixtral-8x7b');
    expect(lengths.inputTokens).toHaveLength(15000);
    expect([...lengths.outputTokens].sort((a, b) => a - b)).toEqual([...d.outputTokens].sort((a, b) => a - b));
  });
});

describe('--dataset in workload flags', () => {
  it("defaults the SLO to the dataset's MLPerf Server limits and keeps an explicit --slo", async () => {
    const { resolveWorkloads } = await import('../../src/planning/workload-flags.ts');
    const w = resolveWorkloads({ dataset: 'mlperf-llama2-70b', rate: [2], 'max-requests': 100 });
    expect(w.slo).toEqual([
      { metric: 'ttft', percentile: 0.99, thresholdS: 2 },
      { metric: 'tpot', percentile: 0.99, thresholdS: 0.2 },
    ]);
    expect(w.lengthsLabel).toMatch(/^dataset mlperf-llama2-70b/);
    expect(resolveWorkloads({ dataset: 'mlperf-llama2-70b', rate: [2], slo: 'ttft:p99<=1s' }).slo).toHaveLength(1);
  });
  it('lets --data and --lengths-file win, as before', async () => {
    const { resolveLengths } = await import('../../src/planning/workload-flags.ts');
    expect(resolveLengths({ dataset: 'mlperf-llama2-70b', data: 'prompt_tokens=10,output_tokens=5' }).label).toBe('prompt_tokens=10,output_tokens=5');
  });
});
