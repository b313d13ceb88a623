/**
 * Error per serving technique on the InferenceX rows (issue 16): the same model's plain rows next to its
 * DEP, speculative and P/D rows, so the closing note can separate the technique's error from the model's.
 * Run: npx tsx scripts/technique-validation.ts [path/to/inferencex.csv]
 */
import { join } from 'node:path';
import { median, metricFamily } from '../src/calibration/summary.ts';
import { techniqueOf } from '../src/calibration/techniques.ts';
import { validate, type ValidationRow } from '../src/calibration/validate.ts';
import { importMeasurements } from '../src/importers/index.ts';
import { loadShippedCalibrations } from '../src/profiles/calibrations.ts';
import { loadProfiles } from '../src/profiles/registry.ts';

const file = process.argv[2] ?? join(process.env['SERVESIM_MEASUREMENTS'] ?? '../shared/measurements', 'inferencex.csv');
const benchmarks = importMeasurements(file);
const techniqueOfId = new Map(benchmarks.map((b) => [b.id, techniqueOf(b)]));
const report = validate(benchmarks, loadProfiles(), { shipped: loadShippedCalibrations() });
const groups = new Map<string, ValidationRow[]>();
for (const r of report.rows) {
  const k = `${r.model} | ${r.hardware} | ${techniqueOfId.get(r.benchmarkId) ?? '?'}`;
  groups.set(k, [...(groups.get(k) ?? []), r]);
}
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
console.log('| model | GPU | technique | figures | throughput median APE % | TTFT | TPOT | ITL | E2E |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [k, rows] of [...groups.entries()].sort()) {
  const by = (fam: string, metric?: string) => median(rows.filter((r) => (metric ? r.metric === metric : metricFamily(r.metric) === fam)).map((r) => r.apePct));
  console.log(`| ${k} | ${rows.length} | ${f1(by('throughput'))} | ${f1(by('', 'ttft'))} | ${f1(by('', 'tpot'))} | ${f1(by('', 'itl'))} | ${f1(by('', 'e2e'))} |`);
}
console.log('');
console.log('Median predicted / measured (signed: > 1 means servesim too high; for throughput, too fast):');
console.log('');
console.log('| model | GPU | technique | output throughput | TTFT median | TPOT median | E2E median |');
console.log('|---|---|---|---|---|---|---|');
for (const [k, rows] of [...groups.entries()].sort()) {
  const ratio = (metric: string, stat?: string) =>
    median(rows.filter((r) => r.metric === metric && (stat === undefined || r.statistic === stat)).map((r) => r.predicted / r.measured));
  const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');
  console.log(`| ${k} | ${f2(ratio('output_throughput'))} | ${f2(ratio('ttft', 'median'))} | ${f2(ratio('tpot', 'median'))} | ${f2(ratio('e2e', 'median'))} |`);
}
console.log('');
console.log('Not simulated:');
for (const [reason, n] of Object.entries(report.coverage.unmappedReasons).sort((a, b) => b[1] - a[1])) console.log(`- ${n} figures: ${reason}`);
