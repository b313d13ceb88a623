/**
 * Source: `servesim simulate --json` documents (one run or {runs}) and in-process SimulationResults.
 * The --json documents are in display units (ms); in-process results are SI and are converted here.
 */
import type { TopLevelSpec } from 'vega-lite';
import { isBacklogged } from '../../metrics/saturation.ts';
import type { SimulationResult } from '../../simulate.ts';
import type { CdfPoint, RatePoint, ReportTable, TimeSeriesPoint } from '../chart-data.ts';
import { engineTimelineSpec, latencyCdfSpec, latencyVsRateSpec, prefixCacheSpec, throughputVsRateSpec } from '../charts/index.ts';
import { base, f1, f2, pct, roundTo } from './format.ts';
import type { SimulateReport, SourceSection } from './result-input.ts';
import { sloLinesFromReport } from './slo-lines.ts';
import { msFromS } from '../../units.ts';

function loadOf(arrival: Record<string, unknown>): string {
  const kind = String(arrival['profile'] ?? arrival['kind'] ?? 'run');
  const rate = arrival['ratePerS'];
  // multi-turn sessions: an open-loop rate counts sessions
  if (typeof rate === 'number') return `${kind} ${roundTo(rate, 2)}${arrival['sessions'] !== undefined ? ' sessions' : ''}/s`;
  if (typeof arrival['streams'] === 'number') return `concurrent ${arrival['streams']}`;
  return kind;
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
  const r = doc.workload.ratePerS;
  if (r !== undefined && Number.isFinite(r)) return r;
  return doc.saturation.offeredRatePerS;
}

/** the run's p99 bands (documents written before bands existed have none) */
function p99BandsOf(d: SimulateReport): RatePoint['p99Band80Ms'] {
  const b = (d as Partial<SimulateReport>).uncertainty?.band80Ms;
  if (!b) return undefined;
  return { ttft: b['ttftP99Ms'], itl: b['itlP99Ms'], tpot: b['tpotP99Ms'], e2e: b['e2eP99Ms'] };
}

/** One RatePoint per run (runs without an offered rate use their achieved rate). */
export function ratePointsFromReports(docs: readonly SimulateReport[], series?: string): RatePoint[] {
  const points = docs.map((d): RatePoint => {
    const l = d.latencyMs;
    const rate = offeredRate(d) ?? d.throughput.requestsPerS;
    return {
      series: series ?? deploymentSeries(d.deployment),
      requestRatePerS: rate,
      ttftP50Ms: l['ttft']?.median ?? NaN,
      ttftP99Ms: l['ttft']?.p99 ?? NaN,
      itlP50Ms: l['itl']?.median ?? NaN,
      itlP99Ms: l['itl']?.p99 ?? NaN,
      tpotP50Ms: l['tpot']?.median,
      tpotP99Ms: l['tpot']?.p99,
      e2eP50Ms: l['e2e']?.median,
      e2eP99Ms: l['e2e']?.p99,
      p99Band80Ms: p99BandsOf(d),
      outputTokensPerS: d.throughput.outputTokensPerS,
      requestsPerS: d.throughput.requestsPerS,
      goodputPerS: d.slo?.goodputRequestsPerS,
      sloAttainment: d.slo?.attainment,
      // a throughput run keeps every request queued by design: it marks the saturation point
      saturated: isBacklogged(d.saturation) || d.workload.profile === 'throughput',
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
      if (i % step === 0 || i === pts.length - 1) out.push({ series, metric, valueMs: msFromS(p.value), cumulativeFraction: p.fraction });
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
  const l = doc.latencyMs;
  for (const metric of ['ttft', 'itl', 'e2e'] as const) {
    const s = l[metric];
    if (!(s.count > 0)) continue;
    let last = -Infinity;
    for (const [k, f] of REPORT_QUANTILES) {
      const v = s[k];
      if (!Number.isFinite(v)) continue;
      const value = Math.max(v, last);
      last = value;
      out.push({ series, metric, valueMs: value, cumulativeFraction: f });
    }
  }
  return out;
}

/** The engine's state over time of a run (running batch, waiting queue, KV use). */
export function timelineFromReport(doc: SimulateReport, series?: string): TimeSeriesPoint[] {
  return doc.timeSeries.map((p) => ({
    timeS: p.timeS,
    kvUtilization: p.kvUtilization,
    batchSize: p.running,
    queueLength: p.waiting,
    ...(series !== undefined ? { series } : {}),
  }));
}

/** The report section of one simulate --json file (one or several runs). */
export function simulateSection(file: string, runs: readonly SimulateReport[]): SourceSection {
  const series = deploymentSeries(runs[0]!.deployment);
  const table: ReportTable = {
    columns: ['load', 'req/s', 'out tok/s', 'TTFT p50 ms', 'TTFT p99 ms', 'ITL (per gap) p50 ms', 'ITL (per gap) p99 ms', 'E2E p99 ms', 'SLO attained', 'queue'],
    rows: runs.map((d) => {
      const l = d.latencyMs;
      return [
        runLabel(d),
        f2(d.throughput.requestsPerS),
        f1(d.throughput.outputTokensPerS),
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
    if (d.timeSeries.length > 1) charts.push(engineTimelineSpec(timelineFromReport(d), { subtitle: `${series} · ${runLabel(d)}` }));
    if (d.prefixCache && d.prefixCache.overTime.length > 1) charts.push(prefixCacheSpec(d.prefixCache.overTime, { subtitle: `${series} · ${runLabel(d)} · ${d.prefixCache.mode} cache` }));
  }
  const met = runs.filter((d) => d.slo?.met);
  const finding =
    runs.length === 1
      ? `${runLabel(runs[0]!)}: TTFT p99 ${f1(runs[0]!.latencyMs.ttft.p99)} ms, ${runs[0]!.slo ? (runs[0]!.slo.met ? 'SLO met' : 'SLO missed') : 'no SLO'}, ${runs[0]!.saturation.verdict}`
      : `${runs.length} runs; ${runs[0]!.slo ? `SLO met in ${met.length}` : 'no SLO'}; ${runs.filter((d) => isBacklogged(d.saturation)).length} backlogged`;
  return {
    section: { heading: `Simulation: ${series} (${base(file)})`, text: runs[0]!.slo ? `SLO: ${runs[0]!.slo.spec}` : undefined, table, charts },
    summary: [{ source: base(file), kind: 'simulate', subject: series, finding }],
  };
}
