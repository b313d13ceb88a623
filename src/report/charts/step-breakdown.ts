/**
 * Where a model step's time goes. Top: one 100% stacked bar per step, split by bound class (compute,
 * memory, communication, overhead), with the step's total time in its label. Below: one panel per step
 * with every operator's time, longest first, coloured by its bound class.
 */
import type { TopLevelSpec } from 'vega-lite';
import { BOUND_CLASSES, type BoundClass, type StepBreakdownRow } from '../chart-data.ts';
import {
  BOUND_COLORS,
  firstAppearance,
  fmtMs,
  fmtNum,
  fmtPercent,
  INK,
  roundSig,
  subtitleLines,
  textWidth,
  titleBlock,
  topLevel,
  type ChartTextOptions,
} from './theme.ts';

export type StepBreakdownOptions = ChartTextOptions;

export const DEFAULT_STEP = 'step';

export function stepOf(r: StepBreakdownRow): string {
  return r.step ?? DEFAULT_STEP;
}

export function boundColorScale(present: readonly BoundClass[]): { domain: string[]; range: string[] } {
  const domain = BOUND_CLASSES.filter((b) => present.includes(b));
  return { domain: [...domain], range: domain.map((b) => BOUND_COLORS[b]) };
}

/** Operator panels per row (each ~440 px with its operator names) and at most this many panels. */
const PANEL_COLUMNS = 3;
const MAX_STEP_PANELS = 6;
const SEGMENT_FONT_PX = 10.5;

/** "memory 21%" when it fits in the segment, else "21%", else nothing (labels never spill into a neighbour). */
export function segmentLabel(bound: string, share: number, segmentPx: number): string {
  const fits = (s: string): boolean => textWidth(s, SEGMENT_FONT_PX, true) + 8 <= segmentPx;
  const full = `${bound} ${fmtPercent(share)}`;
  if (fits(full)) return full;
  return fits(fmtPercent(share)) ? fmtPercent(share) : '';
}

