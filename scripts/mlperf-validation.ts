/**
 * MLPerf Inference v4.1 as check data: writes the MLPerf section of docs/validation.md (between the
 * mlperf:begin/end markers; `npm run validate` keeps it) and docs/img/mlperf-predicted-vs-measured.svg.
 * Run: npm run validate:mlperf   (reads ../shared/measurements/mlperf_inference_v4.1.csv, or SERVESIM_MEASUREMENTS)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { validateMlperf, type MlperfValidation } from '../src/calibration/mlperf-validate.ts';
import { importMlperfCsv } from '../src/importers/mlperf.ts';
import { loadShippedCalibrations } from '../src/profiles/calibrations.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import type { CalibrationPoint } from '../src/report/chart-data.ts';
import { calibrationSpec } from '../src/report/charts/calibration.ts';
import { writeChart } from '../src/report/render.ts';
import { measurementFiles } from './measurement-files.ts';
import { distinctHeadlines, MLPERF_BEGIN, MLPERF_END, mlperfSection } from './mlperf-section.ts';
import { MLPERF_ANALYSIS } from './mlperf-analysis.ts';

const file = measurementFiles().find((f) => basename(f) === 'mlperf_inference_v4.1.csv');
if (!file) throw new Error('mlperf_inference_v4.1.csv not found in the measurement folder');
const started = performance.now();
const result = validateMlperf(importMlperfCsv(file), loadProfiles(), loadShippedCalibrations(), (done, total) => {
  if (done % 20 === 0) process.stderr.write(`mlperf: ${done}/${total} runs\n`);
});
const seconds = (performance.now() - started) / 1000;

function chartPoints(v: MlperfValidation): CalibrationPoint[] {
  return distinctHeadlines(v.headlines)
    .filter((h) => h.mapping.run.division === 'closed')
    .map((h) => ({
      metric: h.scenario === 'Server' ? 'Server: max Poisson rate' : 'Offline: output throughput',
      label: `${h.mapping.run.submitter} ${h.mapping.run.numGpus}× ${h.mapping.hardwareId} ${h.mapping.run.benchmark}`,
      measured: h.measured,
      predicted: h.predicted,
      unit: h.scenario === 'Server' ? 'queries/s' : 'tokens/s',
      split: 'check' as const,
    }));
}

const root = packageRoot();
await writeChart(
  calibrationSpec(chartPoints(result), { title: 'MLPerf Inference v4.1 (closed): servesim vs submitted', subtitle: 'check data only; dashed y = x, bands ±10% / ±25%', log: true, columns: 2 }),
  join(root, 'docs', 'img', 'mlperf-predicted-vs-measured.svg'),
  { overwrite: true, label: 'mlperf chart' },
);
const docPath = join(root, 'docs', 'validation.md');
const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '';
const section = mlperfSection(result, seconds, MLPERF_ANALYSIS).join('\n');
const begin = doc.indexOf(MLPERF_BEGIN);
const end = doc.indexOf(MLPERF_END);
const next = begin >= 0 && end > begin ? doc.slice(0, begin) + section + doc.slice(end + MLPERF_END.length) : `${doc.trimEnd()}\n\n${section}\n`;
writeFileSync(docPath, next);
process.stderr.write(`wrote the MLPerf section of docs/validation.md (${result.coverage.mapped} figures compared, ${seconds.toFixed(0)} s)\n`);
