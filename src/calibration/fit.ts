import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import type { ProfileRegistry } from '../profiles/registry.ts';
import { CALIBRATION_PARAMETERS, type CalibrationParameter, type CalibrationValues } from '../schema/calibration.ts';
import type { MappedBenchmark } from './map.ts';
import { type ComparedMetric, predictBenchmark } from './predict.ts';

/**
 * Fit calibration values to measured benchmarks with Levenberg–Marquardt (mljs), bounded to the
 * physically sensible ranges of CALIBRATION_PARAMETERS. The residual of each measured figure is
 * log(predicted / measured): relative errors, symmetric in over- and under-prediction, so a 30 ms TTFT
 * and a 20,000 tok/s throughput weigh alike. A weak prior toward the starting values (maximum a
 * posteriori rather than plain least squares) keeps small or mixed data sets from over-fitting.
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
}

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
  const params = [...(options.parameters ?? identifiableParameters(benchmarks))];
  const seed = options.seed ?? 42;
  const skipped: { id: string; reason: string }[] = [];
  const withValues = (p: readonly number[]): CalibrationValues => {
    const v: Record<string, number> = { ...start };
    params.forEach((name, i) => {
      v[name] = p[i]!;
    });
    return v as CalibrationValues;
  };

  // evaluate every benchmark once per parameter vector; LM then reads residuals by index
  let cacheKey = '';
  let cacheResiduals: number[] = [];
  let lastCompared: ComparedMetric[] = [];
  const evaluate = (p: readonly number[]): number[] => {
    const key = p.join(',');
    if (key === cacheKey) return cacheResiduals;
    const values = withValues(p);
    const residuals: number[] = [];
    const compared: ComparedMetric[] = [];
    skipped.length = 0;
    for (const b of benchmarks) {
      const pred = predictBenchmark(b, registry, { id: 'fitting', values }, seed);
      if (!pred.ok) {
        skipped.push({ id: b.benchmark.id, reason: pred.reason });
        continue;
      }
      for (const c of pred.compared) {
        compared.push(c);
        residuals.push(Math.log(Math.max(c.predicted, 1e-12) / c.measured));
      }
    }
    cacheKey = key;
    cacheResiduals = residuals;
    lastCompared = compared;
    return residuals;
  };

  const initial = params.map((name) => start[name]);
  const priorWeight = options.priorWeight ?? 0.25;
  // one residual per parameter: its distance from the start value in units of a quarter of its range
  const priorResidual = (p: readonly number[], i: number): number => {
    const name = params[i]!;
    const span = CALIBRATION_PARAMETERS[name].max - CALIBRATION_PARAMETERS[name].min;
    return (priorWeight * (p[i]! - initial[i]!)) / (span / 4);
  };
  const n0 = evaluate(initial).length;
  if (n0 === 0 || params.length === 0) return { values: start, fitted: [], iterations: 0, compared: lastCompared, skipped };
  const nPrior = priorWeight > 0 ? params.length : 0;
  const xs = Array.from({ length: n0 + nPrior }, (_, i) => i);
  const fitted = levenbergMarquardt(
    { x: xs, y: new Array<number>(n0 + nPrior).fill(0) },
    (p: number[]) => {
      const r = evaluate(p);
      return (i: number) => (i < n0 ? (r[i] ?? 0) : priorResidual(p, i - n0));
    },
    {
      initialValues: initial,
      minValues: params.map((name) => CALIBRATION_PARAMETERS[name].min),
      maxValues: params.map((name) => CALIBRATION_PARAMETERS[name].max),
      gradientDifference: params.map((name) => Math.max(1e-3, 0.02 * (CALIBRATION_PARAMETERS[name].max - CALIBRATION_PARAMETERS[name].min))),
      damping: 0.5,
      maxIterations: options.maxIterations ?? 12,
      errorTolerance: 1e-4,
    },
  );
  const values = withValues(fitted.parameterValues);
  evaluate(fitted.parameterValues);
  return { values, fitted: params, iterations: fitted.iterations, compared: lastCompared, skipped: [...skipped] };
}
