/**
 * A memo in front of a deployment's step cost model, for the many simulations of one evaluation: the
 * synchronous runs of a capacity search are lone decode steps whose shape (1 sequence, context c) repeats
 * for every request and seed (loaded runs rarely repeat a shape: the context sum moves every step). `stepTimeS` is
 * pure (cost/step-cost.ts), so answering a repeated shape from the memo gives the very same number: the
 * simulations, and every record, are bit-identical with or without it (tested). Only decode-only steps are
 * memoised, under an exact integer key; mixed steps, speculative steps and shapes with fields this file does
 * not know go to the model.
 */
import type { PreparedDeployment } from '../../cost/prepare.ts';
import type { StepCostModel, StepShape } from '../../cost/step-cost.ts';

/** the StepShape fields the key accounts for; a shape with any other field disables the memo */
const KNOWN_FIELDS = new Set(['decodeSeqs', 'decodeContextSum', 'prefillSeqs', 'prefillTokens', 'prefillAttendedKeys', 'prefillContextTokens', 'speculativeTokens']);
/** bound on memo entries per evaluation (~50 MB at most) */
const MAX_ENTRIES = 1 << 20;
const CONTEXT_RANGE = 2 ** 32;
const SEQS_RANGE = 2 ** 20;

export interface MemoStats {
  hits: number;
  misses: number;
}

/** The prepared deployment with a memoising cost model (the original is left untouched). */
export function withStepMemo(p: PreparedDeployment, stats?: MemoStats): PreparedDeployment {
  const inner = p.cost;
  const memo = new Map<number, number>();
  let checked = false;
  let enabled = true;
  const stepTimeS = (sh: StepShape): number => {
    if (!checked) {
      checked = true;
      enabled = Object.keys(sh).every((k) => KNOWN_FIELDS.has(k));
    }
    const seqs = sh.decodeSeqs;
    const ctx = sh.decodeContextSum;
    const decodeOnly = sh.prefillSeqs === 0 && sh.prefillTokens === 0 && sh.prefillAttendedKeys === 0 && sh.prefillContextTokens === 0 && !sh.speculativeTokens;
    if (!enabled || !decodeOnly || !Number.isInteger(ctx) || !Number.isInteger(seqs) || ctx < 0 || ctx >= CONTEXT_RANGE || seqs < 0 || seqs >= SEQS_RANGE)
      return inner.stepTimeS(sh);
    const key = seqs * CONTEXT_RANGE + ctx;
    const known = memo.get(key);
    if (known !== undefined) {
      if (stats) stats.hits++;
      return known;
    }
    const t = inner.stepTimeS(sh);
    if (memo.size < MAX_ENTRIES) memo.set(key, t);
    if (stats) stats.misses++;
    return t;
  };
  // every other member (deployment, explain, …) answers as the model itself: methods are bound to it, so its
  // private state is the one they read; own properties keep the simulator's hot call monomorphic
  const cost = Object.create(inner) as Record<string, unknown>;
  for (let proto: object | null = Object.getPrototypeOf(inner); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto))
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (name === 'constructor' || Object.hasOwn(cost, name)) continue;
      if (typeof d.value === 'function') cost[name] = (d.value as (...a: unknown[]) => unknown).bind(inner);
      else if (d.get) Object.defineProperty(cost, name, { get: () => Reflect.get(inner, name) });
    }
  cost['stepTimeS'] = stepTimeS;
  return { ...p, cost: cost as unknown as StepCostModel };
}
