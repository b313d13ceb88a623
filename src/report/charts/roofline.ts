/**
 * Roofline: every operator as a point at (arithmetic intensity, achieved FLOP/s) on log–log axes, under the
 * GPU's roof — the memory-bandwidth slope (FLOP/s = intensity × bandwidth) up to the ridge point, then the
 * flat compute ceiling. Points are coloured by the cost model's bound class and sized by operator time; the
 * longest operators are labelled. Operators without FLOPs (communication, overhead) cannot be placed on a
 * log axis and are counted in the subtitle instead.
 */
import type { TopLevelSpec } from 'vega-lite';
import { BOUND_CLASSES, type RooflineCeiling, type StepBreakdownRow } from '../chart-data.ts';
import { boundColorScale, stepOf } from './step-breakdown.ts';
import {
  firstAppearance,
  firstFreeBox,
  fmtNum,
  INK,
  logTicks,
  MUTED,
  niceLogDomain,
  roundSig,
  subtitleLines,
  textWidth,
  titleBlock,
  topLevel,
  type ChartTextOptions,
} from './theme.ts';

export interface RooflineOptions extends ChartTextOptions {
  /** Label the N operators with the most time (default 8). */
  readonly labelTop?: number | undefined;
}

export function ridgeOf(c: RooflineCeiling): number {
  return c.ridgeFlopsPerByte ?? c.peakTflopsPerS / c.memoryBandwidthTBPerS;
}


interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

const LABEL_FONT = 10;

/**
 * Greedy label placement in pixel space (the axes are log with explicit domains, so positions are known):
 * the longest operators first, each label tries eight spots around its point, then spots further up/down
 * with a leader line, and is dropped when none is free of points, other labels, the roof and the plot edge.
 */
function placeLabels(
  pts: ReadonlyArray<{ px: number; py: number; r: number; text: string; labelled: boolean }>,
  obstacles: Box[],
  width: number,
  height: number,
): Array<{ index: number; left: number; cy: number; leader: boolean }> {
  const placed: Array<{ index: number; left: number; cy: number; leader: boolean }> = [];
  const boxes = [...obstacles, ...pts.map((p) => ({ x0: p.px - p.r - 1, y0: p.py - p.r - 1, x1: p.px + p.r + 1, y1: p.py + p.r + 1 }))];
  const h = LABEL_FONT + 2;
  pts.forEach((p, index) => {
    if (!p.labelled) return;
    const w = textWidth(p.text, LABEL_FONT);
    const near = p.r + 4;
    const candidates: Array<[left: number, cy: number, leader: boolean]> = [
      [p.px + near, p.py, false],
      [p.px - near - w, p.py, false],
      [p.px + p.r * 0.5 + 2, p.py - p.r - 8, false],
      [p.px + p.r * 0.5 + 2, p.py + p.r + 8, false],
      [p.px - p.r * 0.5 - 2 - w, p.py - p.r - 8, false],
      [p.px - p.r * 0.5 - 2 - w, p.py + p.r + 8, false],
      [p.px - w / 2, p.py - p.r - 9, false],
      [p.px - w / 2, p.py + p.r + 9, false],
    ];
    for (const dy of [20, 32, 44]) {
      candidates.push([p.px + near + 6, p.py - dy, true], [p.px + near + 6, p.py + dy, true]);
      candidates.push([p.px - near - 6 - w, p.py - dy, true], [p.px - near - 6 - w, p.py + dy, true]);
    }
    for (const [left, cy, leader] of candidates) {
      const box = { x0: left - 1, y0: cy - h / 2, x1: left + w + 1, y1: cy + h / 2 };
      if (box.x0 < 0 || box.x1 > width || box.y0 < 0 || box.y1 > height) continue;
      if (boxes.some((b) => overlaps(b, box))) continue;
      boxes.push(box);
      placed.push({ index, left, cy, leader });
      return;
    }
  });
  return placed;
}

