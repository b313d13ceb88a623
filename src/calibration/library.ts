/**
 * The calibration commands as library functions: `calibrate` fits a calibration profile to measured
 * benchmarks, `validate` simulates every benchmark it can map and reports the prediction error. The CLI
 * commands (src/cli/commands/calibration.ts) only parse flags, call these, format and write.
 */
import { existsSync } from 'node:fs';
import { defaultCalibration } from '../cost/calibration-defaults.ts';
import { InputError } from '../diagnostics/errors.ts';
import { importMeasurements, markRepeatedPrompts } from '../importers/index.ts';
import type { MeasuredBenchmark, MeasuredDeployment } from '../importers/types.ts';
import { loadShippedCalibrations, readCalibrationFile } from '../profiles/calibrations.ts';
import { loadProfiles, type ProfileRegistry } from '../profiles/registry.ts';
import {
  CALIBRATION_PARAMETER_NAMES,
  type CalibrationFile,
  type CalibrationParameter,
  type CalibrationValues,
} from '../schema/calibration.ts';
import type { EngineFamily } from '../schema/deployment.ts';
import { bandFields } from './bands.ts';
import { fitCalibration, fitOverFrontendWorkers, identifiableParameters, type FitResult } from './fit.ts';
import { calibrationFor, mapBenchmark, type MappedBenchmark } from './map.ts';
import { comparedFigures, type ComparedMetric } from './predict.ts';
import { splitOf, summarizeErrors, type ErrorSummaryRow } from './summary.ts';
import { type Assumptions, validate as validateBenchmarks, withAssumptions, type ValidationReport } from './validate.ts';

/** Where the measurements and profiles come from. */
export interface MeasurementSource {
  /** result files: GuideLLM JSON/YAML, vLLM bench JSON, measurement CSV */
  readonly measurements?: readonly string[] | undefined;
  /** benchmarks already imported (importMeasurements); used with or instead of `measurements` */
  readonly benchmarks?: readonly MeasuredBenchmark[] | undefined;
  /** the GPU of benchmarks whose file does not say (GuideLLM files usually don't) */
  readonly hardware?: string | undefined;
  /** the TP of benchmarks whose file does not say */
  readonly tp?: number | undefined;
  /** the servesim model of benchmarks whose file names none, or one servesim has no profile of */
  readonly model?: string | undefined;
  /** weight and KV-cache formats of benchmarks whose file does not say */
  readonly weights?: MeasuredDeployment['weights'] | undefined;
  readonly kvCache?: MeasuredDeployment['kvCache'] | undefined;
  /** extra folders of hardware/model profiles, or a registry already loaded */
  readonly profileDirs?: readonly string[] | undefined;
  readonly registry?: ProfileRegistry | undefined;
}

function loadAll(s: MeasurementSource): MeasuredBenchmark[] {
  const files = s.measurements ?? [];
  if (files.length === 0 && (s.benchmarks ?? []).length === 0)
    throw new InputError('give at least one --measurements FILE (GuideLLM JSON/YAML, vLLM bench JSON, or measurement CSV)');
  return markRepeatedPrompts([...(s.benchmarks ?? []), ...files.flatMap((f) => importMeasurements(f))]);
}

function registryOf(s: MeasurementSource): ProfileRegistry {
  const reg = s.registry ?? loadProfiles({ dirs: [...(s.profileDirs ?? [])] });
  if (s.hardware) reg.getHardware(s.hardware); // an unknown GPU or model fails before any work
  if (s.model) reg.getModel(s.model);
  return reg;
}

const assumptionsOf = (s: MeasurementSource): Assumptions => ({
  ...(s.hardware ? { hardwareId: s.hardware } : {}),
  ...(s.tp ? { tp: s.tp } : {}),
  ...(s.model ? { modelId: s.model } : {}),
  ...(s.weights ? { weights: s.weights } : {}),
  ...(s.kvCache ? { kvCache: s.kvCache } : {}),
});

export interface ValidateRequest extends MeasurementSource {
  /** one calibration for every benchmark: a file path or a loaded profile (default: shipped per GPU × engine) */
  readonly calibration?: string | CalibrationFile | undefined;
  /** only the benchmarks of one split of the hash split (default all) */
  readonly split?: 'all' | 'fit' | 'check' | undefined;
  /** shipped calibrations to choose from (default: the package's calibrations/) */
  readonly shipped?: readonly CalibrationFile[] | undefined;
}

