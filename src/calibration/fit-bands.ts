/**
 * The 80% bands of a user's own fit (`servesim calibrate`): each fitted benchmark (one load of a sweep) is
 * left out in turn and predicted by the fit without it, linearised at the solution (src/calibration/bands.ts,
 * the same derivation as the shipped vLLM H100 band), with the fit's own residual weights. A band is written
 * only for a statistic measured in at least MIN_BENCHMARKS_PER_BAND benchmarks; a calibration without one
 * falls back to its held-out median APE (provenance-bands.ts fittedBands).
 */
import type { BandMetric } from '../schema/calibration.ts';
import { type BandRow, deriveBands, type DerivedBand } from './bands.ts';
import type { ComparedMetric } from './predict.ts';

/** fewer left-out benchmarks than this and a quantile of their residuals says little */
export const MIN_BENCHMARKS_PER_BAND = 3;

/** Which band a measured figure informs: central TTFT/E2E/decode statistics and TTFT/E2E p90 and p99. */
export function bandMetricOf(c: Pick<ComparedMetric, 'metric' | 'statistic'>): BandMetric | undefined {
  const central = c.statistic === 'mean' || c.statistic === 'median';
  switch (c.metric) {
    case 'ttft':
    case 'e2e':
      return central ? c.metric : c.statistic === 'p90' || c.statistic === 'p99' ? `${c.metric}_${c.statistic}` : undefined;
    // per-token decode gaps; GuideLLM's time_per_output_token also holds the TTFT, so it informs no band
    case 'tpot':
    case 'itl':
    case 'itl_guidellm':
      return central ? 'tpot' : undefined;
    default:
      return undefined;
  }
}

export interface FitBandInput {
  /** the fitted figures at the solution, in residual order */
  readonly compared: readonly ComparedMetric[];
  /** each residual's weight in the fit (it multiplies log(predicted/measured)) */
  readonly residualWeights: readonly number[];
  /** ∂ residual / ∂ parameter at the solution, one row per residual (empty rows when nothing was fitted) */
  readonly jacobianRows: readonly (readonly number[])[];
  /** the prior's precision per fitted parameter */
  readonly priorPrecision: readonly number[];
}

export function fitBands(input: FitBandInput): Partial<Record<BandMetric, DerivedBand>> {
  const { compared, residualWeights: w, jacobianRows: j } = input;
  const rows: BandRow[] = compared.map((c, i) => ({
    group: c.benchmarkId,
    metric: bandMetricOf(c),
    predictedS: c.predicted,
    measuredS: c.measured,
    fitted: true,
    // residual = w · log(p/m): the fit's normal equations weigh the log-ratio row by w²
    weight: w[i]! ** 2,
    jacobian: j[i]!.map((x) => x / w[i]!),
  }));
  const derived = deriveBands(rows, { priorPrecision: input.priorPrecision });
  const out: Partial<Record<BandMetric, DerivedBand>> = {};
  for (const [m, band] of Object.entries(derived) as [BandMetric, DerivedBand][]) {
    const benchmarks = new Set(rows.filter((r) => r.metric === m).map((r) => r.group));
    if (benchmarks.size >= MIN_BENCHMARKS_PER_BAND) out[m] = band;
  }
  return out;
}
