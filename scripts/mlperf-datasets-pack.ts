/**
 * Packs the per-sample token lengths of the MLPerf LLM datasets (../shared/reference/mlperf-datasets/*.csv,
 * openshift-psap/performance-dashboard, MIT) into datasets/mlperf/<id>.lengths.csv.gz: the two length columns
 * only (one column where the output column is not the model's output), gzip-compressed. The shipped files
 * are this script's output; re-run it to check or rebuild them. Output-length policies (caps, rescaling)
 * are applied when a dataset is loaded (src/workload/datasets/registry.ts), never here: the packed numbers
 * are the source's, unchanged.
 * Run: npm run build && node dist/scripts/mlperf-datasets-pack.js [source-folder]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packageRoot } from '../src/profiles/package-root.ts';
import { REPLAY_DATASETS } from '../src/workload/datasets/registry.ts';

const source = process.argv[2] ?? join(packageRoot(), '..', 'shared', 'reference', 'mlperf-datasets');
for (const d of Object.values(REPLAY_DATASETS)) {
  const lines = readFileSync(join(source, d.sourceFile), 'utf8').trim().split(/\r?\n/);
  if (lines[0] !== 'input_length,output_length') throw new Error(`${d.sourceFile}: unexpected header ${lines[0]}`);
  const keepOutput = d.output.kind !== 'fixed';
  const body = lines.slice(1).map((l) => {
    const [i, o] = l.split(',');
    return keepOutput ? `${i},${o}` : `${i}`;
  });
  const header = keepOutput ? 'input_tokens,output_tokens' : 'input_tokens';
  const text = [header, ...body].join('\n') + '\n';
  writeFileSync(join(packageRoot(), 'datasets', 'mlperf', d.packedFile), gzipSync(text, { level: 9 }));
  process.stderr.write(`${d.id}: ${body.length} samples\n`);
}
