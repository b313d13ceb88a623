/**
 * The simulated prefix cache over simulated time: the hit rate of each interval between samples, and the
 * prefill tokens it saved so far (hit rate × prompt tokens, summed), on a shared time axis.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PrefixCachePoint } from '../chart-data.ts';
import { PALETTE, subtitleLines, titleBlock, topLevel, type ChartTextOptions } from './theme.ts';

export type PrefixCacheOptions = ChartTextOptions;

/** rows by time with the running total of tokens saved (intervals that looked nothing up are kept at their 0) */
function prefixCacheRows(points: readonly PrefixCachePoint[]): Array<Record<string, number>> {
  let saved = 0;
  return [...points]
    .sort((a, b) => a.timeS - b.timeS)
    .map((p) => {
      saved += p.hitRate * p.promptTokens;
      return { timeS: p.timeS, hitRate: p.hitRate, promptTokens: p.promptTokens, tokensSaved: Math.round(saved) };
    });
}

export function prefixCacheSpec(points: readonly PrefixCachePoint[], options: PrefixCacheOptions = {}): TopLevelSpec {
  const width = options.width ?? 640;
  const height = options.height ?? 130;
  const rows = prefixCacheRows(points);
  const maxT = Math.max(0, ...rows.map((r) => r.timeS!));
  const x = (last: boolean) => ({
    field: 'timeS',
    type: 'quantitative',
    title: last ? 'Simulated time (s)' : null,
    scale: { domain: [Math.min(maxT, ...rows.map((r) => r.timeS!)), maxT], nice: false },
    axis: { format: ',~r' },
  });
  const tooltip = [
    { field: 'timeS', type: 'quantitative', title: 'Time (s)', format: ',.2f' },
    { field: 'hitRate', type: 'quantitative', title: 'Hit rate', format: '.1%' },
    { field: 'promptTokens', type: 'quantitative', title: 'Prompt tokens in interval', format: ',d' },
    { field: 'tokensSaved', type: 'quantitative', title: 'Prefill tokens saved so far', format: ',d' },
  ];
  const hit = { field: 'hitRate', type: 'quantitative', title: 'Hit rate (%)', scale: { domain: [0, 1], nice: false }, axis: { format: '.0%', tickCount: 3, minExtent: 52 } };
  const saved = { field: 'tokensSaved', type: 'quantitative', title: 'Tokens saved (tokens)', scale: { zero: true }, axis: { format: '~s', tickCount: 3, minExtent: 52 } };
  return topLevel(titleBlock(options.title ?? 'Prefix cache over time', subtitleLines(options)), {
    data: { values: rows },
    vconcat: [
      {
        title: { text: 'Hit rate per interval (prompt tokens found cached)', fontSize: 12.5 },
        width,
        height,
        // a point per sample: each interval's figure stands alone (the step shows how long it held)
        mark: { type: 'line', interpolate: 'step-before', strokeWidth: 1.8, color: PALETTE[0] as string, point: { size: 14, filled: true, color: PALETTE[0] as string } },
        encoding: { x: x(false), y: hit, tooltip },
      },
      {
        title: { text: 'Prefill tokens saved, cumulative', fontSize: 12.5 },
        width,
        height,
        layer: [
          { mark: { type: 'area', opacity: 0.15, color: PALETTE[1] as string }, encoding: { x: x(true), y: saved } },
          { mark: { type: 'line', strokeWidth: 1.8, color: PALETTE[1] as string }, encoding: { x: x(true), y: saved, tooltip } },
        ],
      },
    ],
    spacing: 18,
  });
}
