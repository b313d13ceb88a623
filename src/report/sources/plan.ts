/** Source: `servesim plan --json`. */
import type { LatencyBands, PlanResult } from '../../planning/plan.ts';
import type { RatePoint } from '../chart-data.ts';
import { latencyVsRateSpec } from '../charts/index.ts';
import { base, f1, f2, pct, roundTo, usd } from './format.ts';
import type { SourceSection } from './result-input.ts';
import { sloLinesFromText } from './slo-lines.ts';

type LatencySummary = NonNullable<PlanResult['capacity']['latencyAtCapacity']>;

export function pointFromLatency(
  series: string,
  rate: number,
  l: LatencySummary,
  saturated: boolean,
  outTokPerS = NaN,
  attainment?: number,
  bands?: LatencyBands,
): RatePoint {
  return {
    ...(bands ? { p99Band80Ms: { ttft: bands.ttftP99Ms, itl: bands.itlP99Ms, tpot: bands.tpotP99Ms, e2e: bands.e2eP99Ms } } : {}),
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
  if (c.latencyAtCapacity && c.perReplicaRatePerS > 0)
    out.push(pointFromLatency(series, c.perReplicaRatePerS, c.latencyAtCapacity, false, NaN, undefined, c.latencyAtCapacityBand80Ms));
  const t = p.target;
  if (t && t.replicas > 0) out.push(pointFromLatency(series, t.ratePerS / t.replicas, t.latency, false, t.outputTokensPerS / t.replicas, t.sloAttainment, t.latencyBand80Ms));
  return out.sort((a, b) => a.requestRatePerS - b.requestRatePerS);
}

/** The report section of one plan --json file. */
export function planSection(file: string, p: PlanResult & { workload?: string }): SourceSection {
  const c = p.capacity;
  const t = p.target;
  const rows: Array<[string, string | number]> = [['feasible', p.feasible ? 'yes' : `no: ${p.infeasibleReason ?? ''}`]];
  if (p.feasible) {
    rows.push(['max rate per replica (SLO met), req/s', f2(c.perReplicaRatePerS)], ['saturation per replica, req/s', f2(c.saturationRatePerS)], ['binding constraint', `${c.binding ?? '—'}`]);
    rows.push(['TTFT p99 at capacity, ms', f1(c.latencyAtCapacity?.ttftP99Ms)], ['ITL (per gap) p99 at capacity, ms', f1(c.latencyAtCapacity?.itlP99Ms)]);
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
    section: { heading: `Plan: ${p.deployment.label} (${base(file)})`, text: `SLO ${p.slo}${p.workload ? ` · ${p.workload}` : ''}`, table: { columns: ['', 'value'], rows }, charts },
    summary: [{ source: base(file), kind: 'plan', subject: p.deployment.label, finding }],
  };
}
