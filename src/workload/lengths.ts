import { type Rng, standardNormal } from './random.ts';

/**
 * Request length distributions, as data (JSON-serialisable) and as samplers. Empirical and trace lengths
 * arrive as arrays: files are read by the CLI, never here.
 */
export interface IntegerRange {
  readonly mean: number;
  readonly stdev?: number;
  readonly min?: number;
  readonly max?: number;
}

export type LengthDistribution =
  | { readonly kind: 'fixed'; readonly inputTokens: number; readonly outputTokens: number }
  /** GuideLLM synthetic data (IntegerRangeSampler): normal clipped to [min, max], or uniform without stdev */
  | { readonly kind: 'synthetic'; readonly input: IntegerRange; readonly output: IntegerRange }
  /** lognormal with the given mean and standard deviation of the token count (not of its log), clipped */
  | {
      readonly kind: 'lognormal';
      readonly input: { readonly mean: number; readonly stdev: number; readonly min?: number; readonly max?: number };
      readonly output: { readonly mean: number; readonly stdev: number; readonly min?: number; readonly max?: number };
    }
  /** pairs drawn uniformly at random with replacement (e.g. from a dataset's token counts) */
  | { readonly kind: 'empirical'; readonly inputTokens: readonly number[]; readonly outputTokens: readonly number[]; readonly name?: string }
  /** lengths taken in order (trace replay), cycling when exhausted */
  | { readonly kind: 'sequence'; readonly inputTokens: readonly number[]; readonly outputTokens: readonly number[] };

export type LengthSampler = (rng: Rng) => { inputTokens: number; outputTokens: number };

export function lengthSampler(dist: LengthDistribution): LengthSampler {
  switch (dist.kind) {
    case 'fixed': {
      const r = { inputTokens: dist.inputTokens, outputTokens: dist.outputTokens };
      return () => ({ inputTokens: r.inputTokens, outputTokens: r.outputTokens });
    }
    case 'synthetic': {
      const i = integerRangeSampler(dist.input);
      const o = integerRangeSampler(dist.output);
      return (rng) => ({ inputTokens: i(rng), outputTokens: o(rng) });
    }
    case 'lognormal': {
      const i = lognormalSampler(dist.input);
      const o = lognormalSampler(dist.output);
      return (rng) => ({ inputTokens: i(rng), outputTokens: o(rng) });
    }
    case 'empirical': {
      const n = Math.min(dist.inputTokens.length, dist.outputTokens.length);
      return (rng) => {
        const k = Math.floor(rng.next() * n);
        return { inputTokens: dist.inputTokens[k]!, outputTokens: dist.outputTokens[k]! };
      };
    }
    case 'sequence': {
      const n = Math.min(dist.inputTokens.length, dist.outputTokens.length);
      let k = 0;
      return () => {
        const r = { inputTokens: dist.inputTokens[k % n]!, outputTokens: dist.outputTokens[k % n]! };
        k++;
        return r;
      };
    }
  }
}

/** GuideLLM utils/random.py IntegerRangeSampler (guidellm-format.md §2.5). */
export function integerRangeSampler(r: IntegerRange): (rng: Rng) => number {
  const sd = r.stdev ?? 0;
  const min = Math.max(1, r.min ?? (sd > 0 ? Math.max(1, r.mean - 5 * sd) : r.mean));
  const max = r.max ?? (sd > 0 ? r.mean + 5 * sd : r.mean);
  if (min >= max) return () => Math.round(min);
  if (sd <= 0) return (rng) => Math.floor(min + rng.next() * (Math.floor(max) - Math.ceil(min) + 1));
  return (rng) => Math.round(Math.min(max, Math.max(min, r.mean + sd * standardNormal(rng))));
}

function lognormalSampler(r: { mean: number; stdev: number; min?: number; max?: number }): (rng: Rng) => number {
  const sigma2 = Math.log(1 + (r.stdev * r.stdev) / (r.mean * r.mean));
  const mu = Math.log(r.mean) - sigma2 / 2;
  const sigma = Math.sqrt(sigma2);
  const min = Math.max(1, r.min ?? 1);
  const max = r.max ?? Infinity;
  return (rng) => Math.round(Math.min(max, Math.max(min, Math.exp(mu + sigma * standardNormal(rng)))));
}

/** mean input and output tokens of a distribution (exact for fixed/empirical, nominal for the others) */
export function meanLengths(dist: LengthDistribution): { inputTokens: number; outputTokens: number } {
  switch (dist.kind) {
    case 'fixed':
      return { inputTokens: dist.inputTokens, outputTokens: dist.outputTokens };
    case 'synthetic':
    case 'lognormal':
      return { inputTokens: dist.input.mean, outputTokens: dist.output.mean };
    case 'empirical':
    case 'sequence': {
      const avg = (a: readonly number[]) => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
      return { inputTokens: avg(dist.inputTokens), outputTokens: avg(dist.outputTokens) };
    }
  }
}
