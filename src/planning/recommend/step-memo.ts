/**
 * A memo in front of a deployment's step cost model, for the many simulations of one evaluation: the
 * synchronous runs of a capacity search are lone decode steps whose shape (1 sequence, context c) repeats
 * for every request and seed (loaded runs rarely repeat a shape: the context sum moves every step). `stepTimeS` is
 * pure (cost/step-cost.ts), so answering a repeated shape from the memo gives the very same number: the
 * simulations, and every record, are bit-identical with or without it (tested). Only lone decode steps are
 * memoised, in a table indexed by the (integer) context: a loaded step almost never repeats, and memoising it
 * cost more (a map entry per step, keyed by a non-small integer) than it saved. Mixed steps, speculative
 * steps and shapes with fields this file does not know go to the model.
 */
import type { PreparedDeployment } from '../../cost/prepare.ts';
import type { StepCostModel, StepShape } from '../../cost/step-cost.ts';

/** the StepShape fields the key accounts for; a shape with any other field disables the memo */
const KNOWN_FIELDS = new Set(['decodeSeqs', 'decodeContextSum', 'prefillSeqs', 'prefillTokens', 'prefillAttendedKeys', 'prefillContextTokens', 'speculativeTokens']);
/** contexts memoised (8 MB at most per evaluation); a longer one goes to the model */
const MAX_CONTEXT = 1 << 20;

export interface MemoStats {
  hits: number;
  misses: number;
}

/** The prepared deployment with a memoising cost model (the original is left untouched). */
export function withStepMemo(p: PreparedDeployment, stats?: MemoStats): PreparedDeployment {
  const inner = p.cost;
  // lone[c]: the step time of one decoding sequence at context c (NaN: not yet known); grown by doubling
  let lone = new Float64Array(0);
  let checked = false;
  let enabled = true;
  const stepTimeS = (sh: StepShape): number => {
    if (!checked) {
      checked = true;
      enabled = Object.keys(sh).every((k) => KNOWN_FIELDS.has(k));
    }
    const ctx = sh.decodeContextSum;
    if (
      !enabled ||
      sh.decodeSeqs !== 1 ||
      sh.prefillSeqs !== 0 ||
      sh.prefillTokens !== 0 ||
      sh.prefillAttendedKeys !== 0 ||
      sh.prefillContextTokens !== 0 ||
      sh.speculativeTokens ||
      !Number.isInteger(ctx) ||
      ctx < 0 ||
      ctx >= MAX_CONTEXT
    )
      return inner.stepTimeS(sh);
    if (ctx < lone.length) {
      const known = lone[ctx]!;
      if (known === known) {
        if (stats) stats.hits++;
        return known;
      }
    } else {
      const grown = new Float64Array(Math.min(MAX_CONTEXT, Math.max(1024, 2 ** Math.ceil(Math.log2(ctx + 1))))).fill(NaN);
      grown.set(lone);
      lone = grown;
    }
    const t = inner.stepTimeS(sh);
    lone[ctx] = t;
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
