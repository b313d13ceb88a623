import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import type { ProfileRegistry } from '../profiles/registry.ts';
import { type BandMetric, CALIBRATION_PARAMETERS, type CalibrationParameter, type CalibrationValues } from '../schema/calibration.ts';
import type { DerivedBand } from './bands.ts';
import { fitBands } from './fit-bands.ts';
import { IDENTIFIED_MAX_RELATIVE_ERROR, invertSymmetric, parameterUncertainty, type ParameterUncertainty } from './identifiability.ts';
import type { MappedBenchmark } from './map.ts';
import { type ComparedMetric, predictBenchmark } from './predict.ts';
import { median, metricFamily } from './summary.ts';

/**
 * Fit calibration values to measured benchmarks with Levenberg–Marquardt (mljs), bounded to the
 * physically sensible ranges of CALIBRATION_PARAMETERS. The residual of each measured figure is
 * log(predicted / measured): relative errors, symmetric in over- and under-prediction, so a 30 ms TTFT
 * and a 20,000 tok/s throughput weigh alike. Each metric family (throughput, TTFT, ITL/TPOT, E2E) weighs
 * the same in total however many figures it has, so a file with twenty latency percentiles and one
 * throughput does not fit latency alone. A weak prior toward the starting values (maximum a posteriori
 * rather than plain least squares) keeps small or mixed data sets from over-fitting.
 *
 * The fit then says how well-posed it was:
 *   1. fewer than MIN_FIGURES_PER_PARAMETER figures per parameter → only the parameters the data move
 *      most are fitted (the rest keep their priors), with a warning;
 *   2. a second start (the centre of every range) guards against a local minimum of the first;
 *   3. each parameter's standard error from the Jacobian at the solution; a parameter the data do not
 *      identify keeps its prior and is reported as such; a parameter at a bound is reported too — the
 *      data want a value outside the physical range, so the model lacks a mechanism those data show.
 */
export interface FitOptions {
  readonly parameters?: readonly CalibrationParameter[];
  readonly maxIterations?: number;
  readonly seed?: number | string;
  /**
   * Weight of the pull toward the starting values (the measured datasheet fractions), as residuals
   * added to the data's: a few noisy benchmarks cannot drag a parameter to a physically implausible
   * bound unless the data insist. 0 = plain least squares. Default 0.25.
   */
  readonly priorWeight?: number;
}

export interface FitResult {
  readonly values: CalibrationValues;
  readonly fitted: readonly CalibrationParameter[];
  readonly iterations: number;
  readonly compared: readonly ComparedMetric[];
  readonly skipped: readonly { id: string; reason: string }[];
  /** per fitted parameter: its standard error and whether the data identified it (else it kept its prior) */
  readonly uncertainty: Readonly<Partial<Record<CalibrationParameter, ParameterUncertainty & { readonly atBound: 'min' | 'max' | undefined }>>>;
  /** what the user must know about how far this fit can be trusted */
  readonly warnings: readonly string[];
  /** 80% bands from leave-one-benchmark-out residuals (fit-bands.ts); empty when too few benchmarks */
  readonly bands: Partial<Record<BandMetric, DerivedBand>>;
}

/** below this many independent figures (benchmark × metric family) per parameter, the fit narrows to those that explain its misses best */
export const MIN_FIGURES_PER_PARAMETER = 3;

/** Which parameters the data can identify: throughput-only data cannot pin TTFT overheads, and so on. */
export function identifiableParameters(benchmarks: readonly MappedBenchmark[]): CalibrationParameter[] {
  const metrics = new Set(benchmarks.flatMap((b) => b.benchmark.metrics.map((m) => m.metric)));
  const hasLatency = ['ttft', 'itl', 'tpot', 'itl_guidellm', 'tpot_guidellm', 'e2e'].some((m) => metrics.has(m as never));
  const lowPrecision = benchmarks.some((b) => b.choice.weights === 'fp8' || b.choice.weights === 'nvfp4' || b.choice.weights === 'int8');
  const params: CalibrationParameter[] = ['weight_bandwidth_efficiency', 'gemm_efficiency', 'kv_bandwidth_efficiency', 'step_overhead_ms'];
  if (lowPrecision) params.push('lowp_gemm_relative');
  if (hasLatency) params.push('client_overhead_ms', 'sequence_overhead_us');
  return params;
}

