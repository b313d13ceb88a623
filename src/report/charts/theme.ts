/**
 * The shared look of every servesim chart, and small pure helpers the chart modules use.
 *
 * Font: DejaVu Sans, vendored under assets/fonts/ so PNGs render byte-identically on any machine (render.ts
 * loads only those files into resvg and measures text with their metrics). Browsers without DejaVu fall back
 * to Verdana, then to the default sans-serif.
 *
 * Palette: Okabe & Ito (2008), "Color Universal Design", distinguishable with the common colour-vision
 * deficiencies; ordered so the first colours keep good contrast on white (the yellow is last).
 */
import type { Config, TopLevelSpec } from 'vega-lite';
import type { BoundClass } from '../chart-data.ts';

export const FONT_FAMILY = 'DejaVu Sans, Verdana, sans-serif';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Okabe–Ito, yellow last. */
export const PALETTE: readonly string[] = [
  '#0072B2', // blue
  '#E69F00', // orange
  '#009E73', // bluish green
  '#CC79A7', // reddish purple
  '#D55E00', // vermillion
  '#56B4E9', // sky blue
  '#000000', // black
  '#F0E442', // yellow
];

/** Bound classes keep the same colour in every chart. */
export const BOUND_COLORS: Readonly<Record<BoundClass, string>> = {
  compute: '#0072B2',
  memory: '#E69F00',
  communication: '#009E73',
  overhead: '#999999',
};

export const INK = '#222222';
export const MUTED = '#666666';
export const REFERENCE = '#444444';
export const GRID = '#e6e6e6';

export const chartConfig: Config = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 12,
  view: { stroke: null, continuousWidth: 420, continuousHeight: 260 },
  title: {
    anchor: 'start',
    fontSize: 15,
    fontWeight: 'bold',
    color: INK,
    subtitleFontSize: 11.5,
    subtitleColor: '#555555',
    subtitlePadding: 5,
    offset: 14,
  },
  axis: {
    labelFontSize: 11,
    labelColor: '#444444',
    labelLimit: 320,
    titleFontSize: 11.5,
    titleFontWeight: 'bold',
    titleColor: '#333333',
    titlePadding: 8,
    gridColor: GRID,
    domainColor: '#888888',
    tickColor: '#888888',
  },
  legend: {
    labelFontSize: 11,
    labelColor: '#333333',
    labelLimit: 420,
    titleFontSize: 11.5,
    titleColor: '#333333',
    titleLimit: 420,
    symbolStrokeWidth: 2,
    rowPadding: 4,
  },
  header: { labelFontSize: 12, labelFontWeight: 'bold', titleFontSize: 12 },
  range: { category: [...PALETTE] },
  concat: { spacing: 36 },
  line: { strokeWidth: 2 },
  point: { size: 36 },
  text: { fontSize: 10.5, color: INK },
};

/** Title, subtitle and size options every chart accepts. */
export interface ChartTextOptions {
  /** Figure title; each chart has a sensible default. */
  readonly title?: string | undefined;
  /** Subtitle lines shown under the title, before any lines the chart adds itself. */
  readonly subtitle?: string | readonly string[] | undefined;
  /** Width of one plot panel, pixels (the figure grows by the axes, legends and other panels). */
  readonly width?: number | undefined;
  /** Height of one plot panel, pixels. */
  readonly height?: number | undefined;
}

export function subtitleLines(options: ChartTextOptions, extra: readonly string[] = []): string[] {
  const given = options.subtitle === undefined ? [] : typeof options.subtitle === 'string' ? [options.subtitle] : [...options.subtitle];
  return [...given, ...extra].filter((s) => s.length > 0);
}

/** A figure must fit a document page: at most this wide at 1× (CSS pixels), whatever the number of series. */
export const MAX_FIGURE_WIDTH_PX = 1600;
/** Subtitle lines wrap at this width, so the title block never sets the figure's width. */
export const SUBTITLE_WRAP_PX = 880;
const SUBTITLE_FONT_PX = 11.5;
/** Longest legend label before vega truncates it with an ellipsis. */
export const LEGEND_LABEL_LIMIT_PX = 360;
/** Width of a y axis (ticks, labels, title) next to a plot panel, for layout estimates. */
const Y_AXIS_PX = 64;
const CONCAT_SPACING_PX = 36;

