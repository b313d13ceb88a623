/**
 * Latency vs offered request rate: one panel per latency metric (TTFT and ITL by default), p50 dashed and
 * p99 solid per deployment, SLO thresholds as reference rules, saturated operating points drawn as crosses
 * and the first saturated rate of each deployment marked with a dotted vertical rule.
 */
import type { TopLevelSpec } from 'vega-lite';
import { highestSteadyRate } from '../../metrics/saturation.ts';
import {
  LATENCY_METRIC_LONG,
  LATENCY_METRIC_SHORT,
  type ChartLatencyMetric,
  type RatePoint,
  type SloLine,
} from '../chart-data.ts';
import {
  seriesColorEncoding,
  domainFraction,
  firstAppearance,
  firstFreeBox,
  niceLinearMax,
  textWidth,
  type PixelBox,
  fmtMs,
  fmtNum,
  quantScale,
  REFERENCE,
  panelsWidth,
  resolveLog,
  seriesSummary,
  subtitleLines,
  titleBlock,
  topLevel,
  type ChartTextOptions,
  undrawnSloNote,
} from './theme.ts';

export interface LatencyVsRateOptions extends ChartTextOptions {
  /** Latency objectives; each is drawn in the panel of its metric. */
  readonly slo?: readonly SloLine[] | undefined;
  /** Logarithmic latency axis: true, false, or 'auto' (log when values span more than 30×). Default 'auto'. */
  readonly logY?: boolean | 'auto' | undefined;
  /** Panels, in order. Default ['ttft', 'itl']. */
  readonly metrics?: readonly ChartLatencyMetric[] | undefined;
}

const P50: Readonly<Record<ChartLatencyMetric, (p: RatePoint) => number | undefined>> = {
  ttft: (p) => p.ttftP50Ms,
  itl: (p) => p.itlP50Ms,
  e2e: (p) => p.e2eP50Ms,
};
const P99: Readonly<Record<ChartLatencyMetric, (p: RatePoint) => number | undefined>> = {
  ttft: (p) => p.ttftP99Ms,
  itl: (p) => p.itlP99Ms,
  e2e: (p) => p.e2eP99Ms,
};

export const OPERATING_STATES = ['steady state', 'saturated'] as const;

/** Shape encoding shared by the rate charts: circles for steady state, crosses for saturated points. */
export function operatingPointShape(): Record<string, unknown> {
  return {
    field: 'state',
    type: 'nominal',
    title: 'Operating point',
    scale: { domain: [...OPERATING_STATES], range: ['circle', 'cross'] },
    legend: { labelExpr: "datum.label == 'saturated' ? 'saturated (queue grows)' : datum.label" },
  };
}

/** Rate points of each series sorted by rate, series in first-appearance order. */
export function bySeries(points: readonly RatePoint[]): Array<{ series: string; points: RatePoint[] }> {
  return firstAppearance(points, (p) => p.series).map((series) => ({
    series,
    points: points.filter((p) => p.series === series).sort((a, b) => a.requestRatePerS - b.requestRatePerS),
  }));
}

/** The first saturated rate of each series (series that never saturate are left out). */
export function firstSaturated(points: readonly RatePoint[]): Array<{ series: string; requestRatePerS: number }> {
  const out: Array<{ series: string; requestRatePerS: number }> = [];
  for (const s of bySeries(points)) {
    const p = s.points.find((q) => q.saturated);
    if (p !== undefined) out.push({ series: s.series, requestRatePerS: p.requestRatePerS });
  }
  return out;
}

/** "Highest steady-state rate: A 12 req/s · B 20 req/s" (the last rate before the first saturated one). */
export function steadyStateSummary(points: readonly RatePoint[]): string {
  const items = bySeries(points).map((s) => {
    const best = highestSteadyRate(s.points.map((q) => ({ rate: q.requestRatePerS, saturated: q.saturated })));
    if (best === undefined) return { series: s.series, value: null, text: 'saturated at every rate' };
    return { series: s.series, value: best, text: `${fmtNum(best)} req/s${s.points.some((q) => q.saturated) ? '' : ' (no saturation in range)'}` };
  });
  return seriesSummary('Highest steady-state rate', items, 'req/s', 'saturated at every rate');
}

const SLO_LABEL_FONT_PX = 10.5;

/**
 * The label of an SLO rule: above it at the left end (where it reads first), else wherever around the rule
 * it covers no data point (above/below, left/right end); undefined when every spot is covered (the panel
 * title then names the line instead).
 */
function sloLabelLayer(
  row: { thresholdMs: number; label: string },
  yScale: Record<string, unknown>,
  width: number,
  height: number,
  fraction: number,
  pointBoxes: readonly PixelBox[],
): Record<string, unknown> | undefined {
  const w = textWidth(row.label, SLO_LABEL_FONT_PX, true) + 2;
  const h = SLO_LABEL_FONT_PX + 3;
  const ry = height * (1 - fraction);
  const spots = [
    { x0: 4, x1: 4 + w, y0: ry - 3 - h, y1: ry - 3, align: 'left', baseline: 'bottom', dx: 4, dy: -3, at: 0 },
    { x0: width - 4 - w, x1: width - 4, y0: ry - 3 - h, y1: ry - 3, align: 'right', baseline: 'bottom', dx: -4, dy: -3, at: width },
    { x0: 4, x1: 4 + w, y0: ry + 3, y1: ry + 3 + h, align: 'left', baseline: 'top', dx: 4, dy: 3, at: 0 },
    { x0: width - 4 - w, x1: width - 4, y0: ry + 3, y1: ry + 3 + h, align: 'right', baseline: 'top', dx: -4, dy: 3, at: width },
  ];
  const spot = firstFreeBox(spots, pointBoxes, width, height);
  if (spot === undefined) return undefined;
  return {
    data: { values: [row] },
    mark: { type: 'text', align: spot.align, baseline: spot.baseline, dx: spot.dx, dy: spot.dy, color: REFERENCE, fontWeight: 'bold' },
    encoding: {
      x: { value: spot.at },
      y: { field: 'thresholdMs', ...yScale },
      text: { field: 'label', type: 'nominal' },
    },
  };
}

