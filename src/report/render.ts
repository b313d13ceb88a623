/**
 * Chart rendering without a browser: vega-lite spec → (vega-lite compile) → vega spec → View.toSVG() with
 * renderer 'none' → @resvg/resvg-js → PNG.
 *
 * Fonts are the trap (docs: shared/reference/ts-ecosystem.md §1). Vega writes the family name from the spec
 * config into the SVG; resvg maps names to font files. We load ONLY the vendored DejaVu Sans files
 * (assets/fonts/) with system fonts off, so the PNG bytes do not depend on the machine. Without a canvas
 * package Vega estimates text width as 0.8 × characters × font size, which leaves ragged gaps around axis
 * titles and legends; we therefore install a text-width function that sums the DejaVu advance widths
 * (read from the font's hmtx table; kerning ignored), the same approach vl-convert takes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/write-file.ts';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';
import { packageRoot } from '../profiles/package-root.ts';
import { chartHtmlPage } from './html-report.ts';

export type ChartFormat = 'svg' | 'png' | 'vl.json' | 'vg.json' | 'html';

export interface RenderOptions {
  /** PNG zoom factor (device pixels per CSS pixel). Default 2. */
  readonly scale?: number | undefined;
  /** PNG background colour. Default white. */
  readonly background?: string | undefined;
  /** Page title for the 'html' format; defaults to the chart title. */
  readonly pageTitle?: string | undefined;
}

/** The vendored fonts (regular, bold). */
export function fontFiles(): string[] {
  const dir = join(packageRoot(), 'assets', 'fonts');
  return [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
}

// ---------------------------------------------------------------------------------------------------------
// Compile

export interface CompiledChart {
  /** The vega spec. */
  readonly vega: vega.Spec;
  /** Warnings vega-lite logged while compiling (a clean chart has none). */
  readonly warnings: readonly string[];
}

/** A vega/vega-lite logger that collects warnings (methods are bound: vega calls them detached). */
class CollectingLogger {
  readonly warnings: string[] = [];
  private lvl = 2; // vega.Warn
  readonly level = (l?: number): number | this => {
    if (l === undefined) return this.lvl;
    this.lvl = l;
    return this;
  };
  readonly error = (...args: readonly unknown[]): never => {
    throw args[0] instanceof Error ? args[0] : new Error(args.map(String).join(' '));
  };
  readonly warn = (...args: readonly unknown[]): this => {
    this.warnings.push(args.map(String).join(' '));
    return this;
  };
  readonly info = (): this => this;
  readonly debug = (): this => this;
}

/** Compile a vega-lite spec; warnings are collected, not printed. */
export function compileChart(spec: TopLevelSpec): CompiledChart {
  const logger = new CollectingLogger();
  const out = compile(spec, { logger });
  return { vega: out.spec, warnings: logger.warnings };
}

// ---------------------------------------------------------------------------------------------------------
// Text metrics from the vendored TTFs

interface FontMetrics {
  readonly unitsPerEm: number;
  advanceOf(codePoint: number): number;
}

/** Minimal TrueType reader: head.unitsPerEm, hhea.numberOfHMetrics, hmtx advances, cmap format 4/12. */
function parseTtf(buf: Buffer): FontMetrics {
  const tables = new Map<string, number>();
  const numTables = buf.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + 16 * i;
    tables.set(buf.toString('latin1', rec, rec + 4), buf.readUInt32BE(rec + 8));
  }
  const table = (tag: string): number => {
    const off = tables.get(tag);
    if (off === undefined) throw new Error(`font has no ${tag} table`);
    return off;
  };
  const unitsPerEm = buf.readUInt16BE(table('head') + 18);
  const numberOfHMetrics = buf.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advanceOfGlyph = (g: number): number => buf.readUInt16BE(hmtx + 4 * Math.min(g, numberOfHMetrics - 1));

  const cmap = table('cmap');
  const numSub = buf.readUInt16BE(cmap + 2);
  let fmt4 = -1;
  let fmt12 = -1;
  for (let i = 0; i < numSub; i++) {
    const platform = buf.readUInt16BE(cmap + 4 + 8 * i);
    const encoding = buf.readUInt16BE(cmap + 6 + 8 * i);
    const sub = cmap + buf.readUInt32BE(cmap + 8 + 8 * i);
    const format = buf.readUInt16BE(sub);
    if (format === 12 && (platform === 3 || platform === 0)) fmt12 = sub;
    if (format === 4 && ((platform === 3 && encoding === 1) || platform === 0)) fmt4 = sub;
  }
  const glyphOf = (c: number): number => {
    if (fmt12 >= 0) {
      const n = buf.readUInt32BE(fmt12 + 12);
      let lo = 0;
      let hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const g = fmt12 + 16 + 12 * mid;
        const start = buf.readUInt32BE(g);
        const end = buf.readUInt32BE(g + 4);
        if (c < start) hi = mid - 1;
        else if (c > end) lo = mid + 1;
        else return buf.readUInt32BE(g + 8) + (c - start);
      }
      return 0;
    }
    if (fmt4 >= 0 && c <= 0xffff) {
      const segX2 = buf.readUInt16BE(fmt4 + 6);
      const ends = fmt4 + 14;
      const starts = ends + segX2 + 2;
      const deltas = starts + segX2;
      const ranges = deltas + segX2;
      for (let i = 0; i < segX2; i += 2) {
        if (c > buf.readUInt16BE(ends + i)) continue;
        const start = buf.readUInt16BE(starts + i);
        if (c < start) return 0;
        const delta = buf.readInt16BE(deltas + i);
        const ro = buf.readUInt16BE(ranges + i);
        if (ro === 0) return (c + delta) & 0xffff;
        const g = buf.readUInt16BE(ranges + i + ro + 2 * (c - start));
        return g === 0 ? 0 : (g + delta) & 0xffff;
      }
    }
    return 0;
  };
  const cache = new Map<number, number>();
  return {
    unitsPerEm,
    advanceOf(c: number): number {
      let a = cache.get(c);
      if (a === undefined) {
        a = advanceOfGlyph(glyphOf(c));
        cache.set(c, a);
      }
      return a;
    },
  };
}