/** A text label on the roof, anchored at (ai, tf) and offset by (dx, dy) pixels in its own rotated frame. */
interface Annotation {
  readonly ai: number;
  readonly tf: number;
  readonly text: string;
  readonly angle: number;
  readonly align: 'left' | 'center' | 'right';
  readonly baseline: 'top' | 'bottom';
  readonly dx: number;
  readonly dy: number;
  readonly color: string;
  readonly bold: boolean;
}

const ANNOTATION_FONT = 10.5;

/** Axis-aligned pixel box of an annotation (a rotated label's box encloses the rotated rectangle). */
function annotationBox(a: Annotation, toPx: (ai: number, tf: number) => { px: number; py: number }): Box {
  const w = textWidth(a.text, ANNOTATION_FONT, a.bold) + 2;
  const h = ANNOTATION_FONT + 2;
  // the rectangle's centre in the label's own frame, then rotated about the anchor
  const cx = a.dx + (a.align === 'left' ? w / 2 : a.align === 'right' ? -w / 2 : 0);
  const cy = a.dy + (a.baseline === 'top' ? h / 2 : -h / 2);
  const th = (a.angle * Math.PI) / 180;
  const { px, py } = toPx(a.ai, a.tf);
  const x = px + cx * Math.cos(th) - cy * Math.sin(th);
  const y = py + cx * Math.sin(th) + cy * Math.cos(th);
  const hw = (w / 2) * Math.abs(Math.cos(th)) + (h / 2) * Math.abs(Math.sin(th));
  const hh = (w / 2) * Math.abs(Math.sin(th)) + (h / 2) * Math.abs(Math.cos(th));
  return { x0: x - hw, y0: y - hh, x1: x + hw, y1: y + hh };
}

/** "decode, batch 64" → "decode": the part before the first comma, for point labels. */
function shortStep(step: string): string {
  return (step.split(',')[0] ?? step).trim();
}

/** Up to three 1-2-5 values ≤ max for the size legend (never 0). */
function sizeLegendValues(max: number): number[] {
  if (!(max > 0)) return [];
  const out: number[] = [];
  const e = 10 ** Math.floor(Math.log10(max));
  for (let k = e * 100; k >= e / 100 && out.length < 3; ) {
    for (const m of [5, 2, 1]) {
      const v = roundSig(m * k);
      if (v <= max && out.length < 3 && (out.length === 0 || v <= (out[out.length - 1] as number) / 2)) out.push(v);
    }
    k /= 10;
  }
  return out.reverse();
}