/** Greedy word wrap to lines at most `maxPx` wide (a single word longer than that stays on its own line). */
export function wrapText(text: string, maxPx: number, fontSize: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (line !== '' && textWidth(next, fontSize) > maxPx) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The title block; the subtitle is omitted when empty so specs stay minimal. Long subtitle lines wrap. */
export function titleBlock(text: string, subtitle: readonly string[]): { text: string; subtitle?: string[] } {
  const lines = subtitle.flatMap((s) => wrapText(s, SUBTITLE_WRAP_PX, SUBTITLE_FONT_PX));
  return lines.length > 0 ? { text, subtitle: lines } : { text };
}

/** Estimated width of `panels` plot panels of `panelWidthPx` side by side, with their y axes. */
export function panelsWidth(panels: number, panelWidthPx: number): number {
  return panels * (panelWidthPx + Y_AXIS_PX) + Math.max(0, panels - 1) * CONCAT_SPACING_PX;
}

/**
 * The legend of a series colour channel. A few series with short labels: beside the plot (vega's default).
 * Many series, or labels that would push the figure past MAX_FIGURE_WIDTH_PX: below the plot, in as many
 * columns as fit under it, so the figure grows in height, never in width.
 */
export function seriesLegend(domain: readonly string[], plotWidthPx: number): Record<string, unknown> {
  const labelPx = Math.min(LEGEND_LABEL_LIMIT_PX, Math.max(0, ...domain.map((s) => textWidth(s, 11))));
  const entryPx = labelPx + 34; // symbol, gap and column padding
  const beside = plotWidthPx + 24 + Math.max(entryPx, 200) + 24;
  if (domain.length <= 8 && beside <= MAX_FIGURE_WIDTH_PX) return { labelLimit: LEGEND_LABEL_LIMIT_PX };
  const columns = Math.max(1, Math.min(domain.length, Math.floor(plotWidthPx / entryPx)));
  return { orient: 'bottom', direction: 'vertical', columns, labelLimit: LEGEND_LABEL_LIMIT_PX };
}

/** Series that a subtitle lists one by one; beyond this it summarises (n series, the range, the best). */
export const MAX_LISTED_SERIES = 5;

/**
 * "lead — a: x; b: y" for a few series; for many, "lead across N deployments: lo–hi unit (highest: name)".
 * `values` null = the series has no value (e.g. saturated at every rate), counted as `noneText`.
 */
export function seriesSummary(
  lead: string,
  items: ReadonlyArray<{ readonly series: string; readonly value: number | null; readonly text: string }>,
  unit: string,
  noneText: string,
): string {
  if (items.length === 0) return '';
  if (items.length <= MAX_LISTED_SERIES) return `${lead} — ${items.map((i) => `${i.series}: ${i.text}`).join('; ')}`;
  const valued = items.filter((i) => i.value !== null) as Array<{ series: string; value: number }>;
  const none = items.length - valued.length;
  const tail = none > 0 ? `; ${none} ${noneText}` : '';
  if (valued.length === 0) return `${lead} across ${items.length} deployments: none${tail}`;
  const lo = Math.min(...valued.map((v) => v.value));
  const best = valued.reduce((a, b) => (b.value > a.value ? b : a));
  return `${lead} across ${items.length} deployments: ${fmtNum(lo)}–${fmtNum(best.value)} ${unit} (highest: ${best.series})${tail}`;
}

/** Assemble the top-level spec in a fixed key order: schema, title, config, the body, padding/background last. */
export function topLevel(
  title: { text: string; subtitle?: string[] },
  body: Record<string, unknown>,
): TopLevelSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    ...body,
    config: chartConfig,
  } as TopLevelSpec;
}

