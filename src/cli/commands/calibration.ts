import { writeFileAtomic } from '../../io/write-file.ts';
import type { Argv } from 'yargs';
import { stringify } from 'yaml';
import { fitCalibration, identifiableParameters } from '../../calibration/fit.ts';
import { mapBenchmark, type MappedBenchmark } from '../../calibration/map.ts';
import { defaultCalibration } from '../../cost/calibration-defaults.ts';
import { comparedFigures } from '../../calibration/predict.ts';
import { splitOf, summarizeErrors } from '../../calibration/summary.ts';
import { validate, withAssumptions } from '../../calibration/validate.ts';
import { InputError } from '../../diagnostics/errors.ts';
import { importMeasurements } from '../../importers/index.ts';
import type { MeasuredBenchmark } from '../../importers/types.ts';
import { readCalibrationFile } from '../../profiles/calibrations.ts';
import { CALIBRATION_PARAMETER_NAMES, CALIBRATION_PARAMETERS, type CalibrationFile, type CalibrationParameter } from '../../schema/calibration.ts';
import { defineCommand } from '../command.ts';
import type { CliContext } from '../context.ts';
import { fmt, printJson, table } from '../output.ts';

/** --tp and --max-iterations are counts: a fraction, zero or a negative number is a typo. */
function wholeFlag(value: number | undefined, flag: string): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new InputError(`${flag} must be a whole number >= 1, found ${value}`);
}

function loadAll(files: readonly string[]): MeasuredBenchmark[] {
  if (files.length === 0) throw new InputError('give at least one --measurements FILE (GuideLLM JSON/YAML, vLLM bench JSON, or measurement CSV)');
  return files.flatMap((f) => importMeasurements(f));
}

function summaryTable(rows: ReturnType<typeof summarizeErrors>): string {
  return table(['metric', 'statistic', 'n', 'median APE %', 'mean APE %'], rows.map((r) => [r.metric, r.statistic, r.n, fmt.num(r.median_ape, 1), fmt.num(r.mean_ape, 1)]));
}

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
        json: { type: 'boolean', describe: 'one JSON document: rows, summary, coverage' },
        chart: { type: 'string', describe: 'write predicted vs measured (y = x, ±10/25% bands, fit vs check split) to FILE (.svg .png .vl.json .html)' },
      }),
    handler: async (argv: { measurements: string[]; calibration?: string | undefined; split: 'all' | 'fit' | 'check'; json?: boolean | undefined; hardware?: string | undefined; tp?: number | undefined; chart?: string | undefined; force?: boolean | undefined }) => {
      wholeFlag(argv.tp, '--tp');
      const benchmarks = loadAll(argv.measurements);
      const explicit = argv.calibration ? readCalibrationFile(argv.calibration) : undefined;
      if (argv.hardware) ctx().registry.getHardware(argv.hardware);
      const assume = { ...(argv.hardware ? { hardwareId: argv.hardware } : {}), ...(argv.tp ? { tp: argv.tp } : {}) };
      const report = validate(benchmarks, ctx().registry, { shipped: ctx().shippedCalibrations, split: argv.split, assume, ...(explicit ? { explicit } : {}) });
      if (argv.chart) await (await import('./report.ts')).writeCalibrationChart({ validation: report }, argv.chart, `validate: ${argv.measurements.join(', ')}`, { overwrite: argv.force });
      if (argv.json) return printJson({ schemaVersion: 1, ...report });
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
      for (const [reason, n] of Object.entries(c.unmapped_reasons).sort((a, b) => b[1] - a[1])) out.push(`  ${n} not simulated: ${reason}`);
      process.stdout.write(out.join('\n') + '\n');
    },
  });
}

