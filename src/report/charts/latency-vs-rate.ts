/**
 * Latency vs offered request rate: one panel per latency metric (TTFT and ITL by default, TPOT beside ITL
 * when the points carry it), p50 dashed and
 * p99 solid per deployment, SLO thresholds as reference rules, saturated operating points drawn as crosses
 * and the first saturated rate of each deployment marked with a dotted vertical rule.
 */
import type { TopLevelSpec } from 'vega-lite';
import { highestSteadyRate } from '../../metrics/saturation.ts';
import { RATE_METRIC_LONG, RATE_METRIC_SHORT, type RateLatencyMetric, type RatePoint, type SloLine } from '../chart-data.ts';
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
  /** Panels, in order. Default ['ttft', 'itl'], and 'tpot' after them when the points carry TPOT. */
  readonly metrics?: readonly RateLatencyMetric[] | undefined;
}

const P50: Readonly<Record<RateLatencyMetric, (p: RatePoint) => number | undefined>> = {
  ttft: (p) => p.ttftP50Ms,
  itl: (p) => p.itlP50Ms,
  tpot: (p) => p.tpotP50Ms,
  e2e: (p) => p.e2eP50Ms,
};
const P99: Readonly<Record<RateLatencyMetric, (p: RatePoint) => number | undefined>> = {
  ttft: (p) => p.ttftP99Ms,
  itl: (p) => p.itlP99Ms,
  tpot: (p) => p.tpotP99Ms,
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

/** TTFT and ITL, and TPOT next to ITL when the points carry it. */
function defaultPanels(points: readonly RatePoint[]): RateLatencyMetric[] {
  const hasTpot = points.some((p) => Number.isFinite(p.tpotP50Ms ?? NaN) || Number.isFinite(p.tpotP99Ms ?? NaN));
  return hasTpot ? ['ttft', 'itl', 'tpot'] : ['ttft', 'itl'];
}

type PanelRow = Record<string, string | number>;

/** One row per series × rate × percentile that has a finite value of `metric`. */
function panelRows(points: readonly RatePoint[], metric: RateLatencyMetric): PanelRow[] {
  const rows: PanelRow[] = [];
  for (const s of bySeries(points)) {
    for (const p of s.points) {
      for (const [percentile, get] of [
        ['p50', P50[metric]],
        ['p99', P99[metric]],
      ] as const) {
        const v = get(p);
        if (v === undefined || !Number.isFinite(v)) continue;
        const band = percentile === 'p99' ? p.p99Band80Ms?.[metric] : undefined;
        rows.push({
          series: p.series,
          requestRatePerS: p.requestRatePerS,
          percentile,
          latencyMs: v,
          state: p.saturated ? 'saturated' : 'steady state',
          ...(band ? { bandLowMs: band[0], bandHighMs: band[1] } : {}),
        });
      }
    }
  }
  return rows;
}

/** Dotted vertical rule at each series' first saturated rate. */
function saturationLayer(saturation: ReturnType<typeof firstSaturated>, x: Encoding, color: Encoding): Encoding {
  return {
    data: { values: saturation.map((s) => ({ series: s.series, requestRatePerS: s.requestRatePerS })) },
    mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.2, opacity: 0.8 },
    encoding: { x, color },
  };
}

/** The p99's 80% prediction band: a shaded area per series (points without a band are left out). */
function bandLayer(x: Encoding, yScale: Encoding, color: Encoding): Encoding {
  return {
    transform: [{ filter: 'isValid(datum.bandLowMs) && isValid(datum.bandHighMs)' }],
    mark: { type: 'area', opacity: 0.16, interpolate: 'monotone' },
    encoding: {
      x,
      y: { field: 'bandLowMs', ...yScale },
      y2: { field: 'bandHighMs' },
      color: { ...color, legend: null },
      detail: { field: 'series', type: 'nominal' },
    },
  };
}

/** p50 dashed and p99 solid lines, and the operating points on them (crosses when saturated). */
function latencyLineLayers(x: Encoding, yScale: Encoding, color: Encoding, short: string, withBands: boolean): Encoding[] {
  return [
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
          ...(withBands
            ? [
                { field: 'bandLowMs', type: 'quantitative', title: '80% band low (ms)', format: ',.1f' },
                { field: 'bandHighMs', type: 'quantitative', title: '80% band high (ms)', format: ',.1f' },
              ]
            : []),
          { field: 'state', type: 'nominal', title: 'Operating point' },
        ],
      },
    },
  ];
}

/** Where a panel's data sits in pixels: for placing SLO labels clear of the points. */
interface PanelGeometry {
  readonly width: number;
  readonly height: number;
  readonly xMax: number;
  readonly yDomain: readonly [number, number];
  readonly log: boolean;
}

