import { InfeasibleError } from '../diagnostics/errors.ts';
import type { MeasuredMetric } from '../importers/types.ts';
import type { ProfileRegistry } from '../profiles/registry.ts';
import type { CalibrationValues } from '../schema/calibration.ts';
import { simulate, type SimulationResult } from '../simulate.ts';
import { type MappedBenchmark, prepareMapped } from './map.ts';
import type { PreparedDeployment } from '../cost/prepare.ts';
import { meanLengths } from '../workload/lengths.ts';

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
  let result: SimulationResult;
  try {
    // a measured benchmark ran every request, overloaded or not: replay it whole (no early stop)
    // P/D runs: as many decode instances as prefill instances, each of the mapped deployment (xPyD = 1P1D here)
    const disaggregation = m.disaggregated ? { disaggregation: { decode: prepared, decodeReplicas: m.replicas } } : {};
    result = simulate({ deployment: prepared, workload: steadyStateSample(m, prepared), seed, replicas: m.replicas, stopWhenBacklogged: false, ...disaggregation });
  } catch (e) {
    // every request rejected (lengths beyond the context): this benchmark cannot be simulated
    if (e instanceof InfeasibleError) return { ok: false, reason: `infeasible in servesim: ${e.reasons[0] ?? e.message}` };
    throw e;
  }
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

/** Every figure the benchmarks let servesim predict, with its error; benchmarks it cannot simulate add none. */
export function comparedFigures(
  benchmarks: readonly MappedBenchmark[],
  registry: ProfileRegistry,
  calibration: { id: string; values: CalibrationValues },
): ComparedMetric[] {
  return benchmarks.flatMap((m) => {
    const p = predictBenchmark(m, registry, calibration);
    return p.ok ? p.compared : [];
  });
}

/**
 * Saturating loads (all requests at once) reach steady state once the engine is full: a few multiples
 * of its concurrency limit (max sequences, or what the KV cache holds) suffice, and a small-KV
 * deployment would otherwise need millions of single-digit-batch steps. Open-loop runs keep their count.
 */
export function steadyStateSample(m: MappedBenchmark, prepared: PreparedDeployment): MappedBenchmark['workload'] {
  const w = m.workload;
  if (w.arrival.kind !== 'throughput' && w.arrival.kind !== 'concurrent') return w;
  const { inputTokens, outputTokens } = meanLengths(w.lengths);
  const byKv = prepared.memory.kvTokens / Math.max(1, inputTokens + outputTokens);
  let concurrency = Math.min(prepared.deployment.engine.maxNumSeqs, byKv) * m.replicas;
  if (w.arrival.kind === 'concurrent') concurrency = Math.min(concurrency, w.arrival.streams);
  else if (w.arrival.maxConcurrency !== undefined) concurrency = Math.min(concurrency, w.arrival.maxConcurrency);
  const sample = Math.max(STEADY_STATE_MIN_REQUESTS, Math.ceil(STEADY_STATE_MULTIPLE * concurrency));
  return w.maxRequests !== undefined && w.maxRequests > sample ? { ...w, maxRequests: sample } : w;
}

const STEADY_STATE_MULTIPLE = 6;
const STEADY_STATE_MIN_REQUESTS = 300;

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
      const d = r.latencyS[m.metric];
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
