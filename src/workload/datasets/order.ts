import type { LengthDistribution } from '../lengths.ts';
import { createRng, type Rng } from '../random.ts';
import type { DatasetLengths } from './read.ts';

/**
 * LoadGen's sample order for the LLM benchmarks (`sample_concatenate_permutation = 1`, "equal issue"):
 * queries walk fresh random permutations of the whole query sample library, pass after pass, so every
 * sample is issued equally often. Seeded: the same seed gives the same order.
 */
export function equalIssueOrder(samples: number, queries: number, rng: Rng): number[] {
  const order: number[] = [];
  while (order.length < queries) {
    const pass = Array.from({ length: samples }, (_, i) => i);
    for (let i = samples - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      const t = pass[i]!;
      pass[i] = pass[j]!;
      pass[j] = t;
    }
    for (const k of pass) {
      if (order.length >= queries) break;
      order.push(k);
    }
  }
  return order;
}

/** Whole passes covering `queries`: LoadGen pads the query count up to a multiple of the dataset size. */
export function equalIssueQueries(samples: number, queries: number): number {
  return Math.max(1, Math.ceil(queries / samples)) * samples;
}

/** The dataset replayed in LoadGen order as a length sequence of `queries` samples (cycles if a run asks more). */
export function datasetSequence(d: DatasetLengths, queries: number, seed: string | number): LengthDistribution {
  const order = equalIssueOrder(d.inputTokens.length, queries, createRng(seed, `dataset-order/${d.dataset.id}`));
  return { kind: 'sequence', inputTokens: order.map((k) => d.inputTokens[k]!), outputTokens: order.map((k) => d.outputTokens[k]!) };
}
