/**
 * From servesim results to chart rows (chart-data.ts) and whole report documents.
 *
 * The inputs are the documents the CLI prints with --json (simulate, compare, plan, sweep, validate) or
 * writes with --out (sweep JSONL/CSV), plus a few in-process results (SimulationResult, StepBreakdown,
 * calibration comparisons) for the `--chart` flags. Everything here is pure: no file or console I/O.
 * Units: the --json documents are already in display units (ms); in-process results are SI and are
 * converted here.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { StepBreakdown } from '../cost/step-cost.ts';
import { InputError } from '../diagnostics/errors.ts';
import type { ComparedMetric } from '../calibration/predict.ts';
import type { ValidationReport } from '../calibration/validate.ts';
import type { toReport } from '../metrics/report.ts';
import { highestSteadyRate, isBacklogged } from '../metrics/saturation.ts';
import { noPriceHint, type CompareResult } from '../planning/compare.ts';
import type { RecommendResult } from '../planning/recommend/result.ts';
import { isRecommendResult, recommendReportPart } from './recommend-section.ts';
import type { PlanResult } from '../planning/plan.ts';
import type { SweepRow } from '../planning/sweep-worker.ts';
import type { SimulationResult } from '../simulate.ts';
import {
  cdfPoints,
  type BoundClass,
  type CalibrationPoint,
  type CandidateRow,
  type CdfPoint,
  type RatePoint,
  type ReportDocument,
  type ReportSection,
  type ReportTable,
  type RooflineCeiling,
  type SloLine,
  type StepBreakdownRow,
  type TimeSeriesPoint,
  type WinnerCriterion,
} from './chart-data.ts';
import {
  calibrationSpec,
  engineTimelineSpec,
  latencyCdfSpec,
  latencyVsRateSpec,
  plannerComparisonSpec,
  throughputVsRateSpec,
} from './charts/index.ts';

/** The `servesim simulate --json` document of one run. */
export type SimulateReport = ReturnType<typeof toReport>;

// ---------------------------------------------------------------------------------------------------------
// File names for commands that write several charts

/** "out.png" + "cdf" → "out-cdf.png"; keeps double extensions such as ".vl.json". */
export function suffixedChartFile(file: string, suffix: string): string {
  if (suffix === '') return file;
  const m = /(\.(?:vl|vg)\.json|\.[A-Za-z0-9]+)$/.exec(file);
  if (!m) return `${file}-${suffix}`;
  return `${file.slice(0, m.index)}-${suffix}${m[1]}`;
}

/** The files a command writes for `--chart FILE` and charts named by suffix: the first is FILE itself. */
export function chartFilesFor(file: string, suffixes: readonly string[]): string[] {
  return suffixes.map((s, i) => (i === 0 ? file : suffixedChartFile(file, s)));
}

// ---------------------------------------------------------------------------------------------------------
// Simulation runs

function loadOf(arrival: Record<string, unknown>): string {
  const kind = String(arrival['profile'] ?? arrival['kind'] ?? 'run');
  const rate = arrival['rate_per_s'] ?? arrival['ratePerS'];
  if (typeof rate === 'number') return `${kind} ${roundTo(rate, 2)}/s`;
  if (typeof arrival['streams'] === 'number') return `concurrent ${arrival['streams']}`;
  return kind;
}

function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** "llama-3.1-8b · 1×H200 TP1 bf16" style label of a run's deployment. */
export function deploymentSeries(d: SimulateReport['deployment']): string {
  const parts = [`${d.model} · ${d.replicas > 1 ? `${d.replicas}×` : ''}${d.tp * d.pp}×${d.hardware} TP${d.tp}`];
  if (d.weights !== 'bf16') parts.push(d.weights);
  if (d.kvCache !== 'bf16') parts.push(`kv ${d.kvCache}`);
  return parts.join(' ');
}

/** The offered rate of a run (requests/s), or undefined for closed-loop / throughput runs. */
export function offeredRate(doc: SimulateReport): number | undefined {
  const w = doc.workload as Record<string, unknown>;
  const r = w['rate_per_s'];
  if (typeof r === 'number' && Number.isFinite(r)) return r;
  return doc.saturation.offeredRatePerS;
}

/** One RatePoint per run (runs without an offered rate use their achieved rate). */
export function ratePointsFromReports(docs: readonly SimulateReport[], series?: string): RatePoint[] {
  const points = docs.map((d): RatePoint => {
    const l = d.latency_ms as Record<string, { median: number; p99: number } | undefined>;
    const rate = offeredRate(d) ?? d.throughput.requests_per_s;
    return {
      series: series ?? deploymentSeries(d.deployment),
      requestRatePerS: rate,
      ttftP50Ms: l['ttft']?.median ?? NaN,
      ttftP99Ms: l['ttft']?.p99 ?? NaN,
      itlP50Ms: l['itl']?.median ?? NaN,
      itlP99Ms: l['itl']?.p99 ?? NaN,
      e2eP50Ms: l['e2e']?.median,
      e2eP99Ms: l['e2e']?.p99,
      outputTokensPerS: d.throughput.output_tokens_per_s,
      requestsPerS: d.throughput.requests_per_s,
      goodputPerS: d.slo?.goodput_requests_per_s,
      sloAttainment: d.slo?.attainment,
      // a throughput run keeps every request queued by design: it marks the saturation point
      saturated: isBacklogged(d.saturation) || (d.workload as Record<string, unknown>)['profile'] === 'throughput',
    };
  });
  // by rate; at equal rates the steady-state point first, so lines run through it before saturating
  return points
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.requestRatePerS - b.p.requestRatePerS || Number(a.p.saturated) - Number(b.p.saturated) || a.i - b.i)
    .map(({ p }) => p);
}

