/**
 * Serving-engine state over simulated time: KV-cache utilization, running batch size and queue length,
 * stacked on a shared time axis.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { TimeSeriesPoint } from '../chart-data.ts';
import {
  seriesColorEncoding,
  firstAppearance,
  PALETTE,
  panelsWidth,
  subtitleLines,
  titleBlock,
  topLevel,
  type ChartTextOptions,
} from './theme.ts';

export type EngineTimelineOptions = ChartTextOptions;

export function engineTimelineSpec(points: readonly TimeSeriesPoint[], options: EngineTimelineOptions = {}): TopLevelSpec {
  const width = options.width ?? 640;
  const height = options.height ?? 110;
  const named = points.some((p) => p.series !== undefined);
  const seriesDomain = named ? firstAppearance(points, (p) => p.series ?? '') : [];
  const rows = [...points]
    .sort((a, b) => a.timeS - b.timeS)
    .map((p) => ({
      ...(named ? { series: p.series ?? '' } : {}),
      timeS: p.timeS,
      kvUtilization: p.kvUtilization,
      batchSize: p.batchSize,
      queueLength: p.queueLength,
    }));
  const maxT = Math.max(0, ...rows.map((r) => r.timeS));
  const minT = Math.min(maxT, ...rows.map((r) => r.timeS));
  const x = (last: boolean): Record<string, unknown> => ({
    field: 'timeS',
    type: 'quantitative',
    title: last ? 'Simulated time (s)' : null,
    scale: { domain: [minT, maxT], nice: false },
    axis: { format: ',~r' },
  });
  const color = named
    ? { color: seriesColorEncoding(seriesDomain, panelsWidth(1, width), 'Replica') }
    : {};
  const fixed = (i: number): Record<string, string> => (named ? {} : { color: PALETTE[i] as string });
  const tooltip = [
    ...(named ? [{ field: 'series', type: 'nominal', title: 'Replica' }] : []),
    { field: 'timeS', type: 'quantitative', title: 'Time (s)', format: ',.2f' },
    { field: 'kvUtilization', type: 'quantitative', title: 'KV cache used', format: '.1%' },
    { field: 'batchSize', type: 'quantitative', title: 'Running batch', format: 'd' },
    { field: 'queueLength', type: 'quantitative', title: 'Queued requests', format: 'd' },
  ];

  const panel = (
    i: number,
    title: string,
    field: string,
    axisTitle: string,
    y: Record<string, unknown>,
    mark: Record<string, unknown>,
    last: boolean,
  ): Record<string, unknown> => ({
    title: { text: title, fontSize: 12.5 },
    width,
    height,
    layer: [
      ...(named
        ? []
        : [
            {
              mark: { type: 'area', opacity: 0.15, interpolate: mark.interpolate ?? 'linear', ...fixed(i) },
              encoding: { x: x(last), y: { field, type: 'quantitative', title: axisTitle, ...y } },
            },
          ]),
      {
        mark: { ...mark, ...fixed(i) },
        encoding: {
          x: x(last),
          y: { field, type: 'quantitative', title: axisTitle, ...y },
          ...color,
          tooltip,
        },
      },
    ],
  });

  return topLevel(titleBlock(options.title ?? 'Engine state over time', subtitleLines(options)), {
    data: { values: rows },
    vconcat: [
      panel(
        0,
        'KV-cache utilization',
        'kvUtilization',
        'KV cache used (%)',
        { scale: { domain: [0, 1], nice: false }, axis: { format: '.0%', tickCount: 3, minExtent: 44 } },
        { type: 'line', strokeWidth: 1.8 },
        false,
      ),
      panel(
        1,
        'Running batch',
        'batchSize',
        'Requests in batch',
        { scale: { zero: true }, axis: { format: 'd', tickCount: 3, minExtent: 44 } },
        { type: 'line', interpolate: 'step-after', strokeWidth: 1.8 },
        false,
      ),
      panel(
        2,
        'Queue',
        'queueLength',
        'Requests waiting',
        { scale: { zero: true }, axis: { format: 'd', tickCount: 3, minExtent: 44 } },
        { type: 'line', interpolate: 'step-after', strokeWidth: 1.8 },
        true,
      ),
    ],
    spacing: 18,
    resolve: { scale: { y: 'independent' } },
  });
}