export function latencyVsRateSpec(points: readonly RatePoint[], options: LatencyVsRateOptions = {}): TopLevelSpec {
  const metrics = options.metrics ?? ['ttft', 'itl'];
  const width = options.width ?? 340;
  const height = options.height ?? 250;
  const seriesDomain = firstAppearance(points, (p) => p.series);
  const saturation = firstSaturated(points);

  const color = seriesColorEncoding(seriesDomain, panelsWidth(metrics.length, width));
  const panels = metrics.map((metric) => {
    const rows: Array<Record<string, string | number>> = [];
    for (const s of bySeries(points)) {
      for (const p of s.points) {
        for (const [percentile, get] of [
          ['p50', P50[metric]],
          ['p99', P99[metric]],
        ] as const) {
          const v = get(p);
          if (v === undefined || !Number.isFinite(v)) continue;
          rows.push({
            series: p.series,
            requestRatePerS: p.requestRatePerS,
            percentile,
            latencyMs: v,
            state: p.saturated ? 'saturated' : 'steady state',
          });
        }
      }
    }
    const slos = (options.slo ?? []).filter((s) => s.metric === metric);
    const log = resolveLog(options.logY ?? 'auto', [
      ...rows.map((r) => r.latencyMs as number),
      ...slos.map((s) => s.thresholdMs),
    ]);
    const short = LATENCY_METRIC_SHORT[metric];
    // explicit x domain: the SLO labels are placed in pixel space, clear of the data points
    const xMax = niceLinearMax(Math.max(0, ...points.map((p) => p.requestRatePerS)));
    const x = {
      field: 'requestRatePerS',
      type: 'quantitative',
      title: 'Offered load (requests/s)',
      scale: { domain: [0, xMax], nice: false },
    };
    const q = quantScale(log, [...rows.map((r) => r.latencyMs as number), ...slos.map((s) => s.thresholdMs)]);
    const yScale = {
      type: 'quantitative',
      title: `${short} (ms${log ? ', log scale' : ''})`,
      scale: q.scale,
      axis: q.axis,
    };
    const layers: Array<Record<string, unknown>> = [];
    if (saturation.length > 0) {
      layers.push({
        data: { values: saturation.map((s) => ({ series: s.series, requestRatePerS: s.requestRatePerS })) },
        mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.2, opacity: 0.8 },
        encoding: { x, color },
      });
    }
    layers.push(
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'latencyMs', ...yScale },
          color,
          strokeDash: {
            field: 'percentile',
            type: 'nominal',
            title: 'Percentile',
            scale: { domain: ['p50', 'p99'], range: [[5, 3], [1, 0]] },
            legend: { symbolType: 'stroke', symbolSize: 400, symbolStrokeColor: '#555555', symbolStrokeWidth: 2 },
          },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 42, opacity: 1 },
        encoding: {
          x,
          y: { field: 'latencyMs', ...yScale },
          color,
          shape: operatingPointShape(),
          tooltip: [
            { field: 'series', type: 'nominal', title: 'Deployment' },
            { field: 'requestRatePerS', type: 'quantitative', title: 'Offered load (req/s)', format: ',.3~f' },
            { field: 'percentile', type: 'nominal', title: 'Percentile' },
            { field: 'latencyMs', type: 'quantitative', title: `${short} (ms)`, format: ',.1f' },
            { field: 'state', type: 'nominal', title: 'Operating point' },
          ],
        },
      },
    );
    const crowded: string[] = [];
    if (slos.length > 0) {
      const sloRows = slos.map((s) => ({
        thresholdMs: s.thresholdMs,
        label: `${s.percentile} SLO ${fmtMs(s.thresholdMs)}`,
      }));
      layers.push({
        data: { values: sloRows },
        mark: { type: 'rule', color: REFERENCE, strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { y: { field: 'thresholdMs', ...yScale } },
      });
      const pointBoxes = rows.map((r) => {
        const px = (width * (r.requestRatePerS as number)) / xMax;
        const py = height * (1 - domainFraction(r.latencyMs as number, q.domain, log));
        return { x0: px - 5, y0: py - 5, x1: px + 5, y1: py + 5 };
      });
      for (const s of sloRows) {
        const label = sloLabelLayer(s, yScale, width, height, domainFraction(s.thresholdMs, q.domain, log), pointBoxes);
        if (label) layers.push(label);
        else crowded.push(s.label);
      }
    }
    return {
      title: {
        text: LATENCY_METRIC_LONG[metric],
        fontSize: 13,
        ...(crowded.length > 0 ? { subtitle: `dashed: ${crowded.join(', ')}`, subtitleFontSize: 11 } : {}),
      },
      width,
      height,
      data: { values: rows },
      layer: layers,
    };
  });

  const extra = [steadyStateSummary(points), undrawnSloNote(options.slo ?? [], metrics)];
  if (saturation.length > 0) extra.push('Crosses: saturated points (queue grows without bound); dotted lines: first saturated rate.');
  return topLevel(titleBlock(options.title ?? 'Latency vs offered load', subtitleLines(options, extra)), {
    hconcat: panels,
    resolve: { scale: { y: 'independent' }, axis: { y: 'independent' } },
  });
}
