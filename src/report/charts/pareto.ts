/**
 * Recommend's Pareto chart: fleet cost against p99 latency at the target, one panel for TTFT and one for
 * ITL, every verified candidate a point; the front (non-dominated over cost, TTFT, ITL and tokens/s per
 * user) in colour by GPU and joined in cost order, the dominated in grey. Candidates whose calibration
 * was not fitted for their GPU × engine are hollow. Log cost axis when costs span more than 30×.
 */
import type { TopLevelSpec } from 'vega-lite';
import { fmtUsd, GRID, MUTED, niceLogDomain, PALETTE, resolveLog, subtitleLines, titleBlock, topLevel, type ChartTextOptions } from './theme.ts';

export interface ParetoPoint {
  readonly label: string;
  readonly hardware: string;
  readonly usdPerHour: number;
  readonly ttftP99Ms: number;
  readonly itlP99Ms: number;
  readonly tokensPerSPerUser: number;
  readonly onFront: boolean;
  readonly calibrated: boolean;
}

export interface ParetoChartOptions extends ChartTextOptions {
  /** e.g. "50 req/s peak, chat workload, SLO ttft:p99<=200ms" */
  readonly targetDescription?: string | undefined;
  /** SLO limits to draw as reference lines */
  readonly ttftLimitMs?: number | undefined;
  readonly itlLimitMs?: number | undefined;
}

const PANEL_WIDTH_PX = 560;
const PANEL_HEIGHT_PX = 360;

function panel(rows: readonly Record<string, unknown>[], yField: 'ttftP99Ms' | 'itlP99Ms', yTitle: string, limitMs: number | undefined, x: Record<string, unknown>, color: Record<string, unknown>): Record<string, unknown> {
  const y = { field: yField, type: 'quantitative', title: yTitle, scale: { zero: false } };
  const tooltip = [
    { field: 'label', type: 'nominal', title: 'Candidate' },
    { field: 'usdPerHour', type: 'quantitative', title: '$/hour', format: ',.2f' },
    { field: 'ttftP99Ms', type: 'quantitative', title: 'TTFT p99 (ms)', format: ',.1f' },
    { field: 'itlP99Ms', type: 'quantitative', title: 'ITL p99 (ms)', format: ',.1f' },
    { field: 'tokensPerSPerUser', type: 'quantitative', title: 'tokens/s per user', format: ',.1f' },
    { field: 'calibration', type: 'nominal', title: 'Calibration' },
  ];
  const layers: Record<string, unknown>[] = [
    { transform: [{ filter: 'datum.front === false' }], mark: { type: 'point', filled: true, size: 40, color: '#BBBBBB', opacity: 0.7 }, encoding: { x, y, tooltip } },
    { transform: [{ filter: 'datum.front === true' }], mark: { type: 'line', color: MUTED, strokeDash: [4, 3], interpolate: 'step-after' }, encoding: { x, y, order: { field: 'usdPerHour' } } },
    {
      transform: [{ filter: 'datum.front === true' }],
      mark: { type: 'point', size: 110, strokeWidth: 2 },
      encoding: { x, y, color, tooltip, fill: { condition: { test: 'datum.calibrated', field: 'hardware', type: 'nominal', scale: color['scale'] }, value: 'white' }, shape: { value: 'circle' } },
    },
  ];
  if (limitMs !== undefined) layers.push({ data: { values: [{ limit: limitMs }] }, mark: { type: 'rule', color: MUTED, strokeDash: [2, 2] }, encoding: { y: { field: 'limit', type: 'quantitative' } } });
  return { width: PANEL_WIDTH_PX, height: PANEL_HEIGHT_PX, data: { values: rows }, layer: layers };
}

export function paretoSpec(points: readonly ParetoPoint[], options: ParetoChartOptions = {}): TopLevelSpec {
  const costs = points.map((p) => p.usdPerHour);
  const log = resolveLog('auto', costs);
  const x = {
    field: 'usdPerHour',
    type: 'quantitative',
    title: 'Fleet cost at the target ($/hour)',
    scale: log ? { type: 'log', domain: niceLogDomain(costs) } : { zero: false },
    axis: { format: '$,.3~r', gridColor: GRID, tickCount: 6 },
  };
  const hardware = [...new Set(points.filter((p) => p.onFront).map((p) => p.hardware))];
  const color = { field: 'hardware', type: 'nominal', title: 'GPU (front)', scale: { domain: hardware.length > 0 ? hardware : ['—'], range: hardware.map((_, i) => PALETTE[i % PALETTE.length]!) } };
  const rows = points.map((p) => ({ ...p, front: p.onFront, calibration: p.calibrated ? 'fitted' : 'not fitted (†)' }));
  const onFront = points.filter((p) => p.onFront);
  const cheapest = onFront.reduce<ParetoPoint | undefined>((b, p) => (!b || p.usdPerHour < b.usdPerHour ? p : b), undefined);
  const extra = [
    `${onFront.length} of ${points.length} verified candidates on the front (coloured; dominated in grey; hollow = calibration not fitted for that GPU × engine)`,
    ...(cheapest ? [`cheapest: ${cheapest.label} at ${fmtUsd(cheapest.usdPerHour)}/h`] : []),
  ];
  const subtitle = subtitleLines({ ...options, subtitle: options.subtitle ?? options.targetDescription }, extra);
  return topLevel(titleBlock(options.title ?? 'Cost vs latency: the Pareto front', subtitle), {
    hconcat: [panel(rows, 'ttftP99Ms', 'TTFT p99 at the target (ms)', options.ttftLimitMs, x, color), panel(rows, 'itlP99Ms', 'ITL p99 at the target (ms, per gap)', options.itlLimitMs, x, color)],
    resolve: { scale: { color: 'shared' } },
  });
}
