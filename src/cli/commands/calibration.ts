import type { Argv } from 'yargs';
import { InputError } from '../../diagnostics/errors.ts';
import { writeFileAtomic } from '../../io/write-file.ts';
import { stringify } from 'yaml';
import { calibrate, validate, type CalibrateResult } from '../../calibration/library.ts';
import { summarizeErrors } from '../../calibration/summary.ts';
import { MEASURED_KV_FORMATS, MEASURED_WEIGHT_FORMATS, type MeasuredKvFormat, type MeasuredWeightFormat } from '../../importers/types.ts';
import { type BandMetric, CALIBRATION_PARAMETER_NAMES, CALIBRATION_PARAMETERS } from '../../schema/calibration.ts';
import { defineCommand } from '../command.ts';
import type { CliContext } from '../context.ts';
import { fmt, printJson, printText, table } from '../output.ts';
import { msFromS } from '../../units.ts';

/** --tp and --max-iterations are counts: a fraction, zero or a negative number is a typo. */
function wholeFlag(value: number | undefined, flag: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new InputError(`${flag} must be a whole number >= 1, found ${value}`);
}

function summaryTable(rows: ReturnType<typeof summarizeErrors>): string {
  return table(['metric', 'statistic', 'n', 'median APE %', 'mean APE %'], rows.map((r) => [r.metric, r.statistic, r.n, fmt.num(r.medianApePct, 1), fmt.num(r.meanApePct, 1)]));
}

interface StatedFormats {
  model?: string | undefined;
  weights?: MeasuredWeightFormat | undefined;
  'kv-cache'?: MeasuredKvFormat | undefined;
}

/** --model, --weights, --kv-cache of validate and calibrate: what benchmarks whose files do not say are taken to be */
const STATED_FORMAT_OPTIONS = {
  model: { type: 'string', describe: 'servesim model id for benchmarks whose file names no model, or one servesim has no profile of' },
  weights: { type: 'string', choices: MEASURED_WEIGHT_FORMATS, describe: 'weight format of benchmarks whose file does not say' },
  'kv-cache': { type: 'string', choices: MEASURED_KV_FORMATS, describe: 'KV-cache format of benchmarks whose file does not say' },
} as const;

const statedFormats = (argv: StatedFormats) => ({ model: argv.model, weights: argv.weights, kvCache: argv['kv-cache'] });

export function validateCommand(ctx: () => CliContext) {
  return defineCommand({
    command: 'validate',
    describe: 'simulate every measured benchmark servesim can map and report prediction error',
    builder: (y: Argv) =>
      y.options({
        measurements: { type: 'string', array: true, demandOption: true, describe: 'result files: GuideLLM, vLLM bench, measurement CSV' },
        calibration: { type: 'string', describe: 'calibration file for every row (default: shipped per GPU × engine)' },
        split: { choices: ['all', 'fit', 'check'] as const, default: 'all' as const, describe: 'only fit or check rows (hash split of benchmark ids)' },
        hardware: { type: 'string', describe: 'GPU of benchmarks whose file does not say (e.g. vLLM result JSON)' },
        tp: { type: 'number', describe: 'TP of benchmarks whose file does not say' },
        ...STATED_FORMAT_OPTIONS,
        json: { type: 'boolean', describe: 'one JSON document: rows, summary, coverage' },
        chart: { type: 'string', describe: 'write predicted vs measured (y = x, ±10/25% bands, fit vs check split) to FILE (.svg .png .vl.json .html)' },
      }),
    handler: async (argv: { measurements: string[]; calibration?: string | undefined; split: 'all' | 'fit' | 'check'; json?: boolean | undefined; hardware?: string | undefined; tp?: number | undefined; chart?: string | undefined; force?: boolean | undefined } & StatedFormats) => {
      wholeFlag(argv.tp, '--tp');
      const report = validate({
        measurements: argv.measurements,
        hardware: argv.hardware,
        tp: argv.tp,
        ...statedFormats(argv),
        calibration: argv.calibration,
        split: argv.split,
        registry: ctx().registry,
        shipped: ctx().shippedCalibrations,
      });
      if (argv.chart) await (await import('./report.ts')).writeCalibrationChart({ validation: report }, argv.chart, `validate: ${argv.measurements.join(', ')}`, { overwrite: argv.force });
      if (argv.json) return printJson({ schemaVersion: 2, ...report });
      const out: string[] = [];
      out.push(
        table(
          ['benchmark', 'model', 'GPU', 'TP', 'load', 'metric', 'stat', 'measured', 'predicted', 'APE %'],
          report.rows.slice(0, 60).map((r) => [r.benchmarkId, r.model, r.hardware, r.tp ?? '', r.load, r.metric, r.statistic, fmtValue(r.metric, r.measured), fmtValue(r.metric, r.predicted), fmt.num(r.apePct, 1)]),
        ),
      );
      if (report.rows.length > 60) out.push(`(${report.rows.length - 60} more rows: use --json)`);
      out.push('', summaryTable(report.summary));
      const c = report.coverage;
      out.push('', `coverage: ${c.mapped} of ${c.rows} measured figures simulated`);
      for (const [reason, n] of Object.entries(c.unmappedReasons).sort((a, b) => b[1] - a[1])) out.push(`  ${n} not simulated: ${reason}`);
      printText(out.join('\n') + '\n');
    },
  });
}