/** Distinct values in order of first appearance (legends follow the caller's order, not the alphabet). */
export function firstAppearance<T>(rows: readonly T[], key: (row: T) => string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of rows) {
    const k = key(r);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(k);
    }
  }
  return out;
}

/** The colour scale for series labels in first-appearance order. */
/** The colour encoding of every chart with one colour per series: palette by first appearance, wrapping legend. */
export function seriesColorEncoding(domain: readonly string[], plotWidthPx: number, title = 'Deployment'): Record<string, unknown> {
  return { field: 'series', type: 'nominal', title, scale: seriesColorScale(domain), legend: seriesLegend(domain, plotWidthPx) };
}

export function seriesColorScale(domain: readonly string[]): { domain?: string[]; range: string[] } {
  // an empty explicit domain breaks vega's scale; with no data, just give the palette
  if (domain.length === 0) return { range: [...PALETTE] };
  return { domain: [...domain], range: domain.map((_, i) => PALETTE[i % PALETTE.length] as string) };
}

/** Finite positive values only (for log scales). */
export function positive(values: readonly number[]): number[] {
  return values.filter((v) => Number.isFinite(v) && v > 0);
}

/** 'auto' → log when the positive values span more than `ratio`× (hockey-stick latencies, wide CDFs). */
export function resolveLog(option: boolean | 'auto' | undefined, values: readonly number[], ratio = 30): boolean {
  if (option === true || option === false) return option;
  const v = positive(values);
  if (v.length === 0 || v.length < values.filter((x) => Number.isFinite(x)).length) return false;
  return Math.max(...v) / Math.min(...v) > ratio;
}

/** Round outward to a "nice" 1-2-5 boundary below/above, for explicit log-axis domains. */
export function niceLogDomain(values: readonly number[], padFactor = 1.25): [number, number] {
  const v = positive(values);
  if (v.length === 0) return [1, 10];
  const lo = Math.min(...v) / padFactor;
  const hi = Math.max(...v) * padFactor;
  return [niceBelow(lo), niceAbove(hi)];
}

const STEPS = [1, 2, 5, 10];
function niceBelow(x: number): number {
  const e = 10 ** Math.floor(Math.log10(x));
  let best = e;
  for (const s of STEPS) if (s * e <= x) best = s * e;
  return roundSig(best);
}
function niceAbove(x: number): number {
  const e = 10 ** Math.floor(Math.log10(x));
  for (const s of STEPS) if (s * e >= x) return roundSig(s * e);
  return roundSig(10 * e);
}

/** Strip binary floating-point noise (0.30000000000000004 → 0.3) so specs stay readable and stable. */
export function roundSig(x: number, digits = 12): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(digits));
}

/** Human number for annotations: 3 significant digits, thousands separators, no exponent below 1e15. */
export function fmtNum(x: number, significant = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  const decimals = Math.max(0, significant - 1 - Math.floor(Math.log10(abs)));
  const s = x.toFixed(Math.min(decimals, 6));
  const [int, frac] = s.split('.') as [string, string | undefined];
  const withSep = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const trimmed = frac?.replace(/0+$/, '') ?? '';
  return trimmed.length === 0 ? withSep : `${withSep}.${trimmed}`;
}

