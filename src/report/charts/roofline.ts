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
  fmtNum,
  INK,
  logTicks,
  MUTED,
  niceLogDomain,
  roundSig,
  subtitleLines,
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
    label: labelled.has(r) ? r.operator : '',
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
  // label the slope a decade below the ridge (or at the left edge)
  const slopeAtX = roundSig(Math.max(xDomain[0] * 1.5, ridge / 10), 6);

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
  const annotations = [
    {
      arithmeticIntensity: slopeAtX,
      achievedTflopsPerS: roundSig(slopeAtX * bw, 6),
      text: `HBM ${fmtNum(bw)} TB/s`,
      angle: slopeAngle,
      align: 'center' as const,
      dy: -8,
    },
    {
      arithmeticIntensity: xDomain[1],
      achievedTflopsPerS: peak,
      text: `peak ${fmtNum(peak)} TFLOP/s`,
      angle: 0,
      align: 'right' as const,
      dy: -8,
    },
  ];

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
    ...annotations.map((a) => ({
      data: { values: [{ arithmeticIntensity: a.arithmeticIntensity, achievedTflopsPerS: a.achievedTflopsPerS, text: a.text }] },
      mark: { type: 'text', color: INK, fontWeight: 'bold', baseline: 'bottom', align: a.align, angle: a.angle, dy: a.dy },
      encoding: { x, y, text: { field: 'text', type: 'nominal' } },
    })),
    {
      data: {
        values: [{ arithmeticIntensity: roundSig(ridge, 6), achievedTflopsPerS: peak, text: `ridge ${fmtNum(ridge)} FLOP/byte` }],
      },
      layer: [
        { mark: { type: 'point', shape: 'diamond', filled: true, size: 90, color: INK }, encoding: { x, y } },
        {
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 6, dy: 6, color: MUTED },
          encoding: { x, y, text: { field: 'text', type: 'nominal' } },
        },
      ],
    },
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
              scale: { range: [30, 420], zero: true },
              legend: { format: ',~r', symbolFillColor: '#999999', symbolStrokeColor: '#999999' },
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
        {
          mark: { type: 'text', align: 'left', baseline: 'middle', dx: 9, fontSize: 10, color: '#333333' },
          encoding: { x, y, text: { field: 'label', type: 'nominal' } },
        },
      ],
    },
  ];

  const extra = [`${ceiling.gpu}: ridge = ${fmtNum(peak)} TFLOP/s ÷ ${fmtNum(bw)} TB/s = ${fmtNum(ridge)} FLOP/byte. Left of the ridge the roof is memory bandwidth, right of it compute.`];
  if (skipped > 0) extra.push(`${skipped} operator${skipped === 1 ? '' : 's'} without FLOPs (communication, overhead) not shown.`);
  return topLevel(titleBlock(options.title ?? 'Roofline: operators against the GPU limits', subtitleLines(options, extra)), {
    width,
    height,
    layer: layers,
  });
}
