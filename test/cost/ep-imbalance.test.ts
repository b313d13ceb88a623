import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { busiestGpuExperts, busiestGpuRoutings, expectedMaxOfNormals } from '../../src/cost/ep-imbalance.ts';
import { decodeShape, prepared } from '../helpers/deployment.ts';

/** E[max of n standard normals] by quadrature of n·x·φ(x)·Φ(x)^(n−1), Φ by the trapezoid rule on the same grid */
function expectedMaxByQuadrature(n: number): number {
  const h = 1e-3;
  const pdf = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  let cdf = 0;
  let sum = 0;
  for (let i = 1; i <= 20_000; i++) {
    const x = -10 + i * h;
    cdf += 0.5 * (pdf(x - h) + pdf(x)) * h;
    sum += x * n * pdf(x) * Math.pow(Math.min(1, cdf), n - 1) * h;
  }
  return sum;
}

/** Seeded Monte Carlo of the busiest GPU: T tokens each routed to k distinct uniform experts of E, E/ep per GPU. */
function simulateBusiest(E: number, k: number, T: number, ep: number, trials: number): { experts: number; routings: number } {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  let experts = 0;
  let routings = 0;
  for (let t = 0; t < trials; t++) {
    const hits = new Array<number>(E).fill(0);
    for (let tok = 0; tok < T; tok++) {
      const chosen = new Set<number>();
      while (chosen.size < k) chosen.add(Math.floor(rand() * E));
      for (const e of chosen) hits[e]!++;
    }
    let maxExperts = 0;
    let maxRoutings = 0;
    for (let g = 0; g < ep; g++) {
      const mine = hits.slice((g * E) / ep, ((g + 1) * E) / ep);
      maxExperts = Math.max(maxExperts, mine.filter((h) => h > 0).length);
      maxRoutings = Math.max(maxRoutings, mine.reduce((s, h) => s + h, 0));
    }
    experts += maxExperts;
    routings += maxRoutings;
  }
  return { experts: experts / trials, routings: routings / trials };
}

describe('EP load imbalance (the busiest GPU gates a MoE layer)', () => {
  it('c(n) matches the expected maximum of n standard normals', () => {
    expect(expectedMaxOfNormals(1)).toBe(0);
    for (const n of [2, 4, 8, 16, 64, 256]) expect(expectedMaxOfNormals(n)).toBeCloseTo(expectedMaxByQuadrature(n), 3);
    // between powers of two, within 0.03 of the exact value
    for (const n of [3, 6, 12, 48]) expect(Math.abs(expectedMaxOfNormals(n) - expectedMaxByQuadrature(n))).toBeLessThan(0.03);
  });

  it('hand-worked: Llama-4-Scout-like, 16 experts top-1, 10 tokens, EP2', () => {
    // p = 1 − (15/16)^10 = 0.4756; mean per GPU 8p = 3.805; sd √(8 p (1−p)) = 1.4125; c(2) = 0.56419
    const touched = 16 * (1 - Math.pow(15 / 16, 10));
    const expected = touched / 2 + 0.56419 * Math.sqrt(8 * (touched / 16) * (1 - touched / 16));
    expect(busiestGpuExperts(touched, 16, 2, expectedMaxOfNormals(2))).toBeCloseTo(expected, 12);
    expect(expected).toBeCloseTo(4.601, 3);
  });

  it('agrees with a Monte Carlo of uniform routing to within a few percent', () => {
    for (const [E, k, T, ep] of [
      [16, 1, 10, 2],
      [256, 8, 4, 8],
      [256, 8, 64, 8],
      [8, 2, 32, 4],
    ] as const) {
      const mc = simulateBusiest(E, k, T, ep, 4000);
      const touched = E * (1 - Math.pow(1 - k / E, T));
      const z = expectedMaxOfNormals(ep);
      expect(busiestGpuExperts(touched, E, ep, z) / mc.experts).toBeGreaterThan(0.93);
      expect(busiestGpuExperts(touched, E, ep, z) / mc.experts).toBeLessThan(1.1);
      expect(busiestGpuRoutings(T, k, E, ep, z) / mc.routings).toBeGreaterThan(0.93);
      expect(busiestGpuRoutings(T, k, E, ep, z) / mc.routings).toBeLessThan(1.1);
    }
  });

  it('never below the even share, never above what one GPU holds', () => {
    fc.assert(
      fc.property(fc.constantFrom(8, 16, 64, 128, 256), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(2, 4, 8, 16), (E, k, T, ep) => {
        fc.pre(k <= E && ep <= E);
        const touched = E * (1 - Math.pow(1 - k / E, T));
        const z = expectedMaxOfNormals(ep);
        const experts = busiestGpuExperts(touched, E, ep, z);
        const routings = busiestGpuRoutings(T, k, E, ep, z);
        expect(experts).toBeGreaterThanOrEqual(touched / ep - 1e-9);
        expect(experts).toBeLessThanOrEqual(E / ep + 1e-9);
        expect(routings).toBeGreaterThanOrEqual(Math.min((T * k) / ep, T * Math.min(k, E / ep)) - 1e-9);
        expect(routings).toBeLessThanOrEqual(T * Math.min(k, E / ep) + 1e-9);
      }),
    );
  });

  it('an EP decode step reads the busiest GPU\'s experts; a large prefill stays within 2% of the even share', () => {
    const experts = (ep: number, shape: ReturnType<typeof decodeShape>) =>
      prepared('llama-4-scout', 'h100-sxm', { tp: 2, ep, weights: 'fp8' }).cost.explain(shape).operators.find((o) => o.op === 'moe_experts')!;
    // 10 decode tokens: the even share is 3.805 of 8 local experts, the busiest GPU reads 4.601 (hand-worked above)
    const decode = decodeShape(10, 2000);
    expect(experts(2, decode).bytes / experts(1, decode).bytes).toBeGreaterThan(1.15);
    // 8,192 prompt tokens touch all 16 experts on both GPUs and split routings nearly evenly
    const prefill = { decodeSeqs: 0, decodeContextSum: 0, prefillSeqs: 1, prefillTokens: 8192, prefillAttendedKeys: (8192 * 8193) / 2, prefillContextTokens: 8192 };
    expect(experts(2, prefill).flops / experts(1, prefill).flops).toBeGreaterThan(1);
    expect(experts(2, prefill).flops / experts(1, prefill).flops).toBeLessThan(1.02);
  });
});