/**
 * Simulate every measured benchmark servesim can map to a deployment and compare each measured figure with
 * the prediction: per-figure rows, error summary per metric and statistic, and coverage (what could not be
 * simulated, and why).
 *
 * @example
 * const v = validate({ measurements: ['benchmarks.json'], hardware: 'h100-sxm' });
 * for (const s of v.summary) console.log(s.metric, s.statistic, s.medianApePct);
 */
export function validate(request: ValidateRequest): ValidationReport {
  const benchmarks = loadAll(request);
  const registry = registryOf(request);
  const explicit = typeof request.calibration === 'string' ? readCalibrationFile(request.calibration) : request.calibration;
  return validateBenchmarks(benchmarks, registry, {
    shipped: request.shipped ?? loadShippedCalibrations(),
    split: request.split ?? 'all',
    assume: assumptionsOf(request),
    ...(explicit ? { explicit } : {}),
  });
}

export interface CalibrateRequest extends MeasurementSource {
  /** only benchmarks of this engine (benchmarks of several engines need it) */
  readonly engine?: EngineFamily | undefined;
  /** hold out half the benchmarks (hash split) to report check error (default true) */
  readonly holdout?: boolean | undefined;
  /** parameters to fit: names or a comma-separated list (default: those the data identifies) */
  readonly parameters?: string | readonly CalibrationParameter[] | undefined;
  /** Levenberg–Marquardt iterations (default 12) */
  readonly maxIterations?: number | undefined;
  /** id of the fitted profile (default ENGINE-GPU-fitted) */
  readonly id?: string | undefined;
  /**
   * where the fit starts, and the values its weak prior pulls towards: 'shipped' (default) — the calibration
   * servesim would use for this GPU and engine (fitted, transferred from another GPU, or datasheet defaults
   * where it has neither); 'datasheet' — the datasheet defaults; a calibration file path; or values
   */
  readonly from?: CalibrationStart | undefined;
  /** shipped calibrations to start from (default: the package's calibrations/) */
  readonly shipped?: readonly CalibrationFile[] | undefined;
}

/** Where a fit starts: see CalibrateRequest.from. */
export type CalibrationStart = 'shipped' | 'datasheet' | string | CalibrationValues;

/** A resolved start: its values, what they are (for the output), and whether the user stated them. */
interface ResolvedStart {
  readonly values: CalibrationValues;
  readonly label: string;
  /** a file or values the user gave: its frontend worker count is kept, not searched */
  readonly stated: boolean;
}

export interface CalibrateResult {
  readonly schemaVersion: 2;
  /** the fitted profile, ready to write as YAML and use with --calibration */
  readonly calibration: CalibrationFile;
  /** error on the fit set before and after fitting, and on the held-out check set */
  readonly before: ErrorSummaryRow[];
  readonly fit: ErrorSummaryRow[];
  readonly check: ErrorSummaryRow[];
  readonly skipped: readonly { readonly id: string; readonly reason: string }[];
  /** benchmarks that could not be simulated, by reason */
  readonly unmapped: Readonly<Record<string, number>>;
  readonly start: CalibrationValues;
  /** what the start is: "shipped calibration vllm-h100-sxm (fitted)", "datasheet defaults (h100-sxm, vllm)", a file */
  readonly startFrom: string;
  readonly fitted: readonly CalibrationParameter[];
  /** per fitted parameter: one standard error, whether the data identified it, and whether it sits at a bound */
  readonly uncertainty: FitResult['uncertainty'];
  /** what limits this fit: too few figures for the parameters asked, unidentified parameters, bounds hit, GPU mismatches */
  readonly warnings: readonly string[];
  readonly iterations: number;
  readonly fitBenchmarks: number;
  readonly checkBenchmarks: number;
  /** every compared figure after fitting (fit and check sets), for charts */
  readonly fitCompared: readonly ComparedMetric[];
  readonly checkCompared: readonly ComparedMetric[];
}

/** "a,b" → parameter names, each checked against the known set. */
export function parseParameters(text: string | readonly CalibrationParameter[]): CalibrationParameter[] {
  const names = typeof text === 'string' ? text.split(',').map((s) => s.trim()) : [...text];
  return names.map((p) => {
    const known = CALIBRATION_PARAMETER_NAMES.find((n) => n === p);
    if (known === undefined) throw new InputError(`--params: unknown parameter "${p}"; known: ${CALIBRATION_PARAMETER_NAMES.join(', ')}`);
    // a count has no gradient for Levenberg–Marquardt: it is stated, and the per-token cost fitted under it
    if (known === 'frontend_workers')
      throw new InputError('--params: frontend_workers is a count, not fitted: --params frontend_prompt_token_us tries a grid of counts, or give one in the calibration file of --from');
    return known;
  });
}

