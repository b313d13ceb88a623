import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogHistogram } from '../../src/metrics/histogram.ts';

/** GuideLLM's rule: the first value (in sorted order) whose cumulative weight reaches p × total */
function exactQuantile(values: readonly number[], weights: readonly number[], p: number): number {
  const idx = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const total = weights.reduce((s, w) => s + w, 0);
  let cum = 0;
  for (const i of idx) {
    cum += weights[i]!;
    if (cum >= p * total * (1 - 1e-12)) return values[i]!;
  }
  return values[idx[idx.length - 1]!]!;
}

const QS = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

describe('LogHistogram', () => {
  it('quantiles are within 0.2% of the exact sorted-array quantile (unit weights)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1e-5, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 500 }),
        (values) => {
          const h = new LogHistogram();
          for (const v of values) h.record(v);
          const w = values.map(() => 1);
          for (const q of QS) {
            const exact = exactQuantile(values, w, q);
            expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThanOrEqual(0.002);
          }
          expect(h.min).toBe(Math.min(...values));
          expect(h.max).toBe(Math.max(...values));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('weighted quantiles within 0.2%, weighted mean exact (to rounding)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 1e-4, max: 100, noNaN: true }), fc.integer({ min: 1, max: 50 })), { minLength: 1, maxLength: 300 }),
        (pairs) => {
          const h = new LogHistogram();
          for (const [v, w] of pairs) h.record(v, w);
          const values = pairs.map((p) => p[0]);
          const weights = pairs.map((p) => p[1]);
          const W = weights.reduce((s, x) => s + x, 0);
          const mean = pairs.reduce((s, [v, w]) => s + v * w, 0) / W;
          expect(h.count).toBe(W);
          expect(h.mean).toBeCloseTo(mean, 10);
          for (const q of QS) {
            const exact = exactQuantile(values, weights, q);
            expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThanOrEqual(0.002);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('median of [1, 2, 3, 4] is 2 (first value reaching 50%, no interpolation)', () => {
    const h = new LogHistogram();
    for (const v of [4, 3, 2, 1]) h.record(v);
    expect(h.quantile(0.5)).toBeCloseTo(2, 2);
    expect(h.quantile(0.51)).toBeCloseTo(3, 2);
    expect(h.quantile(1)).toBeCloseTo(4, 2); // bucket midpoint clamped to [min, max], not max itself
  });

  it('an empty histogram answers NaN; zero weights are ignored; values at or below MIN_VALUE are zeros', () => {
    const h = new LogHistogram();
    expect(h.quantile(0.5)).toBeNaN();
    expect(h.mean).toBeNaN();
    h.record(5, 0);
    expect(h.count).toBe(0);
    h.record(0);
    h.record(0);
    h.record(1);
    expect(h.quantile(0.5)).toBe(0);
    expect(h.quantile(0.9)).toBeCloseTo(1, 2);
    expect(h.mean).toBeCloseTo(1 / 3, 12);
  });

  it('answers the same whatever order the values come in (its bucket window grows either way)', () => {
    const value = fc.oneof(fc.double({ min: 1e-8, max: 2e6, noNaN: true }), fc.double({ min: 0.001, max: 0.2, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 300 }), (pairs) => {
        const orders = [pairs, [...pairs].sort((a, b) => a[0] - b[0]), [...pairs].sort((a, b) => b[0] - a[0])];
        const answers = orders.map((o) => {
          const h = new LogHistogram();
          for (const [v, w] of o) h.record(v, w);
          return JSON.stringify([h.quantiles(QS), h.fractionAtOrBelow(0.05), h.fractionAtOrBelow(1), h.cdf(20)]);
        });
        expect(answers[1]).toBe(answers[0]);
        expect(answers[2]).toBe(answers[0]);
      }),
      { numRuns: 200, seed: 18 },
    );
  });
});

