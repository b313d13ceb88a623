/**
 * Verifying a fleet (issue 13): the verification is sized per replica, so it neither mistakes a fleet that
 * is still ramping up for a backlog ("verification FAILED … backlogged" next to SLO attainment 1) nor
 * costs more as the target grows.
 */
import { describe, expect, it } from 'vitest';
import { CliContext } from '../../src/cli/context.ts';
import { planCapacity, VERIFY_SLICE_REPLICAS } from '../../src/planning/plan.ts';
import { WORKLOAD_PRESETS } from '../../src/workload/presets.ts';

const ctx = new CliContext();
const chat = WORKLOAD_PRESETS['chat']!;
const h200 = ctx.prepare({ model: 'llama-3.1-8b', hardware: 'h200-sxm' });
const search = { seeds: 1, minRequests: 600, maxRequests: 1200, spanS: 20, tolerance: 0.1, maxIterations: 4 };
const plan = (targetRatePerS: number) =>
  planCapacity({ deployment: h200, shape: { lengths: chat.lengths }, slo: chat.slo, seed: 42, search, targetRatePerS, headroom: 0.2 });

describe('plan --target-rate: verification', () => {
  const plans = [1000, 2000, 10_000].map(plan);

  it('a fleet whose every objective holds verifies at the estimate (no false backlog)', () => {
    for (const p of plans) {
      const t = p.target!;
      expect(t.verificationNote).not.toMatch(/FAILED/);
      expect(t.verified).toBe(true);
      expect(t.replicas).toBe(t.estimatedReplicas);
      expect(t.latency.ttftP99Ms).toBeLessThanOrEqual(200);
      expect(t.sloAttainment).toBeGreaterThan(0.99);
    }
  });

  it('simulates a bounded slice of the fleet at its share of the target, so the work is flat in the target', () => {
    for (const p of plans) {
      const t = p.target!;
      expect(t.verificationSlice.replicas).toBe(Math.min(VERIFY_SLICE_REPLICAS, t.replicas));
      expect(t.verificationSlice.ratePerS).toBeCloseTo((t.ratePerS * t.verificationSlice.replicas) / t.replicas, 9);
      expect(t.verificationNote).toMatch(/simulated on 8 of the \d+ replicas/);
    }
    // the same number of simulations for 1,000 and 10,000 req/s
    expect(new Set(plans.map((p) => p.simulations)).size).toBe(1);
  });

  it('scales the fleet throughput from the slice', () => {
    const [p1, p2] = plans;
    const perReplica = (p: (typeof plans)[number]) => p.target!.outputTokensPerS / p.target!.replicas;
    expect(perReplica(p2!) / perReplica(p1!)).toBeGreaterThan(0.9);
    expect(perReplica(p2!) / perReplica(p1!)).toBeLessThan(1.1);
  });
});
