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

/** What the three stacked panels share: size, the time domain, and whether rows carry a replica name. */
interface TimelineContext {
  readonly width: number;
  readonly height: number;
  readonly named: boolean;
  readonly minT: number;
  readonly maxT: number;
  readonly color: Record<string, unknown>;
}

/** One panel's own parts: its palette slot, title, field and axis, y scale and mark; `last` carries the time-axis title. */
interface TimelinePanel {
  readonly i: number;
  readonly title: string;
  readonly field: string;
  readonly axisTitle: string;
  readonly y: Record<string, unknown>;
  readonly mark: Record<string, unknown>;
  readonly last: boolean;
}

/** Rows sorted by time, the replica name only when some point has one. */
function timelineRows(points: readonly TimeSeriesPoint[], named: boolean): Array<Record<string, string | number>> {
  return [...points]
    .sort((a, b) => a.timeS - b.timeS)
    .map((p) => ({
      ...(named ? { series: p.series ?? '' } : {}),
      timeS: p.timeS,
      kvUtilization: p.kvUtilization,
      batchSize: p.batchSize,
      queueLength: p.queueLength,
    }));
}

function timelineTooltip(named: boolean): Array<Record<string, string>> {
  return [
    ...(named ? [{ field: 'series', type: 'nominal', title: 'Replica' }] : []),
    { field: 'timeS', type: 'quantitative', title: 'Time (s)', format: ',.2f' },
    { field: 'kvUtilization', type: 'quantitative', title: 'KV cache used', format: '.1%' },
    { field: 'batchSize', type: 'quantitative', title: 'Running batch', format: 'd' },
    { field: 'queueLength', type: 'quantitative', title: 'Queued requests', format: 'd' },
  ];
}

/** One panel: a line per replica, or (one unnamed series) a palette-coloured line over a light area. */
function timelinePanel(p: TimelinePanel, c: TimelineContext): Record<string, unknown> {
  const x = {
    field: 'timeS',
    type: 'quantitative',
    title: p.last ? 'Simulated time (s)' : null,
    scale: { domain: [c.minT, c.maxT], nice: false },
    axis: { format: ',~r' },
  };
  const fixed: Record<string, string> = c.named ? {} : { color: PALETTE[p.i] as string };
  const y = { field: p.field, type: 'quantitative', title: p.axisTitle, ...p.y };
  return {
    title: { text: p.title, fontSize: 12.5 },
    width: c.width,
    height: c.height,
    layer: [
      ...(c.named ? [] : [{ mark: { type: 'area', opacity: 0.15, interpolate: p.mark.interpolate ?? 'linear', ...fixed }, encoding: { x, y } }]),
      { mark: { ...p.mark, ...fixed }, encoding: { x, y, ...c.color, tooltip: timelineTooltip(c.named) } },
    ],
  };
}

export function engineTimelineSpec(points: readonly TimeSeriesPoint[], options: EngineTimelineOptions = {}): TopLevelSpec {
  const width = options.width ?? 640;
  const named = points.some((p) => p.series !== undefined);
  const rows = timelineRows(points, named);
  const maxT = Math.max(0, ...rows.map((r) => r.timeS as number));
  const c: TimelineContext = {
    width,
    height: options.height ?? 110,
    named,
    minT: Math.min(maxT, ...rows.map((r) => r.timeS as number)),
    maxT,
    color: named ? { color: seriesColorEncoding(firstAppearance(points, (p) => p.series ?? ''), panelsWidth(1, width), 'Replica') } : {},
  };
  const countAxis = (): Record<string, unknown> => ({ scale: { zero: true }, axis: { format: 'd', tickCount: 3, minExtent: 44 } });
  const stepLine = (): Record<string, unknown> => ({ type: 'line', interpolate: 'step-after', strokeWidth: 1.8 });
  return topLevel(titleBlock(options.title ?? 'Engine state over time', subtitleLines(options)), {
    data: { values: rows },
    vconcat: [
      timelinePanel(
        {
          i: 0,
          title: 'KV-cache utilization',
          field: 'kvUtilization',
          axisTitle: 'KV cache used (%)',
          y: { scale: { domain: [0, 1], nice: false }, axis: { format: '.0%', tickCount: 3, minExtent: 44 } },
          mark: { type: 'line', strokeWidth: 1.8 },
          last: false,
        },
        c,
      ),
      timelinePanel({ i: 1, title: 'Running batch', field: 'batchSize', axisTitle: 'Requests in batch', y: countAxis(), mark: stepLine(), last: false }, c),
      timelinePanel({ i: 2, title: 'Queue', field: 'queueLength', axisTitle: 'Requests waiting', y: countAxis(), mark: stepLine(), last: true }, c),
    ],
    spacing: 18,
    resolve: { scale: { y: 'independent' } },
  });
}