const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Fit a calibration profile (efficiencies, overheads) to measured benchmarks of one engine: half the
 * benchmarks fit it, the other half (hash split, stable across runs) check it. Starts from the calibration
 * servesim would use for the GPU and engine unless `from` says otherwise (resolveStart).
 *
 * @example
 * const c = calibrate({ measurements: ['my-sweep/benchmarks.json'], hardware: 'h100-sxm' });
 * console.log(c.calibration.values, c.check);
 */
/** The benchmarks of a calibrate request mapped to simulable setups; what could not be mapped or was left out, and why. */
function mapAll(request: CalibrateRequest, reg: ProfileRegistry): { mapped: MappedBenchmark[]; unmapped: Record<string, number>; warnings: string[] } {
  const mapped: MappedBenchmark[] = [];
  const unmapped: Record<string, number> = {};
  const assume = assumptionsOf(request);
  const warnings: string[] = [];
  const otherGpu = new Map<string, number>();
  const unrecognisedGpu = new Set<string>();
  const unrecognisedModel = new Set<string>();
  const otherModel = new Set<string>();
  for (const raw of loadAll(request)) {
    // figures refused at import (negative, zero, non-finite) are reported, never fitted
    for (const r of raw.rejectedMetrics ?? []) unmapped[`rejected at import: ${r.where}: ${r.reason}`] = 1;
    if (raw.metrics.length === 0 && (raw.rejectedMetrics?.length ?? 0) > 0) continue;
    const b = withAssumptions(raw, assume);
    const m = mapBenchmark(b, reg);
    // a file that names an accelerator or model servesim does not recognise gets --hardware / --model filled in: say so loudly
    if (request.hardware && raw.deployment.hardwareId === undefined && raw.deployment.hardwareRaw) unrecognisedGpu.add(raw.deployment.hardwareRaw);
    if (request.model && raw.deployment.modelId === undefined && raw.deployment.modelRaw) unrecognisedModel.add(raw.deployment.modelRaw);
    if (request.model && raw.deployment.modelId !== undefined && raw.deployment.modelId !== request.model) otherModel.add(raw.deployment.modelId);
    if (!m.ok) unmapped[m.reason] = (unmapped[m.reason] ?? 0) + 1;
    else if (request.hardware && b.deployment.hardwareId !== request.hardware)
      otherGpu.set(b.deployment.hardwareId!, (otherGpu.get(b.deployment.hardwareId!) ?? 0) + 1);
    else if (!request.engine || m.mapped.engine === request.engine) mapped.push(m.mapped);
  }
  for (const [gpu, n] of otherGpu)
    warnings.push(`${n} benchmark${n === 1 ? '' : 's'} measured on ${gpu} left out: --hardware is ${request.hardware}`);
  for (const name of unrecognisedGpu)
    warnings.push(`the file names the accelerator "${name}", which is not a servesim profile; --hardware ${request.hardware} was assumed for it — check that this is the GPU it ran on`);
  for (const name of unrecognisedModel)
    warnings.push(`the file names the model "${name}", which is not a servesim profile; --model ${request.model} was assumed for it — check that this is the model it served`);
  for (const id of otherModel) warnings.push(`benchmarks of ${id} kept their model: --model ${request.model} only fills in where a file names no servesim model`);
  // a sweep that resends its prompts measures a warm prefix cache from its second run on: the fit must know
  for (const m of mapped) if (m.repeatedPrompts) warnings.push(`${m.benchmark.id}: ${m.repeatedPrompts}`);
  return { mapped, unmapped, warnings };
}

/**
 * The start of a fit. By default the calibration servesim would predict with for this GPU and engine: a fit
 * of a few benchmarks identifies only some parameters, and the rest keep their start, so starting from the
 * shipped fit (or its transfer) keeps what other measurements established instead of datasheet guesses
 * (`npm run build && node dist/scripts/calibrate-start.js` measures both starts on sweeps no shipped
 * calibration saw). 'datasheet' starts from the defaults, as a fit that must owe nothing to other data does.
 */
