/**
 * Per-sweep plots of the leave-one-sweep-out validation: one panel per sweep, predicted/measured of the
 * central TTFT and ITL/TPOT statistic at each load, for (a) shipped, (b) the median over the fits of the
 * other sweeps, (c) the sweep's own fit. Ratios, not values: blis_vllm's measured values stay out of the
 * project. A small hand-written SVG keeps the output deterministic and dependency-free.
 */
import { writeFileSync } from 'node:fs';
import type { LosoRecord } from './loso-tables.ts';
import type { SweepFigure } from './loso-sweeps.ts';

const PANEL_W = 200;
const PANEL_H = 130;
const COLUMNS = 5;
const MODES = [
  { mode: 'shipped', colour: '#888888', label: '(a) shipped' },
  { mode: 'loso', colour: '#d9480f', label: '(b) LOSO median' },
  { mode: 'in-sample', colour: '#1864ab', label: '(c) in-sample' },
] as const;
/** y axis: log2 ratio clamped to [1/4, 4] */
const Y_LIMIT = 2;

const central = (f: SweepFigure) => f.statistic === 'mean' || f.statistic === 'median';
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** log2(predicted/measured) per (load, metric) of one mode's records, medians over donors for LOSO */
function ratios(records: readonly LosoRecord[]): Map<string, number> {
  const pooled = new Map<string, number[]>();
  for (const r of records)
    for (const f of r.figures.filter(central)) {
      if (f.metric !== 'ttft' && f.metric !== 'itl_tpot') continue;
      const key = `${f.loadValue}|${f.metric}|${f.statistic}`;
      pooled.set(key, [...(pooled.get(key) ?? []), Math.log2(f.predicted / f.measured)]);
    }
  return new Map([...pooled].map(([k, v]) => [k, median(v)]));
}

function panel(sweep: string, records: readonly LosoRecord[], x0: number, y0: number): string[] {
  const loads = [...new Set(records.flatMap((r) => r.figures.map((f) => f.loadValue)))].sort((a, b) => a - b);
  const xOf = (load: number) => x0 + 20 + ((loads.indexOf(load) + 0.5) / loads.length) * (PANEL_W - 30);
  const yOf = (log2: number) => y0 + 20 + ((Y_LIMIT - Math.max(-Y_LIMIT, Math.min(Y_LIMIT, log2))) / (2 * Y_LIMIT)) * (PANEL_H - 40);
  const out = [
    `<rect x="${x0 + 20}" y="${y0 + 20}" width="${PANEL_W - 30}" height="${PANEL_H - 40}" fill="none" stroke="#ccc"/>`,
    `<rect x="${x0 + 20}" y="${yOf(Math.log2(1.1))}" width="${PANEL_W - 30}" height="${yOf(Math.log2(0.9)) - yOf(Math.log2(1.1))}" fill="#e6f4ea"/>`,
    `<line x1="${x0 + 20}" x2="${x0 + PANEL_W - 10}" y1="${yOf(0)}" y2="${yOf(0)}" stroke="#999"/>`,
    `<text x="${x0 + 20}" y="${y0 + 14}" font-size="9">${esc(sweep.length > 40 ? `${sweep.slice(0, 39)}…` : sweep)}</text>`,
    ...loads.map((l) => `<text x="${xOf(l)}" y="${y0 + PANEL_H - 8}" font-size="8" text-anchor="middle">${Number.isFinite(l) ? l : 'inf'}</text>`),
  ];
  MODES.forEach(({ mode, colour }, m) => {
    for (const [key, r] of ratios(records.filter((x) => x.mode === mode))) {
      const [load, metric] = key.split('|');
      const x = xOf(Number(load)) + (m - 1) * 5;
      const y = yOf(r);
      out.push(metric === 'ttft' ? `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="2.5" fill="${colour}"/>` : `<rect x="${(x - 2.5).toFixed(1)}" y="${(y - 2.5).toFixed(1)}" width="5" height="5" fill="none" stroke="${colour}"/>`);
    }
  });
  return out;
}

export function writeFamilyPlot(file: string, family: string, records: readonly LosoRecord[]): void {
  const sweeps = [...new Set(records.filter((r) => r.mode === 'shipped').map((r) => r.sweep))];
  if (sweeps.length === 0) return;
  const rows = Math.ceil(sweeps.length / COLUMNS);
  const width = COLUMNS * PANEL_W + 20;
  const height = rows * PANEL_H + 60;
  const body = sweeps.flatMap((s, i) => panel(s, records.filter((r) => r.sweep === s), 10 + (i % COLUMNS) * PANEL_W, 45 + Math.floor(i / COLUMNS) * PANEL_H));
  const legend = MODES.map(({ colour, label }, i) => `<text x="${10 + i * 150}" y="34" font-size="10" fill="${colour}">■ ${label}</text>`);
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="16" font-size="12">${esc(family)}: predicted / measured per sweep and load (log scale, clamped to ¼…4; green = ±10%); ● TTFT, □ ITL/TPOT (mean, or median if only medians)</text>`,
    ...legend,
    ...body,
    '</svg>',
  ];
  writeFileSync(file, svg.join('\n') + '\n');
}
