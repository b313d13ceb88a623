import type { Deployment } from '../cost/deployment.ts';
import type { BandMetric, CalibrationBands, LogBand } from '../schema/calibration.ts';
import type { DistributionStats } from './result.ts';
import type { SloMetric } from './slo.ts';

/**
 * How sure a prediction is: 80% bands around the predicted mean and p99 of TTFT, TPOT, ITL and E2E.
 * A band combines (in quadrature, as log-normal errors) the calibration's band — its cross-validated
 * residual spread and parameter uncertainty, widened for transferred and datasheet-only calibrations by
 * their measured held-out error (src/calibration/bands.ts, src/calibration/provenance-bands.ts) — with the
 * run's own seed variance (the standard error of the statistic over the simulated requests). Coverage is
 * checked on held-out data in docs/validation.md ("Uncertainty bands").
 */
export interface PredictionUncertainty {
  /** what the band rests on, or why there is none */
  readonly basis: string;
  /** [low, high] seconds, 80% band, per statistic; absent without a band */
  readonly band80?: Readonly<Partial<Record<UncertainStatistic, readonly [number, number]>>>;
  /**
   * with an SLO: the probability that every objective is met, each objective's error log-normal with its
   * statistic's band and seed variance, objectives independent (a lower bound when errors move together)
   */
  readonly probabilityMeetsSlo?: number;
}

export type UncertainStatistic = 'ttftMeanS' | 'tpotMeanS' | 'e2eMeanS' | 'itlMeanS' | 'ttftP99S' | 'tpotP99S' | 'e2eP99S' | 'itlP99S';

/** z of the 90th percentile of a standard normal: an 80% central band is ±Z80 σ */
export const Z80 = 1.2815515655446004;

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 on erf; absolute error below 1.5e-7). */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p <= 0 ? -Infinity : Infinity;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** The family whose band an SLO metric borrows: ITL is a per-gap TPOT, queue time is part of TTFT. */
const FAMILY: Readonly<Record<SloMetric, 'ttft' | 'tpot' | 'e2e'>> = { ttft: 'ttft', itl: 'tpot', tpot: 'tpot', e2e: 'e2e', queue: 'ttft' };

/**
 * The band of one statistic: the mean and the median use the family's mean band; p90 and above use the
 * family's p90 or p99 band where the calibration has one, else the mean band widened to a tail band the
 * calibration does have — E2E p99's for TPOT/ITL, else the widest (tails miss more than means:
 * docs/validation.md, BLIS showdown tails).
 */
export function bandFor(bands: CalibrationBands['byMetric'], metric: SloMetric, percentile: number | 'mean'): LogBand | undefined {
  const family = FAMILY[metric];
  const base = bands[family];
  if (percentile === 'mean' || percentile <= 0.5) return base;
  const key: BandMetric | undefined = family === 'tpot' ? undefined : percentile >= 0.95 ? `${family}_p99` : `${family}_p90`;
  const own = key ? bands[key] : undefined;
  if (own) return own;
  // TPOT/ITL tails borrow E2E's p99 width (a request's E2E is mostly its decode); others the widest p99
  const borrowed: readonly BandMetric[] = family === 'tpot' && bands.e2e_p99 ? ['e2e_p99'] : ['ttft_p99', 'e2e_p99'];
  const widest = Math.max(0, ...borrowed.map((k) => bands[k]?.halfWidthLog ?? 0));
  return base ? { shiftLog: base.shiftLog, halfWidthLog: Math.max(base.halfWidthLog, widest) } : undefined;
}

/**
 * Seed variance of one simulated statistic, as a log standard deviation: the standard error of the mean
 * (σ/√n), or of a sample quantile under a normal approximation (√(p(1−p)) / φ(z_p) · σ/√n), relative to
 * the value. The runs are autocorrelated (requests share batches), so this is a lower bound; it matters
 * for short runs, where it should widen the band.
 */
export function seedSdLog(stats: Pick<DistributionStats, 'count' | 'stdev'>, valueS: number, percentile: number | 'mean'): number {
  if (!(stats.count > 0 && valueS > 0 && Number.isFinite(stats.stdev))) return 0;
  const se = stats.stdev / Math.sqrt(stats.count);
  if (percentile === 'mean') return se / valueS;
  const p = Math.min(0.999, Math.max(0.001, percentile));
  const z = normalQuantile(p);
  const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  return (Math.sqrt(p * (1 - p)) / density) * (se / valueS);
}