function resolveStart(from: CalibrationStart, first: MappedBenchmark, reg: ProfileRegistry, shipped?: readonly CalibrationFile[]): ResolvedStart {
  if (typeof from !== 'string') return { values: from, label: 'the given values', stated: true };
  const hw = reg.getHardware(first.benchmark.deployment.hardwareId!);
  if (from === 'datasheet') return { values: defaultCalibration(hw, first.engine), label: `datasheet defaults (${hw.id}, ${first.engine})`, stated: false };
  if (from === 'shipped') {
    const c = calibrationFor(first, reg, shipped ?? loadShippedCalibrations());
    const label = c.provenance === 'datasheet only' ? `datasheet defaults (${hw.id}, ${first.engine}: no shipped calibration fitted or transferred)` : `shipped calibration ${c.id} (${c.provenance})`;
    return { values: c.values, label, stated: false };
  }
  if (!existsSync(from)) throw new InputError(`--from: "${from}" is neither 'shipped', 'datasheet' nor a calibration file that exists`);
  return { values: readCalibrationFile(from).values, label: `file ${from}`, stated: true };
}

export function calibrate(request: CalibrateRequest): CalibrateResult {
  const reg = registryOf(request);
  const sources = request.measurements ?? [];
  const { mapped, unmapped, warnings } = mapAll(request, reg);
  const described = sources.length > 0 ? sources.join(', ') : 'the given benchmarks';
  if (mapped.length === 0)
    throw new InputError(`no benchmark in ${described} can be simulated${Object.keys(unmapped).length ? `: ${Object.entries(unmapped).map(([r, n]) => `${n} × ${r}`).join('; ')}` : ''}`);
  const gpus = [...new Set(mapped.map((m) => m.benchmark.deployment.hardwareId!))];
  const engines = [...new Set(mapped.map((m) => m.engine))];
  if (engines.length > 1) throw new InputError(`benchmarks of several engines (${engines.join(', ')}): pick one with --engine`);
  const holdout = request.holdout ?? true;
  const fitSet = holdout && mapped.length > 1 ? mapped.filter((m) => splitOf(m.benchmark.id) === 'fit') : mapped;
  const checkSet = holdout && mapped.length > 1 ? mapped.filter((m) => splitOf(m.benchmark.id) === 'check') : [];
  const fitOn = fitSet.length > 0 ? fitSet : mapped;
  const start = resolveStart(request.from ?? 'shipped', fitOn[0]!, reg, request.shipped);
  const params = request.parameters !== undefined ? parseParameters(request.parameters) : identifiableParameters(fitOn);
  const before = comparedFigures(fitOn, reg, { id: 'start', values: start.values });
  const fitOptions = { parameters: params, maxIterations: request.maxIterations ?? 12 };
  // the frontend's worker count has no gradient: unless a --from profile states it, each count of a grid is tried
  const fit =
    params.includes('frontend_prompt_token_us') && !start.stated
      ? fitOverFrontendWorkers(fitOn, reg, start.values, fitOptions)
      : fitCalibration(fitOn, reg, start.values, fitOptions);
  const check = comparedFigures(checkSet, reg, { id: 'fitted', values: fit.values });
  const id = request.id ?? `${engines[0]}-${gpus.length === 1 ? gpus[0] : 'mixed'}-fitted`;
  const fitSummary = summarizeErrors(fit.compared);
  const checkSummary = summarizeErrors(check);
  const calibration: CalibrationFile = {
    id,
    hardware: gpus.length === 1 ? gpus[0]! : '*',
    engine: engines[0]!,
    description: `fitted by servesim calibrate on ${fitOn.length} benchmarks from ${described}, starting from ${start.label}`,
    values: fit.values,
    fit: {
      method: 'Levenberg–Marquardt (ml-levenberg-marquardt), residual log(predicted/measured), bounded',
      fitted_on: fitOn.map((m) => m.benchmark.id),
      held_out: checkSet.map((m) => m.benchmark.id),
      fit_error: Object.fromEntries(fitSummary.map((r) => [`${r.metric}.${r.statistic}.median_ape`, round(r.medianApePct)])),
      check_error: Object.fromEntries(checkSummary.map((r) => [`${r.metric}.${r.statistic}.median_ape`, round(r.medianApePct)])),
      ...(Object.keys(fit.bands).length > 0 ? bandFields(fit.bands) : {}),
    },
    sources: [...sources],
  };
  return {
    schemaVersion: 2,
    calibration,
    before: summarizeErrors(before),
    fit: fitSummary,
    check: checkSummary,
    skipped: fit.skipped,
    unmapped,
    start: start.values,
    startFrom: start.label,
    fitted: fit.fitted,
    uncertainty: fit.uncertainty,
    warnings: [...warnings, ...fit.warnings],
    iterations: fit.iterations,
    fitBenchmarks: fitOn.length,
    checkBenchmarks: checkSet.length,
    fitCompared: fit.compared,
    checkCompared: check,
  };
}
