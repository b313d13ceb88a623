/**
 * Input rows for the report charts (src/report/charts/*) and the report documents (html-report.ts,
 * markdown-report.ts).
 *
 * These are plain display-unit rows, not simulator types: inside servesim everything is SI (see
 * src/units.ts), and the report layer converts once, when the caller maps simulator or benchmark results
 * into these rows. Every field name carries its unit:
 *   - `...Ms` milliseconds, `...S` seconds (only `timeS`), `...PerS` per second
 *   - `usd...` US dollars, `...Tflops...` 10^12 FLOP, `...TB...` 10^12 bytes
 *   - fractions are 0..1 (`share`, `kvUtilization`, `sloAttainment`, `cumulativeFraction`); the charts
 *     format them as percentages
 *
 * The chart functions are pure: they copy these rows into the spec's inline `data.values` in a fixed key
 * order, so the same rows always give the same spec (and the same SVG/PNG bytes).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { LatencyMetric } from '../metrics/definitions.ts';

/** The latency metrics the charts draw (a subset of the metric vocabulary in src/metrics/definitions.ts). */
export type ChartLatencyMetric = Extract<LatencyMetric, 'ttft' | 'itl' | 'e2e'>;

export const CHART_LATENCY_METRICS: readonly ChartLatencyMetric[] = ['ttft', 'itl', 'e2e'];

/** Short names used in axis titles and legends. */
export const LATENCY_METRIC_SHORT: Readonly<Record<ChartLatencyMetric, string>> = {
  ttft: 'TTFT',
  itl: 'ITL',
  e2e: 'End-to-end latency',
};

/** Long names used in panel titles. */
export const LATENCY_METRIC_LONG: Readonly<Record<ChartLatencyMetric, string>> = {
  ttft: 'Time to first token (TTFT)',
  itl: 'Inter-token latency (ITL)',
  e2e: 'End-to-end request latency',
};

/**
 * Panels of the latency-vs-rate chart: the CDF metrics plus TPOT (per-request time per output token, a
 * separate metric from ITL: issue 12), which only rate points carry.
 */
export type RateLatencyMetric = ChartLatencyMetric | 'tpot';

export const RATE_METRIC_SHORT: Readonly<Record<RateLatencyMetric, string>> = { ...LATENCY_METRIC_SHORT, tpot: 'TPOT' };

export const RATE_METRIC_LONG: Readonly<Record<RateLatencyMetric, string>> = { ...LATENCY_METRIC_LONG, tpot: 'Time per output token (TPOT)' };

/**
 * One operating point of a load sweep: one deployment (series) at one offered request rate.
 * Used by the latency-vs-rate, throughput-vs-rate and SLO-attainment charts.
 */
export interface RatePoint {
  /** Candidate / deployment label shown in the legend, e.g. "Llama-3.1-70B · 2×(4×H100 TP4)". */
  readonly series: string;
  /** Offered load: the arrival rate the workload generator targeted, requests per second. */
  readonly requestRatePerS: number;
  /** Time to first token, median, milliseconds. */
  readonly ttftP50Ms: number;
  /** Time to first token, 99th percentile, milliseconds. */
  readonly ttftP99Ms: number;
  /** Inter-token latency, median, milliseconds. */
  readonly itlP50Ms: number;
  /** Inter-token latency, 99th percentile, milliseconds. */
  readonly itlP99Ms: number;
  /** Time per output token (per request, after the first token), median, milliseconds (optional). */
  readonly tpotP50Ms?: number | undefined;
  /** Time per output token, 99th percentile, milliseconds (optional). */
  readonly tpotP99Ms?: number | undefined;
  /** End-to-end request latency, median, milliseconds (optional). */
  readonly e2eP50Ms?: number | undefined;
  /** End-to-end request latency, 99th percentile, milliseconds (optional). */
  readonly e2eP99Ms?: number | undefined;
  /** 80% prediction bands [low, high] of the p99s, milliseconds (optional; drawn as shaded areas). */
  readonly p99Band80Ms?: Readonly<Partial<Record<RateLatencyMetric, readonly [number, number] | undefined>>> | undefined;
  /** Achieved output-token throughput of the whole deployment, tokens per second. */
  readonly outputTokensPerS: number;
  /** Achieved (completed) requests per second. */
  readonly requestsPerS: number;
  /** Completed requests per second that met every latency SLO (optional). */
  readonly goodputPerS?: number | undefined;
  /** Fraction 0..1 of requests that met every latency SLO (optional). */
  readonly sloAttainment?: number | undefined;
  /** True when the deployment cannot keep up at this rate (the queue grows without bound during the run). */
  readonly saturated: boolean;
}