export function stepBreakdownSpec(rows: readonly StepBreakdownRow[], options: StepBreakdownOptions = {}): TopLevelSpec {
  const width = options.width ?? 300;
  const steps = firstAppearance(rows, stepOf);
  const present = BOUND_CLASSES.filter((b) => rows.some((r) => r.bound === b));
  const boundColor = { field: 'bound', type: 'nominal', title: 'Bound by', scale: boundColorScale(present) };

  // top: composition by bound class, bars from x=start to x=end (shares of the step's total time)
  const totals = new Map(steps.map((s) => [s, rows.filter((r) => stepOf(r) === s).reduce((a, r) => a + r.timeMs, 0)]));
  const stepLabel = (s: string): string => `${s} (${fmtMs(totals.get(s) ?? 0)})`;
  const topWidth = Math.max(width * Math.min(steps.length, 2) + (steps.length > 1 ? 36 : 0), 360);
  const composition: Array<Record<string, string | number>> = [];
  for (const s of steps) {
    const total = totals.get(s) ?? 0;
    let start = 0;
    for (const b of BOUND_CLASSES) {
      const t = rows.filter((r) => stepOf(r) === s && r.bound === b).reduce((a, r) => a + r.timeMs, 0);
      if (t <= 0 || total <= 0) continue;
      const share = t / total;
      const end = start + share;
      composition.push({
        step: stepLabel(s),
        bound: b,
        timeMs: roundSig(t, 6),
        share: roundSig(share, 6),
        start: roundSig(start, 6),
        end: roundSig(end, 6),
        mid: roundSig((start + end) / 2, 6),
        label: segmentLabel(b, share, share * topWidth),
      });
      start = end;
    }
  }
  const stepSort = steps.map(stepLabel);
  const top = {
    title: { text: 'Share of step time by bound class', fontSize: 13 },
    width: topWidth,
    height: 34 * steps.length,
    data: { values: composition },
    encoding: {
      y: {
        field: 'step',
        type: 'nominal',
        title: null,
        sort: stepSort,
        scale: { paddingInner: 0.25 },
        axis: { ticks: false, domain: false, labelColor: INK, labelFontSize: 11.5 },
      },
    },
    layer: [
      {
        mark: { type: 'bar', stroke: 'white', strokeWidth: 1 },
        encoding: {
          x: {
            field: 'start',
            type: 'quantitative',
            title: 'Share of step time (%)',
            scale: { domain: [0, 1], nice: false },
            axis: { format: '.0%', tickCount: 5 },
          },
          x2: { field: 'end' },
          color: boundColor,
          tooltip: [
            { field: 'step', type: 'nominal', title: 'Step' },
            { field: 'bound', type: 'nominal', title: 'Bound by' },
            { field: 'timeMs', type: 'quantitative', title: 'Time (ms)', format: ',.3~f' },
            { field: 'share', type: 'quantitative', title: 'Share of step', format: '.1%' },
          ],
        },
      },
      {
        mark: { type: 'text', align: 'center', baseline: 'middle', fontWeight: 'bold' },
        encoding: {
          x: { field: 'mid', type: 'quantitative' },
          text: { field: 'label', type: 'nominal' },
          color: {
            condition: { test: "datum.bound === 'compute' || datum.bound === 'communication'", value: 'white' },
            value: INK,
          },
        },
      },
    ],
  };

  // bottom: operators of each step, in rows of PANEL_COLUMNS; a long list of steps shows the first few
  const shownSteps = steps.slice(0, MAX_STEP_PANELS);
  const panels = shownSteps.map((s) => {
    const ops = rows
      .filter((r) => stepOf(r) === s)
      .sort((a, b) => b.timeMs - a.timeMs)
      .map((r) => ({
        operator: r.operator,
        bound: r.bound,
        timeMs: r.timeMs,
        share: r.share,
        text: `${fmtNum(r.timeMs)} ms · ${fmtPercent(r.share)}`,
        flops: r.flops,
        bytes: r.bytes,
        arithmeticIntensity: r.arithmeticIntensity,
      }));
    const maxMs = Math.max(0, ...ops.map((o) => o.timeMs));
    const longest = Math.max(0, ...ops.map((o) => textWidth(o.text, 10.5)));
    const room = width - 8 - longest;
    const dmax = maxMs > 0 && room > 20 ? Number(((maxMs * width) / room).toPrecision(6)) : Math.max(maxMs, 1);
    const x = {
      field: 'timeMs',
      type: 'quantitative',
      title: 'Operator time (ms)',
      scale: { domain: [0, dmax], nice: false },
      axis: { tickCount: 4, format: ',~r' },
    };
    return {
      title: { text: `Operators: ${s} (${fmtMs(totals.get(s) ?? 0)})`, fontSize: 13 },
      width,
      height: 22 * ops.length,
      data: { values: ops },
      encoding: {
        y: {
          field: 'operator',
          type: 'nominal',
          title: null,
          sort: ops.map((o) => o.operator),
          scale: { paddingInner: 0.2 },
          axis: { ticks: false, domain: false, labelColor: INK },
        },
      },
      layer: [
        {
          mark: { type: 'bar', cornerRadiusEnd: 2 },
          encoding: {
            x,
            color: boundColor,
            tooltip: [
              { field: 'operator', type: 'nominal', title: 'Operator' },
              { field: 'bound', type: 'nominal', title: 'Bound by' },
              { field: 'timeMs', type: 'quantitative', title: 'Time (ms)', format: ',.3~f' },
              { field: 'share', type: 'quantitative', title: 'Share of step', format: '.1%' },
              { field: 'flops', type: 'quantitative', title: 'FLOP', format: '.3~s' },
              { field: 'bytes', type: 'quantitative', title: 'Bytes', format: '.3~s' },
              { field: 'arithmeticIntensity', type: 'quantitative', title: 'FLOP/byte', format: ',.1f' },
            ],
          },
        },
        {
          mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, color: INK },
          encoding: { x, text: { field: 'text', type: 'nominal' } },
        },
      ],
    };
  });

  const extra =
    steps.length > shownSteps.length ? [`Operators of the first ${shownSteps.length} of ${steps.length} steps; the top bar covers every step.`] : [];
  return topLevel(titleBlock(options.title ?? 'Step time breakdown', subtitleLines(options, extra)), {
    vconcat: [top, { concat: panels, columns: PANEL_COLUMNS, resolve: { scale: { x: 'independent', y: 'independent' } } }],
    resolve: { scale: { color: 'shared' } },
  });
}
