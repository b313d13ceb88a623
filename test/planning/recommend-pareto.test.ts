/**
 * The front is really non-dominated, and selection (screening + verification of what can be on the front)
 * never loses a candidate exhaustive verification would keep on the front — whenever screening errs by
 * less than the margin — on random spaces.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dominates, paretoFront, relaxed, type Objectives } from '../../src/planning/recommend/pareto.ts';
import { mostFavourable, selectAndVerify } from '../../src/planning/recommend/select.ts';

const vec = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 })).map(
  ([c, t, i, u]): Objectives => [c, t, i, -u],
);

describe('pareto front', () => {
  it('dominance by hand: better somewhere and worse nowhere', () => {
    expect(dominates([1, 2, 3, -4], [1, 2, 3, -3])).toBe(true);
    expect(dominates([1, 2, 3, -4], [1, 2, 3, -4])).toBe(false); // equal: neither dominates
    expect(dominates([1, 5, 3, -4], [2, 2, 3, -4])).toBe(false);
    expect(paretoFront([[2, 2, 2, -2], [1, 3, 2, -2], [3, 3, 3, -1], [2, 2, 2, -2]])).toEqual([0, 1, 3]);
  });

  it('no front member is dominated, and every other point is dominated by a front member', () => {
    fc.assert(
      fc.property(fc.array(vec, { minLength: 1, maxLength: 40 }), (points) => {
        const front = paretoFront(points);
        expect(front.length).toBeGreaterThan(0);
        for (const i of front) for (const q of points) expect(dominates(q, points[i]!)).toBe(false);
        for (let j = 0; j < points.length; j++) if (!front.includes(j)) expect(front.some((i) => dominates(points[i]!, points[j]!))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('relaxing makes every objective more favourable', () => {
    expect(relaxed([10, 100, 20, -50], 0.3)).toEqual([7, 70, 14, -65]);
  });
});

describe('selection soundness against exhaustive verification', () => {
  const space = fc.array(
    fc.record({
      truth: vec,
      // screening error within ±20%: inside a 30% margin
      error: fc.tuple(fc.double({ min: 0.8, max: 1.2, noNaN: true }), fc.double({ min: 0.8, max: 1.2, noNaN: true }), fc.double({ min: 0.8, max: 1.2, noNaN: true }), fc.double({ min: 0.8, max: 1.2, noNaN: true })),
      feasible: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
    }),
    { minLength: 1, maxLength: 30 },
  );

  it('the selected front equals the exhaustive front; unverified candidates are dominated by verified ones', async () => {
    await fc.assert(
      fc.asyncProperty(space, async (cands) => {
        const screened = new Map(cands.map((c, id) => [id, c.truth.map((x, k) => x * c.error[k]!)] as const));
        let verifications = 0;
        const sel = await selectAndVerify(screened, 0.3, async (ids) => {
          verifications += ids.length;
          return new Map(ids.map((id) => [id, cands[id]!.feasible ? cands[id]!.truth : undefined]));
        });
        const feasibleIds = cands.map((_, id) => id).filter((id) => cands[id]!.feasible);
        const exhaustive = paretoFront(feasibleIds.map((id) => cands[id]!.truth)).map((i) => feasibleIds[i]!);
        // the same front by value (ties between identical vectors may be represented by any of them)
        const key = (ids: readonly number[]) => [...new Set(ids.map((id) => cands[id]!.truth.join(',')))].sort();
        expect(key(sel.front)).toEqual(key(exhaustive));
        for (const id of exhaustive) if (!sel.verified.has(id)) expect(cands.some((c, o) => o !== id && c.feasible && c.truth.join() === cands[id]!.truth.join() && sel.front.includes(o))).toBe(true);
        for (const [id, by] of sel.screenedOut) expect(dominates(cands[by]!.truth, relaxed(screened.get(id)!, 0.3))).toBe(true);
        expect(verifications).toBeLessThanOrEqual(cands.length);
      }),
      { numRuns: 200 },
    );
  });

  // proven floors (any value at or below the truth) with separate cost and latency margins, as search.ts uses them
  const withFloors = fc.array(
    fc.record({
      truth: vec,
      // cost within ±25% (margin 0.3), latency within ±12% (margin 0.15)
      error: fc.tuple(fc.double({ min: 0.75, max: 1.25, noNaN: true }), fc.double({ min: 0.88, max: 1.12, noNaN: true }), fc.double({ min: 0.88, max: 1.12, noNaN: true }), fc.double({ min: 0.88, max: 1.12, noNaN: true })),
      // how far below the truth each floor sits (1 = the floor is the truth itself)
      tight: fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
      feasible: fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
    }),
    { minLength: 1, maxLength: 30 },
  );

  it('with proven floors and per-objective margins the front is still exhaustive verification\'s', async () => {
    const margins = { cost: 0.3, latency: 0.15 };
    await fc.assert(
      fc.asyncProperty(withFloors, async (cands) => {
        const screened = new Map(cands.map((c, id) => [id, c.truth.map((x, k) => x * c.error[k]!)] as const));
        // a floor never beats the truth: below it for costs and latencies, more negative for −tokens/s
        const floors = new Map(cands.map((c, id) => [id, c.truth.map((x, k) => (k === 3 ? x * (2 - c.tight[k]!) : x * c.tight[k]!))] as const));
        const sel = await selectAndVerify(screened, margins, async (ids) => new Map(ids.map((id) => [id, cands[id]!.feasible ? cands[id]!.truth : undefined])), [], floors);
        const feasibleIds = cands.map((_, id) => id).filter((id) => cands[id]!.feasible);
        const exhaustive = paretoFront(feasibleIds.map((id) => cands[id]!.truth)).map((i) => feasibleIds[i]!);
        const key = (ids: readonly number[]) => [...new Set(ids.map((id) => cands[id]!.truth.join(',')))].sort();
        expect(key(sel.front)).toEqual(key(exhaustive));
        for (const [id, by] of sel.screenedOut) {
          expect(dominates(cands[by]!.truth, mostFavourable(screened.get(id)!, margins, floors.get(id)))).toBe(true);
          if (cands[id]!.feasible) expect(dominates(cands[by]!.truth, cands[id]!.truth)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a floor raises the most favourable vector, never lowers it', () => {
    const close = (got: Objectives, want: number[]) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 9));
    close(mostFavourable([10, 100, 20, -50], { cost: 0.3, latency: 0.1 }, undefined), [7, 90, 18, -55]);
    close(mostFavourable([10, 100, 20, -50], { cost: 0.3, latency: 0.1 }, [9, 50, 19, -80]), [9, 90, 19, -55]);
  });
});

