/**
 * 80% bands for calibrations that were not fitted to this GPU × engine, from their measured held-out error
 * rather than "no band": a transferred calibration (another GPU's fit moved by the transfer rule) and
 * datasheet defaults are as wrong, on data they never saw, as the leave-one-GPU-out study measured
 * (docs/validation-loso.md, "Transfer rule, leave-one-GPU-out"; `npm run validate:loso`). The medians
 * below are that table's rows (median APE per GPU × calibration, every engine family pooled);
 * test/calibration/provenance-bands.test.ts checks they still match the generated doc.
 *
 * A median APE m is turned into an 80% half-width as if log errors were centred normal: the median of
 * |x| is 0.6745 σ and the 80% band is ±1.2816 σ, so w = (1.2816 / 0.6745) · ln(1 + m). The APE does not say
 * the sign, and ln(1 + m) is the smaller of the two readings, so the pooled median of the rows (which are
 * themselves medians over a sweep's points) is used rather than a lower quantile. The band is centred
 * (shift 0): the transfers err both ways.
 */
import type { BandMetric, CalibrationBands, CalibrationFile, LogBand } from '../schema/calibration.ts';

type MeanMetric = 'ttft' | 'tpot' | 'e2e';

/** docs/validation-loso.md, leave-one-GPU-out: median APE (%) of TTFT, ITL/TPOT, E2E per scored GPU × calibration */
export const LEAVE_ONE_GPU_OUT_APE_PERCENT: Readonly<Record<'transferred' | 'datasheet only', Readonly<Record<MeanMetric, readonly number[]>>>> = {
  transferred: {
    ttft: [5.0, 199.8, 12.1, 312.5, 94.0, 93.8, 13.9, 20.4, 31.8, 34.1, 46.1, 42.2, 761.3, 12.1, 89.1, 88.8, 6.2, 397.7],
    tpot: [4.9, 6.2, 5.8, 39.0, 55.2, 48.8, 7.8, 13.1, 27.8, 30.0, 34.6, 34.6, 183.6, 9.0, 18.8, 11.0, 22.6, 21.4],
    e2e: [5.8, 53.8, 69.5, 64.0, 17.4, 10.7, 11.2, 13.8, 284.2, 31.2, 16.8, 8.5, 8.8, 64.6],
  },
  'datasheet only': {
    ttft: [28.8, 21.0, 94.4, 20.1, 33.7, 46.1, 4.7, 89.7, 13.5],
    tpot: [18.5, 15.0, 63.1, 13.1, 30.0, 34.6, 20.4, 25.2, 30.0],
    e2e: [15.1, 73.9, 10.7, 13.8, 8.5, 22.5, 17.8],
  },
};

/** ratio of the 80% half-width to the median absolute error of a centred normal */
const MEDIAN_TO_W80 = 1.2815515655446004 / 0.6744897501960817;
/** a band from a few check points is not trusted below this (log ratio, ≈ ±10%) */
export const MIN_HALF_WIDTH_LOG = 0.1;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};

/** 80% half-width (log ratio) from a median APE in percent */
export function halfWidthFromMedianApe(apePercent: number): number {
  return MEDIAN_TO_W80 * Math.log(1 + apePercent / 100);
}

/**
 * The widths of one provenance. E2E is at least as wide as TPOT: a request's E2E is mostly its decode, and
 * the E2E rows are fewer (one GPU states no E2E).
 */
export function provenanceWidths(kind: 'transferred' | 'datasheet only'): Record<MeanMetric, number> {
  const t = LEAVE_ONE_GPU_OUT_APE_PERCENT[kind];
  const ttft = halfWidthFromMedianApe(median(t.ttft));
  const tpot = halfWidthFromMedianApe(median(t.tpot));
  const e2e = Math.max(tpot, halfWidthFromMedianApe(median(t.e2e)));
  return { ttft, tpot, e2e };
}

