import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  earlyStoppingMinQueries,
  loadgenPercentile,
  loadgenVerdict,
  maxOverLimitSamples,
  offlineThroughput,
  serverQueryCount,
  tpotPerSample,
  type LoadgenSample,
} from '../../src/metrics/loadgen.ts';

describe('LoadGen per-sample TPOT', () => {
  it('is (latency − TTFT)/(tokens − 1)', () => {
    // 0.5 s to the first token, 2 s to the last of 4 tokens: three gaps of 0.5 s
    expect(tpotPerSample({ ttftS: 0.5, latencyS: 2, outputTokens: 4 })).toBeCloseTo(0.5, 12);
    expect(tpotPerSample({ ttftS: 0.2, latencyS: 1.2, outputTokens: 11 })).toBeCloseTo(0.1, 12);
  });
  it('is undefined for one token (LoadGen logs an error there)', () => {
    expect(tpotPerSample({ ttftS: 0.5, latencyS: 0.5, outputTokens: 1 })).toBeUndefined();
  });
});

describe('LoadGen percentile: sorted[floor(q·N)], no interpolation', () => {
  it('picks the hand-computed element', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(loadgenPercentile(hundred, 0.99)).toBe(100); // index 99
    const twoHundred = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(loadgenPercentile(twoHundred, 0.99)).toBe(199); // index 198
    expect(loadgenPercentile([5, 1, 3], 0.5)).toBe(3); // index 1
  });
  it('is an element with at least floor(qN) values strictly below or equal', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 300 }), (xs) => {
        const p = loadgenPercentile(xs, 0.99);
        expect(xs).toContain(p);
        expect(xs.filter((x) => x <= p).length).toBeGreaterThanOrEqual(Math.floor(0.99 * xs.length) + 1);
      }),
    );
  });
});

describe('early stopping (c = 0.99, d = 0)', () => {
  it('needs 459 queries with no sample over the limit (0.99^459 < 0.01 < 0.99^458)', () => {
    expect(earlyStoppingMinQueries(0)).toBe(459);
    expect(0.99 ** 459).toBeLessThan(0.01);
    expect(0.99 ** 458).toBeGreaterThan(0.01);
  });
  it('allows the over-limit counts quoted in the mlperf-datasets README', () => {
    const quoted: [number, number][] = [
      [4388, 28],
      [8313, 62],
      [13368, 107],
      [15000, 121],
      [24576, 209],
      [49152, 440],
      [73728, 674],
    ];
    for (const [queries, t] of quoted) {
      expect(maxOverLimitSamples(queries)).toBe(t);
      expect(earlyStoppingMinQueries(t)).toBeLessThanOrEqual(queries);
      expect(earlyStoppingMinQueries(t + 1)).toBeGreaterThan(queries);
    }
  });
  it('fails every count below 459 queries', () => {
    expect(maxOverLimitSamples(458)).toBe(-1);
  });
});

/** n samples scheduled 1 s apart (so n ≥ 601 spans 600 s), TTFT 0.1 s, 11 tokens at 10 ms, except `slow` with TTFT `slowTtftS`. */
function run(n: number, slow: number, slowTtftS: number): LoadgenSample[] {
  return Array.from({ length: n }, (_, i) => {
    const ttftS = i < slow ? slowTtftS : 0.1;
    return { scheduledS: i, ttftS, latencyS: ttftS + 0.1, outputTokens: 11 };
  });
}
const limits = { ttftS: 2, tpotS: 0.2 };

describe('LoadGen Server verdict', () => {
  it('passes a run well inside both limits', () => {
    const v = loadgenVerdict(run(1000, 0, 0), limits);
    expect(v.valid).toBe(true);
    expect(v.ttftP99S).toBe(0.1);
    expect(v.tpotP99S).toBeCloseTo(0.01, 12);
  });
  it('fails a p99 exactly at the limit: the checker wants strictly below', () => {
    // 1000 samples, 20 at exactly 2 s: sorted[990] = 2 s
    const v = loadgenVerdict(run(1000, 20, 2), limits);
    expect(v.ttftP99S).toBe(2);
    expect(v.valid).toBe(false);
    expect(v.why).toMatch(/p99 TTFT/);
  });
  it('fails on early stopping while the p99 holds', () => {
    // 9 of 1000 over (< 1%: p99 = sorted[990] is fast) but early stopping allows fewer at 1000 queries
    const allowed = maxOverLimitSamples(1000);
    expect(allowed).toBeLessThan(9);
    const v = loadgenVerdict(run(1000, 9, 3), limits);
    expect(v.ttftP99S).toBe(0.1);
    expect(v.valid).toBe(false);
    expect(v.why).toMatch(/early stopping: 9 TTFT samples over the limit/);
  });
  it('scales a replica to the whole system for early stopping', () => {
    // the same 9-in-1000 share, standing for 8× the queries: 72 of 8000 over, and 8000 allows more
    const v = loadgenVerdict(run(1000, 9, 3), limits, { scale: 8 });
    expect(v.queries).toBe(8000);
    expect(v.ttftOverLimit).toBe(72);
    expect(v.allowedOverLimit).toBe(maxOverLimitSamples(8000));
  });
  it('needs 600 s of schedule and the minimum query count', () => {
    expect(loadgenVerdict(run(500, 0, 0), limits).why).toMatch(/schedule 499 s < 600 s/);
    expect(loadgenVerdict(run(1000, 0, 0), limits, { minQueries: 24576 }).why).toMatch(/1000 queries < 24576/);
  });
});

describe('LoadGen query count and Offline throughput', () => {
  it('pads the Server schedule to whole dataset passes (the AMD llama2-70b log: 83.5 q/s → 3 × 24,576)', () => {
    expect(serverQueryCount(83.5, 24576)).toBe(73728);
    expect(serverQueryCount(1, 24576)).toBe(24576);
  });
  it('divides output tokens by the time to the last completion', () => {
    expect(offlineThroughput([{ finishS: 2, outputTokens: 10 }, { finishS: 4, outputTokens: 30 }])).toBe(10);
  });
});
