/**
 * Deriving a fitted calibration's 80% bands from held-out error, not in-sample residuals.
 *
 * In-sample residuals understate the error on new data: the fit has bent the parameters towards the very
 * points it is scored on (the shipped vLLM H100 band from residual RMS covered 65–85% of held-out stages).
 * So each fit group (one experiment: all its stages and metrics) is left out in turn, and its points are
 * predicted by the fit without it. Refitting per group is too slow for a simulator in the loop, so the
 * leave-one-group-out parameters come from the Gauss–Newton linearisation at the solution (the grouped
 * PRESS / case-deletion identity):
 *
 *   A = Σₖ Jₖᵀ Jₖ + P          (fitted rows and the prior's precision P)
 *   δ₍g₎ = (A − J_gᵀ J_g)⁻¹ J_gᵀ e_g      (the parameter shift when group g is dropped)
 *   ẽₖ = eₖ + Jₖ δ₍g₎          for every row k of group g, tails included
 *
 * with eₖ = log(predicted/measured) and Jₖ = ∂ log(predicted)/∂θ. Per metric, the band's centre is the
 * median of the cross-validated log(measured/predicted), its half-width the 80th percentile of their
 * absolute deviation from that centre, combined in quadrature with the parameter uncertainty at the fit
 * points (√ mean Jₖ Cov Jₖᵀ, Cov = s² A⁻¹, s² = RSS/(n − p)). With row weights wₖ (BandRow.weight, the fit's
 * own) the normal equations are weighted (A = Σ wₖ Jₖᵀ Jₖ + P, the leave-out gradient Σ wₖ Jₖ eₖ, RSS = Σ wₖ eₖ²,
 * n = Σ wₖ), so δ₍g₎ is the shift of that fit; the quantiles still count each held-out row once. Weighted
 * quantiles were tried on the vLLM H100 fit (each model alike): with ten models, one single-stage outlier
 * (a 0.94-s TTFT) carried 10% of the weight and widened the TTFT band from ×1.3 to ×1.7. The cross-validated
 * residuals already carry part of the parameter uncertainty, so the quadrature errs wide. Rows of metrics that were not fitted
 * (tails) still move with δ₍g₎. Rows with no Jacobian get no leave-out correction (in-sample).
 */
import type { BandMetric, LogBand } from '../schema/calibration.ts';
import { normalQuantile, Z80 } from '../metrics/uncertainty.ts';
import { invertSymmetric } from './identifiability.ts';

export interface BandRow {
  /** the unit left out together (an experiment, a sweep) */
  readonly group: string;
  /** undefined for a fitted row that gets no band (a throughput): it still constrains the parameters */
  readonly metric: BandMetric | undefined;
  readonly predictedS: number;
  readonly measuredS: number;
  /** ∂ log(predicted) / ∂ parameter at the solution, one entry per fitted parameter */
  readonly jacobian?: readonly number[];
  /** true when the row was in the fit's objective (means); tails are predicted but not fitted */
  readonly fitted: boolean;
  /**
   * the row's weight in the fit's objective (default 1), e.g. 1 / (stages of its model) when every model
   * weighs the same: it weighs the row in the normal equations, not in the band's quantiles
   */
  readonly weight?: number;
}

export interface DerivedBand extends LogBand {
  /** rows behind the band */
  readonly n: number;
  /** the cross-validated quantile alone (log ratio half-width) */
  readonly crossValidatedHalfWidthLog: number;
  /** parameter uncertainty at the fit points (one log standard deviation) */
  readonly parameterSdLog: number;
}

export interface BandOptions {
  /** the prior's precision per parameter (its residual weight squared); 0 for none */
  readonly priorPrecision: readonly number[];
  /** central coverage of the band (default 0.8) */
  readonly level?: number;
}

const logRatio = (r: BandRow) => Math.log(r.predictedS / r.measuredS);
const usable = (r: BandRow) => r.predictedS > 0 && r.measuredS > 0 && Number.isFinite(r.predictedS) && Number.isFinite(r.measuredS);

/** nearest-rank quantile of sorted values */
export function nearestRank(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};

const weightOf = (r: BandRow): number => r.weight ?? 1;

const outer = (rows: readonly (readonly number[])[], p: number, weights?: readonly number[]): number[][] =>
  Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => rows.reduce((s, j, k) => s + (weights ? weights[k]! : 1) * j[a]! * j[b]!, 0)));
const matVec = (m: readonly (readonly number[])[], v: readonly number[]) => m.map((row) => row.reduce((s, x, i) => s + x * v[i]!, 0));
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