const centred = (w: Record<MeanMetric, number>): Partial<Record<BandMetric, LogBand>> =>
  Object.fromEntries((['ttft', 'tpot', 'e2e'] as const).map((m) => [m, { shiftLog: 0, halfWidthLog: w[m] }]));

export function datasheetBands(id: string): CalibrationBands {
  return {
    basis: `calibration ${id} is datasheet-only (never fitted): band from the held-out error of datasheet defaults, leave-one-GPU-out (docs/validation-loso.md)`,
    byMetric: centred(provenanceWidths('datasheet only')),
  };
}

/** A fitted file's own band: its derived band80 (and centre), else one from its recorded held-out median APEs. */
export function fittedBands(file: CalibrationFile): CalibrationBands | undefined {
  const fit = file.fit;
  if (fit?.band80 && Object.keys(fit.band80).length > 0) {
    const byMetric = Object.fromEntries(
      Object.entries(fit.band80).map(([m, w]) => [m, { shiftLog: fit.band80_shift?.[m as BandMetric] ?? 0, halfWidthLog: w }]),
    );
    return { basis: `calibration ${file.id} (fitted): 80% band from cross-validated residuals and parameter uncertainty (docs/validation.md, "Uncertainty bands")`, byMetric };
  }
  const check = fit?.check_error ?? {};
  const apeOf = (m: MeanMetric) =>
    Object.entries(check).find(([k]) => k.endsWith('median_ape') && (k.startsWith(`${m}.`) || (m === 'tpot' && k.startsWith('itl_tpot.'))))?.[1];
  const widths: Partial<Record<BandMetric, LogBand>> = {};
  for (const m of ['ttft', 'tpot', 'e2e'] as const) {
    const ape = apeOf(m);
    if (ape !== undefined) widths[m] = { shiftLog: 0, halfWidthLog: Math.max(MIN_HALF_WIDTH_LOG, halfWidthFromMedianApe(ape)) };
  }
  if (Object.keys(widths).length === 0) return undefined;
  return { basis: `calibration ${file.id} (fitted): band from its held-out median APE (check split), at least ±${Math.round(MIN_HALF_WIDTH_LOG * 100)}% in log`, byMetric: widths };
}

/**
 * Bands of transferred calibrations per engine × GPU ("vllm/h200-sxm"), from their error on the fit half of
 * the public measurements for that GPU (scripts/provenance-band-widths.ts), checked on the check half in
 * docs/validation.md. A GPU × engine or statistic missing here keeps the leave-one-GPU-out widths above.
 */
// generated: begin (scripts/provenance-band-widths.ts --write; do not edit by hand)
export const TRANSFERRED_BANDS: Readonly<Record<string, Readonly<Partial<Record<BandMetric, LogBand>>>>> = {

};
// generated: end

/** A transferred calibration: the measured transfer error per statistic, never narrower than the donor's own band. */
export function transferredBands(id: string, donor: CalibrationBands | undefined, group: string): CalibrationBands {
  const loso = provenanceWidths('transferred');
  const own = TRANSFERRED_BANDS[group] ?? {};
  const byMetric: Partial<Record<BandMetric, LogBand>> = {};
  const keys = new Set<BandMetric>(['ttft', 'tpot', 'e2e', ...(Object.keys(own) as BandMetric[])]);
  for (const m of keys) {
    const measured = own[m] ?? (m === 'ttft' || m === 'tpot' || m === 'e2e' ? { shiftLog: 0, halfWidthLog: loso[m] } : undefined);
    if (!measured) continue;
    byMetric[m] = { shiftLog: measured.shiftLog, halfWidthLog: Math.max(measured.halfWidthLog, donor?.byMetric[m]?.halfWidthLog ?? 0) };
  }
  const basis =
    Object.keys(own).length > 0
      ? `calibration ${id} was transferred from another GPU: band from the measured error of transferred calibrations on held-out ${group} data (docs/validation.md, "Uncertainty bands")`
      : `calibration ${id} was transferred from another GPU: band from the measured transfer error, leave-one-GPU-out (docs/validation-loso.md)`;
  return { basis, byMetric };
}
