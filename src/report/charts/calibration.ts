/**
 * Calibration: predicted vs measured, one square panel per metric with the y = x line and ±10% / ±25%
 * bands; fit points (used to calibrate) and check points (held out) drawn differently. The subtitle and the
 * panel titles give the held-out error so the chart states how far to trust the model.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CalibrationPoint } from '../chart-data.ts';
import {
  firstAppearance,
  fmtPercent,
  logTicks,
  niceLogDomain,
  positive,
  resolveLog,
  roundSig,
  subtitleLines,
  titleBlock,
  topLevel,
  type ChartTextOptions,
} from './theme.ts';

export interface CalibrationOptions extends ChartTextOptions {
  /** Log axes: true, false or 'auto' (log when a panel's values span more than 30×). Default 'auto'. */
  readonly log?: boolean | 'auto' | undefined;
  /** Panels per row (default 3). */
  readonly columns?: number | undefined;
}

export const SPLITS = ['fit', 'check'] as const;
const SPLIT_LABEL = { fit: 'fit (used to calibrate)', check: 'check (held out)' } as const;

/** |predicted ÷ measured − 1| */
export function relativeError(p: CalibrationPoint): number {
  return Math.abs(p.predicted / p.measured - 1);
}

export interface ErrorSummary {
  readonly n: number;
  readonly medianAbsError: number;
  readonly within10: number;
  readonly within25: number;
}

export function errorSummary(points: readonly CalibrationPoint[]): ErrorSummary | null {
  const errs = points
    .filter((p) => p.measured > 0)
    .map(relativeError)
    .sort((a, b) => a - b);
  const n = errs.length;
  if (n === 0) return null;
  const median = n % 2 === 1 ? (errs[(n - 1) / 2] as number) : ((errs[n / 2 - 1] as number) + (errs[n / 2] as number)) / 2;
  return {
    n,
    medianAbsError: median,
    within10: errs.filter((e) => e <= 0.1 + 1e-12).length / n,
    within25: errs.filter((e) => e <= 0.25 + 1e-12).length / n,
  };
}

function summaryText(s: ErrorSummary): string {
  return `median |error| ${fmtPercent(s.medianAbsError, 1)}, ${fmtPercent(s.within10)} within ±10%, ${fmtPercent(s.within25)} within ±25% (n = ${s.n})`;
}

/** Equal x and y scales of a parity panel: log when asked (or 'auto' finds a wide span) and every value is positive. */
function parityAxes(values: readonly number[], unit: string, logOption: boolean | 'auto'): { domain: [number, number]; x: Record<string, unknown>; y: Record<string, unknown> } {
  const log = resolveLog(logOption, values) && positive(values).length === values.length;
  let domain: [number, number];
  if (log) {
    domain = niceLogDomain(values, 1.35);
  } else {
    const hi = Math.max(0, ...values) * 1.08;
    const step = 10 ** Math.floor(Math.log10(hi || 1));
    domain = [0, roundSig(Math.ceil(hi / step) * step)];
  }
  const scale = log ? { type: 'log', domain, nice: false } : { domain, nice: false };
  const axis = log ? { values: logTicks(domain), format: '~s' } : { format: ',~r', tickCount: 5 };
  const suffix = log ? ', log scale' : '';
  return {
    domain,
    x: { field: 'measured', type: 'quantitative', title: `Measured (${unit}${suffix})`, scale, axis },
    y: { field: 'predicted', type: 'quantitative', title: `Predicted (${unit}${suffix})`, scale, axis },
  };
}

