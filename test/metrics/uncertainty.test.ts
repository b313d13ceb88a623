import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandFor, interval80, normalCdf, normalQuantile, probabilityAtMost, seedSdLog, Z80 } from '../../src/metrics/uncertainty.ts';

describe('normal distribution helpers', () => {
  it('CDF and quantile agree with tabled values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(Z80)).toBeCloseTo(0.9, 6);
    expect(normalCdf(-1.959964)).toBeCloseTo(0.025, 6);
    expect(normalQuantile(0.9)).toBeCloseTo(Z80, 8);
    expect(normalQuantile(0.99)).toBeCloseTo(2.326348, 5);
  });
});

describe('80% band of one prediction', () => {
  it('hand-computed: predicted × exp(shift ± w), the seed variance added in quadrature', () => {
    const [lo, hi] = interval80(100, { shiftLog: 0, halfWidthLog: 0.2 });
    expect(lo).toBeCloseTo(100 * Math.exp(-0.2), 10);
    expect(hi).toBeCloseTo(100 * Math.exp(0.2), 10);
    const [lo2, hi2] = interval80(100, { shiftLog: 0.1, halfWidthLog: 0.2 }, 0.1);
    const w = Z80 * Math.sqrt((0.2 / Z80) ** 2 + 0.01);
    expect(lo2).toBeCloseTo(100 * Math.exp(0.1 - w), 10);
    expect(hi2).toBeCloseTo(100 * Math.exp(0.1 + w), 10);
  });

  it('a limit at the band’s upper edge is met with probability 0.9, at its centre 0.5', () => {
    const band = { shiftLog: 0.05, halfWidthLog: 0.2 };
    expect(probabilityAtMost(100, 100 * Math.exp(0.25), band)).toBeCloseTo(0.9, 6);
    expect(probabilityAtMost(100, 100 * Math.exp(0.05), band)).toBeCloseTo(0.5, 7);
    expect(probabilityAtMost(Infinity, 100, band)).toBe(0);
    expect(probabilityAtMost(100, 99, { shiftLog: 0, halfWidthLog: 0 })).toBe(0);
  });

  it('property: the probability falls as the prediction rises and grows with the limit', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e4, noNaN: true }), fc.double({ min: 1.001, max: 10, noNaN: true }), fc.double({ min: 0.01, max: 2, noNaN: true }), (v, k, w) => {
        const band = { shiftLog: 0, halfWidthLog: w };
        const p = probabilityAtMost(v, 100, band);
        expect(probabilityAtMost(v * k, 100, band)).toBeLessThanOrEqual(p);
        expect(probabilityAtMost(v, 100 * k, band)).toBeGreaterThanOrEqual(p);
      }),
    );
  });

  it('seed variance: standard error of the mean, wider for a p99', () => {
    expect(seedSdLog({ count: 100, stdev: 10 }, 50, 'mean')).toBeCloseTo(10 / 10 / 50, 12);
    // √(0.99 × 0.01) / φ(2.326) ≈ 3.73 times the mean's
    expect(seedSdLog({ count: 100, stdev: 10 }, 50, 0.99) / seedSdLog({ count: 100, stdev: 10 }, 50, 'mean')).toBeCloseTo(3.73, 2);
    expect(seedSdLog({ count: 0, stdev: 10 }, 50, 'mean')).toBe(0);
  });
});

describe('bandFor: which band a statistic uses', () => {
  const bands = { ttft: { shiftLog: 0, halfWidthLog: 0.2 }, tpot: { shiftLog: 0, halfWidthLog: 0.1 }, ttft_p99: { shiftLog: 0.1, halfWidthLog: 0.4 }, e2e_p99: { shiftLog: 0, halfWidthLog: 0.25 } };
  it('means and medians use the mean band; p99 its own; ITL borrows TPOT, queue borrows TTFT', () => {
    expect(bandFor(bands, 'ttft', 'mean')).toEqual(bands.ttft);
    expect(bandFor(bands, 'ttft', 0.5)).toEqual(bands.ttft);
    expect(bandFor(bands, 'ttft', 0.99)).toEqual(bands.ttft_p99);
    expect(bandFor(bands, 'queue', 0.99)).toEqual(bands.ttft_p99);
    expect(bandFor(bands, 'itl', 'mean')).toEqual(bands.tpot);
  });
  it('a tail without its own band: TPOT/ITL widen to E2E p99’s width, centred as the mean band', () => {
    expect(bandFor(bands, 'itl', 0.99)).toEqual({ shiftLog: 0, halfWidthLog: 0.25 });
    expect(bandFor(bands, 'e2e', 0.99)).toEqual(bands.e2e_p99);
    expect(bandFor({ e2e: { shiftLog: 0, halfWidthLog: 0.3 } }, 'e2e', 0.9)).toEqual({ shiftLog: 0, halfWidthLog: 0.3 });
    expect(bandFor({}, 'ttft', 'mean')).toBeUndefined();
  });
});