/** Rate points of in-process results (same mapping as the --json document). */
export function ratePointsFromSimulations(results: readonly SimulationResult[], toDoc: (r: SimulationResult) => SimulateReport): RatePoint[] {
  return ratePointsFromReports(results.map(toDoc));
}

/** Legend label of one run among several: its load. */
export function runLabel(doc: SimulateReport): string {
  return loadOf(doc.workload as Record<string, unknown>);
}

/** Latency CDFs of an in-process run (the simulator's histogram CDF, seconds → ms). */
export function cdfFromSimulation(r: SimulationResult, series: string, maxPoints = 100): CdfPoint[] {
  const out: CdfPoint[] = [];
  for (const metric of ['ttft', 'itl', 'e2e'] as const) {
    const pts = r.cdf[metric];
    const step = Math.max(1, Math.ceil(pts.length / maxPoints));
    pts.forEach((p, i) => {
      if (i % step === 0 || i === pts.length - 1) out.push({ series, metric, valueMs: p.value * 1e3, cumulativeFraction: p.fraction });
    });
  }
  return out;
}

const REPORT_QUANTILES: ReadonlyArray<readonly ['min' | 'median' | 'p90' | 'p95' | 'p99' | 'p999' | 'max', number]> = [
  ['min', 0],
  ['median', 0.5],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
  ['p999', 0.999],
  ['max', 1],
];

/**
 * A coarse latency CDF from the percentiles of a --json document (it carries no raw samples): the points
 * (min, 0), (p50, 0.5), (p90, 0.9), (p95, 0.95), (p99, 0.99), (p99.9, 0.999), (max, 1).
 */
export function cdfFromReport(doc: SimulateReport, series: string): CdfPoint[] {
  const out: CdfPoint[] = [];
  const l = doc.latency_ms as Record<string, Record<string, number> | undefined>;
  for (const metric of ['ttft', 'itl', 'e2e'] as const) {
    const s = l[metric];
    if (!s || !(s['count']! > 0)) continue;
    let last = -Infinity;
    for (const [k, f] of REPORT_QUANTILES) {
      const v = s[k];
      if (v === undefined || !Number.isFinite(v)) continue;
      const value = Math.max(v, last);
      last = value;
      out.push({ series, metric, valueMs: value, cumulativeFraction: f });
    }
  }
  return out;
}

/** Raw samples → CDF (re-exported for notebooks). */
export { cdfPoints };

/** The engine's state over time of a run (running batch, waiting queue, KV use). */
export function timelineFromReport(doc: SimulateReport, series?: string): TimeSeriesPoint[] {
  return doc.time_series.map((p) => ({
    timeS: p.time_s,
    kvUtilization: p.kv_utilization,
    batchSize: p.running,
    queueLength: p.waiting,
    ...(series !== undefined ? { series } : {}),
  }));
}

/** SLO reference lines of a run's SLO checks (ttft/itl/tpot/e2e percentiles). */
export function sloLinesFromReport(doc: SimulateReport): SloLine[] {
  if (!doc.slo) return [];
  const out: SloLine[] = [];
  for (const c of doc.slo.checks) {
    if (c.metric !== 'ttft' && c.metric !== 'itl' && c.metric !== 'tpot' && c.metric !== 'e2e') continue;
    if (typeof c.percentile !== 'number') continue;
    out.push({ metric: c.metric, percentile: `p${c.percentile}`, thresholdMs: c.threshold_ms });
  }
  return out;
}