/** The calibration points, coloured, shaped and filled by split (fit solid, check hollow). */
function calibrationPointsLayer(mine: readonly CalibrationPoint[], x: Record<string, unknown>, y: Record<string, unknown>, unit: string): Record<string, unknown> {
  const bySplit = (range: readonly string[]): Record<string, unknown> => ({
    field: 'split',
    type: 'nominal',
    title: 'Calibration points',
    scale: { domain: SPLITS.map((s) => SPLIT_LABEL[s]), range },
  });
  return {
    data: {
      values: mine.map((p) => ({
        label: p.label,
        split: SPLIT_LABEL[p.split],
        measured: p.measured,
        predicted: p.predicted,
        errorPct: roundSig(((p.predicted - p.measured) / p.measured) * 100, 6),
      })),
    },
    mark: { type: 'point', size: 46, strokeWidth: 1.6 },
    encoding: {
      x,
      y,
      color: bySplit(['#0072B2', '#D55E00']),
      shape: bySplit(['circle', 'diamond']),
      fill: bySplit(['#0072B2', 'white']),
      tooltip: [
        { field: 'label', type: 'nominal', title: 'Scenario' },
        { field: 'split', type: 'nominal', title: 'Split' },
        { field: 'measured', type: 'quantitative', title: `Measured (${unit})`, format: ',.4~r' },
        { field: 'predicted', type: 'quantitative', title: `Predicted (${unit})`, format: ',.4~r' },
        { field: 'errorPct', type: 'quantitative', title: 'Error (%)', format: '+.1f' },
      ],
    },
  };
}

/** One metric's parity panel: ±25% and ±10% bands, the y = x line and the points. */
function calibrationPanel(metric: string, mine: readonly CalibrationPoint[], size: number, logOption: boolean | 'auto'): Record<string, unknown> {
  const unit = mine[0]?.unit ?? '';
  const { domain, x, y } = parityAxes(mine.flatMap((p) => [p.measured, p.predicted]), unit, logOption);
  const [lo, hi] = domain;
  const band = (f: number): Array<Record<string, number>> =>
    [lo === 0 ? 0 : lo, hi].map((m) => ({ measured: m, predicted: roundSig(m * (1 - f), 8), predicted2: roundSig(m * (1 + f), 8) }));
  const bandLayer = (f: number, fill: string): Record<string, unknown> => ({
    data: { values: band(f) },
    mark: { type: 'area', color: fill, clip: true },
    encoding: { x, y, y2: { field: 'predicted2' } },
  });
  const check = errorSummary(mine.filter((p) => p.split === 'check'));
  return {
    title: {
      text: metric,
      subtitle: check === null ? 'no held-out points' : `check: median |error| ${fmtPercent(check.medianAbsError, 1)}`,
      fontSize: 13,
      subtitleFontSize: 11,
    },
    width: size,
    height: size,
    layer: [
      bandLayer(0.25, '#eeeeee'),
      bandLayer(0.1, '#d9d9d9'),
      {
        data: { values: [{ measured: lo, predicted: lo }, { measured: hi, predicted: hi }] },
        mark: { type: 'line', color: '#555555', strokeWidth: 1.2, strokeDash: [4, 3], clip: true },
        encoding: { x, y },
      },
      calibrationPointsLayer(mine, x, y, unit),
    ],
  };
}

export function calibrationSpec(points: readonly CalibrationPoint[], options: CalibrationOptions = {}): TopLevelSpec {
  const size = options.width ?? 250;
  const metrics = firstAppearance(points, (p) => p.metric);
  const panels = metrics.map((metric) => calibrationPanel(metric, points.filter((p) => p.metric === metric), size, options.log ?? 'auto'));

  const extra: string[] = [];
  const checkAll = errorSummary(points.filter((p) => p.split === 'check'));
  const fitAll = errorSummary(points.filter((p) => p.split === 'fit'));
  if (checkAll !== null) extra.push(`Held-out check points: ${summaryText(checkAll)}.`);
  if (fitAll !== null) extra.push(`Fit points: ${summaryText(fitAll)}. Bands: ±10% (dark) and ±25% (light) around y = x.`);
  return topLevel(titleBlock(options.title ?? 'Calibration: predicted vs measured', subtitleLines(options, extra)), {
    concat: panels,
    columns: options.columns ?? 3,
    resolve: { scale: { x: 'independent', y: 'independent' } },
  });
}