/** A latency service-level objective, drawn as a reference rule. */
export interface SloLine {
  /** tpot has a panel only in the latency-vs-rate chart (when the points carry it); elsewhere charts name it in the subtitle. */
  readonly metric: RateLatencyMetric;
  /** Which percentile the objective constrains, as displayed: "p99", "p90", "p50". */
  readonly percentile: string;
  /** The objective, milliseconds. */
  readonly thresholdMs: number;
}

/** One point of an empirical latency CDF. Build these from raw samples with `cdfPoints`. */
export interface CdfPoint {
  readonly series: string;
  readonly metric: ChartLatencyMetric;
  /** Latency value, milliseconds. */
  readonly valueMs: number;
  /** Fraction 0..1 of samples ≤ valueMs. */
  readonly cumulativeFraction: number;
}

/** Raw latency samples of one series and metric (input to `cdfPoints`). */
export interface DistributionSample {
  readonly series: string;
  readonly metric: ChartLatencyMetric;
  /** Sample values, milliseconds, any order. */
  readonly valuesMs: readonly number[];
}

/** Criteria a planner candidate can win on; the comparison chart marks each winner. */
export type WinnerCriterion = 'usdPerMillionOutputTokens' | 'usdPerHour' | 'gpus' | 'ttftP99Ms' | 'itlP99Ms';

export const WINNER_LABELS: Readonly<Record<WinnerCriterion, string>> = {
  usdPerMillionOutputTokens: 'lowest $/Mtok',
  usdPerHour: 'lowest $/h',
  gpus: 'fewest GPUs',
  ttftP99Ms: 'lowest TTFT p99',
  itlP99Ms: 'lowest ITL p99',
};

/** One planner candidate (a deployment sized to carry the target load). */
export interface CandidateRow {
  /** Candidate label, e.g. "H100 ×4 TP4". */
  readonly label: string;
  /** Replicas needed to carry the target load. */
  readonly replicas: number;
  /** GPUs in total, across all replicas. */
  readonly gpus: number;
  /** Fleet cost, US dollars per hour (all replicas). */
  readonly usdPerHour: number;
  /** Cost per million output tokens at the target load, US dollars. */
  readonly usdPerMillionOutputTokens: number;
  /** TTFT p99 at the target load, milliseconds. */
  readonly ttftP99Ms: number;
  /** ITL p99 at the target load, milliseconds. */
  readonly itlP99Ms: number;
  /** True when the candidate meets every latency SLO at the target load. */
  readonly meetsSlo: boolean;
  /** Criteria this candidate wins (usually each criterion has exactly one winner among the SLO-meeting rows). */
  readonly winners: readonly WinnerCriterion[];
  /** Set when the candidate has no price (its costs are NaN): shown in place of the cost, e.g. "no price — pass --price b200=…". */
  readonly priceNote?: string | undefined;
}

/** What limits an operator's time in the roofline cost model. */
export type BoundClass = 'compute' | 'memory' | 'communication' | 'overhead';

export const BOUND_CLASSES: readonly BoundClass[] = ['compute', 'memory', 'communication', 'overhead'];

/** One operator of one model step (a prefill or decode iteration) in the cost model. */
export interface StepBreakdownRow {
  /** Which step the row belongs to, e.g. "decode, batch 64"; rows without it form one step named "step". */
  readonly step?: string | undefined;
  /** Operator name, e.g. "attention (decode)", "MLP up+gate", "all-reduce". */
  readonly operator: string;
  /** Operator time within the step, milliseconds. */
  readonly timeMs: number;
  /** Fraction 0..1 of the step's time. */
  readonly share: number;
  readonly bound: BoundClass;
  /** Floating-point operations, FLOP (0 for communication/overhead). */
  readonly flops: number;
  /** Bytes moved to/from HBM. */
  readonly bytes: number;
  /** flops / bytes, FLOP per byte. */
  readonly arithmeticIntensity: number;
}