function fmtValue(metric: string, v: number): string {
  return metric.endsWith('throughput') ? fmt.num(v, 1) : `${fmt.num(msFromS(v), 1)} ms`;
}

export function calibrateCommand(ctx: () => CliContext) {
  return defineCommand({
    command: 'calibrate',
    describe: 'fit a calibration profile (efficiencies, overheads) to measured benchmarks',
    builder: (y: Argv) =>
      y.options({
        measurements: { type: 'string', array: true, demandOption: true, describe: 'result files to fit' },
        hardware: { type: 'string', describe: "the GPU: fills it in where a file does not say (GuideLLM files usually don't), and keeps only benchmarks on it" },
        tp: { type: 'number', describe: 'TP of benchmarks whose file does not say' },
        ...STATED_FORMAT_OPTIONS,
        engine: { type: 'string', choices: ['vllm', 'sglang', 'trtllm'] as const, describe: 'only benchmarks of this engine' },
        holdout: { type: 'boolean', default: true, describe: 'hold out half the benchmarks (hash split) to report check error' },
        params: { type: 'string', describe: `comma-separated parameters to fit (default: those the data identifies): ${CALIBRATION_PARAMETER_NAMES.join(', ')}` },
        'max-iterations': { type: 'number', default: 12 },
        id: { type: 'string', describe: 'id of the written profile' },
        from: {
          type: 'string',
          describe:
            "where the fit starts and what its prior pulls towards: 'shipped' (default: the calibration servesim uses for the GPU and engine — fitted, transferred or datasheet), 'datasheet', or a calibration file",
        },
        out: { type: 'string', describe: 'write the calibration profile (YAML) here' },
        json: { type: 'boolean' },
        chart: { type: 'string', describe: 'write predicted vs measured after fitting (fit and held-out check points, y = x, ±10/25% bands) to FILE (.svg .png .vl.json .html)' },
      }),
    handler: async (argv: StatedFormats & {
      measurements: string[];
      hardware?: string | undefined;
      tp?: number | undefined;
      engine?: 'vllm' | 'sglang' | 'trtllm' | undefined;
      holdout: boolean;
      params?: string | undefined;
      'max-iterations': number;
      id?: string | undefined;
      from?: string | undefined;
      out?: string | undefined;
      json?: boolean | undefined;
      chart?: string | undefined;
      force?: boolean | undefined;
    }) => {
      wholeFlag(argv.tp, '--tp');
      wholeFlag(argv['max-iterations'], '--max-iterations');
      const r = calibrate({
        measurements: argv.measurements,
        hardware: argv.hardware,
        tp: argv.tp,
        ...statedFormats(argv),
        engine: argv.engine,
        holdout: argv.holdout,
        parameters: argv.params,
        maxIterations: argv['max-iterations'],
        id: argv.id,
        from: argv.from,
        registry: ctx().registry,
      });
      const { calibration: file, fit: fitSummary, check: checkSummary } = r;
      const id = file.id;
      if (argv.chart)
        await (await import('./report.ts')).writeCalibrationChart({ fit: r.fitCompared, check: r.checkCompared }, argv.chart, `calibrate ${id}: fit on ${r.fitBenchmarks}, ${r.checkBenchmarks} held out`, { overwrite: argv.force });
      if (argv.out) writeFileAtomic(argv.out, `# servesim calibration profile (servesim calibrate)\n${stringify(file)}`, { label: '--out', overwrite: argv.force });
      if (argv.json)
        return printJson({ schemaVersion: 2, calibration: file, startFrom: r.startFrom, before: r.before, fit: fitSummary, check: checkSummary, skipped: r.skipped, unmapped: r.unmapped, uncertainty: r.uncertainty, warnings: r.warnings });
      const out: string[] = [];
      out.push(...skippedLines(r.unmapped));
      out.push(`Fitted ${r.fitted.length} parameters on ${r.fitBenchmarks} benchmarks (${r.fitCompared.length} figures) in ${r.iterations} iterations; ${r.checkBenchmarks} held out.`);
      out.push(`Started from ${r.startFrom}: parameters the data does not identify keep these values${r.startFrom.startsWith('datasheet') ? '' : ' (--from datasheet starts from datasheet defaults)'}.`);
      out.push(parameterTable(r));
      out.push(...bandLines(r));
      for (const w of new Set(r.warnings)) out.push(`warning: ${w}`);
      out.push('', 'Error before fitting (fit set):', summaryTable(r.before));
      out.push('', 'Error after fitting (fit set):', summaryTable(fitSummary));
      if (r.checkBenchmarks > 0) out.push('', 'Error on held-out benchmarks (check set):', summaryTable(checkSummary));
      if (argv.out) out.push('', `wrote ${argv.out}; use it with --calibration ${argv.out}`);
      printText(out.join('\n') + '\n');
    },
  });
}