/** Leave-one-group-out log(predicted/measured) of every usable row (linearised), in input order. */
export function crossValidatedLogRatios(rows: readonly BandRow[], priorPrecision: readonly number[]): number[] {
  const ok = rows.filter(usable);
  const p = priorPrecision.length;
  const withJ = (r: BandRow) => r.jacobian !== undefined && r.jacobian.length === p;
  const fitted = ok.filter((r) => r.fitted && withJ(r));
  const a = outer(fitted.map((r) => r.jacobian!), p, fitted.map(weightOf)).map((row, i) => row.map((x, j) => x + (i === j ? priorPrecision[i]! : 0)));
  const shifts = new Map<string, readonly number[] | undefined>();
  for (const g of new Set(ok.map((r) => r.group))) {
    const own = fitted.filter((r) => r.group === g);
    if (p === 0 || own.length === 0) {
      shifts.set(g, undefined);
      continue;
    }
    const jg = own.map((r) => r.jacobian!);
    const og = outer(jg, p, own.map(weightOf));
    const inv = invertSymmetric(a.map((row, i) => row.map((x, j) => x - og[i]![j]!)));
    const grad = Array.from({ length: p }, (_, j) => own.reduce((s, r) => s + weightOf(r) * r.jacobian![j]! * logRatio(r), 0));
    shifts.set(g, inv ? matVec(inv, grad) : undefined);
  }
  return ok.map((r) => {
    const delta = shifts.get(r.group);
    return logRatio(r) + (delta && withJ(r) ? dot(r.jacobian!, delta) : 0);
  });
}

/** Parameter uncertainty of log(predicted) at each row: √(Jₖ Cov Jₖᵀ), Cov = s² A⁻¹. */
function parameterSds(rows: readonly BandRow[], priorPrecision: readonly number[]): number[] {
  const p = priorPrecision.length;
  const ok = rows.filter(usable);
  const fitted = ok.filter((r) => r.fitted && r.jacobian?.length === p);
  if (p === 0 || fitted.length === 0) return ok.map(() => 0);
  const a = outer(fitted.map((r) => r.jacobian!), p, fitted.map(weightOf)).map((row, i) => row.map((x, j) => x + (i === j ? priorPrecision[i]! : 0)));
  const inv = invertSymmetric(a);
  const rss = fitted.reduce((s, r) => s + weightOf(r) * logRatio(r) ** 2, 0);
  const n = fitted.reduce((s, r) => s + weightOf(r), 0);
  const s2 = n > p ? rss / (n - p) : 0.01;
  return ok.map((r) => (inv && r.jacobian?.length === p ? Math.sqrt(Math.max(0, s2 * dot(r.jacobian, matVec(inv, r.jacobian)))) : 0));
}

/** Per metric: the band centre, half-width and what they rest on (module comment). */
export function deriveBands(rows: readonly BandRow[], options: BandOptions): Partial<Record<BandMetric, DerivedBand>> {
  const level = options.level ?? 0.8;
  const z = level === 0.8 ? Z80 : normalQuantile(0.5 + level / 2);
  const ok = rows.filter(usable);
  const cv = crossValidatedLogRatios(rows, options.priorPrecision);
  const sds = parameterSds(rows, options.priorPrecision);
  const out: Partial<Record<BandMetric, DerivedBand>> = {};
  for (const m of new Set(ok.flatMap((r) => (r.metric === undefined ? [] : [r.metric])))) {
    const idx = ok.flatMap((r, i) => (r.metric === m ? [i] : []));
    const measuredOverPredicted = idx.map((i) => -cv[i]!);
    const shiftLog = median(measuredOverPredicted);
    const deviations = measuredOverPredicted.map((x) => Math.abs(x - shiftLog)).sort((a, b) => a - b);
    const crossValidatedHalfWidthLog = nearestRank(deviations, level);
    const parameterSdLog = Math.sqrt(idx.reduce((s, i) => s + sds[i]! ** 2, 0) / idx.length);
    const halfWidthLog = Math.sqrt(crossValidatedHalfWidthLog ** 2 + (z * parameterSdLog) ** 2);
    out[m] = { shiftLog, halfWidthLog, n: idx.length, crossValidatedHalfWidthLog, parameterSdLog };
  }
  return out;
}

/** Share of rows whose measured value lies in predicted × exp(shift ± halfWidth) of their metric's band. */
export function coverageOf(
  rows: readonly Pick<BandRow, 'metric' | 'predictedS' | 'measuredS'>[],
  bands: Readonly<Partial<Record<BandMetric, LogBand>>>,
): Partial<Record<BandMetric, { inside: number; n: number }>> {
  const out: Partial<Record<BandMetric, { inside: number; n: number }>> = {};
  for (const r of rows) {
    const b = r.metric === undefined ? undefined : bands[r.metric];
    if (!b || !(r.predictedS > 0 && r.measuredS > 0)) continue;
    const c = (out[r.metric!] ??= { inside: 0, n: 0 });
    c.n++;
    if (Math.abs(Math.log(r.measuredS / r.predictedS) - b.shiftLog) <= b.halfWidthLog + 1e-12) c.inside++;
  }
  return out;
}

/** A fit file's band fields (rounded to 1e-4, as the calibration files store values). */
export function bandFields(bands: Partial<Record<BandMetric, DerivedBand>>): { band80: Partial<Record<BandMetric, number>>; band80_shift: Partial<Record<BandMetric, number>> } {
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const entries = Object.entries(bands) as [BandMetric, DerivedBand][];
  return {
    band80: Object.fromEntries(entries.map(([m, b]) => [m, round(b.halfWidthLog)])),
    band80_shift: Object.fromEntries(entries.map(([m, b]) => [m, round(b.shiftLog)])),
  };
}
