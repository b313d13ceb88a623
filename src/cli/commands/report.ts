/**
 * `servesim report RESULT... --out DIR`: a whole report (self-contained HTML + markdown with PNGs) from
 * result files, and the `--chart FILE` helpers the other commands share. Vega and resvg load lazily (only
 * when a chart is written), so importing this module is cheap.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import type { TopLevelSpec } from 'vega-lite';
import type { ComparedMetric } from '../../calibration/predict.ts';
import type { ValidationReport } from '../../calibration/validate.ts';
import type { StepBreakdown } from '../../cost/step-cost.ts';
import { InputError } from '../../diagnostics/errors.ts';
import { toReport } from '../../metrics/report.ts';
import type { PlanResult } from '../../planning/plan.ts';
import type { SweepRow } from '../../planning/sweep-worker.ts';
import type { SimulationResult } from '../../simulate.ts';
import { defineCommand } from '../command.ts';
import { printErr } from '../output.ts';
import { assertWritable, writeFileAtomic } from '../../io/write-file.ts';

/** Help text shared by the --chart options. */
export const CHART_FORMATS_HELP = 'the extension picks the format: .svg .png .vl.json .html';

/** Write `charts` ([suffix, spec], first = FILE itself, the others FILE-suffix.ext); returns the paths. */
/** How chart files are written: replace existing ones only when the user asked (--force). */
export interface ChartWriteOptions {
  readonly overwrite?: boolean | undefined;
}

