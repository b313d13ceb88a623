/**
 * Fitting calibration values to one or more sweeps (scripts/loso-sweeps.ts): Levenberg–Marquardt on the
 * soft-L1 log ratio of every figure, each metric family (TTFT, ITL/TPOT, E2E, throughput) weighted alike,
 * with a weak prior toward the datasheet start (as src/calibration/fit.ts and scripts/fit-vllm-v1.ts do).
 * Kept small for a shared 2-core machine: one start, few iterations; the leave-one-sweep-out report
 * states these settings.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { CALIBRATION_PARAMETERS, type CalibrationParameter, type CalibrationValues } from '../src/schema/calibration.ts';
import type { EngineFamilyId, Sweep, SweepFigure } from './loso-sweeps.ts';

/**
 * Which parameters a sweep can move, per engine family. Under async scheduling (vLLM V1) the scheduler's
 * CPU costs hide behind the GPU, so the per-step GPU cost is fitted instead of the CPU one; engines
 * without it (vLLM before V1) expose the CPU step and per-sequence costs. GEMM efficiency sets prefill
 * time, which TTFT sees when prompts are not cached (every source but blis_vllm).
 */
export const FIT_PARAMETERS: Readonly<Record<EngineFamilyId, readonly CalibrationParameter[]>> = {
  'vllm-v1': ['weight_bandwidth_efficiency', 'kv_bandwidth_efficiency', 'gemm_efficiency', 'collective_latency_relative', 'step_gpu_overhead_ms', 'client_overhead_ms'],
  'vllm-v0': ['weight_bandwidth_efficiency', 'kv_bandwidth_efficiency', 'gemm_efficiency', 'step_overhead_ms', 'sequence_overhead_us', 'client_overhead_ms'],
  sglang: ['weight_bandwidth_efficiency', 'kv_bandwidth_efficiency', 'gemm_efficiency', 'step_gpu_overhead_ms', 'step_overhead_ms', 'client_overhead_ms'],
};

export interface FitSettings {
  readonly maxIterations: number;
  readonly priorWeight: number;
  /** the parameters to fit instead of the family's (FIT_PARAMETERS): fewer where the data identify fewer */
  readonly parameters?: readonly CalibrationParameter[];
}

export const DEFAULT_FIT_SETTINGS: FitSettings = { maxIterations: 6, priorWeight: 0.1 };

/** Soft-L1 of the log ratio: one trial value that saturates a stage cannot outweigh every other figure. */
const robust = (r: number): number => Math.sign(r) * Math.sqrt(2 * (Math.sqrt(1 + r * r) - 1));
const span = (p: CalibrationParameter) => CALIBRATION_PARAMETERS[p].max - CALIBRATION_PARAMETERS[p].min;

/** Residuals of the figures, each metric family's weights summing to the same total. */
export function residuals(figures: readonly SweepFigure[]): number[] {
  const counts = new Map<string, number>();
  for (const f of figures) counts.set(f.metric, (counts.get(f.metric) ?? 0) + 1);
  const perFamily = figures.length / Math.max(1, counts.size);
  return figures.map((f) => Math.sqrt(perFamily / counts.get(f.metric)!) * robust(Math.log(Math.max(f.predicted, 1e-9) / f.measured)));
}

export interface SweepFit {
  readonly values: CalibrationValues;
  readonly parameters: readonly CalibrationParameter[];
  readonly iterations: number;
  readonly evaluations: number;
}

/** Fit the family's parameters to the sweeps (of one GPU), from `start` (its datasheet defaults). */
export function fitSweeps(sweeps: readonly Sweep[], start: CalibrationValues, family: EngineFamilyId, settings: FitSettings = DEFAULT_FIT_SETTINGS): SweepFit {
  const parameters = settings.parameters ?? FIT_PARAMETERS[family];
  const initial = parameters.map((p) => start[p]);
  const withParams = (x: readonly number[]): CalibrationValues => {
    const v: Record<string, number> = { ...start };
    parameters.forEach((p, i) => (v[p] = x[i]!));
    return v as CalibrationValues;
  };
  let evaluations = 0;
  let cacheKey = '';
  let cache: number[] = [];
  const priorResidual = (x: readonly number[], i: number) => (settings.priorWeight * (x[i]! - initial[i]!)) / (span(parameters[i]!) / 4);
  // ml-levenberg-marquardt may end on a worse point than it visited (its damping update does not reject
  // uphill steps): the best objective seen over every evaluation is what the fit returns
  let best = { x: [...initial], objective: Infinity };
  const evaluate = (x: readonly number[]): number[] => {
    const key = x.join(',');
    if (key === cacheKey) return cache;
    evaluations++;
    const values = withParams(x);
    cache = sweeps.flatMap((s) => {
      const f = s.predict(values);
      // a trial that makes a sweep infeasible: a large, finite residual per figure keeps LM going
      return typeof f === 'string' ? [5] : residuals(f);
    });
    cacheKey = key;
    const objective = cache.reduce((a, r) => a + r * r, 0) + x.reduce((a, _, i) => a + priorResidual(x, i) ** 2, 0);
    if (objective < best.objective) best = { x: [...x], objective };
    return cache;
  };
  const n0 = evaluate(initial).length;
  const fitted = levenbergMarquardt(
    { x: Array.from({ length: n0 + parameters.length }, (_, i) => i), y: new Array<number>(n0 + parameters.length).fill(0) },
    (x: number[]) => {
      const r = evaluate(x);
      return (i: number) => (i < n0 ? (r[i] ?? 5) : priorResidual(x, i - n0));
    },
    {
      initialValues: [...initial],
      minValues: parameters.map((p) => CALIBRATION_PARAMETERS[p].min),
      maxValues: parameters.map((p) => CALIBRATION_PARAMETERS[p].max),
      gradientDifference: parameters.map((p) => 0.01 * span(p)),
      damping: 0.5,
      maxIterations: settings.maxIterations,
      errorTolerance: 1e-5,
    },
  );
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  evaluate(fitted.parameterValues);
  return { values: withParams(best.x.map(round)), parameters, iterations: fitted.iterations, evaluations };
}
