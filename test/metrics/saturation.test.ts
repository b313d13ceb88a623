/**
 * The saturation verdict (issue 12 item 2): one evidence-based function, monotone in offered load, and the
 * statistics under it checked by hand.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highestSteadyRate, isBacklogged, mannKendall, normalUpperTail } from '../../src/metrics/saturation.ts';
import { simulateGuidellmSweep } from '../../src/planning/guidellm-sweep.ts';
import { simulate } from '../../src/simulate.ts';
import { WORKLOAD_PRESETS } from '../../src/workload/presets.ts';
import { prepared } from '../helpers/deployment.ts';

const chat = WORKLOAD_PRESETS['chat']!;
// The deployment of the trial, pinned: datasheet calibration and synchronous scheduling, as servesim
// modelled vLLM then (the shipped calibrations move as they are refitted; the verdict must not depend on them).
const h200 = prepared('llama-3.1-8b', 'h200-sxm', { engine: { asyncScheduling: false } });
const poisson = (ratePerS: number, maxRequests = 1000, seed: string | number = 42) =>
  simulate({ deployment: h200, seed, slo: chat.slo, workload: { arrival: { kind: 'poisson', ratePerS }, lengths: chat.lengths, maxRequests } });

describe('Mann–Kendall', () => {
  it('a strictly rising series of 8: S = 28, Var = 8·7·21/18, z = 27/√Var', () => {
    const t = mannKendall([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(t.s).toBe(28);
    expect(t.z).toBeCloseTo(27 / Math.sqrt((8 * 7 * 21) / 18), 10);
    expect(t.pValue).toBeCloseTo(4.18e-4, 5);
    expect(t.senSlopePerWindow).toBe(1);
    expect(t.upward).toBe(true);
  });
  it('[1, 3, 2, 4, …]: S counts concordant minus discordant pairs; ties shrink the variance', () => {
    const t = mannKendall([1, 3, 2, 4, 4, 4, 5, 6]);
    // pairs: 28, discordant (3,2) = 1, ties (4,4) × 3 = 3 → S = 28 − 3 − 2·1 = 23
    expect(t.s).toBe(23);
    const variance = (8 * 7 * 21 - 3 * 2 * 11) / 18;
    expect(t.z).toBeCloseTo(22 / Math.sqrt(variance), 10);
  });
  it('a falling or flat series is not an upward trend; fewer than 8 windows never are', () => {
    expect(mannKendall([8, 7, 6, 5, 4, 3, 2, 1]).upward).toBe(false);
    expect(mannKendall([2, 2, 2, 2, 2, 2, 2, 2]).pValue).toBe(1);
    expect(mannKendall([1, 2, 3, 4, 5, 6, 7]).upward).toBe(false);
  });
  it('normal tail: 1 − Φ(1.6449) = 0.05, 1 − Φ(0) = 0.5, 1 − Φ(−1.96) = 0.975', () => {
    expect(normalUpperTail(1.6448536)).toBeCloseTo(0.05, 6);
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 6);
    expect(normalUpperTail(-1.959964)).toBeCloseTo(0.975, 6);
  });
});

describe('highestSteadyRate: the one "highest steady-state rate" of charts and tables', () => {
  it('is the highest steady rate below the first backlogged one', () => {
    const pts = (xs: [number, boolean][]) => xs.map(([rate, saturated]) => ({ rate, saturated }));
    expect(highestSteadyRate(pts([[10, false], [20, false], [30, true], [40, false]]))).toBe(20);
    expect(highestSteadyRate(pts([[10, false], [20, false]]))).toBe(20);
    expect(highestSteadyRate(pts([[10, true], [20, true]]))).toBeUndefined();
  });
});

describe('the verdict of issue 12 item 2', () => {
  it('8B on H200 at 50 req/s (31.5 achieved, the queue growing) is backlogged, with its evidence', () => {
    const r = poisson(50);
    const s = r.saturation;
    expect(s.verdict).toBe('backlogged');
    const e = s.evidence!;
    expect(e.confidence).toBe(0.95);
    expect(e.admittedRatePerS).toBeLessThan(0.9 * e.arrivalRatePerS);
    expect(e.queueDelayTrend.pValue).toBeLessThan(0.05);
    expect(e.outstandingTrend.pValue).toBeLessThan(0.05);
    expect(e.waitingAtEnd).toBeGreaterThan(100);
    expect(s.reason).toMatch(/admitted .* of .* req\/s arriving; queue delay and outstanding rising \(Mann–Kendall p<0\.001\)/);
  });
  it('a light load is stable and says why', () => {
    const s = poisson(10).saturation;
    expect(s.verdict).toBe('stable');
    expect(s.reason).toMatch(/^admitted .* of .* req\/s arriving; queue delay not rising/);
  });
  it('is monotone in offered load for a fixed deployment and seed (property over rates)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 10, max: 60, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.integer({ min: 1, max: 1000 }), (rates, seed) => {
        const sorted = [...rates].sort((a, b) => a - b);
        const verdicts = sorted.map((rate) => isBacklogged(poisson(rate, 1000, seed).saturation));
        for (let i = 1; i < verdicts.length; i++) if (verdicts[i - 1]) expect(verdicts[i]).toBe(true);
      }),
      // the sweep: 35 req/s was labelled backlogged, 37 and 45 stable
      { numRuns: 20, seed: 12, examples: [[[35, 37, 45], 42]] },
    );
  });
  it('a sweep labels one contiguous block of rates backlogged, from its first backlogged rate up', () => {
    const runs = simulateGuidellmSweep({ deployment: h200, seed: 42 }, { lengths: chat.lengths, maxRequests: 1000 }, 10, 'poisson').slice(2);
    const flags = runs.map((r) => isBacklogged(r.saturation));
    const first = flags.indexOf(true);
    if (first >= 0) expect(flags.slice(first).every(Boolean)).toBe(true);
  });
});
