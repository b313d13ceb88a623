/**
 * The P/D sizing search for a target rate: the fewest prefill and decode instances whose fleet meets the
 * SLO, every candidate judged by a simulated check (pd-check.ts).
 *
 *   1. grow     from the analytic first guess (pd-estimate.ts), add instances until the fleet passes: to the
 *               prefill pool when only TTFT / queue time fail (prompts wait for a prefill instance), to the
 *               decode pool when only ITL / TPOT fail or the decode KV cache preempts, to both otherwise
 *               (E2E, a backlog). Steps grow with the pool (a quarter of it, at least 1) so a bad guess
 *               costs O(log) checks.
 *   2. shrink   bisect each pool down to the fewest instances that still pass with the other pool fixed,
 *               prefill then decode, and repeat until neither moves: at the answer one fewer instance in
 *               either pool was simulated and failed. A size that failed with at least as many of the
 *               other pool is taken as failing again (fewer instances never serve better), so a second
 *               round re-simulates nothing it has already bracketed.
 * Every verdict is cached by pool sizes, so no fleet is simulated twice and the result is deterministic.
 */
import type { RateCheck } from './capacity.ts';
import { checkPools, gpusOf, poolsLabel, type PdContext, type PoolCheck, type PoolSizes } from './pd-check.ts';

export interface SearchLimits {
  /** never try a fleet above this many GPUs */
  readonly maxGpus: number;
}

export interface PoolSearch {
  /** the fleet found, or the largest tried when none passed within the limits */
  readonly sizes: PoolSizes;
  readonly passed: boolean;
  readonly final: PoolCheck;
  /** the checks of one fewer prefill / decode instance (undefined when that pool has one instance) */
  readonly fewerPrefill: PoolCheck | undefined;
  readonly fewerDecode: PoolCheck | undefined;
  /** every fleet checked, in order */
  readonly checks: readonly PoolCheck[];
  readonly simulations: number;
}

/** Which pool a failing check points at. */
export function poolToGrow(c: RateCheck): 'prefill' | 'decode' | 'both' {
  const failing = c.objectives.filter((o) => !o.met).map((o) => o.metric);
  const prefillSide = failing.some((m) => m === 'ttft' || m === 'queue');
  const decodeSide = failing.some((m) => m === 'itl' || m === 'tpot') || c.preemptions > 0;
  // nothing named (a failed run without objectives over) points at neither pool
  const other = failing.some((m) => m === 'e2e') || c.backlogged || c.incomplete > 0 || (!prefillSide && !decodeSide);
  if (prefillSide && !decodeSide && !other) return 'prefill';
  if (decodeSide && !prefillSide && !other) return 'decode';
  return 'both';
}

const key = (s: PoolSizes) => `${s.prefill},${s.decode}`;
const stepOf = (n: number) => Math.max(1, Math.ceil(n / 4));

class Verdicts {
  readonly #known = new Map<string, PoolCheck>();
  readonly checks: PoolCheck[] = [];
  simulations = 0;
  constructor(
    readonly ctx: PdContext,
    readonly ratePerS: number,
  ) {}
  at(s: PoolSizes): PoolCheck {
    const known = this.#known.get(key(s));
    if (known) return known;
    const c = checkPools(this.ctx, s, this.ratePerS);
    this.simulations += c.simulations;
    this.checks.push(c);
    this.#known.set(key(s), c);
    return c;
  }
  known(s: PoolSizes): PoolCheck | undefined {
    return this.#known.get(key(s));
  }
}

function grow(v: Verdicts, start: PoolSizes, limits: SearchLimits): PoolSizes | undefined {
  let cur = start;
  for (;;) {
    const c = v.at(cur).check;
    if (c.passed) return cur;
    const side = poolToGrow(c);
    const next = {
      prefill: cur.prefill + (side === 'decode' ? 0 : stepOf(cur.prefill)),
      decode: cur.decode + (side === 'prefill' ? 0 : stepOf(cur.decode)),
    };
    if (gpusOf(v.ctx, next) > limits.maxGpus) return undefined;
    cur = next;
  }
}

/** The fewest instances of one pool in [1, n] that pass with the other pool as in `s` (n passes). */
function shrinkPool(v: Verdicts, s: PoolSizes, pool: 'prefill' | 'decode'): PoolSizes {
  const at = (n: number): PoolSizes => (pool === 'prefill' ? { prefill: n, decode: s.decode } : { prefill: s.prefill, decode: n });
  const other = pool === 'prefill' ? 'decode' : 'prefill';
  let hi = s[pool];
  // 0 instances cannot serve: a failing bound; so does any size that failed with at least this many of the other pool
  let lo = 0;
  for (const c of v.checks) if (!c.check.passed && c.sizes[other] >= s[other] && c.sizes[pool] < hi) lo = Math.max(lo, c.sizes[pool]);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (v.at(at(mid)).check.passed) hi = mid;
    else lo = mid;
  }
  return at(hi);
}

export function searchPools(ctx: PdContext, ratePerS: number, start: PoolSizes, limits: SearchLimits): PoolSearch {
  const v = new Verdicts(ctx, ratePerS);
  const found = grow(v, start, limits);
  if (!found) {
    const last = v.checks[v.checks.length - 1]!;
    return { sizes: last.sizes, passed: false, final: last, fewerPrefill: undefined, fewerDecode: undefined, checks: v.checks, simulations: v.simulations };
  }
  let cur = found;
  // the minimality evidence: one fewer in either pool, simulated (a cached verdict when the bisection ran it)
  const fewer = (x: PoolSizes) => (x.prefill >= 1 && x.decode >= 1 ? v.at(x) : undefined);
  let fewerPrefill: PoolCheck | undefined;
  let fewerDecode: PoolCheck | undefined;
  for (let round = 0; round < 4; round++) {
    cur = shrinkPool(v, shrinkPool(v, cur, 'prefill'), 'decode');
    fewerPrefill = fewer({ prefill: cur.prefill - 1, decode: cur.decode });
    fewerDecode = fewer({ prefill: cur.prefill, decode: cur.decode - 1 });
    // a smaller fleet that passes after all (the SLO is noisy near its limit): shrink from there
    const smaller = [fewerPrefill, fewerDecode].find((c) => c?.check.passed);
    if (!smaller) break;
    cur = smaller.sizes;
  }
  return { sizes: cur, passed: true, final: v.at(cur), fewerPrefill, fewerDecode, checks: v.checks, simulations: v.simulations };
}

/** "2P3D fails: TTFT p99 812 ms > 500 ms" — what one fewer instance breaks (the objectives, else the first reason). */
export function fewerText(c: PoolCheck | undefined, pool: 'prefill' | 'decode'): string {
  if (!c) return `one ${pool} instance is the least a pool can have`;
  if (c.check.passed) return `${poolsLabel(c.sizes)} also passes (the SLO is not monotone in this pool here)`;
  const over = c.check.objectives.filter((o) => !o.met).map((o) => `${o.objective} ${msText(o.valueS)} > ${msText(o.thresholdS)}`);
  const why = over.length > 0 ? over.join(', ') : (c.check.why.split(': ')[0] ?? c.check.why);
  return `${poolsLabel(c.sizes)} fails: ${why}${c.check.backlogged && over.length > 0 ? ' (queue backlogged)' : ''}`;
}

const msText = (s: number) => (s * 1e3 >= 100 ? `${(s * 1e3).toFixed(0)} ms` : `${(s * 1e3).toFixed(1)} ms`);
