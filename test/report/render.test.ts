/**
 * Rendering: every chart to SVG; one chart to PNG twice (text present, identical bytes); the font guard;
 * writeChart by extension. PNG rendering is kept to two charts to stay fast on a 2-core machine.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { afterAll, describe, expect, it } from 'vitest';
import { textWidth } from '../../src/report/charts/theme.ts';
import { throughputVsRateSpec } from '../../src/report/charts/index.ts';
import {
  fontFiles,
  installDejaVuTextMetrics,
  renderChart,
  renderSvgWithWarnings,
  svgToPng,
  writeChart,
} from '../../src/report/render.ts';
import { decodePng, inkPixels } from './png.ts';
import { sampleSpecs } from './sample-specs.ts';

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const spec = (name: string) => {
  const found = sampleSpecs.find(([n]) => n === name);
  if (found === undefined) throw new Error(name);
  return found[1];
};

const tmp = mkdtempSync(join(tmpdir(), 'servesim-render-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('render', () => {
  it('every chart renders to SVG with DejaVu Sans text, no NaN and no vega warnings', async () => {
    for (const [name, s] of sampleSpecs) {
      const { svg, warnings } = await renderSvgWithWarnings(s);
      expect(warnings, name).toEqual([]);
      expect(svg.startsWith('<svg'), name).toBe(true);
      expect(svg, name).toContain('font-family="DejaVu Sans');
      expect((svg.match(/<text/g) ?? []).length, name).toBeGreaterThan(10);
      expect(svg, name).not.toContain('NaN');
    }
  });

  it('charts without data still render (vega warnings are collected, not thrown)', async () => {
    const { svg, warnings } = await renderSvgWithWarnings(throughputVsRateSpec([]));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(warnings.some((w) => w.includes('Infinite extent'))).toBe(true);
  });

  it('a PNG has ink in its title and labels, and the same bytes every time', async () => {
    const s = spec('latency-vs-rate');
    const a = await renderChart(s, 'png');
    const b = await renderChart(s, 'png');
    expect(sha256(a)).toBe(sha256(b));
    const img = decodePng(a);
    // 2x zoom: the title "Latency vs offered load" at 15 px sits in the top ~50 device pixels
    const title = inkPixels(img, 0, 0, 700, 56);
    expect(title).toBeGreaterThan(400);
    // the y-axis labels of the left panel (100, 1k, ...) live in a narrow strip left of the plot
    expect(inkPixels(img, 0, 150, 200, img.height - 100)).toBeGreaterThan(400);
    expect(inkPixels(img)).toBeGreaterThan(5000);
    // the SVG is deterministic too (clip-path ids are reset per render)
    expect(await renderChart(s, 'svg')).toBe(await renderChart(s, 'svg'));
  });

  it('font guard: text renders only with the vendored fonts (no system fonts involved)', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40">' +
      '<rect width="240" height="40" fill="white"/>' +
      '<text x="8" y="28" font-family="DejaVu Sans, Verdana, sans-serif" font-size="20">Latency 123 ms</text></svg>';
    const withFonts = inkPixels(decodePng(svgToPng(svg)));
    expect(withFonts).toBeGreaterThan(300);
    const noFonts = new Resvg(svg, { background: 'white', font: { loadSystemFonts: false } }).render().asPng();
    expect(inkPixels(decodePng(noFonts))).toBe(0); // the trap the vendored fonts avoid: text silently vanishes
    expect(fontFiles().every((file) => readFileSync(file).length > 500_000)).toBe(true);
  });

  it('measures text with DejaVu advance widths instead of the 0.8 em estimate', () => {
    installDejaVuTextMetrics();
    const tm = (vega as unknown as { textMetrics: { width: (item: object, text: string) => number } }).textMetrics;
    expect(tm.width({ fontSize: 10 }, 'Offered load')).toBeCloseTo(textWidth('Offered load', 10), 0);
    expect(tm.width({ fontSize: 10, fontWeight: 'bold' }, 'Offered load')).toBeCloseTo(textWidth('Offered load', 10, true), 0);
  });

  it('writeChart chooses the format by extension', async () => {
    const s = spec('slo-attainment');
    const base = join(tmp, 'out', 'slo');
    for (const ext of ['.vl.json', '.vg.json', '.svg', '.html', '.png']) await writeChart(s, base + ext);
    expect(JSON.parse(readFileSync(base + '.vl.json', 'utf8'))).toEqual(JSON.parse(JSON.stringify(s)));
    expect(JSON.parse(readFileSync(base + '.vg.json', 'utf8')).$schema).toContain('vega/v');
    expect(readFileSync(base + '.svg', 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(base + '.html', 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(readFileSync(base + '.png').subarray(1, 4).toString('latin1')).toBe('PNG');
    await expect(writeChart(s, join(tmp, 'x.jpeg'))).rejects.toThrow(/unknown chart format/);
  });
});