export function fitCalibration(
  benchmarks: readonly MappedBenchmark[],
  registry: ProfileRegistry,
  start: CalibrationValues,
  options: FitOptions = {},
): FitResult {
  const requested = [...(options.parameters ?? identifiableParameters(benchmarks))];
  const seed = options.seed ?? 42;
  const priorWeight = options.priorWeight ?? 0.25;
  const skipped: { id: string; reason: string }[] = [];
  const warnings: string[] = [];

  // Every benchmark once per full parameter vector; LM, the Jacobian and the restarts read residuals by index.
  const cache = new Map<string, { residuals: number[]; compared: ComparedMetric[] }>();
  const evaluateValues = (values: CalibrationValues) => {
    const key = JSON.stringify(values);
    const hit = cache.get(key);
    if (hit) return hit;
    const compared: ComparedMetric[] = [];
    skipped.length = 0;
    for (const b of benchmarks) {
      const pred = predictBenchmark(b, registry, { id: 'fitting', values }, seed);
      if (pred.ok) compared.push(...pred.compared);
      else skipped.push({ id: b.benchmark.id, reason: pred.reason });
    }
    const weights = familyWeights(compared);
    const out = { compared, residuals: compared.map((c, i) => weights[i]! * Math.log(Math.max(c.predicted, 1e-12) / c.measured)) };
    cache.set(key, out);
    return out;
  };
  const base = evaluateValues(start);
  const n0 = base.residuals.length;
  const none = { values: start, fitted: [], iterations: 0, compared: base.compared, skipped: [...skipped], uncertainty: {}, warnings, bands: {} };
  if (n0 === 0 || requested.length === 0) return none;

  // 1. as many parameters as the data can carry: those that explain the start's misses best
  // Percentiles of one distribution carry little independent information: count one figure per
  // benchmark × metric family (throughput, TTFT, ITL/TPOT, E2E).
  let params = requested;
  const independent = new Set(base.compared.map((c) => `${c.benchmarkId}\u0001${metricFamily(c.metric)}`)).size;
  const capacity = Math.max(1, Math.floor(independent / MIN_FIGURES_PER_PARAMETER));
  if (requested.length > capacity) {
    const j = jacobianAt(requested, requested.map((p) => start[p]), start, evaluateValues);
    params = explainingParameters(requested, start, j, priorWeight, capacity);
    warnings.push(
      `${independent} independent measured figure${independent === 1 ? '' : 's'} (benchmark × metric family) cannot identify ${requested.length} parameters (at least ${MIN_FIGURES_PER_PARAMETER} per parameter): ` +
        `fitted only ${params.join(', ')}; the rest keep their priors`,
    );
  }

  // 2. LM from the prior and from the centre of the ranges; the lower objective wins
  let result = fitFrom(params, start, priorWeight, options.maxIterations ?? 12, evaluateValues);
  const centre = { ...start };
  for (const p of params) (centre as Record<string, number>)[p] = (CALIBRATION_PARAMETERS[p].min + CALIBRATION_PARAMETERS[p].max) / 2;
  const second = fitFrom(params, start, priorWeight, options.maxIterations ?? 12, evaluateValues, centre);
  if (second.objective < result.objective) result = second;

  // 3. identifiability at the solution: unidentified parameters go back to their priors, the rest are refitted
  let report = uncertaintyAt(params, result.values, evaluateValues);
  const unidentified = params.filter((p) => !report[p]!.identified);
  if (unidentified.length > 0 && unidentified.length < params.length) {
    warnings.push(`not identified by these data (standard error above ${IDENTIFIED_MAX_RELATIVE_ERROR * 100}% of the range): ${unidentified.join(', ')}; kept at their priors`);
    const kept = params.filter((p) => report[p]!.identified);
    const reset = { ...result.values };
    for (const p of unidentified) (reset as Record<string, number>)[p] = start[p];
    result = fitFrom(kept, reset, priorWeight, options.maxIterations ?? 12, evaluateValues);
    report = { ...uncertaintyAt(kept, result.values, evaluateValues), ...Object.fromEntries(unidentified.map((p) => [p, { ...report[p]!, identified: false }])) };
    params = kept;
  } else if (unidentified.length === params.length) {
    warnings.push(`no parameter is identified by these data (${n0} figures): the fitted values are close to guesses; prefer the shipped calibration`);
  }
  warnings.push(...boundWarnings(params, report));
  const final = evaluateValues(result.values);
  const bands = bandsAt(params, result.values, priorWeight, final.compared, evaluateValues);
  return { values: result.values, fitted: params, iterations: result.iterations, compared: final.compared, skipped: [...skipped], uncertainty: report, warnings, bands };
}

/** Worker counts tried for the API frontend when no profile states one (a count has no gradient). */
export const FRONTEND_WORKER_GRID = [1, 2, 4, 8, 16, 64] as const;

/**
 * fitCalibration once per frontend worker count of FRONTEND_WORKER_GRID; the fit with the lowest median APE
 * over its compared figures is kept, and a warning says which count was chosen and from what.
 */
