/**
 * SLO attainment (share of requests meeting every latency objective) vs offered request rate, with the
 * attainment target as a reference rule and, in the subtitle, the highest rate each deployment sustains
 * while meeting it.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RatePoint } from '../chart-data.ts';
import { bySeries, operatingPointShape } from './latency-vs-rate.ts';
import {
  seriesColorEncoding,
  firstAppearance,
  fmtNum,
  fmtPercent,
  REFERENCE,
  panelsWidth,
  seriesSummary,
  subtitleLines,
  titleBlock,
  topLevel,
  type ChartTextOptions,
} from './theme.ts';

export interface SloAttainmentOptions extends ChartTextOptions {
  /** Attainment target 0..1 drawn as a rule (default 0.99); false for none. */
  readonly target?: number | false | undefined;
  /** Lower end of the attainment axis, 0..1 (default 0). */
  readonly yMin?: number | undefined;
  /** Words for the objective in the subtitle, e.g. "TTFT p99 ≤ 500 ms and ITL p99 ≤ 40 ms". */
  readonly sloDescription?: string | undefined;
}

/** Highest rate of each series before attainment first drops below the target. */
export function highestRateMeeting(points: readonly RatePoint[], target: number): Array<{ series: string; ratePerS: number | null }> {
  return bySeries(points).map((s) => {
    let best: number | null = null;
    for (const p of s.points) {
      if (p.sloAttainment === undefined) continue;
      if (p.sloAttainment < target) break;
      best = p.requestRatePerS;
    }
    return { series: s.series, ratePerS: best };
  });
}

export function sloAttainmentSpec(points: readonly RatePoint[], options: SloAttainmentOptions = {}): TopLevelSpec {
  const width = options.width ?? 480;
  const height = options.height ?? 260;
  const target = options.target ?? 0.99;
  const withData = points.filter((p) => p.sloAttainment !== undefined);
  const seriesDomain = firstAppearance(withData, (p) => p.series);
  const rows = bySeries(withData).flatMap((s) =>
    s.points.map((p) => ({
      series: p.series,
      requestRatePerS: p.requestRatePerS,
      sloAttainment: p.sloAttainment as number,
      state: p.saturated ? 'saturated' : 'steady state',
    })),
  );
  const x = { field: 'requestRatePerS', type: 'quantitative', title: 'Offered load (requests/s)', scale: { zero: true } };
  const y = {
    field: 'sloAttainment',
    type: 'quantitative',
    title: 'Requests meeting the SLO (%)',
    scale: { domain: [options.yMin ?? 0, 1], nice: false },
    axis: { format: '.0%' },
  };
  const color = seriesColorEncoding(seriesDomain, panelsWidth(1, width));
  const layers: Array<Record<string, unknown>> = [];
  if (target !== false) {
    const targetRow = [{ sloAttainment: target, label: `target ${fmtPercent(target, target * 100 === Math.round(target * 100) ? 0 : 1)}` }];
    layers.push(
      {
        data: { values: targetRow },
        mark: { type: 'rule', color: REFERENCE, strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { y },
      },
      {
        data: { values: targetRow },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, color: REFERENCE, fontWeight: 'bold' },
        encoding: { x: { value: 0 }, y, text: { field: 'label', type: 'nominal' } },
      },
    );
  }
  layers.push(
    { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
    {
      mark: { type: 'point', filled: true, size: 42, opacity: 1 },
      encoding: {
        x,
        y,
        color,
        shape: operatingPointShape(),
        tooltip: [
          { field: 'series', type: 'nominal', title: 'Deployment' },
          { field: 'requestRatePerS', type: 'quantitative', title: 'Offered load (req/s)', format: ',.3~f' },
          { field: 'sloAttainment', type: 'quantitative', title: 'Meeting the SLO', format: '.1%' },
          { field: 'state', type: 'nominal', title: 'Operating point' },
        ],
      },
    },
  );

  const extra: string[] = [];
  if (options.sloDescription !== undefined) extra.push(`SLO: ${options.sloDescription}`);
  if (target !== false && rows.length > 0) {
    const items = highestRateMeeting(withData, target).map((h) => ({
      series: h.series,
      value: h.ratePerS,
      text: h.ratePerS === null ? 'none' : `${fmtNum(h.ratePerS)} req/s`,
    }));
    const lead = `Highest rate meeting the ${fmtPercent(target, target * 100 === Math.round(target * 100) ? 0 : 1)} target`;
    extra.push(seriesSummary(lead, items, 'req/s', 'meet it at no rate'));
  }
  return topLevel(titleBlock(options.title ?? 'SLO attainment vs offered load', subtitleLines(options, extra)), {
    width,
    height,
    data: { values: rows },
    layer: layers,
  });
}
