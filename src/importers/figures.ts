import type { MeasuredMetric, RejectedMetric } from './types.ts';

/**
 * A measured latency or throughput is a positive, finite number; anything else is a broken file or a
 * broken exporter. Such a figure is never simulated against: importers keep it as a RejectedMetric, which
 * calibrate and validate report as skipped with `where` (file:line, or the benchmark id) and the reason.
 */
export function rejectImpossibleFigure(m: MeasuredMetric, where: string): RejectedMetric | undefined {
  if (Number.isFinite(m.value) && m.value > 0) return undefined;
  const kind = m.metric.includes('throughput') ? 'throughput' : 'latency';
  return { ...m, where, reason: `${m.metric} ${m.statistic} = ${m.value}: a measured ${kind} must be a positive number` };
}