/** SLO rules of one panel and their labels; `crowded` names the rules whose label found no free spot. */
function sloLayers(slos: readonly SloLine[], rows: readonly PanelRow[], yScale: Encoding, g: PanelGeometry): { layers: Encoding[]; crowded: string[] } {
  const layers: Encoding[] = [];
  const crowded: string[] = [];
  if (slos.length === 0) return { layers, crowded };
  const sloRows = slos.map((s) => ({ thresholdMs: s.thresholdMs, label: `${s.percentile} SLO ${fmtMs(s.thresholdMs)}` }));
  layers.push({
    data: { values: sloRows },
    mark: { type: 'rule', color: REFERENCE, strokeDash: [6, 4], strokeWidth: 1.5 },
    encoding: { y: { field: 'thresholdMs', ...yScale } },
  });
  const pointBoxes = rows.map((r) => {
    const px = (g.width * (r.requestRatePerS as number)) / g.xMax;
    const py = g.height * (1 - domainFraction(r.latencyMs as number, g.yDomain, g.log));
    return { x0: px - 5, y0: py - 5, x1: px + 5, y1: py + 5 };
  });
  for (const s of sloRows) {
    const label = sloLabelLayer(s, yScale, g.width, g.height, domainFraction(s.thresholdMs, g.yDomain, g.log), pointBoxes);
    if (label) layers.push(label);
    else crowded.push(s.label);
  }
  return { layers, crowded };
}

type Encoding = Record<string, unknown>;

/** Everything the panels of one chart share. */
interface PanelContext {
  readonly points: readonly RatePoint[];
  readonly slo: readonly SloLine[];
  readonly logY: boolean | 'auto';
  readonly width: number;
  readonly height: number;
  readonly color: Encoding;
  readonly saturation: ReturnType<typeof firstSaturated>;
}

/** One metric's panel: saturation rules, p50/p99 lines and points, SLO rules with labels placed clear of the data. */
function latencyPanel(metric: RateLatencyMetric, c: PanelContext): Encoding {
  const rows = panelRows(c.points, metric);
  const slos = c.slo.filter((s) => s.metric === metric);
  const bands = rows.flatMap((r) => (r['bandLowMs'] !== undefined ? [r['bandLowMs'] as number, r['bandHighMs'] as number] : []));
  const values = [...rows.map((r) => r.latencyMs as number), ...bands, ...slos.map((s) => s.thresholdMs)];
  const log = resolveLog(c.logY, values);
  const short = RATE_METRIC_SHORT[metric];
  // explicit x domain: the SLO labels are placed in pixel space, clear of the data points
  const xMax = niceLinearMax(Math.max(0, ...c.points.map((p) => p.requestRatePerS)));
  const x = { field: 'requestRatePerS', type: 'quantitative', title: 'Offered load (requests/s)', scale: { domain: [0, xMax], nice: false } };
  const q = quantScale(log, values);
  const yScale = { type: 'quantitative', title: `${short} (ms${log ? ', log scale' : ''})`, scale: q.scale, axis: q.axis };
  const slo = sloLayers(slos, rows, yScale, { width: c.width, height: c.height, xMax, yDomain: q.domain, log });
  const layers = [
    ...(c.saturation.length > 0 ? [saturationLayer(c.saturation, x, c.color)] : []),
    ...(bands.length > 0 ? [bandLayer(x, yScale, c.color)] : []),
    ...latencyLineLayers(x, yScale, c.color, short, bands.length > 0),
    ...slo.layers,
  ];
  return {
    title: {
      text: RATE_METRIC_LONG[metric],
      fontSize: 13,
      ...(slo.crowded.length > 0 ? { subtitle: `dashed: ${slo.crowded.join(', ')}`, subtitleFontSize: 11 } : {}),
    },
    width: c.width,
    height: c.height,
    data: { values: rows },
    layer: layers,
  };
}

export function latencyVsRateSpec(points: readonly RatePoint[], options: LatencyVsRateOptions = {}): TopLevelSpec {
  const metrics = options.metrics ?? defaultPanels(points);
  const width = options.width ?? 340;
  const saturation = firstSaturated(points);
  const context: PanelContext = {
    points,
    slo: options.slo ?? [],
    logY: options.logY ?? 'auto',
    width,
    height: options.height ?? 250,
    color: seriesColorEncoding(firstAppearance(points, (p) => p.series), panelsWidth(metrics.length, width)),
    saturation,
  };
  const panels = metrics.map((metric) => latencyPanel(metric, context));
  const extra = [steadyStateSummary(points), undrawnSloNote(options.slo ?? [], metrics)];
  if (saturation.length > 0) extra.push('Crosses: saturated points (queue grows without bound); dotted lines: first saturated rate.');
  if (points.some((p) => p.p99Band80Ms && Object.keys(p.p99Band80Ms).length > 0)) extra.push("Shaded: 80% band of the p99 (the calibration's held-out error and seed variance).");
  return topLevel(titleBlock(options.title ?? 'Latency vs offered load', subtitleLines(options, extra)), {
    hconcat: panels,
    resolve: { scale: { y: 'independent' }, axis: { y: 'independent' } },
  });
}
