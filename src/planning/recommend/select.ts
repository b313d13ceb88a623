/**
 * Which candidates to verify, from their screening estimates, so that the verified front is the front an
 * exhaustive verified evaluation would give (when screening errs by at most `margin` per objective):
 *   1. verify the front of the estimates (and candidates whose screening was inconclusive);
 *   2. then, until none is left, verify — cheapest estimate first, VERIFY_BATCH at a time — the candidates
 *      whose most favourable vector no *verified* feasible candidate dominates. A candidate left out is
 *      dominated by a verified one even at its most favourable.
 * The most favourable vector is the estimate relaxed by `margin`, raised to the candidate's proven floors
 * where they are higher (a floor is a value the verified objective can never beat: bounds need no margin).
 * The front is then taken over verified values only. Generic over the verifier (tests use synthetic ones).
 */
import { NEAR_CEILING } from '../capacity.ts';
import { dominates, paretoFront, relaxed, type Objectives } from './pareto.ts';

export interface Verified {
  /** undefined when verification found the candidate infeasible */
  readonly objectives: Objectives | undefined;
}

export interface SelectionOutcome {
  /** verified candidates (id → verified objectives, or undefined when infeasible) */
  readonly verified: ReadonlyMap<number, Objectives | undefined>;
  /** verified feasible candidates on the front, in id order */
  readonly front: readonly number[];
  /** candidates not verified → the verified candidate that dominates their relaxed estimate */
  readonly screenedOut: ReadonlyMap<number, number>;
  readonly rounds: number;
}

/**
 * The highest rate plan's capacity search ever tries, as a share of its saturation ceiling (the 0.95 probe of
 * capacity.ts `refine`; everything else it tries is lower): no verified capacity exceeds it. Checked on real
 * searches by test/planning/recommend-search.test.ts.
 */
export const HIGHEST_PROBE = NEAR_CEILING;

/** candidates verified per round after the first; fixed (not the worker count) so the answer never depends on it */
export const VERIFY_BATCH = 8;

export async function selectAndVerify(
  screened: ReadonlyMap<number, Objectives>,
  margin: number | ScreenMargins,
  verify: (ids: readonly number[]) => Promise<ReadonlyMap<number, Objectives | undefined>>,
  /** candidates without a usable estimate (screening was inconclusive): verified in the first round */
  forced: readonly number[] = [],
  /** proven lower bounds on each candidate's verified objectives */
  floors: ReadonlyMap<number, Objectives> = new Map(),
): Promise<SelectionOutcome> {
  const ids = [...screened.keys()].sort((a, b) => a - b);
  const loose = new Map(ids.map((id) => [id, mostFavourable(screened.get(id)!, margin, floors.get(id))]));
  const verified = new Map<number, Objectives | undefined>();
  // first the screened front itself, then — most promising (cheapest estimate) first, a batch at a time —
  // whatever no verified candidate dominates yet at its most favourable
  const screenedFront = paretoFront(ids.map((id) => screened.get(id)!)).map((i) => ids[i]!);
  let pending = [...new Set([...screenedFront, ...forced])].sort((a, b) => a - b);
  let rounds = 0;
  while (pending.length > 0) {
    rounds++;
    const got = await verify(pending);
    for (const id of pending) verified.set(id, got.get(id));
    const open = ids.filter((id) => !verified.has(id) && dominatorOf(loose.get(id)!, verified) === undefined);
    open.sort((a, b) => screened.get(a)![0]! - screened.get(b)![0]! || a - b);
    pending = open.slice(0, VERIFY_BATCH);
  }
  const feasible = [...verified.entries()].filter((e): e is [number, Objectives] => e[1] !== undefined).sort((a, b) => a[0] - b[0]);
  const front = paretoFront(feasible.map((e) => e[1])).map((i) => feasible[i]![0]);
  const screenedOut = new Map<number, number>();
  for (const id of ids) {
    const by = verified.has(id) ? undefined : dominatorOf(loose.get(id)!, verified);
    if (by !== undefined) screenedOut.set(id, by);
  }
  return { verified, front, screenedOut, rounds };
}

/** Relative errors allowed to screening: on cost (capacity), and on latency at a given load. */
export interface ScreenMargins {
  readonly cost: number;
  readonly latency: number;
}

/** The estimate relaxed by the margins, but never below a proven floor. */
export function mostFavourable(estimate: Objectives, margin: number | ScreenMargins, floor: Objectives | undefined): Objectives {
  const m = typeof margin === 'number' ? { cost: margin, latency: margin } : margin;
  const r = relaxed(estimate, estimate.map((_, i) => (i === 0 ? m.cost : m.latency)));
  return floor ? r.map((x, i) => Math.max(x, floor[i] ?? -Infinity)) : r;
}

/** The lowest-id verified feasible candidate that dominates `v`, if any. */
function dominatorOf(v: Objectives, verified: ReadonlyMap<number, Objectives | undefined>): number | undefined {
  let best: number | undefined;
  for (const [id, o] of verified) if (o !== undefined && dominates(o, v) && (best === undefined || id < best)) best = id;
  return best;
}