/** The GPU's roofline: the compute ceiling and the memory-bandwidth slope. */
export interface RooflineCeiling {
  /** GPU label for the legend/subtitle, e.g. "H100 SXM, BF16 dense". */
  readonly gpu: string;
  /** Peak compute, TFLOP/s (10^12 FLOP per second). */
  readonly peakTflopsPerS: number;
  /** Peak HBM bandwidth, TB/s (10^12 bytes per second). */
  readonly memoryBandwidthTBPerS: number;
  /** Ridge point = peak FLOP/s ÷ bandwidth, FLOP per byte. Computed from the two peaks when omitted. */
  readonly ridgeFlopsPerByte?: number | undefined;
}

/** One sample of the serving engine's state over simulated time. */
export interface TimeSeriesPoint {
  /** Simulated time since the start of the run, seconds. */
  readonly timeS: number;
  /** KV-cache blocks in use ÷ blocks available, 0..1. */
  readonly kvUtilization: number;
  /** Requests in the running batch. */
  readonly batchSize: number;
  /** Requests waiting to be scheduled. */
  readonly queueLength: number;
  /** Replica / deployment label when several are drawn. */
  readonly series?: string | undefined;
}

/** The simulated prefix cache between two time-series samples. */
export interface PrefixCachePoint {
  /** Simulated time at the end of the interval, seconds. */
  readonly timeS: number;
  /** Prompt tokens found cached ÷ prompt tokens looked up in the interval, 0..1. */
  readonly hitRate: number;
  /** Prompt tokens looked up in the interval. */
  readonly promptTokens: number;
}

/** One predicted-vs-measured comparison from calibration. */
export interface CalibrationPoint {
  /** Display name of the compared quantity, e.g. "TTFT p50", "Output throughput". One panel per metric. */
  readonly metric: string;
  /** Scenario label (model · GPU · workload · rate) for tooltips. */
  readonly label: string;
  readonly measured: number;
  readonly predicted: number;
  /** Unit of measured and predicted, as displayed: "ms", "tokens/s". Use one unit per metric. */
  readonly unit: string;
  /** Whether the point was used to fit the calibration or held out to check it. */
  readonly split: 'fit' | 'check';
}

/**
 * Empirical CDF of raw samples, down-sampled to at most `maxPoints` points (evenly spaced in rank, always
 * including the minimum and the maximum). Pure and deterministic.
 */
export function cdfPoints(sample: DistributionSample, maxPoints = 200): CdfPoint[] {
  const sorted = sample.valuesMs.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return [];
  const count = Math.max(2, Math.min(n, Math.floor(maxPoints)));
  const out: CdfPoint[] = [];
  let lastRank = -1;
  for (let i = 0; i < count; i++) {
    const rank = n === 1 ? 0 : Math.round((i * (n - 1)) / (count - 1));
    if (rank === lastRank) continue;
    lastRank = rank;
    out.push({
      series: sample.series,
      metric: sample.metric,
      valueMs: sorted[rank] as number,
      cumulativeFraction: (rank + 1) / n,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Report documents (html-report.ts, markdown-report.ts)

/** A table; cells are shown as given (format numbers before), numbers are right-aligned. */
export interface ReportTable {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>;
  /** Optional caption shown above the table. */
  readonly caption?: string | undefined;
}

export interface ReportSection {
  readonly heading: string;
  /** Plain text; blank lines separate paragraphs. */
  readonly text?: string | undefined;
  readonly table?: ReportTable | undefined;
  readonly charts: readonly TopLevelSpec[];
}

export interface ReportDocument {
  readonly title: string;
  readonly subtitle?: string | undefined;
  readonly sections: readonly ReportSection[];
}