export function fitOverFrontendWorkers(benchmarks: readonly MappedBenchmark[], registry: ProfileRegistry, start: CalibrationValues, options: FitOptions = {}): FitResult {
  const scored = FRONTEND_WORKER_GRID.map((workers) => {
    const fit = fitCalibration(benchmarks, registry, { ...start, frontend_workers: workers }, options);
    return { workers, fit, medianApe: median(fit.compared.map((c) => c.apePct)) };
  });
  const best = scored.reduce((a, b) => (b.medianApe < a.medianApe ? b : a));
  const tried = scored.map((x) => `${x.workers}: ${x.medianApe.toFixed(1)}%`).join(', ');
  return { ...best.fit, warnings: [...best.fit.warnings, `frontend_workers ${best.workers} chosen by the fit's median APE over worker counts (${tried}); state it in a --from profile to fix it`] };
}

/** What a parameter ending at a bound means. A cost at zero is a finding (the data show none of it), not a bound the data push against. */
function boundWarnings(params: readonly CalibrationParameter[], report: FitResult['uncertainty']): string[] {
  return params.flatMap((p) => {
    const at = report[p]?.atBound;
    const { unit, min } = CALIBRATION_PARAMETERS[p];
    if (at === 'min' && min === 0) return [`${p} ended at 0 ${unit}: these data show no such cost`];
    return at ? [`${p} ended at its ${at}imum (${CALIBRATION_PARAMETERS[p][at]} ${unit}): the data push it outside the physical range`] : [];
  });
}

type Evaluate = (values: CalibrationValues) => { residuals: number[] };

/** Weights that give each metric family the same total weight (√ because LM squares residuals). */
function familyWeights(compared: readonly ComparedMetric[]): number[] {
  const counts = new Map<string, number>();
  for (const c of compared) counts.set(metricFamily(c.metric), (counts.get(metricFamily(c.metric)) ?? 0) + 1);
  const perFamily = compared.length / counts.size;
  return compared.map((c) => Math.sqrt(perFamily / counts.get(metricFamily(c.metric))!));
}

const span = (p: CalibrationParameter) => CALIBRATION_PARAMETERS[p].max - CALIBRATION_PARAMETERS[p].min;
const withParams = (params: readonly CalibrationParameter[], x: readonly number[], base: CalibrationValues): CalibrationValues => {
  const v: Record<string, number> = { ...base };
  params.forEach((name, i) => (v[name] = x[i]!));
  return v as CalibrationValues;
};

function fitFrom(
  params: readonly CalibrationParameter[],
  prior: CalibrationValues,
  priorWeight: number,
  maxIterations: number,
  evaluate: Evaluate,
  from: CalibrationValues = prior,
): { values: CalibrationValues; iterations: number; objective: number } {
  const initial = params.map((p) => prior[p]);
  const n0 = evaluate(prior).residuals.length;
  // one residual per parameter: its distance from the prior in units of a quarter of its range
  const priorResidual = (x: readonly number[], i: number): number => (priorWeight * (x[i]! - initial[i]!)) / (span(params[i]!) / 4);
  const nPrior = priorWeight > 0 ? params.length : 0;
  const objective = (x: readonly number[]): number => {
    const r = evaluate(withParams(params, x, prior)).residuals;
    let sum = r.reduce((a, v) => a + v * v, 0);
    for (let i = 0; i < nPrior; i++) sum += priorResidual(x, i) ** 2;
    return sum;
  };
  const fitted = levenbergMarquardt(
    { x: Array.from({ length: n0 + nPrior }, (_, i) => i), y: new Array<number>(n0 + nPrior).fill(0) },
    (x: number[]) => {
      const r = evaluate(withParams(params, x, prior)).residuals;
      return (i: number) => (i < n0 ? (r[i] ?? 0) : priorResidual(x, i - n0));
    },
    {
      initialValues: params.map((p) => from[p]),
      minValues: params.map((p) => CALIBRATION_PARAMETERS[p].min),
      maxValues: params.map((p) => CALIBRATION_PARAMETERS[p].max),
      gradientDifference: params.map((p) => Math.max(1e-3, 0.02 * span(p))),
      damping: 0.5,
      maxIterations,
      errorTolerance: 1e-4,
    },
  );
  return { values: withParams(params, fitted.parameterValues, prior), iterations: fitted.iterations, objective: objective(fitted.parameterValues) };
}

/**
 * Which `capacity` of the candidate parameters to fit when the data cannot carry them all: greedy forward
 * selection on the linearised problem at the start. A set S removes −(2δᵀg + δᵀAδ) of the objective in one
 * Gauss–Newton step δ = −A⁻¹g (g = J_Sᵀ r, A = J_SᵀJ_S + the prior's precision), its step clipped to the
 * parameters' ranges; each round adds the candidate that removes most given those already chosen.
 * Choosing by sensitivity alone (the largest Jacobian column) takes the parameter that moves most figures
 * even when they already fit: with TTFT 46% over and TPOT within 5% (a vLLM bench run replayed with the wrong
 * scheduling), it took the weight-streaming efficiency and traded TPOT (5% → 12%) for TTFT.
 * Candidates that remove nothing fall back to sensitivity order.
 */