interface TextItem {
  fontSize?: number | string | null;
  fontWeight?: number | string | null;
}

let metricsInstalled = false;

/** Replace Vega's 0.8 × length estimate by DejaVu Sans advance widths (idempotent, process-wide). */
export function installDejaVuTextMetrics(): void {
  if (metricsInstalled) return;
  const [regularFile, boldFile] = fontFiles() as [string, string];
  const regular = parseTtf(readFileSync(regularFile));
  const bold = parseTtf(readFileSync(boldFile));
  const isBold = (w: TextItem['fontWeight']): boolean =>
    w === 'bold' || w === 'bolder' || (w != null && Number(w) >= 600);
  const width = (item: TextItem, text: unknown): number => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    if (size <= 0 || text == null) return 0;
    const font = isBold(item.fontWeight) ? bold : regular;
    let units = 0;
    for (const ch of String(text).trim()) units += font.advanceOf(ch.codePointAt(0) as number);
    return (units * size) / font.unitsPerEm;
  };
  const tm = (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics;
  tm.width = width;
  metricsInstalled = true;
}

// ---------------------------------------------------------------------------------------------------------
// Render

/** SVG text of a chart plus the warnings vega-lite (compile) and vega (runtime) logged. */
export async function renderSvgWithWarnings(spec: TopLevelSpec): Promise<{ svg: string; warnings: string[] }> {
  installDejaVuTextMetrics();
  const compiled = compileChart(spec);
  const viewLogger = new CollectingLogger();
  const view = new vega.View(vega.parse(compiled.vega), {
    renderer: 'none',
    logLevel: vega.Warn,
    logger: viewLogger as unknown as vega.LoggerInterface,
  });
  try {
    // clip-path and gradient ids count up per process; reset so each render gives the same bytes
    vega.resetSVGDefIds();
    const svg = await view.toSVG();
    return { svg, warnings: [...compiled.warnings, ...viewLogger.warnings] };
  } finally {
    view.finalize();
  }
}

/** SVG text of a chart (no browser; deterministic for the same spec). Warnings are dropped. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  return (await renderSvgWithWarnings(spec)).svg;
}

/** Rasterise an SVG with the vendored fonts only. */
export function svgToPng(svg: string, options: RenderOptions = {}): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: options.background ?? 'white',
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles(),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  return resvg.render().asPng();
}

export function chartTitle(spec: TopLevelSpec): string {
  const t = (spec as { title?: unknown }).title;
  if (typeof t === 'string') return t;
  if (t !== null && typeof t === 'object' && 'text' in t) {
    const text = (t as { text: unknown }).text;
    return Array.isArray(text) ? text.join(' ') : String(text);
  }
  return 'Chart';
}

export function renderChart(spec: TopLevelSpec, format: 'png', options?: RenderOptions): Promise<Buffer>;
export function renderChart(
  spec: TopLevelSpec,
  format: 'svg' | 'vl.json' | 'vg.json' | 'html',
  options?: RenderOptions,
): Promise<string>;
export function renderChart(spec: TopLevelSpec, format: ChartFormat, options?: RenderOptions): Promise<Buffer | string>;
export async function renderChart(
  spec: TopLevelSpec,
  format: ChartFormat,
  options: RenderOptions = {},
): Promise<Buffer | string> {
  switch (format) {
    case 'vl.json':
      return JSON.stringify(spec, null, 2) + '\n';
    case 'vg.json':
      return JSON.stringify(compileChart(spec).vega, null, 2) + '\n';
    case 'svg':
      return renderSvg(spec);
    case 'png':
      return svgToPng(await renderSvg(spec), options);
    case 'html':
      return chartHtmlPage(spec, options.pageTitle ?? chartTitle(spec));
  }
}

/** The format a file name asks for, by extension. */
export function formatForFile(file: string): ChartFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.vl.json')) return 'vl.json';
  if (lower.endsWith('.vg.json')) return 'vg.json';
  if (lower.endsWith('.svg')) return 'svg';
  if (lower.endsWith('.png')) return 'png';
  if (lower.endsWith('.html') || lower.endsWith('.htm')) return 'html';
  throw new Error(`unknown chart format for ${file}: use .svg, .png, .vl.json, .vg.json or .html`);
}

/** Where a chart file goes: replace an existing file only when asked; missing folders are created unless createDirs is false. */
export interface ChartFileOptions {
  readonly overwrite?: boolean | undefined;
  readonly createDirs?: boolean | undefined;
  /** the option that named the file, for messages (default --chart) */
  readonly label?: string | undefined;
}

/** Render a chart to a file (atomically); the extension chooses the format. */
export async function writeChart(spec: TopLevelSpec, file: string, options: RenderOptions & ChartFileOptions = {}): Promise<void> {
  const out = await renderChart(spec, formatForFile(file), options);
  writeFileAtomic(file, out, { label: options.label ?? '--chart', overwrite: options.overwrite, createDirs: options.createDirs ?? true });
}
