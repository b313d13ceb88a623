/** The analytic bounds that prune before simulation really bound what the simulator does; day costs by hand. */
import { describe, expect, it } from 'vitest';
import { DeploymentResolver } from '../../src/planning/deployment-resolver.ts';
import { dayAverageGpus, fleetCost, parseRateCurve, sliceReplicas } from '../../src/planning/recommend/cost.ts';
import { decodeCeilingTokensPerS, latencyFloors, shortestRequest, sloFloorViolation } from '../../src/planning/recommend/bounds.ts';
import { simulate } from '../../src/simulate.ts';

const resolver = new DeploymentResolver();
const lengths = { kind: 'synthetic', input: { mean: 512, stdev: 256, min: 32, max: 2048 }, output: { mean: 256, stdev: 128, min: 16, max: 1024 } } as const;

describe('analytic bounds', () => {
  it('the shortest request of each length distribution', () => {
    expect(shortestRequest(lengths)).toEqual({ inputTokens: 32, outputTokens: 16, meanOutputTokens: 256 });
    expect(shortestRequest({ kind: 'empirical', inputTokens: [100, 40, 70], outputTokens: [9, 30, 3] })).toEqual({ inputTokens: 40, outputTokens: 3, meanOutputTokens: 14 });
  });

  it.each([
    ['llama-3.1-8b', 'h100-sxm', 1],
    ['llama-3.1-70b', 'h200-sxm', 4],
    ['llama-3.1-8b', 'l40s', 1],
  ])('%s on %s TP%i: no simulated request beats the batch-1 floors; throughput stays under the decode ceiling', (model, hardware, tp) => {
    const p = resolver.prepare({ model, hardware }, { tp });
    const f = latencyFloors(p, lengths);
    const sync = simulate({ deployment: p, seed: 1, workload: { lengths, arrival: { kind: 'synchronous' }, maxRequests: 60, warmupFraction: 0 } });
    expect(f.ttftS).toBeLessThanOrEqual(sync.latencyS.ttft.min);
    expect(f.gapS).toBeLessThanOrEqual(sync.latencyS.itl.min);
    const thr = simulate({ deployment: p, seed: 1, workload: { lengths, arrival: { kind: 'throughput' }, maxRequests: 600 } });
    expect(thr.throughput.outputTokensPerS).toBeLessThanOrEqual(decodeCeilingTokensPerS(p, lengths));
  });

  it('prunes a deployment whose floor misses the SLO, and names the objective', () => {
    const p = resolver.prepare({ model: 'llama-3.1-70b', hardware: 'l40s' }, { tp: 4, weights: 'fp8' });
    const gap = latencyFloors(p, lengths).gapS;
    expect(sloFloorViolation(p, lengths, [{ metric: 'itl', percentile: 0.99, thresholdS: gap * 0.9 }])).toMatch(/ITL p99 ≥ .* ms > .* ms/);
    expect(sloFloorViolation(p, lengths, [{ metric: 'itl', percentile: 0.99, thresholdS: gap * 1.1 }])).toBeUndefined();
  });
});

describe('rate curve costs', () => {
  it('sizes each slice of the day, capped by the peak fleet', () => {
    const curve = parseRateCurve('0,10,20,40');
    // capacity 10 req/s per replica, 20% headroom: 0, ceil(1.2), ceil(2.4), ceil(4.8) → 0, 2, 3, 5 (peak fleet 5)
    expect(curve.ratesPerS.map((r) => sliceReplicas(r, 0.2, 10, 5))).toEqual([0, 2, 3, 5]);
    expect(dayAverageGpus(curve, 0.2, 10, 5, 2)).toBe(((0 + 2 + 3 + 5) / 4) * 2);
    const c = fleetCost(5, 2, 10, 0.2, 3, curve);
    expect(c).toEqual({ gpus: 10, averageGpus: 5, usdPerHour: 30, usdPerDay: 5 * 3 * 24, frontUsdPerHour: 15 });
    expect(fleetCost(5, 2, 10, 0.2, undefined, undefined).frontUsdPerHour).toBeUndefined();
  });

  it('refuses curves that are not rates', () => {
    expect(() => parseRateCurve('5')).toThrow(/at least two/);
    expect(() => parseRateCurve('0,0')).toThrow(/peak must be positive/);
    expect(() => parseRateCurve('1,-2')).toThrow(/value 2/);
  });
});