export async function writeChartSet(file: string, charts: ReadonlyArray<readonly [string, TopLevelSpec]>, o: ChartWriteOptions = {}): Promise<string[]> {
  const { chartFilesFor } = await import('../../report/from-results.ts');
  const { writeChart, formatForFile } = await import('../../report/render.ts');
  try {
    formatForFile(file);
  } catch (e) {
    throw new InputError(`--chart ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const files = chartFilesFor(file, charts.map((c) => c[0]));
  // every file of the set is checked before the first is written: no half-written set
  for (const f of files) assertWritable(f, { label: '--chart', overwrite: o.overwrite });
  for (let i = 0; i < charts.length; i++) await writeChart(charts[i]![1], files[i]!, { overwrite: o.overwrite, createDirs: false });
  printErr(`wrote ${files.join(', ')}\n`);
  return files;
}

/**
 * simulate --chart: one run → CDF (FILE) + engine timeline (FILE-timeline), and with --prefix-cache the
 * cache's hit rate and tokens saved over time (FILE-prefix-cache); several → latency vs rate (FILE),
 * FILE-throughput, FILE-cdf.
 */
export async function writeSimulateCharts(results: readonly SimulationResult[], file: string, o: ChartWriteOptions = {}): Promise<string[]> {
  const fr = await import('../../report/from-results.ts');
  const charts = await import('../../report/charts/index.ts');
  const docs = results.map(toReport);
  const d0 = docs[0]!;
  const series = fr.deploymentSeries(d0.deployment);
  const slo = fr.sloLinesFromReport(d0);
  const cdf = results.flatMap((r, i) => fr.cdfFromSimulation(r, fr.runLabel(docs[i]!)));
  if (results.length === 1) {
    const sub = `${series} · ${fr.runLabel(d0)} · ${d0.requests.counted} requests`;
    const cache = results[0]!.prefixCache;
    return writeChartSet(file, [
      ['cdf', charts.latencyCdfSpec(cdf, { slo, subtitle: sub })],
      ['timeline', charts.engineTimelineSpec(fr.timelineFromReport(d0), { subtitle: sub })],
      ...(cache ? [['prefix-cache', charts.prefixCacheSpec(cache.overTime, { subtitle: `${sub} · ${cache.mode} cache` })] as const] : []),
    ], o);
  }
  const pts = fr.ratePointsFromReports(docs, series);
  return writeChartSet(file, [
    ['latency', charts.latencyVsRateSpec(pts, { slo, subtitle: series })],
    ['throughput', charts.throughputVsRateSpec(pts, { subtitle: series })],
    ['cdf', charts.latencyCdfSpec(cdf, { slo, subtitle: series })],
  ], o);
}

/** explain --chart: step breakdown (FILE) + roofline (FILE-roofline). */
export async function writeExplainCharts(
  b: Pick<StepBreakdown, 'totalS' | 'operators' | 'shape'>,
  gpu: { name: string; peakFlopsPerS: number; memoryBandwidthBytesPerS: number },
  subtitle: string,
  file: string,
  o: ChartWriteOptions = {},
): Promise<string[]> {
  const fr = await import('../../report/from-results.ts');
  const charts = await import('../../report/charts/index.ts');
  const rows = fr.stepBreakdownRows(b, fr.stepLabel(b.shape));
  return writeChartSet(file, [
    ['breakdown', charts.stepBreakdownSpec(rows, { subtitle })],
    ['roofline', charts.rooflineSpec(rows, fr.rooflineCeiling(gpu.name, gpu.peakFlopsPerS, gpu.memoryBandwidthBytesPerS), { subtitle })],
  ], o);
}

/** plan --chart: latency vs per-replica rate at the planned points. */
export async function writePlanChart(p: PlanResult, file: string, o: ChartWriteOptions = {}): Promise<string[]> {
  const fr = await import('../../report/from-results.ts');
  const charts = await import('../../report/charts/index.ts');
  const pts = fr.ratePointsFromPlan(p);
  if (pts.length === 0) throw new InputError(`--chart: ${p.deployment.label} has no feasible operating point to draw`);
  const { bindingText } = await import('./plan.ts');
  // a panel for every charted metric the SLO names (E2E too when it binds), and the binding objective in words
  const named = new Set(p.capacity.objectives.map((o) => o.metric));
  const metrics = (['ttft', 'itl', 'e2e'] as const).filter((m) => m !== 'e2e' || named.has('e2e'));
  const subtitle = [`${p.deployment.label} · planned points`, `binding constraint: ${bindingText(p)}`];
  return writeChartSet(file, [['latency', charts.latencyVsRateSpec(pts, { slo: fr.sloLinesFromText(p.slo), subtitle, metrics })]], o);
}

/** sweep --chart: latency vs rate (FILE) + throughput vs rate (FILE-throughput), one series per deployment. */
export async function writeSweepCharts(rows: readonly SweepRow[], file: string, o: ChartWriteOptions = {}): Promise<string[]> {
  const fr = await import('../../report/from-results.ts');
  const charts = await import('../../report/charts/index.ts');
  const pts = fr.ratePointsFromSweepRows(rows);
  if (pts.length === 0) throw new InputError('--chart: the sweep has no feasible rows to draw');
  const slo = fr.sloLinesFromText(rows.find((r) => r.slo)?.slo);
  return writeChartSet(file, [
    ['latency', charts.latencyVsRateSpec(pts, { slo })],
    ['throughput', charts.throughputVsRateSpec(pts)],
  ], o);
}

/** validate/calibrate --chart: predicted vs measured (y = x, ±10 % and ±25 % bands), fit vs check. */
export async function writeCalibrationChart(
  source: { validation: Pick<ValidationReport, 'rows'> } | { fit: readonly ComparedMetric[]; check: readonly ComparedMetric[] },
  file: string,
  subtitle?: string,
  o: ChartWriteOptions = {},
): Promise<string[]> {
  const fr = await import('../../report/from-results.ts');
  const charts = await import('../../report/charts/index.ts');
  const pts =
    'validation' in source
      ? fr.calibrationPointsFromValidation(source.validation)
      : [...fr.calibrationPointsFromCompared(source.fit, 'fit'), ...fr.calibrationPointsFromCompared(source.check, 'check')];
  if (pts.length === 0) throw new InputError('--chart: no predicted-vs-measured figure to draw');
  return writeChartSet(file, [['calibration', charts.calibrationSpec(pts, subtitle !== undefined ? { subtitle } : {})]], o);
}

const FORMATS = ['html', 'md'] as const;

export function reportCommand() {
  return defineCommand({
    command: 'report <results..>',
    describe: 'build a report (self-contained report.html + report.md with PNGs in img/) from result files',
    builder: (y: Argv) =>
      y
        .positional('results', {
          type: 'string',
          array: true,
          describe: 'simulate --json (one run or {runs}), compare --json, plan --json, sweep JSONL/CSV, validate --json',
        })
        .options({
          out: { type: 'string', demandOption: true, describe: 'output folder (created): report.html, report.md, img/*.png' },
          format: { type: 'string', default: 'html,md', describe: 'comma-separated: html, md' },
          title: { type: 'string', describe: 'report title (default "servesim capacity report")' },
        })
        .example('$0 report compare.json sweep.jsonl --out report/', 'an HTML + markdown report of a comparison and a sweep'),
    handler: async (argv: { results: string[]; out: string; format: string; title?: string; force?: boolean }) => {
      const formats = argv.format.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
      for (const f of formats)
        if (!(FORMATS as readonly string[]).includes(f)) throw new InputError(`--format: unknown format "${f}"; use html, md or html,md`);
      if (formats.length === 0) throw new InputError('--format: name at least one of html, md');
      for (const f of formats.map((x) => join(argv.out, x === 'html' ? 'report.html' : 'report.md')))
        assertWritable(f, { label: '--out', overwrite: argv.force, createDirs: true });
      const { parseResultFile, reportDocumentFromResults } = await import('../../report/from-results.ts');
      const inputs = argv.results.map((file) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw new InputError(`${file}: cannot read: ${e instanceof Error ? e.message : String(e)}`);
        }
        return parseResultFile(file, text);
      });
      const doc = reportDocumentFromResults(inputs, argv.title);
      const written: string[] = [];
      if (formats.includes('html')) {
        const { htmlReport } = await import('../../report/html-report.ts');
        const f = join(argv.out, 'report.html');
        writeFileAtomic(f, htmlReport(doc), { label: '--out', overwrite: argv.force, createDirs: true });
        written.push(f);
      }
      if (formats.includes('md')) {
        const { writeMarkdownReport } = await import('../../report/markdown-report.ts');
        const r = await writeMarkdownReport(doc, join(argv.out, 'report.md'), { imageDir: 'img', overwrite: argv.force });
        written.push(r.markdownFile, ...r.imageFiles);
      }
      process.stdout.write(written.join('\n') + '\n');
    },
  });
}
