/**
 * A rate curve that is not repeated and ends at rate 0 stops arriving. The thinning loop used to draw
 * candidate times forever past the curve's end (rate 0 accepts nothing), so such a run hung.
 */
import { describe, expect, it } from 'vitest';
import { openLoopProcess } from '../../src/workload/arrivals.ts';
import { createRng } from '../../src/workload/random.ts';
import { simulate } from '../../src/simulate.ts';
import { tinyDeployment } from '../helpers/deployment.ts';

const endsAtZero = { kind: 'rate-curve', repeat: false, points: [{ timeS: 0, ratePerS: 5 }, { timeS: 10, ratePerS: 0 }] } as const;

describe('a non-repeating rate curve that ends at rate 0', () => {
  it('yields a finite number of arrivals, all before the curve ends, then Infinity', () => {
    const next = openLoopProcess(endsAtZero, createRng(1, 'arrivals'));
    const times: number[] = [];
    for (let t = next(); Number.isFinite(t) && times.length < 1000; t = next()) times.push(t);
    // expected count = area under the curve = 25; the process must have stopped well before the guard
    expect(times.length).toBeGreaterThan(5);
    expect(times.length).toBeLessThan(60);
    expect(Math.max(...times)).toBeLessThan(10);
    expect(next()).toBe(Infinity);
  });

  it('simulates to completion instead of hanging', () => {
    const r = simulate({ deployment: tinyDeployment(), seed: 3, workload: { arrival: endsAtZero, maxRequests: 1000, lengths: { kind: 'fixed', inputTokens: 64, outputTokens: 8 } } });
    expect(r.requests.completed).toBeGreaterThan(5);
    expect(r.requests.completed).toBeLessThan(60);
  });
});
