/**
 * Empirical latency CDFs: one panel per metric present in the data (TTFT, ITL, E2E order), one step line
 * per series, light reference rules at the median and the 99th percentile, SLO thresholds as vertical rules.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  CHART_LATENCY_METRICS,
  LATENCY_METRIC_LONG,
  LATENCY_METRIC_SHORT,
  type CdfPoint,
  type ChartLatencyMetric,
  type SloLine,
} from '../chart-data.ts';
import {
  seriesColorEncoding,
  domainFraction,
  firstAppearance,
  fmtMs,
  MUTED,
  quantScale,
  REFERENCE,
  resolveLog,
  panelsWidth,
  subtitleLines,
  titleBlock,
  topLevel,
  type ChartTextOptions,
  undrawnSloNote,
} from './theme.ts';

export interface LatencyCdfOptions extends ChartTextOptions {
  readonly slo?: readonly SloLine[] | undefined;
  /** Logarithmic latency axis: true, false or 'auto' (log when values span more than 30×). Default 'auto'. */
  readonly logX?: boolean | 'auto' | undefined;
}

const UNIT_OF_COUNT: Readonly<Record<ChartLatencyMetric, string>> = {
  ttft: 'requests',
  itl: 'token gaps',
  e2e: 'requests',
};

/** Light rules at the median and the 99th percentile, labelled at the left edge. */
function quantileLayers(y: Record<string, unknown>): Array<Record<string, unknown>> {
  const quantiles = [
    { cumulativeFraction: 0.5, label: 'p50' },
    { cumulativeFraction: 0.99, label: 'p99' },
  ];
  return [
    {
      data: { values: quantiles },
      mark: { type: 'rule', color: '#bbbbbb', strokeWidth: 1 },
      encoding: { y },
    },
    {
      data: { values: quantiles },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 3, color: MUTED },
      encoding: { x: { value: 0 }, y, text: { field: 'label', type: 'nominal' } },
    },
  ];
}

/** Vertical SLO rules, each labelled at the bottom on the side of the rule with more room. */
function sloLayers(slos: readonly SloLine[], x: Record<string, unknown>, height: number, domain: readonly [number, number], log: boolean): Array<Record<string, unknown>> {
  if (slos.length === 0) return [];
  const sloRows = slos.map((s) => ({ valueMs: s.thresholdMs, label: `${s.percentile} SLO ${fmtMs(s.thresholdMs)}` }));
  const layers: Array<Record<string, unknown>> = [
    {
      data: { values: sloRows },
      mark: { type: 'rule', color: REFERENCE, strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { x },
    },
  ];
  // label at the bottom, on the side of the rule with more room (curves sit low-left, tails top-right)
  for (const side of ['left', 'right'] as const) {
    const mine = sloRows.filter((r) => (domainFraction(r.valueMs, domain, log) > 0.55) === (side === 'left'));
    if (mine.length === 0) continue;
    layers.push({
      data: { values: mine },
      mark: {
        type: 'text',
        align: side === 'left' ? 'right' : 'left',
        baseline: 'bottom',
        dx: side === 'left' ? -4 : 4,
        dy: -4,
        color: REFERENCE,
        fontWeight: 'bold',
      },
      encoding: { x, y: { value: height }, text: { field: 'label', type: 'nominal' } },
    });
  }
  return layers;
}

export function latencyCdfSpec(points: readonly CdfPoint[], options: LatencyCdfOptions = {}): TopLevelSpec {
  const width = options.width ?? 340;
  const height = options.height ?? 240;
  const seriesDomain = firstAppearance(points, (p) => p.series);
  const metrics = CHART_LATENCY_METRICS.filter((m) => points.some((p) => p.metric === m));
  const color = seriesColorEncoding(seriesDomain, panelsWidth(metrics.length, width));

  const panels = metrics.map((metric) => {
    const rows = seriesDomain.flatMap((series) =>
      points
        .filter((p) => p.metric === metric && p.series === series)
        .sort((a, b) => a.valueMs - b.valueMs || a.cumulativeFraction - b.cumulativeFraction)
        .map((p) => ({ series: p.series, valueMs: p.valueMs, cumulativeFraction: p.cumulativeFraction })),
    );
    const slos = (options.slo ?? []).filter((s) => s.metric === metric);
    const values = [...rows.map((r) => r.valueMs), ...slos.map((s) => s.thresholdMs)];
    const log = resolveLog(options.logX ?? 'auto', values);
    const q = quantScale(log, values);
    const short = LATENCY_METRIC_SHORT[metric];
    const x = {
      field: 'valueMs',
      type: 'quantitative',
      title: `${short} (ms${log ? ', log scale' : ''})`,
      scale: q.scale,
      axis: q.axis,
    };
    const y = {
      field: 'cumulativeFraction',
      type: 'quantitative',
      title: `Share of ${UNIT_OF_COUNT[metric]} ≤ x (%)`,
      scale: { domain: [0, 1], nice: false },
      axis: { format: '.0%' },
    };
    const layers: Array<Record<string, unknown>> = [...quantileLayers(y), ...sloLayers(slos, x, height, q.domain, log)];
    layers.push({
      data: { values: rows },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
      encoding: {
        x,
        y,
        color,
        tooltip: [
          { field: 'series', type: 'nominal', title: 'Deployment' },
          { field: 'valueMs', type: 'quantitative', title: `${short} (ms)`, format: ',.1f' },
          { field: 'cumulativeFraction', type: 'quantitative', title: 'Share ≤ value', format: '.1%' },
        ],
      },
    });
    return { title: { text: LATENCY_METRIC_LONG[metric], fontSize: 13 }, width, height, layer: layers };
  });

  return topLevel(titleBlock(options.title ?? 'Latency distributions', subtitleLines(options, [undrawnSloNote(options.slo ?? [], metrics)])), {
    hconcat: panels,
    resolve: { scale: { x: 'independent' }, axis: { x: 'independent' } },
  });
}
