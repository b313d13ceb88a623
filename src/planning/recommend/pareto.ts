/**
 * Pareto dominance over minimised objective vectors (cost, TTFT p99, ITL p99, −tokens/s per user).
 * a dominates b when a is no worse in every objective and better in at least one.
 */
import type { FrontLatency } from './types.ts';

export type Objectives = readonly number[];

export function dominates(a: Objectives, b: Objectives): boolean {
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/** Indices (into `points`) of the non-dominated points, in input order. Ties are all kept. */
export function paretoFront(points: readonly Objectives[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < points.length; i++) if (!points.some((q, j) => j !== i && dominates(q, points[i]!))) out.push(i);
  return out;
}

/** The objective vector of a candidate: cost first (a $ figure, or GPUs when unpriced), then latency. */
export function objectivesOf(cost: number, l: FrontLatency): Objectives {
  return [cost, l.ttftP99Ms, l.itlP99Ms, -l.tokensPerSPerUser];
}

/**
 * The most favourable vector a screened estimate could turn into when verified, if the screening errs by
 * at most `margin` (relative; one for all objectives, or one per objective): cheaper, faster, more tokens/s
 * per user.
 */
export function relaxed(v: Objectives, margin: number | readonly number[]): Objectives {
  const m = (i: number) => (typeof margin === 'number' ? margin : margin[i]!);
  return v.map((x, i) => (i === v.length - 1 ? x * (1 + m(i)) : x >= 0 ? x * (1 - m(i)) : x * (1 + m(i))));
}
