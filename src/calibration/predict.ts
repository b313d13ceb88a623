import { InfeasibleError } from '../diagnostics/errors.ts';
import type { MeasuredMetric } from '../importers/types.ts';
import type { ProfileRegistry } from '../profiles/registry.ts';
import type { CalibrationValues } from '../schema/calibration.ts';
import { simulate, type SimulationResult } from '../simulate.ts';
import { type MappedBenchmark, prepareMapped } from './map.ts';

/** One measured figure next to its prediction. */
export interface ComparedMetric {
  readonly benchmarkId: string;
  readonly metric: MeasuredMetric['metric'];
  readonly statistic: MeasuredMetric['statistic'];
  readonly measured: number;
  readonly predicted: number;
  /** |predicted − measured| / measured × 100 */
  readonly apePct: number;
}

export type Prediction = { ok: true; result: SimulationResult; compared: ComparedMetric[] } | { ok: false; reason: string };

export function predictBenchmark(
  m: MappedBenchmark,
  registry: ProfileRegistry,
  calibration: { id: string; values: CalibrationValues },
  seed: number | string = 42,
): Prediction {
  let prepared;
  try {
    prepared = prepareMapped(m, registry, calibration);
  } catch (e) {
    if (e instanceof InfeasibleError) return { ok: false, reason: `infeasible in servesim: ${e.reasons[0] ?? e.message}` };
    throw e;
  }
  const result = simulate({ deployment: prepared, workload: m.workload, seed, replicas: m.replicas });
  const compared: ComparedMetric[] = [];
  for (const mm of m.benchmark.metrics) {
    const predicted = predictedValue(result, mm);
    if (predicted === undefined || !Number.isFinite(predicted) || !(mm.value > 0)) continue;
    compared.push({
      benchmarkId: m.benchmark.id,
      metric: mm.metric,
      statistic: mm.statistic,
      measured: mm.value,
      predicted,
      apePct: (Math.abs(predicted - mm.value) / mm.value) * 100,
    });
  }
  if (compared.length === 0) return { ok: false, reason: 'no metric the simulation can predict' };
  return { ok: true, result, compared };
}

export function predictedValue(r: SimulationResult, m: MeasuredMetric): number | undefined {
  switch (m.metric) {
    case 'request_throughput':
      return r.throughput.requestsPerS;
    case 'output_throughput':
      return r.throughput.outputTokensPerS;
    case 'input_throughput':
      return r.throughput.inputTokensPerS;
    case 'total_token_throughput':
      return r.throughput.totalTokensPerS;
    default: {
      const d = r.latency[m.metric];
      switch (m.statistic) {
        case 'mean':
        case 'value':
          return d.mean;
        case 'median':
          return d.median;
        case 'p90':
          return d.p90;
        case 'p95':
          return d.p95;
        case 'p99':
          return d.p99;
        case 'p999':
          return d.p999;
      }
    }
  }
}
