import type { ComparedMetric } from './predict.ts';

/** Error statistics of predicted vs measured: n, median and mean absolute percentage error per group. */
export interface ErrorSummaryRow {
  readonly metric: string;
  readonly statistic: string;
  readonly n: number;
  readonly medianApePct: number;
  readonly meanApePct: number;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Group by (metric, statistic), in a stable order: throughput first, then latency metrics. */
export function summarizeErrors(rows: readonly ComparedMetric[]): ErrorSummaryRow[] {
  const groups = new Map<string, number[]>();
  for (const r of rows) {
    const key = `${r.metric}\u0000${r.statistic}`;
    const list = groups.get(key) ?? [];
    list.push(r.apePct);
    groups.set(key, list);
  }
  return [...groups.entries()]
    .map(([key, apes]) => {
      const [metric, statistic] = key.split('\u0000') as [string, string];
      return { metric, statistic, n: apes.length, medianApePct: median(apes), meanApePct: mean(apes) };
    })
    .sort((a, b) => order(a.metric) - order(b.metric) || a.metric.localeCompare(b.metric) || a.statistic.localeCompare(b.statistic));
}

const ORDER = ['output_throughput', 'request_throughput', 'total_token_throughput', 'input_throughput', 'ttft', 'itl', 'tpot', 'itl_guidellm', 'tpot_guidellm', 'e2e'];
const order = (m: string) => {
  const i = ORDER.indexOf(m);
  return i < 0 ? ORDER.length : i;
};

/** Which broad family a metric belongs to, for the targets (throughput, ITL/TPOT, TTFT, E2E). */
export function metricFamily(metric: string): 'throughput' | 'itl_tpot' | 'ttft' | 'e2e' | 'other' {
  if (metric.endsWith('throughput')) return 'throughput';
  if (metric === 'ttft') return 'ttft';
  if (metric === 'e2e') return 'e2e';
  if (metric.startsWith('itl') || metric.startsWith('tpot')) return 'itl_tpot';
  return 'other';
}

/** Deterministic fit/check split: FNV-1a of the benchmark id, even → fit, odd → check. */
export function splitOf(benchmarkId: string): 'fit' | 'check' {
  let h = 0x811c9dc5;
  for (let i = 0; i < benchmarkId.length; i++) {
    h ^= benchmarkId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % 2 === 0 ? 'fit' : 'check';
}