function fmtValue(metric: string, v: number): string {
  return metric.endsWith('throughput') ? fmt.num(v, 1) : `${fmt.num(v * 1e3, 1)} ms`;
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
        engine: { type: 'string', choices: ['vllm', 'sglang', 'trtllm'] as const, describe: 'only benchmarks of this engine' },
        holdout: { type: 'boolean', default: true, describe: 'hold out half the benchmarks (hash split) to report check error' },
        params: { type: 'string', describe: `comma-separated parameters to fit (default: those the data identifies): ${CALIBRATION_PARAMETER_NAMES.join(', ')}` },
        'max-iterations': { type: 'number', default: 12 },
        id: { type: 'string', describe: 'id of the written profile' },
        from: { type: 'string', describe: 'start from this calibration file (default: datasheet priors for the GPU and engine)' },
        out: { type: 'string', describe: 'write the calibration profile (YAML) here' },
        json: { type: 'boolean' },
        chart: { type: 'string', describe: 'write predicted vs measured after fitting (fit and held-out check points, y = x, ±10/25% bands) to FILE (.svg .png .vl.json .html)' },
      }),
    handler: async (argv: {
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
      const reg = ctx().registry;
      const mapped: MappedBenchmark[] = [];
      const unmapped: Record<string, number> = {};
      if (argv.hardware) reg.getHardware(argv.hardware);
      const assume = { ...(argv.hardware ? { hardwareId: argv.hardware } : {}), ...(argv.tp ? { tp: argv.tp } : {}) };
      for (const raw of loadAll(argv.measurements)) {
        for (const r of raw.rejectedMetrics ?? []) unmapped[`rejected at import: ${r.where}: ${r.reason}`] = 1;
        if (raw.metrics.length === 0 && (raw.rejectedMetrics?.length ?? 0) > 0) continue;
        const b = withAssumptions(raw, assume);
        const m = mapBenchmark(b, reg);
        if (!m.ok) unmapped[m.reason] = (unmapped[m.reason] ?? 0) + 1;
        else if ((!argv.hardware || b.deployment.hardwareId === argv.hardware) && (!argv.engine || m.mapped.engine === argv.engine)) mapped.push(m.mapped);
      }
      if (mapped.length === 0)
        throw new InputError(`no benchmark in ${argv.measurements.join(', ')} can be simulated${Object.keys(unmapped).length ? `: ${Object.entries(unmapped).map(([r, n]) => `${n} × ${r}`).join('; ')}` : ''}`);
      const gpus = [...new Set(mapped.map((m) => m.benchmark.deployment.hardwareId!))];
      const engines = [...new Set(mapped.map((m) => m.engine))];
      if (engines.length > 1) throw new InputError(`benchmarks of several engines (${engines.join(', ')}): pick one with --engine`);
      const fitSet = argv.holdout && mapped.length > 1 ? mapped.filter((m) => splitOf(m.benchmark.id) === 'fit') : mapped;
      const checkSet = argv.holdout && mapped.length > 1 ? mapped.filter((m) => splitOf(m.benchmark.id) === 'check') : [];
      const fitOn = fitSet.length > 0 ? fitSet : mapped;
      // datasheet priors: a fit should not inherit another data set's quirks unless asked to (--from)
      const first = fitOn[0]!;
      const start = {
        id: 'start',
        values: argv.from
          ? readCalibrationFile(argv.from).values
          : defaultCalibration(reg.getHardware(first.benchmark.deployment.hardwareId!), first.engine),
      };
      const params = argv.params ? parseParams(argv.params) : identifiableParameters(fitOn);
      const before = comparedFigures(fitOn, reg, start);
      const fit = fitCalibration(fitOn, reg, start.values, { parameters: params, maxIterations: argv['max-iterations'] });
      const check = comparedFigures(checkSet, reg, { id: 'fitted', values: fit.values });
      const id = argv.id ?? `${engines[0]}-${gpus.length === 1 ? gpus[0] : 'mixed'}-fitted`;
      const fitSummary = summarizeErrors(fit.compared);
      const checkSummary = summarizeErrors(check);
      const file: CalibrationFile = {
        id,
        hardware: gpus.length === 1 ? gpus[0]! : '*',
        engine: engines[0]!,
        description: `fitted by servesim calibrate on ${fitOn.length} benchmarks from ${argv.measurements.join(', ')}`,
        values: fit.values,
        fit: {
          method: 'Levenberg–Marquardt (ml-levenberg-marquardt), residual log(predicted/measured), bounded',
          fitted_on: fitOn.map((m) => m.benchmark.id),
          held_out: checkSet.map((m) => m.benchmark.id),
          fit_error: Object.fromEntries(fitSummary.map((r) => [`${r.metric}.${r.statistic}.median_ape`, round(r.median_ape)])),
          check_error: Object.fromEntries(checkSummary.map((r) => [`${r.metric}.${r.statistic}.median_ape`, round(r.median_ape)])),
        },
        sources: argv.measurements,
      };
      if (argv.chart) await (await import('./report.ts')).writeCalibrationChart({ fit: fit.compared, check }, argv.chart, `calibrate ${id}: fit on ${fitOn.length}, ${checkSet.length} held out`, { overwrite: argv.force });
      if (argv.out) writeFileAtomic(argv.out, `# servesim calibration profile (servesim calibrate)\n${stringify(file)}`, { label: '--out', overwrite: argv.force });
      if (argv.json) return printJson({ schemaVersion: 1, calibration: file, before: summarizeErrors(before), fit: fitSummary, check: checkSummary, skipped: fit.skipped, unmapped });
      const out: string[] = [];
      const skippedFigures = Object.entries(unmapped);
      if (skippedFigures.length > 0) {
        out.push(`Skipped (not fitted): ${skippedFigures.reduce((n, [, k]) => n + k, 0)} figures or benchmarks`);
        for (const [reason, n] of skippedFigures.slice(0, 20)) out.push(`  ${n} × ${reason}`);
        if (skippedFigures.length > 20) out.push(`  … ${skippedFigures.length - 20} more reasons (use --json)`);
      }
      out.push(`Fitted ${fit.fitted.length} parameters on ${fitOn.length} benchmarks (${fit.compared.length} figures) in ${fit.iterations} iterations; ${checkSet.length} held out.`);
      out.push(
        table(
          ['parameter', 'start', 'fitted', 'range', 'unit'],
          CALIBRATION_PARAMETER_NAMES.map((p) => [p, fmt.num(start.values[p], 3), fit.fitted.includes(p) ? fmt.num(fit.values[p], 3) : '(fixed)', `${CALIBRATION_PARAMETERS[p].min}–${CALIBRATION_PARAMETERS[p].max}`, CALIBRATION_PARAMETERS[p].unit]),
        ),
      );
      out.push('', 'Error before fitting (fit set):', summaryTable(summarizeErrors(before)));
      out.push('', 'Error after fitting (fit set):', summaryTable(fitSummary));
      if (checkSet.length > 0) out.push('', 'Error on held-out benchmarks (check set):', summaryTable(checkSummary));
      if (argv.out) out.push('', `wrote ${argv.out}; use it with --calibration ${argv.out}`);
      process.stdout.write(out.join('\n') + '\n');
    },
  });
}

const round = (x: number) => Math.round(x * 100) / 100;

function parseParams(text: string): CalibrationParameter[] {
  return text.split(',').map((s) => {
    const p = s.trim();
    if (!(CALIBRATION_PARAMETER_NAMES as string[]).includes(p)) throw new InputError(`--params: unknown parameter "${p}"; known: ${CALIBRATION_PARAMETER_NAMES.join(', ')}`);
    return p as CalibrationParameter;
  });
}