/** The fit's 80% bands: where a measurement should fall, as multiples of the prediction. */
function bandLines(r: CalibrateResult): string[] {
  const fit = r.calibration.fit;
  const entries = Object.entries(fit?.band80 ?? {}) as [BandMetric, number][];
  if (entries.length === 0)
    return ['80% bands: none derived (a statistic needs at least 3 fitted benchmarks); predictions with this file use its held-out error, or datasheet-only widths'];
  const range = ([m, half]: [BandMetric, number]) => {
    const shift = fit?.band80_shift?.[m] ?? 0;
    return `${m.replace('_', ' ')} ×${fmt.num(Math.exp(shift - half), 2)}–${fmt.num(Math.exp(shift + half), 2)}`;
  };
  return [`80% bands (measured ÷ predicted; leave-one-benchmark-out on the fit set): ${entries.map(range).join(', ')}`];
}

/** Skipped figures and benchmarks, at most 20 reasons (the rest are in --json). */
function skippedLines(unmapped: Readonly<Record<string, number>>): string[] {
  const skippedFigures = Object.entries(unmapped);
  if (skippedFigures.length === 0) return [];
  const out = [`Skipped (not fitted): ${skippedFigures.reduce((n, [, k]) => n + k, 0)} figures or benchmarks`];
  for (const [reason, n] of skippedFigures.slice(0, 20)) out.push(`  ${n} × ${reason}`);
  if (skippedFigures.length > 20) out.push(`  … ${skippedFigures.length - 20} more reasons (use --json)`);
  return out;
}

/** Every calibration parameter: start, fitted value, standard error, whether the data identified it, range and unit. */
function parameterTable(r: CalibrateResult): string {
  const file = r.calibration;
  return table(
    ['parameter', 'start', 'fitted', '± 1 s.e.', 'identified by the data', 'range', 'unit'],
    CALIBRATION_PARAMETER_NAMES.map((p) => {
      const u = r.uncertainty[p];
      const identified = u === undefined ? '' : `${u.identified ? 'yes' : 'no: kept its prior'}${u.atBound ? ` (at its ${u.atBound}imum)` : ''}`;
      return [
        p,
        fmt.num(r.start[p], 3),
        r.fitted.includes(p) ? fmt.num(file.values[p], 3) : u ? fmt.num(file.values[p], 3) : '(fixed)',
        u ? (Number.isFinite(u.stdError) ? fmt.num(u.stdError, 3) : '∞') : '',
        identified,
        `${CALIBRATION_PARAMETERS[p].min}–${CALIBRATION_PARAMETERS[p].max}`,
        CALIBRATION_PARAMETERS[p].unit,
      ];
    }),
  );
}