export function explainingParameters(
  candidates: readonly CalibrationParameter[],
  at: CalibrationValues,
  jacobian: { readonly rows: readonly (readonly number[])[]; readonly residuals: readonly number[]; readonly columnNorms: readonly number[] },
  priorWeight: number,
  capacity: number,
): CalibrationParameter[] {
  const cols = candidates.map((_, k) => jacobian.rows.map((row) => row[k]!));
  const precision = candidates.map((p) => (priorWeight / (span(p) / 4)) ** 2);
  const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  // the objective removed by the Gauss–Newton step of `set`, clipped to the parameters' ranges: a cost
  // already near 0 cannot explain a prediction that is too slow however sensitive it is
  const reduction = (set: readonly number[]): number => {
    const g = set.map((k) => dot(cols[k]!, jacobian.residuals));
    const a = set.map((k, i) => set.map((l, m) => dot(cols[k]!, cols[l]!) + (i === m ? precision[k]! : 0)));
    const inv = invertSymmetric(a);
    if (!inv) return 0;
    const step = set.map((k, i) => {
      const { min, max } = CALIBRATION_PARAMETERS[candidates[k]!];
      const x = at[candidates[k]!];
      return Math.min(max - x, Math.max(min - x, -dot(inv[i]!, g)));
    });
    return -(2 * dot(step, g) + step.reduce((s, di, i) => s + di * dot(a[i]!, step), 0));
  };
  const chosen: number[] = [];
  while (chosen.length < Math.min(capacity, candidates.length)) {
    const base = reduction(chosen);
    let best = -1;
    let bestGain = 1e-9;
    for (let k = 0; k < candidates.length; k++) {
      if (chosen.includes(k)) continue;
      const gain = reduction([...chosen, k]) - base;
      if (gain > bestGain) [best, bestGain] = [k, gain];
    }
    if (best < 0) break;
    chosen.push(best);
  }
  const bySensitivity = candidates.map((_, k) => k).sort((a, b) => jacobian.columnNorms[b]! - jacobian.columnNorms[a]!);
  for (const k of bySensitivity) if (chosen.length < capacity && !chosen.includes(k)) chosen.push(k);
  return chosen.map((k) => candidates[k]!);
}

/** Forward differences of the data residuals, one step of 1% of each range (inward at a bound). */
function jacobianAt(params: readonly CalibrationParameter[], x: readonly number[], base: CalibrationValues, evaluate: Evaluate) {
  const r0 = evaluate(withParams(params, x, base)).residuals;
  const columns = params.map((p, j) => {
    const step = 0.01 * span(p) * (x[j]! + 0.01 * span(p) > CALIBRATION_PARAMETERS[p].max ? -1 : 1);
    const moved = [...x];
    moved[j] = x[j]! + step;
    const r1 = evaluate(withParams(params, moved, base)).residuals;
    return r0.map((r, i) => ((r1[i] ?? r) - r) / step);
  });
  const rows = r0.map((_, i) => columns.map((c) => c[i]!));
  return { rows, residuals: r0, columnNorms: columns.map((c) => Math.sqrt(c.reduce((a, v) => a + v * v, 0))) };
}

/** The fit's 80% bands at its solution: its Jacobian, residual weights and prior (fit-bands.ts). */
function bandsAt(params: readonly CalibrationParameter[], values: CalibrationValues, priorWeight: number, compared: readonly ComparedMetric[], evaluate: Evaluate) {
  const rows = params.length > 0 ? jacobianAt(params, params.map((p) => values[p]), values, evaluate).rows : compared.map(() => []);
  return fitBands({ compared, residualWeights: familyWeights(compared), jacobianRows: rows, priorPrecision: params.map((p) => (priorWeight / (span(p) / 4)) ** 2) });
}

function uncertaintyAt(params: readonly CalibrationParameter[], values: CalibrationValues, evaluate: Evaluate) {
  const x = params.map((p) => values[p]);
  const j = jacobianAt(params, x, values, evaluate);
  const u = parameterUncertainty(j.rows, j.residuals, params.map(span));
  const tolerance = (p: CalibrationParameter) => 1e-3 * span(p);
  return Object.fromEntries(
    params.map((p, i) => {
      const atBound: 'min' | 'max' | undefined =
        values[p] <= CALIBRATION_PARAMETERS[p].min + tolerance(p) ? 'min' : values[p] >= CALIBRATION_PARAMETERS[p].max - tolerance(p) ? 'max' : undefined;
      return [p, { ...u[i]!, atBound }];
    }),
  ) as Record<CalibrationParameter, ParameterUncertainty & { atBound: 'min' | 'max' | undefined }>;
}
