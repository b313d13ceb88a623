/**
 * Error per serving technique on the InferenceX rows (issues 16 and 17): plain TP/TEP, MTP, EAGLE-3, P/D and
 * DEP runs per model and GPU, each technique run paired with the plain run of the same model, GPU, lengths and
 * concurrency (same calibration) so the error splits into the model's and the technique's.
 * Run: npm run validate:techniques   (writes its section of docs/validation.md; without --write: stdout)
 *      npx tsx scripts/technique-validation.ts [path/to/inferencex.csv] [--write]
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { techniqueDetail, techniqueOf } from '../src/calibration/techniques.ts';
import { validate } from '../src/calibration/validate.ts';
import { importMeasurements } from '../src/importers/index.ts';
import type { MeasuredBenchmark } from '../src/importers/types.ts';
import { loadShippedCalibrations } from '../src/profiles/calibrations.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import { MLPERF_BEGIN } from './mlperf-section.ts';
import { attributionTable, type BracketRow, bracketTable, errorTable, TECHNIQUES_BEGIN, TECHNIQUES_END, type TechniqueRow } from './technique-section.ts';
import { TECHNIQUE_NOTES } from './technique-notes.ts';

const started = performance.now();
const args = process.argv.slice(2);
const write = args.includes('--write');
const file = args.find((a) => !a.startsWith('--')) ?? join(process.env['SERVESIM_MEASUREMENTS'] ?? '../shared/measurements', 'inferencex.csv');
const benchmarks = importMeasurements(file);
const byId = new Map(benchmarks.map((b) => [b.id, b]));
const registry = loadProfiles();
const shipped = loadShippedCalibrations();
const report = validate(benchmarks, registry, { shipped });

const twinKey = (b: MeasuredBenchmark) =>
  [b.deployment.modelId, b.deployment.hardwareId, JSON.stringify(b.workload.lengths), b.workload.load, b.workload.concurrency].join('|');
const rows: TechniqueRow[] = report.rows.map((r) => {
  const b = byId.get(r.benchmarkId)!;
  return { ...r, technique: techniqueDetail(b), twinKey: twinKey(b) };
});

// speculative runs that state no acceptance and report no mean ITL: predicted again with every draft rejected / accepted
const unstated = benchmarks.filter((b) => techniqueOf(b) === 'spec-decode' && !b.metrics.some((m) => m.metric === 'itl' && m.statistic === 'mean'));
const tpotAt = (a: number) =>
  new Map(validate(unstated, registry, { shipped, technique: { unstatedAcceptance: a } }).rows.filter((r) => r.metric === 'tpot' && r.statistic === 'median').map((r) => [r.benchmarkId, r]));
const zero = tpotAt(0);
const one = tpotAt(1);
const brackets: BracketRow[] = [...zero.values()].flatMap((z) => {
  const o = one.get(z.benchmarkId);
  return o ? [{ benchmarkId: z.benchmarkId, model: z.model, hardware: z.hardware, measured: z.measured, atZero: z.predicted, atOne: o.predicted }] : [];
});
const seconds = (performance.now() - started) / 1000;

const runsMapped = new Set(rows.map((r) => r.benchmarkId)).size;
const lines = [
  TECHNIQUES_BEGIN,
  '## Serving techniques on InferenceX',
  '',
  `\`inferencex.csv\` (SOURCES.md; Apache-2.0): ${benchmarks.length} runs, ${runsMapped} simulated (${rows.length} figures compared, ` +
    `${report.coverage.rows - report.coverage.mapped} not). Closed-loop concurrency sweeps replayed as the client ran them: ` +
    'N streams, the run\'s own request count (10 × N), random lengths uniform in [L·r, L] where a range ratio r < 1 is stated, ' +
    'SGLang\'s `--stream-interval 10` as one chunk per 10 tokens. **All of it is check data**: no shipped calibration was fitted on ' +
    'InferenceX at this commit (the calibrations named below are transferred from another GPU); once per-GPU fits on the plain rows ' +
    'land, the plain rows become fit data and only the technique rows stay check. ' +
    `Reproduce: \`npm run validate:techniques\` (${seconds.toFixed(0)} s on this machine).`,
  '',
  'Cells are median / mean APE % (number of figures) over the central statistic (median, or mean where only a mean is stated); ' +
    'p99 separately; per-user tokens/s is 1 / TPOT (InferenceX\'s interactivity). ITL is per streamed chunk (a speculative step or ' +
    'a 10-token chunk), TPOT per token. Signed columns: median predicted / measured (> 1: servesim too slow for latencies, too fast for throughput).',
  '',
  ...errorTable(rows),
  '',
  '### How much is the technique and how much the model',
  '',
  'Each technique run is paired with the plain run of the same model, GPU, lengths and concurrency under the same calibration: the ' +
    'plain twin\'s error is the model\'s (cost model, calibration, engine overheads), the difference is the technique\'s. ' +
    'The signed factor is (pred/meas of the technique run) / (pred/meas of its plain twin): 1 means the technique is modelled as measured.',
  '',
  ...attributionTable(rows),
  '',
  '### Speculative runs with an unstated acceptance',
  '',
  'The H200 GLM-5 MTP study reports no ITL and no acceptance, so its runs are simulated with 0.5 per draft (stated in each row\'s ' +
    'assumptions). Predicted again with every draft rejected (plain decoding plus the verify cost) and every draft accepted:',
  '',
  ...bracketTable(brackets),
  '',
  ...TECHNIQUE_NOTES,
  '',
  'Not simulated (figures, reason):',
  '',
  ...Object.entries(report.coverage.unmappedReasons)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `- ${n}: ${reason}`),
  TECHNIQUES_END,
];

if (!write) {
  console.log(lines.join('\n'));
} else {
  const docPath = join(packageRoot(), 'docs', 'validation.md');
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
  const section = lines.join('\n');
  const begin = doc.indexOf(TECHNIQUES_BEGIN);
  const end = doc.indexOf(TECHNIQUES_END);
  const mlperf = doc.indexOf(MLPERF_BEGIN);
  const next =
    begin >= 0 && end > begin
      ? doc.slice(0, begin) + section + doc.slice(end + TECHNIQUES_END.length)
      : mlperf >= 0
        ? `${doc.slice(0, mlperf)}${section}\n\n${doc.slice(mlperf)}`
        : `${doc.trimEnd()}\n\n${section}\n`;
  writeFileSync(docPath, next);
  process.stderr.write(`wrote the techniques section of docs/validation.md (${rows.length} figures, ${seconds.toFixed(0)} s)\n`);
}