export function rooflineSpec(
  rows: readonly StepBreakdownRow[],
  ceiling: RooflineCeiling,
  options: RooflineOptions = {},
): TopLevelSpec {
  const width = options.width ?? 520;
  const height = options.height ?? 340;
  const ridge = ridgeOf(ceiling);
  const peak = ceiling.peakTflopsPerS;
  const bw = ceiling.memoryBandwidthTBPerS;
  const steps = firstAppearance(rows, stepOf);
  const multiStep = steps.length > 1;

  const placed = rows.filter((r) => r.flops > 0 && r.bytes > 0 && r.timeMs > 0 && r.arithmeticIntensity > 0);
  const skipped = rows.length - placed.length;
  const labelTop = options.labelTop ?? 8;
  const byTime = [...placed].sort((a, b) => b.timeMs - a.timeMs);
  const labelled = new Set(byTime.slice(0, labelTop));
  const points = placed.map((r) => ({
    step: stepOf(r),
    operator: r.operator,
    bound: r.bound,
    arithmeticIntensity: r.arithmeticIntensity,
    achievedTflopsPerS: roundSig(r.flops / (r.timeMs * 1e-3) / 1e12, 6),
    timeMs: r.timeMs,
    share: r.share,
  }));
  const xDomain = niceLogDomain([...points.map((p) => p.arithmeticIntensity), ridge], 2);
  const yDomain = niceLogDomain([...points.map((p) => p.achievedTflopsPerS), peak], 2);
  const roof = [
    { arithmeticIntensity: xDomain[0], achievedTflopsPerS: roundSig(xDomain[0] * bw, 6) },
    { arithmeticIntensity: roundSig(ridge, 6), achievedTflopsPerS: peak },
    { arithmeticIntensity: xDomain[1], achievedTflopsPerS: peak },
  ];
  // on-screen angle of the bandwidth slope (slope 1 in log–log) for its label
  const pxPerDecadeX = width / Math.log10(xDomain[1] / xDomain[0]);
  const pxPerDecadeY = height / Math.log10(yDomain[1] / yDomain[0]);
  const slopeAngle = -Math.round((Math.atan2(pxPerDecadeY, pxPerDecadeX) * 180) / Math.PI);

  const x = {
    field: 'arithmeticIntensity',
    type: 'quantitative',
    title: 'Arithmetic intensity (FLOP/byte, log scale)',
    scale: { type: 'log', domain: xDomain, nice: false },
    axis: { values: logTicks(xDomain), format: '~s' },
  };
  const y = {
    field: 'achievedTflopsPerS',
    type: 'quantitative',
    title: 'Achieved compute (TFLOP/s, log scale)',
    scale: { type: 'log', domain: yDomain, nice: false },
    axis: { values: logTicks(yDomain), format: '~s' },
  };
  const present = BOUND_CLASSES.filter((b) => placed.some((r) => r.bound === b));
  // pixel geometry (explicit log domains) for label placement
  const lx = Math.log10(xDomain[1] / xDomain[0]);
  const ly = Math.log10(yDomain[1] / yDomain[0]);
  const toPx = (ai: number, tf: number): { px: number; py: number } => ({
    px: (width * Math.log10(ai / xDomain[0])) / lx,
    py: height * (1 - Math.log10(tf / yDomain[0]) / ly),
  });
  const fromPx = (px: number, py: number): { ai: number; tf: number } => ({
    ai: roundSig(xDomain[0] * 10 ** ((px / width) * lx), 6),
    tf: roundSig(yDomain[0] * 10 ** ((1 - py / height) * ly), 6),
  });
  const [sizeMin, sizeMax] = [30, 420];
  const maxTime = Math.max(...points.map((p) => p.timeMs), 0);
  const geo = points.map((p, i) => {
    const { px, py } = toPx(p.arithmeticIntensity, p.achievedTflopsPerS);
    const size = maxTime > 0 ? sizeMin + ((sizeMax - sizeMin) * p.timeMs) / maxTime : sizeMin;
    const text = multiStep ? `${p.operator} (${shortStep(p.step)})` : p.operator;
    return { px, py, r: Math.sqrt(size) / 2, text, labelled: labelled.has(placed[i] as StepBreakdownRow) };
  });
  const obstacles: Array<{ x0: number; y0: number; x1: number; y1: number }> = [];
  // the roof and the text drawn just above it
  const roofPx = roof.map((r) => toPx(r.arithmeticIntensity, r.achievedTflopsPerS));
  for (let i = 0; i + 1 < roofPx.length; i++) {
    const a = roofPx[i] as { px: number; py: number };
    const b = roofPx[i + 1] as { px: number; py: number };
    const n = Math.max(1, Math.ceil(Math.hypot(b.px - a.px, b.py - a.py) / 6));
    for (let k = 0; k <= n; k++) {
      const px = a.px + ((b.px - a.px) * k) / n;
      const py = a.py + ((b.py - a.py) * k) / n;
      obstacles.push({ x0: px - 3, y0: py - 20, x1: px + 3, y1: py + 3 });
    }
  }
  const ridgePx = toPx(ridge, peak);
  const ridgeText = `ridge ${fmtNum(ridge)} FLOP/byte`;
  // the roof's three labels go where they cover no operator bubble (or are left out: the subtitle has the figures)
  const bubbles = geo.map((g) => ({ x0: g.px - g.r - 1, y0: g.py - g.r - 1, x1: g.px + g.r + 1, y1: g.py + g.r + 1 }));
  const taken: Box[] = [...bubbles, { x0: ridgePx.px - 6, y0: ridgePx.py - 6, x1: ridgePx.px + 6, y1: ridgePx.py + 6 }];
  const annotations: Array<Annotation & Box> = [];
  const place = (cands: Annotation[]): void => {
    const a = firstFreeBox(cands.map((c) => ({ ...c, ...annotationBox(c, toPx) })), taken, width, height);
    if (a === undefined) return;
    annotations.push(a);
    taken.push(a);
  };
  const slopeText = `HBM ${fmtNum(bw)} TB/s`;
  // along the bandwidth slope, a decade below the ridge first, then further left or closer to the ridge
  const slopeXs = [ridge / 10, ridge / 4, ridge / 30, ridge / 100, ridge / 2].filter((v) => v > xDomain[0] * 1.5);
  place(
    slopeXs.flatMap((sx) => [-8, 16].map((dy) => ({
      ai: roundSig(sx, 6), tf: roundSig(sx * bw, 6), text: slopeText, angle: slopeAngle, align: 'center' as const,
      baseline: dy < 0 ? ('bottom' as const) : ('top' as const), dx: 0, dy: dy < 0 ? dy : 8, color: INK, bold: true,
    }))),
  );
  const peakText = `peak ${fmtNum(peak)} TFLOP/s`;
  const midFlat = roundSig(Math.sqrt(ridge * xDomain[1]), 6);
  place([
    { ai: xDomain[1], tf: peak, text: peakText, angle: 0, align: 'right', baseline: 'bottom', dx: 0, dy: -8, color: INK, bold: true },
    { ai: midFlat, tf: peak, text: peakText, angle: 0, align: 'center', baseline: 'bottom', dx: 0, dy: -8, color: INK, bold: true },
    { ai: xDomain[1], tf: peak, text: peakText, angle: 0, align: 'right', baseline: 'top', dx: 0, dy: 8, color: INK, bold: true },
    { ai: midFlat, tf: peak, text: peakText, angle: 0, align: 'center', baseline: 'top', dx: 0, dy: 8, color: INK, bold: true },
  ]);
  const r0 = roundSig(ridge, 6);
  // the ridge label must not cross the roof or the dotted ridge rule either
  const lines: Box[] = [{ x0: ridgePx.px - 2, y0: 0, x1: ridgePx.px + 2, y1: height }];
  for (const o of obstacles) lines.push({ x0: o.x0, y0: o.y1 - 6, x1: o.x1, y1: o.y1 });
  taken.push(...lines);
  place(
    (
      [[6, 6, 'left', 'top'], [6, 22, 'left', 'top'], [6, 38, 'left', 'top'], [-6, 22, 'right', 'top'], [-6, 38, 'right', 'top'], [6, 54, 'left', 'top'], [-6, 54, 'right', 'top']] as const
    ).map(([dx, dy, align, baseline]) => ({ ai: r0, tf: peak, text: ridgeText, angle: 0, align, baseline, dx, dy, color: MUTED, bold: false })),
  );
  obstacles.push(...annotations);
  const placements = placeLabels(geo, obstacles, width, height);
  const labelRows = placements.map((pl) => {
    const g = geo[pl.index] as (typeof geo)[number];
    const at = fromPx(pl.left, pl.cy);
    return { arithmeticIntensity: at.ai, achievedTflopsPerS: at.tf, text: g.text };
  });
  const leaderRows = placements
    .filter((pl) => pl.leader)
    .map((pl) => {
      const g = geo[pl.index] as (typeof geo)[number];
      const right = pl.left > g.px;
      const from = fromPx(g.px + (right ? g.r : -g.r), g.py);
      const to = fromPx(right ? pl.left - 2 : pl.left + textWidth(g.text, LABEL_FONT) + 2, pl.cy);
      return { arithmeticIntensity: from.ai, achievedTflopsPerS: from.tf, ai2: to.ai, tf2: to.tf };
    });
  const unlabelled = Math.min(labelTop, points.length) - placements.length;

  const layers: Array<Record<string, unknown>> = [
    {
      data: { values: [{ arithmeticIntensity: roundSig(ridge, 6) }] },
      mark: { type: 'rule', color: MUTED, strokeDash: [2, 3], strokeWidth: 1 },
      encoding: { x },
    },
    {
      data: { values: roof },
      mark: { type: 'line', color: INK, strokeWidth: 2.5, clip: true },
      encoding: { x, y },
    },
    {
      data: { values: [{ arithmeticIntensity: r0, achievedTflopsPerS: peak }] },
      mark: { type: 'point', shape: 'diamond', filled: true, size: 90, color: INK },
      encoding: { x, y },
    },
    ...annotations.map((a) => ({
      data: { values: [{ arithmeticIntensity: a.ai, achievedTflopsPerS: a.tf, text: a.text }] },
      mark: {
        type: 'text',
        color: a.color,
        ...(a.bold ? { fontWeight: 'bold' } : {}),
        baseline: a.baseline,
        align: a.align,
        ...(a.angle !== 0 ? { angle: a.angle } : {}),
        ...(a.dx !== 0 ? { dx: a.dx } : {}),
        dy: a.dy,
      },
      encoding: { x, y, text: { field: 'text', type: 'nominal' } },
    })),
    {
      data: { values: points },
      layer: [
        {
          mark: { type: 'point', filled: true, opacity: 0.85, stroke: 'white', strokeWidth: 0.8 },
          encoding: {
            x,
            y,
            color: { field: 'bound', type: 'nominal', title: 'Bound by', scale: boundColorScale(present) },
            size: {
              field: 'timeMs',
              type: 'quantitative',
              title: 'Operator time (ms)',
              scale: { domain: [0, maxTime], range: [sizeMin, sizeMax] },
              legend: { values: sizeLegendValues(maxTime), format: ',~r', symbolFillColor: '#999999', symbolStrokeColor: '#999999' },
            },
            ...(multiStep
              ? {
                  shape: {
                    field: 'step',
                    type: 'nominal',
                    title: 'Step',
                    scale: { domain: steps, range: ['circle', 'square', 'triangle-up', 'diamond'] },
                  },
                }
              : {}),
            tooltip: [
              { field: 'step', type: 'nominal', title: 'Step' },
              { field: 'operator', type: 'nominal', title: 'Operator' },
              { field: 'bound', type: 'nominal', title: 'Bound by' },
              { field: 'arithmeticIntensity', type: 'quantitative', title: 'FLOP/byte', format: ',.1f' },
              { field: 'achievedTflopsPerS', type: 'quantitative', title: 'Achieved TFLOP/s', format: ',.1f' },
              { field: 'timeMs', type: 'quantitative', title: 'Time (ms)', format: ',.3~f' },
              { field: 'share', type: 'quantitative', title: 'Share of step', format: '.1%' },
            ],
          },
        },
      ],
    },
    ...(leaderRows.length > 0
      ? [
          {
            data: { values: leaderRows },
            mark: { type: 'rule', color: '#888888', strokeWidth: 0.8 },
            encoding: { x, y, x2: { field: 'ai2' }, y2: { field: 'tf2' } },
          },
        ]
      : []),
    {
      data: { values: labelRows },
      mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: LABEL_FONT, color: '#333333' },
      encoding: { x, y, text: { field: 'text', type: 'nominal' } },
    },
  ];

  const extra = [`${ceiling.gpu}: ridge = ${fmtNum(peak)} TFLOP/s ÷ ${fmtNum(bw)} TB/s = ${fmtNum(ridge)} FLOP/byte. Left of the ridge the roof is memory bandwidth, right of it compute.`];
  if (unlabelled > 0) extra.push(`${unlabelled} crowded label${unlabelled === 1 ? '' : 's'} left out; hover in the HTML report for every operator.`);
  if (skipped > 0) extra.push(`${skipped} operator${skipped === 1 ? '' : 's'} without FLOPs (communication, overhead) not shown.`);
  return topLevel(titleBlock(options.title ?? 'Roofline: operators against the GPU limits', subtitleLines(options, extra)), {
    width,
    height,
    layer: layers,
  });
}