/** log-normal σ of the total error: the band's (half-width / Z80) and the seed variance, in quadrature */
export function totalSdLog(band: LogBand, seedSd = 0): number {
  return Math.sqrt((band.halfWidthLog / Z80) ** 2 + seedSd ** 2);
}

/** [low, high] of the 80% band around a predicted value, seconds (or whatever unit the value is in). */
export function interval80(value: number, band: LogBand, seedSd = 0): readonly [number, number] {
  const w = Z80 * totalSdLog(band, seedSd);
  return [value * Math.exp(band.shiftLog - w), value * Math.exp(band.shiftLog + w)];
}

/**
 * Probability that the real value is at most `limit` when the prediction is `value`: the error is taken
 * as log-normal, log(real/predicted) ~ N(shift, σ²). An infinite prediction (a backlogged queue) never
 * meets a limit; a band of zero width is a step.
 */
export function probabilityAtMost(value: number, limit: number, band: LogBand, seedSd = 0): number {
  if (!Number.isFinite(value)) return 0;
  if (!(value > 0)) return 1;
  const sd = totalSdLog(band, seedSd);
  const margin = Math.log(limit / value) - band.shiftLog;
  if (sd === 0) return margin >= 0 ? 1 : 0;
  return normalCdf(margin / sd);
}

/** A calibration's bands: the resolved ones, else a fitted file's bare half-widths (centred), else none. */
export function bandsOf(d: Deployment): CalibrationBands | undefined {
  const c = d.calibration;
  if (c.bands && Object.keys(c.bands.byMetric).length > 0) return c.bands;
  if (!c.band80 || Object.keys(c.band80).length === 0) return undefined;
  const byMetric = Object.fromEntries(Object.entries(c.band80).map(([k, w]) => [k, { shiftLog: 0, halfWidthLog: w }]));
  return { basis: `calibration ${c.id}: fitted band`, byMetric };
}

type Stats = Pick<DistributionStats, 'count' | 'stdev' | 'mean' | 'p99'>;
type Latency = Readonly<Record<'ttft' | 'tpot' | 'e2e' | 'itl' | 'queue_time', Stats>>;
interface SloCheck {
  readonly metric: string;
  readonly percentile: number | 'mean';
  readonly thresholdS: number;
  readonly valueS: number;
}

/** P(every objective met) of one run's SLO checks (see PredictionUncertainty.probabilityMeetsSlo) */
export function probabilityMeetsSlo(bands: CalibrationBands, latency: Latency, checks: readonly SloCheck[]): number {
  let p = 1;
  for (const c of checks) {
    const metric = c.metric as SloMetric;
    const band = bandFor(bands.byMetric, metric, c.percentile);
    const stats = latency[metric === 'queue' ? 'queue_time' : metric];
    p *= band ? probabilityAtMost(c.valueS, c.thresholdS, band, stats ? seedSdLog(stats, c.valueS, c.percentile) : 0) : c.valueS <= c.thresholdS ? 1 : 0;
  }
  return p;
}

export function predictionUncertainty(d: Deployment, latency: Latency, slo?: readonly SloCheck[]): PredictionUncertainty {
  const bands = bandsOf(d);
  if (!bands) return { basis: `calibration ${d.calibration.id} carries no band (bare calibration values)` };
  const band80: Partial<Record<UncertainStatistic, readonly [number, number]>> = {};
  for (const m of ['ttft', 'tpot', 'e2e', 'itl'] as const) {
    for (const [stat, key] of [['mean', `${m}MeanS`], [0.99, `${m}P99S`]] as const) {
      const s = latency[m];
      const v = stat === 'mean' ? s.mean : s.p99;
      const band = bandFor(bands.byMetric, m, stat);
      if (band && Number.isFinite(v) && v > 0) band80[key] = interval80(v, band, seedSdLog(s, v, stat));
    }
  }
  return { basis: bands.basis, band80, ...(slo && slo.length > 0 ? { probabilityMeetsSlo: probabilityMeetsSlo(bands, latency, slo) } : {}) };
}