/** The next "nice" value at or above x on a fine 1-1.2-1.5-2-2.5-3-4-5-6-8 grid (linear axis maxima). */
export function niceLinearMax(x: number): number {
  if (!(x > 0)) return 1;
  const e = 10 ** Math.floor(Math.log10(x));
  for (const s of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (s * e >= x * (1 - 1e-12)) return roundSig(s * e);
  return roundSig(10 * e);
}

/** Tick values for a log axis: 1-2-5 per decade over up to 3 decades, 1-3 up to 5, else decades only. */
export function logTicks(domain: readonly [number, number]): number[] {
  const [lo, hi] = domain;
  const k0 = Math.floor(Math.log10(lo));
  const k1 = Math.ceil(Math.log10(hi));
  const decades = Math.log10(hi / lo);
  const mult = decades <= 3 ? [1, 2, 5] : decades <= 5 ? [1, 3] : [1];
  const out: number[] = [];
  for (let k = k0; k <= k1; k++) {
    for (const m of mult) {
      const v = roundSig(m * 10 ** k);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out;
}

/** Scale and axis properties of a quantitative position channel, log (explicit domain and 1-2-5 ticks) or linear. */
export function quantScale(
  log: boolean,
  values: readonly number[],
): { scale: Record<string, unknown>; axis: Record<string, unknown>; domain: [number, number] } {
  if (!log) {
    const domain: [number, number] = [0, niceLinearMax(Math.max(0, ...values.filter((v) => Number.isFinite(v))) * 1.05)];
    return { scale: { domain, nice: false }, axis: { format: ',~r', tickCount: 6 }, domain };
  }
  const domain = niceLogDomain(values);
  return { scale: { type: 'log', domain, nice: false }, axis: { values: logTicks(domain), format: '~s' }, domain };
}

/** Position 0..1 of a value along a linear or log domain. */
export function domainFraction(v: number, domain: readonly [number, number], log: boolean): number {
  const [lo, hi] = domain;
  return log ? Math.log10(v / lo) / Math.log10(hi / lo) : (v - lo) / (hi - lo);
}

export function fmtMs(ms: number): string {
  return `${fmtNum(ms)} ms`;
}

const SLO_METRIC_SHORT: Readonly<Record<string, string>> = { ttft: 'TTFT', itl: 'ITL', tpot: 'TPOT', e2e: 'E2E' };

/**
 * "SLO not drawn (no panel for it): TPOT p99 ≤ 50 ms": objectives whose metric has no panel in this chart
 * (TPOT has none; E2E only where asked), so the subtitle still names every objective. Empty when all are drawn.
 */
export function undrawnSloNote(slo: readonly { metric: string; percentile: string; thresholdMs: number }[], panels: readonly string[]): string {
  const undrawn = slo.filter((s) => !panels.includes(s.metric));
  if (undrawn.length === 0) return '';
  return `SLO not drawn (no panel for it): ${undrawn.map((s) => `${SLO_METRIC_SHORT[s.metric] ?? s.metric} ${s.percentile} ≤ ${fmtMs(s.thresholdMs)}`).join(' · ')}`;
}

export function fmtUsd(usd: number): string {
  if (Math.abs(usd) >= 100) return `$${fmtNum(Math.round(usd), 12)}`;
  return `$${usd.toFixed(2)}`;
}

export function fmtPercent(fraction: number, decimals = 0): string {
  return `${(fraction * 100).toFixed(decimals)}%`;
}

// DejaVu Sans advance widths of ASCII 32..126 in 1/1000 em (from assets/fonts, hmtx table), for layout room
// (label placement, axis domains that leave space for bar labels). render.ts measures exactly; this is for
// the pure spec functions, which must not read files.
const ASCII_REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
  603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
  634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
];
const ASCII_BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850,
  733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
  712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
];
const WIDE = new Set(['×', '≤', '≥', '±', '÷', '★', '→']);

/** Approximate rendered width in pixels of one line of DejaVu Sans text. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? ASCII_BOLD : ASCII_REGULAR;
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c >= 32 && c <= 126) em += (table[c - 32] as number) / 1000;
    else if (ch === '·') em += 0.318;
    else if (ch === '—') em += 1;
    else if (WIDE.has(ch)) em += 0.838;
    else em += 0.65;
  }
  return em * fontSize;
}

/** An axis-aligned box in plot pixels (origin top-left). */
export interface PixelBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export function boxesOverlap(a: PixelBox, b: PixelBox): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** The first candidate box inside the plot (width × height) that overlaps no obstacle, or undefined. */
export function firstFreeBox<T extends PixelBox>(candidates: readonly T[], obstacles: readonly PixelBox[], width: number, height: number): T | undefined {
  return candidates.find((c) => c.x0 >= 0 && c.y0 >= 0 && c.x1 <= width && c.y1 <= height && !obstacles.some((o) => boxesOverlap(o, c)));
}
