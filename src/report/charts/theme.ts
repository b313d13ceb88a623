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

/** The title block; the subtitle is omitted when empty so specs stay minimal. */
export function titleBlock(text: string, subtitle: readonly string[]): { text: string; subtitle?: string[] } {
  return subtitle.length > 0 ? { text, subtitle: [...subtitle] } : { text };
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
export function seriesColorScale(domain: readonly string[]): { domain: string[]; range: string[] } {
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
  linear: Record<string, unknown> = { zero: true },
): { scale: Record<string, unknown>; axis: Record<string, unknown> } {
  if (!log) return { scale: linear, axis: {} };
  const domain = niceLogDomain(values);
  return { scale: { type: 'log', domain, nice: false }, axis: { values: logTicks(domain), format: '~s' } };
}

export function fmtMs(ms: number): string {
  return `${fmtNum(ms)} ms`;
}

export function fmtUsd(usd: number): string {
  if (Math.abs(usd) >= 100) return `$${fmtNum(Math.round(usd), 12)}`;
  return `$${usd.toFixed(2)}`;
}

export function fmtPercent(fraction: number, decimals = 0): string {
  return `${(fraction * 100).toFixed(decimals)}%`;
}
