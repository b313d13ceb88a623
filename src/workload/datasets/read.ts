import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError, didYouMean } from '../../diagnostics/errors.ts';
import { packageRoot } from '../../profiles/package-root.ts';
import { applyOutputPolicy, REPLAY_DATASET_IDS, REPLAY_DATASETS, type ReplayDataset } from './registry.ts';

/** A dataset's per-sample lengths in its own order (the query sample library), output policy applied. */
export interface DatasetLengths {
  readonly dataset: ReplayDataset;
  readonly inputTokens: readonly number[];
  readonly outputTokens: readonly number[];
}

export function replayDataset(id: string): ReplayDataset {
  const d = REPLAY_DATASETS[id];
  if (!d) {
    const guess = didYouMean(id, REPLAY_DATASET_IDS);
    throw new InputError(`--dataset: unknown dataset "${id}"${guess ? ` (did you mean "${guess}"?)` : ''}; expected one of ${REPLAY_DATASET_IDS.join(', ')}`);
  }
  return d;
}

const cache = new Map<string, DatasetLengths>();

/** Reads the packed lengths shipped under datasets/mlperf/ (gzip CSV: input_tokens[,output_tokens]). */
export function loadDataset(id: string): DatasetLengths {
  const hit = cache.get(id);
  if (hit) return hit;
  const dataset = replayDataset(id);
  const path = join(packageRoot(), 'datasets', 'mlperf', dataset.packedFile);
  if (!existsSync(path)) throw new InputError(`${path}: the packed lengths of ${id} are missing from this install`);
  const lines = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const withOutput = header.length === 2;
  const inputTokens: number[] = [];
  const rawOutput: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const [a, b] = lines[i]!.split(',');
    inputTokens.push(Number(a));
    if (withOutput) rawOutput.push(Number(b));
  }
  if (inputTokens.length !== dataset.samples) throw new InputError(`${path}: ${inputTokens.length} samples, expected ${dataset.samples}`);
  const outputTokens = applyOutputPolicy(dataset.output, inputTokens, withOutput ? rawOutput : undefined);
  const loaded = { dataset, inputTokens, outputTokens };
  cache.set(id, loaded);
  return loaded;
}
