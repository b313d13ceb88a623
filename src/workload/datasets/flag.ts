import type { LengthDistribution } from '../lengths.ts';
import { datasetSequence, equalIssueQueries } from './order.ts';
import { loadDataset } from './read.ts';

/**
 * `--dataset ID`: the dataset's samples in LoadGen's equal-issue order (seeded), whole passes covering the
 * run's requests (at least one pass; a longer run cycles through them again).
 */
export function datasetLengthsFor(id: string, maxRequests: number | undefined, seed: string | number): { lengths: LengthDistribution; label: string } {
  const d = loadDataset(id);
  const n = d.inputTokens.length;
  const queries = equalIssueQueries(n, maxRequests ?? n);
  return { lengths: datasetSequence(d, queries, seed), label: `dataset ${id} (${n} samples in LoadGen equal-issue order; ${d.dataset.caveat})` };
}
