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

/** The members of the cost model the memo answers (all its public ones; a test checks none is missing). */
type CostSurface = Pick<StepCostModel, 'deployment' | 'stepTimeS' | 'explain' | 'gpuWorkS' | 'lastFlops' | 'lastBytes' | 'lastOperatorTimeS'>;

/**
 * A class, so every candidate's memo has the same map: the simulator's `cost.stepTimeS` call and the model's
 * private-field reads stay monomorphic across a search's many deployments. (The memo was an object with the
 * model as its prototype and bound copies of its methods: V8 gives a prototype, and an object with accessors
 * of its own closures, a map of its own, and the step cost ran several times slower inside a search.)
 */
class MemoisedStepCost implements CostSurface {
  readonly #inner: StepCostModel;
  readonly #stats: MemoStats | undefined;
  /** #lone[c]: the step time of one decoding sequence at context c (NaN: not yet known); grown by doubling */
  #lone = new Float64Array(0);
  #checked = false;
  #enabled = true;

  constructor(inner: StepCostModel, stats: MemoStats | undefined) {
    this.#inner = inner;
    this.#stats = stats;
  }

  get deployment() {
    return this.#inner.deployment;
  }
  get lastFlops() {
    return this.#inner.lastFlops;
  }
  get lastBytes() {
    return this.#inner.lastBytes;
  }
  explain(sh: StepShape) {
    return this.#inner.explain(sh);
  }
  gpuWorkS(sh: StepShape) {
    return this.#inner.gpuWorkS(sh);
  }
  lastOperatorTimeS(op: Parameters<StepCostModel['lastOperatorTimeS']>[0]) {
    return this.#inner.lastOperatorTimeS(op);
  }

  stepTimeS(sh: StepShape): number {
    if (!this.#checked) {
      this.#checked = true;
      this.#enabled = Object.keys(sh).every((k) => KNOWN_FIELDS.has(k));
    }
    const ctx = sh.decodeContextSum;
    if (!this.#enabled || !isLoneDecode(sh) || !Number.isInteger(ctx) || ctx < 0 || ctx >= MAX_CONTEXT) return this.#inner.stepTimeS(sh);
    if (ctx < this.#lone.length) {
      const known = this.#lone[ctx]!;
      if (known === known) {
        if (this.#stats) this.#stats.hits++;
        return known;
      }
    } else {
      const grown = new Float64Array(Math.min(MAX_CONTEXT, Math.max(1024, 2 ** Math.ceil(Math.log2(ctx + 1))))).fill(NaN);
      grown.set(this.#lone);
      this.#lone = grown;
    }
    const t = this.#inner.stepTimeS(sh);
    this.#lone[ctx] = t;
    if (this.#stats) this.#stats.misses++;
    return t;
  }
}

function isLoneDecode(sh: StepShape): boolean {
  return sh.decodeSeqs === 1 && sh.prefillSeqs === 0 && sh.prefillTokens === 0 && sh.prefillAttendedKeys === 0 && sh.prefillContextTokens === 0 && !sh.speculativeTokens;
}

/** The prepared deployment with a memoising cost model (the original is left untouched). */
export function withStepMemo(p: PreparedDeployment, stats?: MemoStats): PreparedDeployment {
  return { ...p, cost: new MemoisedStepCost(p.cost, stats) as unknown as StepCostModel };
}
