/**
 * `nearCeilingFirstBelow` (recommend's screening) only reorders a capacity search's checks: the answer —
 * capacity, failing rate, binding constraint, the checks at capacity and above — is the usual order's, with one
 * check fewer when the SLO holds near the ceiling, and at most one more when it does not.
 */
import { describe, expect, it } from 'vitest';
import { CliContext } from '../../src/cli/context.ts';
import { findCapacity, NEAR_CEILING, type CapacityResult } from '../../src/planning/capacity.ts';
import { parseSlo } from '../../src/metrics/slo.ts';
import { WORKLOAD_PRESETS } from '../../src/workload/presets.ts';

const ctx = new CliContext();
const chat = WORKLOAD_PRESETS['chat']!;
const small = ctx.prepare({ model: 'llama-3.2-1b', hardware: 'h100-sxm' });
const search = { seeds: 1, minRequests: 300, maxRequests: 600, spanS: 10, tolerance: 0.1, maxIterations: 6, syncRequests: 16 };

function both(sloText: string, maxIterations = search.maxIterations): { usual: CapacityResult; early: CapacityResult } {
  const input = { deployment: small, shape: { lengths: chat.lengths }, slo: parseSlo(sloText), seed: 7 };
  return {
    usual: findCapacity({ ...input, search: { ...search, maxIterations } }),
    // 1: every objective at minimal load is within its limit, so the near-ceiling check always goes first
    early: findCapacity({ ...input, search: { ...search, maxIterations, nearCeilingFirstBelow: 1 } }),
  };
}

function answer(r: CapacityResult) {
  if (!r.feasible) return { feasible: false, reason: r.reason, minimal: r.minimalLoad, ceiling: r.saturationRatePerS };
  const { ratePerS, failingRatePerS, saturationRatePerS, binding, bindingExplanation, atCapacity, failingCheck } = r;
  return { ratePerS, failingRatePerS, saturationRatePerS, binding, bindingExplanation, atCapacity, failingCheck };
}

describe('capacity search: the near-ceiling check first', () => {
  it('when the SLO holds near the ceiling: the same answer, one check fewer', () => {
    const { usual, early } = both('ttft:p99<=5000ms,itl:p99<=500ms');
    expect(usual.feasible && usual.failingCheck === undefined).toBe(true);
    expect(answer(early)).toEqual(answer(usual));
    expect(early.simulations).toBe(usual.simulations - 1);
  });

  // passing at half the ceiling, then bisecting (also cut short by the iteration limit); failing at half
  const cases: [string, number][] = [
    ['ttft:p99<=200ms,itl:p99<=8ms', 6],
    ['ttft:p99<=200ms,itl:p99<=8ms', 3],
    ['ttft:p99<=150ms,itl:p99<=5ms', 6],
  ];
  for (const [sloText, maxIterations] of cases) {
    it(`when it does not (${sloText}, ${maxIterations} checks at most): the same answer and checks, at most one more`, () => {
      const { usual, early } = both(sloText, maxIterations);
      expect(answer(early)).toEqual(answer(usual));
      const rates = (r: CapacityResult) => new Set(r.checks.map((c) => c.ratePerS));
      for (const rate of rates(usual)) expect(rates(early).has(rate)).toBe(true);
      expect(early.simulations - usual.simulations).toBeGreaterThanOrEqual(0);
      expect(early.simulations - usual.simulations).toBeLessThanOrEqual(1);
      // the near-ceiling check came first, and failed
      expect(early.checks[0]!.ratePerS).toBe(usual.saturationRatePerS * NEAR_CEILING);
      expect(early.checks[0]!.passed).toBe(false);
    });
  }
});
