/**
 * Throughput vs offered request rate. Left: achieved requests/s and goodput (requests/s that met every SLO)
 * against the "achieved = offered" diagonal, so the knee where a deployment stops keeping up is visible.
 * Right: output tokens per second.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { RatePoint } from '../chart-data.ts';
import { bySeries, firstSaturated, operatingPointShape } from './latency-vs-rate.ts';
import {
  seriesColorEncoding,
  firstAppearance,
  fmtNum,
  MUTED,
  roundSig,
  panelsWidth,
  seriesSummary,
  subtitleLines,
  titleBlock,
  topLevel,
  type ChartTextOptions,
} from './theme.ts';

export type ThroughputVsRateOptions = ChartTextOptions;

const COMPLETED = 'completed';
const GOODPUT = 'goodput (met SLO)';

type Row = Record<string, string | number>;

/** Request rows (completed, and goodput when known) and token rows, per series in rate order. */
function throughputRows(points: readonly RatePoint[]): { reqRows: Row[]; tokRows: Row[] } {
  const reqRows: Row[] = [];
  const tokRows: Row[] = [];
  for (const s of bySeries(points)) {
    for (const p of s.points) {
      const state = p.saturated ? 'saturated' : 'steady state';
      reqRows.push({ series: p.series, requestRatePerS: p.requestRatePerS, measure: COMPLETED, perS: p.requestsPerS, state });
      if (p.goodputPerS !== undefined) {
        reqRows.push({ series: p.series, requestRatePerS: p.requestRatePerS, measure: GOODPUT, perS: p.goodputPerS, state });
      }
      tokRows.push({ series: p.series, requestRatePerS: p.requestRatePerS, outputTokensPerS: p.outputTokensPerS, state });
    }
  }
  return { reqRows, tokRows };
}

/** The output-token panel: saturation rules, a line and operating points per series. */
function tokensPanel(tokRows: readonly Row[], x: Record<string, unknown>, color: Record<string, unknown>, satRules: readonly Record<string, unknown>[], width: number, height: number): Record<string, unknown> {
  const yTok = {
    field: 'outputTokensPerS',
    type: 'quantitative',
    title: 'Output throughput (tokens/s)',
    scale: { zero: true },
    axis: { format: ',~r' },
  };
  return {
    title: { text: 'Output token throughput', fontSize: 13 },
    width,
    height,
    data: { values: tokRows },
    layer: [
      ...satRules,
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { x, y: yTok, color },
      },
      {
        mark: { type: 'point', filled: true, size: 42, opacity: 1 },
        encoding: {
          x,
          y: yTok,
          color,
          shape: operatingPointShape(),
          tooltip: [
            { field: 'series', type: 'nominal', title: 'Deployment' },
            { field: 'requestRatePerS', type: 'quantitative', title: 'Offered load (req/s)', format: ',.3~f' },
            { field: 'outputTokensPerS', type: 'quantitative', title: 'Output (tokens/s)', format: ',.0f' },
            { field: 'state', type: 'nominal', title: 'Operating point' },
          ],
        },
      },
    ],
  };
}

export function throughputVsRateSpec(points: readonly RatePoint[], options: ThroughputVsRateOptions = {}): TopLevelSpec {
  const width = options.width ?? 340;
  const height = options.height ?? 250;
  const seriesDomain = firstAppearance(points, (p) => p.series);
  const hasGoodput = points.some((p) => p.goodputPerS !== undefined);
  const maxRate = Math.max(0, ...points.map((p) => p.requestRatePerS));

  const { reqRows, tokRows } = throughputRows(points);

  const x = { field: 'requestRatePerS', type: 'quantitative', title: 'Offered load (requests/s)', scale: { zero: true } };
  const color = seriesColorEncoding(seriesDomain, panelsWidth(2, width));
  const yReq = { field: 'perS', type: 'quantitative', title: 'Throughput (requests/s)', scale: { zero: true }, axis: { format: ',~r' } };
  const measureDash = {
    field: 'measure',
    type: 'nominal',
    title: 'Requests',
    scale: { domain: hasGoodput ? [COMPLETED, GOODPUT] : [COMPLETED], range: hasGoodput ? [[1, 0], [5, 3]] : [[1, 0]] },
    legend: { symbolType: 'stroke', symbolSize: 400, symbolStrokeColor: '#555555', symbolStrokeWidth: 2 },
  };
  const saturation = firstSaturated(points);
  const satRule = {
    data: { values: saturation.map((s) => ({ series: s.series, requestRatePerS: s.requestRatePerS })) },
    mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.2, opacity: 0.8 },
    encoding: { x, color },
  };

  const requests = {
    title: { text: 'Completed requests and goodput', fontSize: 13 },
    width,
    height,
    data: { values: reqRows },
    layer: [
      ...(saturation.length > 0 ? [satRule] : []),
      {
        data: { values: [{ requestRatePerS: 0, perS: 0 }, { requestRatePerS: maxRate, perS: maxRate }] },
        mark: { type: 'line', color: MUTED, strokeDash: [1, 3], strokeWidth: 1.5 },
        encoding: { x, y: yReq },
      },
      {
        // above-left of the diagonal is empty: a deployment never completes more than it is offered
        data: { values: [{ requestRatePerS: roundSig(maxRate * 0.8), perS: roundSig(maxRate * 0.8), label: 'achieved = offered' }] },
        mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -4, dy: -4, color: MUTED },
        encoding: { x, y: yReq, text: { field: 'label', type: 'nominal' } },
      },
      {
        mark: { type: 'line', strokeWidth: 2 },
        encoding: { x, y: yReq, color, strokeDash: measureDash },
      },
      {
        mark: { type: 'point', filled: true, size: 42, opacity: 1 },
        encoding: {
          x,
          y: yReq,
          color,
          shape: operatingPointShape(),
          tooltip: [
            { field: 'series', type: 'nominal', title: 'Deployment' },
            { field: 'requestRatePerS', type: 'quantitative', title: 'Offered load (req/s)', format: ',.3~f' },
            { field: 'measure', type: 'nominal', title: 'Requests' },
            { field: 'perS', type: 'quantitative', title: 'Throughput (req/s)', format: ',.3~f' },
            { field: 'state', type: 'nominal', title: 'Operating point' },
          ],
        },
      },
    ],
  };

  const tokens = tokensPanel(tokRows, x, color, saturation.length > 0 ? [satRule] : [], width, height);

  const peak = bySeries(points).map((s) => {
    const best = Math.max(...s.points.map((p) => p.outputTokensPerS));
    return { series: s.series, value: best, text: `${fmtNum(best)} tokens/s` };
  });
  const extra = peak.length > 0 ? [seriesSummary('Peak output throughput', peak, 'tokens/s', '')] : [];
  if (saturation.length > 0) extra.push('Crosses: saturated points (queue grows without bound); dotted lines: first saturated rate.');
  return topLevel(titleBlock(options.title ?? 'Throughput vs offered load', subtitleLines(options, extra)), {
    hconcat: [requests, tokens],
    resolve: { scale: { y: 'independent' }, axis: { y: 'independent' } },
  });
}