/** SLO lines from an SLO text such as "ttft:p99<=200ms,itl:p99<=50ms" (as in plan/compare/sweep results). */
export function sloLinesFromText(spec: string | undefined): SloLine[] {
  if (!spec) return [];
  const out: SloLine[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(ttft|itl|tpot|e2e):p(\d+(?:\.\d+)?)\s*<=?\s*([\d.]+)\s*(ms|s)?\s*$/i.exec(part);
    if (!m) continue;
    const v = Number(m[3]) * ((m[4] ?? 'ms').toLowerCase() === 's' ? 1e3 : 1);
    out.push({ metric: m[1]!.toLowerCase() as SloLine['metric'], percentile: `p${m[2]}`, thresholdMs: v });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// explain: step breakdown + roofline

/** Cost-model operators of one step → chart rows (seconds → ms, shares of the step). */
export function stepBreakdownRows(b: Pick<StepBreakdown, 'totalS' | 'operators'>, step?: string): StepBreakdownRow[] {
  return b.operators.map((o) => ({
    ...(step !== undefined ? { step } : {}),
    operator: o.op,
    timeMs: o.timeS * 1e3,
    share: b.totalS > 0 ? o.timeS / b.totalS : 0,
    bound: o.bound as BoundClass,
    flops: o.flops,
    bytes: o.bytes,
    arithmeticIntensity: o.arithmeticIntensity,
  }));
}

/** A GPU's roofline from its peak FLOP/s in the GEMM dtype and its HBM bandwidth (SI). */
export function rooflineCeiling(gpu: string, peakFlopsPerS: number, memoryBandwidthBytesPerS: number): RooflineCeiling {
  return { gpu, peakTflopsPerS: peakFlopsPerS / 1e12, memoryBandwidthTBPerS: memoryBandwidthBytesPerS / 1e12 };
}

/** "decode 64×2048 + prefill 512" */
export function stepLabel(shape: { decodeSeqs: number; decodeContextSum: number; prefillTokens: number; prefillSeqs: number }): string {
  const parts: string[] = [];
  if (shape.decodeSeqs > 0) parts.push(`decode ${shape.decodeSeqs}×${Math.round(shape.decodeContextSum / shape.decodeSeqs)}`);
  if (shape.prefillTokens > 0) parts.push(`prefill ${shape.prefillTokens}${shape.prefillSeqs > 1 ? ` in ${shape.prefillSeqs}` : ''}`);
  return parts.join(' + ') || 'step';
}

// ---------------------------------------------------------------------------------------------------------
// plan / compare

type LatencySummary = NonNullable<PlanResult['capacity']['latencyAtCapacity']>;

function pointFromLatency(series: string, rate: number, l: LatencySummary, saturated: boolean, outTokPerS = NaN, attainment?: number): RatePoint {
  return {
    series,
    requestRatePerS: rate,
    ttftP50Ms: l.ttftP50Ms,
    ttftP99Ms: l.ttftP99Ms,
    itlP50Ms: l.itlP50Ms,
    itlP99Ms: l.itlP99Ms,
    e2eP50Ms: l.e2eP50Ms,
    e2eP99Ms: l.e2eP99Ms,
    outputTokensPerS: outTokPerS,
    requestsPerS: rate,
    sloAttainment: attainment,
    saturated,
  };
}

/**
 * Latency vs per-replica rate of a plan. The search's probes record only pass/fail (no latency), so the
 * points are the planned ones: the per-replica capacity (latency at capacity) and, with a target, the
 * verified fleet's per-replica load.
 */
export function ratePointsFromPlan(p: PlanResult, series: string = p.deployment.label): RatePoint[] {
  if (!p.feasible) return [];
  const out: RatePoint[] = [];
  const c = p.capacity;
  if (c.latencyAtCapacity && c.perReplicaRatePerS > 0) out.push(pointFromLatency(series, c.perReplicaRatePerS, c.latencyAtCapacity, false));
  const t = p.target;
  if (t && t.replicas > 0) out.push(pointFromLatency(series, t.ratePerS / t.replicas, t.latency, false, t.outputTokensPerS / t.replicas, t.sloAttainment));
  return out.sort((a, b) => a.requestRatePerS - b.requestRatePerS);
}

const CRITERION_KEY: Record<string, WinnerCriterion> = {
  'fewest GPUs': 'gpus',
  'lowest $/Mtok': 'usdPerMillionOutputTokens',
  'lowest TTFT p99': 'ttftP99Ms',
  'lowest ITL p99': 'itlP99Ms',
};

/** Planner candidates with a sized target → comparison-chart rows. */
export function candidateRowsFromCompare(r: Pick<CompareResult, 'rows'>): CandidateRow[] {
  return r.rows
    .filter((x) => x.feasible && x.target)
    .map((x) => {
      const t = x.target!;
      return {
        label: x.candidate,
        replicas: t.replicas,
        gpus: t.gpus,
        usdPerHour: t.usdPerHour ?? NaN,
        usdPerMillionOutputTokens: t.usdPerMillionOutputTokens ?? NaN,
        ...(t.usdPerGpuHour === undefined ? { priceNote: noPriceHint(x.deployment.hardware) } : {}),
        ttftP99Ms: t.latency.ttftP99Ms,
        itlP99Ms: t.latency.itlP99Ms,
        meetsSlo: t.verified,
        winners: x.best.map((b) => CRITERION_KEY[b]).filter((w): w is WinnerCriterion => w !== undefined),
      };
    });
}

// ---------------------------------------------------------------------------------------------------------
// sweep rows

/** Legend label of a sweep row's deployment: model@hardware TPn [weights] [kv] [engine]. */
export function sweepSeries(
  r: Pick<SweepRow, 'model' | 'hardware' | 'tp' | 'weights' | 'kvCache' | 'engine'> & { readonly replicas?: number | undefined },
): string {
  const parts = [`${r.model}@${r.hardware}`, `TP${r.tp ?? 1}`];
  if (r.replicas !== undefined && r.replicas > 1) parts.push(`×${r.replicas} replicas`); // a replicas axis: one series each
  if (r.weights) parts.push(r.weights);
  if (r.kvCache && r.kvCache !== 'bf16') parts.push(`kv ${r.kvCache}`);
  if (r.engine && r.engine !== 'vllm') parts.push(r.engine);
  return parts.join(' ');
}

const mean = (xs: readonly (number | null)[]): number => {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length === 0 ? NaN : v.reduce((a, b) => a + b, 0) / v.length;
};
const meanOpt = (xs: readonly (number | null)[]): number | undefined => {
  const m = mean(xs);
  return Number.isFinite(m) ? m : undefined;
};

/** Sweep rows → one RatePoint per deployment × rate (seeds averaged; infeasible rows dropped). */
export function ratePointsFromSweepRows(rows: readonly SweepRow[]): RatePoint[] {
  const groups = new Map<string, SweepRow[]>();
  for (const r of rows) {
    if (r.status !== 'ok') continue;
    const key = `${sweepSeries(r)}\u0000${r.rate}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const out: RatePoint[] = [];
  for (const g of groups.values()) {
    const r0 = g[0]!;
    out.push({
      series: sweepSeries(r0),
      requestRatePerS: r0.rate,
      ttftP50Ms: mean(g.map((r) => r.ttftP50Ms)),
      ttftP99Ms: mean(g.map((r) => r.ttftP99Ms)),
      itlP50Ms: mean(g.map((r) => r.itlP50Ms)),
      itlP99Ms: mean(g.map((r) => r.itlP99Ms)),
      e2eP50Ms: meanOpt(g.map((r) => r.e2eP50Ms)),
      e2eP99Ms: meanOpt(g.map((r) => r.e2eP99Ms)),
      outputTokensPerS: mean(g.map((r) => r.outputTokPerS)),
      requestsPerS: mean(g.map((r) => r.throughputReqPerS)),
      goodputPerS: meanOpt(g.map((r) => r.goodputPerS)),
      sloAttainment: meanOpt(g.map((r) => r.sloAttainment)),
      saturated: g.some((r) => isBacklogged(r.saturation)),
    });
  }
  return out.sort((a, b) => (a.series === b.series ? a.requestRatePerS - b.requestRatePerS : a.series < b.series ? -1 : 1));
}

function csvSplit(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

const NUMERIC_SWEEP_COLUMNS = new Set([
  'index', 'points', 'tp', 'rate', 'maxRequests', 'gpus', 'throughputReqPerS', 'outputTokPerS', 'ttftP50Ms', 'ttftP99Ms',
  'itlP50Ms', 'itlP99Ms', 'e2eP50Ms', 'e2eP99Ms', 'sloAttainment', 'goodputPerS', 'preemptions',
]);

/** Rows of a sweep file: JSONL (one row per line) or CSV with servesim's header. */
export function parseSweepFile(text: string, file = 'sweep'): SweepRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) throw new InputError(`${file}: empty sweep file`);
  if (lines[0]!.trimStart().startsWith('{')) {
    return lines.map((l, i) => {
      try {
        return JSON.parse(l) as SweepRow;
      } catch {
        throw new InputError(`${file}: line ${i + 1} is not JSON`);
      }
    });
  }
  const header = csvSplit(lines[0]!);
  if (!header.includes('key') || !header.includes('rate') || !header.includes('ttftP99Ms'))
    throw new InputError(`${file}: not a servesim sweep CSV (header: ${lines[0]!.slice(0, 80)})`);
  return lines.slice(1).map((l) => {
    const cells = csvSplit(l);
    const row: Record<string, unknown> = {};
    header.forEach((h, i) => {
      const v = cells[i] ?? '';
      if (h === 'sloMet') row[h] = v === '' ? null : v === 'true';
      else if (NUMERIC_SWEEP_COLUMNS.has(h)) row[h] = v === '' ? null : Number(v);
      else row[h] = v === '' ? null : v;
    });
    return row as unknown as SweepRow;
  });
}

// ---------------------------------------------------------------------------------------------------------
// calibration

const METRIC_NAMES: Record<string, string> = {
  ttft: 'TTFT',
  itl: 'ITL',
  tpot: 'TPOT',
  e2e: 'E2E',
  itl_guidellm: 'ITL (GuideLLM)',
  tpot_guidellm: 'TPOT (GuideLLM)',
  output_throughput: 'Output throughput',
  request_throughput: 'Request throughput',
  total_throughput: 'Total throughput',
  input_throughput: 'Input throughput',
  total_token_throughput: 'Total token throughput',
};

/** The statistics the calibration chart keeps by default: p50 and p99 of latencies, every throughput. */
export function isKeyStatistic(metric: string, statistic: string): boolean {
  if (metric.endsWith('throughput')) return true;
  return statistic === 'median' || statistic === 'p50' || statistic === 'p99';
}

/** "TTFT p99", "Output throughput mean". */
export function calibrationMetricName(metric: string, statistic: string): string {
  const name = METRIC_NAMES[metric] ?? metric;
  if (metric.endsWith('throughput') && (statistic === 'value' || statistic === 'mean')) return name;
  return `${name} ${statistic === 'median' ? 'p50' : statistic}`;
}

function compareToPoint(c: ComparedMetric, split: 'fit' | 'check', label: string): CalibrationPoint {
  const throughput = c.metric.endsWith('throughput');
  const scale = throughput ? 1 : 1e3;
  return {
    metric: calibrationMetricName(c.metric, c.statistic),
    label,
    measured: c.measured * scale,
    predicted: c.predicted * scale,
    unit: throughput ? (c.metric === 'request_throughput' ? 'req/s' : 'tokens/s') : 'ms',
    split,
  };
}

/** Predicted-vs-measured comparisons (SI: seconds, per second) → chart points (ms); by default only p50/p99 latencies and throughputs. */
export function calibrationPointsFromCompared(compared: readonly ComparedMetric[], split: 'fit' | 'check', allStatistics = false): CalibrationPoint[] {
  return compared.filter((c) => c.measured > 0 && c.predicted > 0 && (allStatistics || isKeyStatistic(c.metric, c.statistic))).map((c) => compareToPoint(c, split, c.benchmarkId));
}

/** A `servesim validate --json` report → chart points (each row keeps its hash split fit/check). */
export function calibrationPointsFromValidation(report: Pick<ValidationReport, 'rows'>, allStatistics = false): CalibrationPoint[] {
  return report.rows
    .filter((r) => r.measured > 0 && r.predicted > 0 && (allStatistics || isKeyStatistic(r.metric, r.statistic)))
    .map((r) => compareToPoint(r, r.split, `${r.model} · ${r.hardware}${r.tp ? ` TP${r.tp}` : ''} · ${r.load} (${r.benchmarkId})`));
}

// ---------------------------------------------------------------------------------------------------------
// Recognising result files

export type ResultInput =
  | { readonly kind: 'simulate'; readonly file: string; readonly runs: readonly SimulateReport[] }
  | { readonly kind: 'compare'; readonly file: string; readonly result: CompareResult & { workload?: string; scenario?: string } }
  | { readonly kind: 'plan'; readonly file: string; readonly result: PlanResult & { workload?: string } }
  | { readonly kind: 'sweep'; readonly file: string; readonly rows: readonly SweepRow[] }
  | { readonly kind: 'validate'; readonly file: string; readonly report: ValidationReport }
  | { readonly kind: 'recommend'; readonly file: string; readonly result: RecommendResult };

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const isSimDoc = (x: unknown): boolean => isObj(x) && isObj(x['latency_ms']) && isObj(x['throughput']) && isObj(x['deployment']);
const isSweepRow = (x: unknown): boolean => isObj(x) && 'key' in x && 'rate' in x && 'status' in x && 'model' in x;

function describeFound(value: unknown): string {
  if (Array.isArray(value)) return `a JSON array of ${value.length} items`;
  if (isObj(value)) {
    const keys = Object.keys(value);
    return `a JSON object with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}`;
  }
  return `a JSON ${value === null ? 'null' : typeof value}`;
}

const EXPECTED =
  'expected simulate --json (one run or {runs}), compare --json, plan --json, sweep JSONL/CSV (or sweep --json), or validate --json';

/** Recognise one result file from its text. Throws InputError naming the file and what it found. */
export function parseResultFile(file: string, text: string): ResultInput {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new InputError(`${file}: empty file; ${EXPECTED}`);
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
    const first = trimmed.split(/\r?\n/, 1)[0] ?? '';
    if (/(^|,)key(,|$)/.test(first) && first.includes('rate')) return { kind: 'sweep', file, rows: parseSweepFile(text, file) };
    throw new InputError(`${file}: not a servesim result: found text starting "${first.slice(0, 60)}"; ${EXPECTED}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    // JSONL: several JSON lines
    const firstLine = trimmed.split(/\r?\n/, 1)[0] ?? '';
    let first: unknown;
    try {
      first = JSON.parse(firstLine);
    } catch {
      throw new InputError(`${file}: not valid JSON or JSONL; ${EXPECTED}`);
    }
    if (isSweepRow(first)) return { kind: 'sweep', file, rows: parseSweepFile(text, file) };
    throw new InputError(`${file}: JSON lines, but the first is ${describeFound(first)}, not a sweep row; ${EXPECTED}`);
  }
  if (isSimDoc(value)) return { kind: 'simulate', file, runs: [value as SimulateReport] };
  if (isRecommendResult(value)) return { kind: 'recommend', file, result: value };
  if (isObj(value)) {
    const runs = value['runs'];
    if (Array.isArray(runs) && runs.length > 0 && runs.every(isSimDoc)) return { kind: 'simulate', file, runs: runs as SimulateReport[] };
    const rows = value['rows'];
    if (Array.isArray(rows)) {
      if (rows.length > 0 && rows.every(isSweepRow)) return { kind: 'sweep', file, rows: rows as SweepRow[] };
      if ('best' in value && 'skipped' in value) return { kind: 'compare', file, result: value as unknown as CompareResult };
      if ('coverage' in value && 'summary' in value) return { kind: 'validate', file, report: value as unknown as ValidationReport };
    }
    if (isObj(value['capacity']) && 'feasible' in value && isObj(value['deployment'])) return { kind: 'plan', file, result: value as unknown as PlanResult };
    if (isSweepRow(value)) return { kind: 'sweep', file, rows: [value as unknown as SweepRow] };
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isSweepRow)) return { kind: 'sweep', file, rows: value as SweepRow[] };
  throw new InputError(`${file}: not a servesim result: found ${describeFound(value)}; ${EXPECTED}`);
}

// ---------------------------------------------------------------------------------------------------------
// Report documents

const f1 = (x: number | undefined | null): string | number => (x === undefined || x === null || !Number.isFinite(x) ? '—' : roundTo(x, 1));
const f2 = (x: number | undefined | null): string | number => (x === undefined || x === null || !Number.isFinite(x) ? '—' : roundTo(x, 2));
const usd = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : `$${x.toFixed(2)}`);
const pct = (x: number | undefined | null): string => (x === undefined || x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`);
const base = (file: string): string => file.split(/[\\/]/).pop() ?? file;

/** One row of the summary ("decision") table at the top of a report. */
export interface SummaryRow {
  readonly source: string;
  readonly kind: string;
  readonly subject: string;
  readonly finding: string;
}

function simulateSection(inp: Extract<ResultInput, { kind: 'simulate' }>): { section: ReportSection; summary: SummaryRow[] } {
  const runs = inp.runs;
  const series = deploymentSeries(runs[0]!.deployment);
  const table: ReportTable = {
    columns: ['load', 'req/s', 'out tok/s', 'TTFT p50 ms', 'TTFT p99 ms', 'ITL p50 ms', 'ITL p99 ms', 'E2E p99 ms', 'SLO attained', 'queue'],
    rows: runs.map((d) => {
      const l = d.latency_ms as Record<string, { median: number; p99: number } | undefined>;
      return [
        runLabel(d),
        f2(d.throughput.requests_per_s),
        f1(d.throughput.output_tokens_per_s),
        f1(l['ttft']?.median),
        f1(l['ttft']?.p99),
        f1(l['itl']?.median),
        f1(l['itl']?.p99),
        f1(l['e2e']?.p99),
        d.slo ? `${pct(d.slo.attainment)}${d.slo.met ? ' ✓' : ' ✗'}` : '—',
        d.saturation.verdict,
      ];
    }),
  };
  const slo = sloLinesFromReport(runs[0]!);
  const charts: TopLevelSpec[] = [];
  if (runs.length > 1) {
    const pts = ratePointsFromReports(runs, series);
    charts.push(latencyVsRateSpec(pts, { slo, subtitle: series }));
    charts.push(throughputVsRateSpec(pts, { subtitle: series }));
    charts.push(latencyCdfSpec(runs.flatMap((d) => cdfFromReport(d, runLabel(d))), { slo, subtitle: `${series} · from reported percentiles` }));
  } else {
    const d = runs[0]!;
    charts.push(latencyCdfSpec(cdfFromReport(d, runLabel(d)), { slo, subtitle: `${series} · ${runLabel(d)} · from reported percentiles` }));
    if (d.time_series.length > 1) charts.push(engineTimelineSpec(timelineFromReport(d), { subtitle: `${series} · ${runLabel(d)}` }));
  }
  const met = runs.filter((d) => d.slo?.met);
  const finding =
    runs.length === 1
      ? `${runLabel(runs[0]!)}: TTFT p99 ${f1((runs[0]!.latency_ms as Record<string, { p99: number }>)['ttft']?.p99)} ms, ${runs[0]!.slo ? (runs[0]!.slo.met ? 'SLO met' : 'SLO missed') : 'no SLO'}, ${runs[0]!.saturation.verdict}`
      : `${runs.length} runs; ${runs[0]!.slo ? `SLO met in ${met.length}` : 'no SLO'}; ${runs.filter((d) => isBacklogged(d.saturation)).length} backlogged`;
  return {
    section: { heading: `Simulation: ${series} (${base(inp.file)})`, text: runs[0]!.slo ? `SLO: ${runs[0]!.slo.spec}` : undefined, table, charts },
    summary: [{ source: base(inp.file), kind: 'simulate', subject: series, finding }],
  };
}

function compareSection(inp: Extract<ResultInput, { kind: 'compare' }>): { section: ReportSection; summary: SummaryRow[] } {
  const r = inp.result;
  const table: ReportTable = {
    columns: ['candidate', 'max req/s per replica', 'replicas', 'GPUs', '$/hour', '$/Mtok', 'TTFT p99 ms', 'ITL p99 ms', 'meets SLO', 'best for'],
    rows: r.rows.map((row) => {
      const t = row.target;
      const lat = t?.latency ?? row.capacity.latencyAtCapacity;
      return [
        row.candidate,
        row.feasible ? f2(row.capacity.perReplicaRatePerS) : 'infeasible',
        t ? t.replicas : '—',
        t ? t.gpus : '—',
        t && t.usdPerGpuHour === undefined ? 'no price' : usd(t?.usdPerHour),
        t && t.usdPerGpuHour === undefined ? 'no price' : usd(t?.usdPerMillionOutputTokens),
        f1(lat?.ttftP99Ms),
        f1(lat?.itlP99Ms),
        !row.feasible ? '✗' : t ? (t.verified ? '✓' : '✗') : '✓',
        row.best.join(', ') || '—',
      ];
    }),
  };
  const candidates = candidateRowsFromCompare(r);
  const charts: TopLevelSpec[] = [];
  const target = r.targetRatePerS !== undefined ? `${roundTo(r.targetRatePerS, 1)} req/s${r.workload ? `, ${r.workload}` : ''}` : r.workload;
  if (candidates.length > 0) charts.push(plannerComparisonSpec(candidates, target !== undefined ? { targetDescription: target } : {}));
  const capPoints = r.rows.flatMap((row) => ratePointsFromPlan(row, row.candidate));
  if (capPoints.length > 0) charts.push(latencyVsRateSpec(capPoints, { slo: sloLinesFromText(r.slo), subtitle: 'planned points: per-replica capacity and target load per replica' }));
  const cheapest = r.best['lowest $/Mtok'] ?? r.best['fewest GPUs'];
  const row = cheapest ? r.rows.find((x) => x.candidate === cheapest) : undefined;
  // candidates that meet the SLO but have no price are named, never silently left out of the cost decision
  const unpriced = r.rows.filter((x) => x.feasible && x.target?.verified && x.target.usdPerGpuHour === undefined);
  const unpricedNote =
    unpriced.length > 0 ? ` (cheapest of the priced candidates; not ranked by cost: ${unpriced.map((x) => `${x.candidate}, ${noPriceHint(x.deployment.hardware)}`).join('; ')})` : '';
  const finding = !cheapest
    ? 'no candidate meets the SLO'
    : row?.target
      ? `choose ${cheapest}: ${row.target.replicas} replica(s), ${row.target.gpus} GPU(s), ${usd(row.target.usdPerHour)}/h, ${usd(row.target.usdPerMillionOutputTokens)}/Mtok${unpricedNote}`
      : `choose ${cheapest}`;
  const text = [r.scenario, `SLO ${r.slo || '(none)'}${r.targetRatePerS !== undefined ? ` · target ${roundTo(r.targetRatePerS, 1)} req/s + ${pct(r.headroom)} headroom` : ''}`, `Decision: ${finding}.`]
    .filter((x): x is string => typeof x === 'string' && x.length > 0)
    .join('\n\n');
  return {
    section: { heading: `Comparison (${base(inp.file)})`, text, table, charts },
    summary: [{ source: base(inp.file), kind: 'compare', subject: r.workload ?? `${r.rows.length} candidates`, finding }],
  };
}

function planSection(inp: Extract<ResultInput, { kind: 'plan' }>): { section: ReportSection; summary: SummaryRow[] } {
  const p = inp.result;
  const c = p.capacity;
  const t = p.target;
  const rows: Array<[string, string | number]> = [['feasible', p.feasible ? 'yes' : `no: ${p.infeasibleReason ?? ''}`]];
  if (p.feasible) {
    rows.push(['max rate per replica (SLO met), req/s', f2(c.perReplicaRatePerS)], ['saturation per replica, req/s', f2(c.saturationRatePerS)], ['binding constraint', `${c.binding ?? '—'}`]);
    rows.push(['TTFT p99 at capacity, ms', f1(c.latencyAtCapacity?.ttftP99Ms)], ['ITL p99 at capacity, ms', f1(c.latencyAtCapacity?.itlP99Ms)]);
    rows.push(['search probes (req/s)', c.checks.map((k) => `${roundTo(k.ratePerS, 2)}${k.passed ? '✓' : '✗'}`).join(' ')]);
  }
  if (t) {
    rows.push(['target, req/s', `${f2(t.ratePerS)} + ${pct(t.headroom)} headroom`], ['replicas (verified)', `${t.replicas}${t.verified ? ' ✓' : ' ✗'}`], ['GPUs / nodes', `${t.gpus} / ${t.nodes}`]);
    rows.push(['cost', `${usd(t.usdPerHour)}/h · ${usd(t.usdPerMillionOutputTokens)}/Mtok`], ['SLO attainment at target', pct(t.sloAttainment)]);
  }
  const pts = ratePointsFromPlan(p);
  const charts = pts.length > 0 ? [latencyVsRateSpec(pts, { slo: sloLinesFromText(p.slo), subtitle: `${p.deployment.label} · planned points (the search's probes record pass/fail only)` })] : [];
  const finding = !p.feasible
    ? `infeasible: ${p.infeasibleReason ?? ''}`
    : t
      ? `${t.replicas} replica(s), ${t.gpus} GPU(s)${t.usdPerHour !== undefined ? `, ${usd(t.usdPerHour)}/h` : ''}${t.verified ? '' : ' (NOT verified)'}`
      : `${f2(c.perReplicaRatePerS)} req/s per replica (binding: ${c.binding ?? '—'})`;
  return {
    section: { heading: `Plan: ${p.deployment.label} (${base(inp.file)})`, text: `SLO ${p.slo}${p.workload ? ` · ${p.workload}` : ''}`, table: { columns: ['', 'value'], rows }, charts },
    summary: [{ source: base(inp.file), kind: 'plan', subject: p.deployment.label, finding }],
  };
}

function sweepSection(inp: Extract<ResultInput, { kind: 'sweep' }>): { section: ReportSection; summary: SummaryRow[] } {
  const pts = ratePointsFromSweepRows(inp.rows);
  const slo = sloLinesFromText(inp.rows.find((r) => r.slo)?.slo);
  const seriesNames = [...new Set(pts.map((p) => p.series))];
  // per series: the highest rate that met the SLO (attainment ≥ 0.99 if recorded) and was not backlogged
  const okRows = inp.rows.filter((r) => r.status === 'ok');
  const tableRows = seriesNames.map((s) => {
    const mine = okRows.filter((r) => sweepSeries(r) === s);
    // at or below the highest steady rate (the same one the chart subtitles name), and meeting the SLO
    const steady = highestSteadyRate(mine.map((r) => ({ rate: r.rate, saturated: isBacklogged(r.saturation) })));
    const passing = mine.filter((r) => r.sloMet !== false && steady !== undefined && r.rate <= steady && !isBacklogged(r.saturation)).map((r) => r.rate);
    const best = passing.length > 0 ? Math.max(...passing) : undefined;
    const sp = pts.filter((p) => p.series === s);
    return [s, mine[0]?.gpus ?? '—', sp.length, best ?? 'none', f1(Math.max(...sp.map((p) => p.outputTokensPerS)))] as Array<string | number>;
  });
  const charts = pts.length > 0 ? [latencyVsRateSpec(pts, { slo }), throughputVsRateSpec(pts)] : [];
  const infeasible = inp.rows.filter((r) => r.status !== 'ok').length;
  const finding =
    tableRows.length === 0
      ? 'no feasible point'
      : tableRows
          .map((r) => (typeof r[3] === 'number' ? `${r[0]}: up to ${r[3]} req/s` : `${r[0]}: no swept rate meets the SLO`))
          .join('; ');
  return {
    section: {
      heading: `Sweep (${base(inp.file)})`,
      text: `${inp.rows.length} rows, ${infeasible} infeasible.${slo.length ? ` SLO: ${inp.rows.find((r) => r.slo)?.slo}.` : ''} "Highest rate meeting the SLO" is the largest swept rate where the SLO was met and the queue stayed bounded.`,
      table: { columns: ['deployment', 'GPUs', 'rates', 'highest rate meeting SLO (req/s)', 'peak output tok/s'], rows: tableRows },
      charts,
    },
    summary: [{ source: base(inp.file), kind: 'sweep', subject: `${seriesNames.length} deployment(s)`, finding }],
  };
}

function validateSection(inp: Extract<ResultInput, { kind: 'validate' }>): { section: ReportSection; summary: SummaryRow[] } {
  const rep = inp.report;
  const pts = calibrationPointsFromValidation(rep);
  const table: ReportTable = {
    columns: ['metric', 'statistic', 'n', 'median APE %', 'mean APE %'],
    rows: rep.summary.map((s) => [s.metric, s.statistic, s.n, f1(s.median_ape), f1(s.mean_ape)]),
  };
  const apes = rep.rows.map((r) => r.apePct).sort((a, b) => a - b);
  const median = apes.length ? apes[Math.floor((apes.length - 1) / 2)]! : NaN;
  return {
    section: {
      heading: `Validation against measurements (${base(inp.file)})`,
      text: `coverage: ${rep.coverage.mapped} of ${rep.coverage.rows} measured figures simulated.`,
      table,
      charts: pts.length > 0 ? [calibrationSpec(pts)] : [],
    },
    summary: [{ source: base(inp.file), kind: 'validate', subject: `${rep.rows.length} figures`, finding: `median APE ${f1(median)}%` }],
  };
}

/** A whole report from recognised result files: a summary (decision) table first, then one section per file. */
export function reportDocumentFromResults(inputs: readonly ResultInput[], title = 'servesim capacity report'): ReportDocument {
  const parts = inputs.map((inp) => {
    switch (inp.kind) {
      case 'simulate':
        return simulateSection(inp);
      case 'compare':
        return compareSection(inp);
      case 'plan':
        return planSection(inp);
      case 'sweep':
        return sweepSection(inp);
      case 'validate':
        return validateSection(inp);
      case 'recommend':
        return recommendReportPart(inp.file, inp.result);
    }
  });
  const summary = parts.flatMap((p) => p.summary);
  return {
    title,
    subtitle: `From ${inputs.map((i) => base(i.file)).join(', ')}`,
    sections: [
      {
        heading: 'Summary',
        text: 'One line per result file: what it is about and what it decides.',
        table: { columns: ['source', 'kind', 'subject', 'decision / finding'], rows: summary.map((s) => [s.source, s.kind, s.subject, s.finding]) },
        charts: [],
      },
      ...parts.map((p) => p.section),
    ],
  };
}
