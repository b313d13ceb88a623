/**
 * The `report` section of a `recommend --json` document: the decision, the verified Pareto front as a table
 * (unpriced and uncalibrated candidates marked), and the cost-vs-latency chart.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CandidateOutcome, RecommendResult } from '../planning/recommend/result.ts';
import type { ReportSection, ReportTable } from './chart-data.ts';
import { paretoSpec, type ParetoPoint } from './charts/pareto.ts';

const round = (x: number, d: number) => Number(x.toFixed(d));
const usd = (x: number | null | undefined) => (x === null || x === undefined ? 'no price' : `$${x >= 100 ? x.toFixed(0) : x.toFixed(2)}`);

function sloLimitMs(slo: string, metric: string): number | undefined {
  const m = new RegExp(`${metric}:p99<=([0-9.]+)(ms|s)`).exec(slo);
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : undefined;
}

/** Every verified candidate with a price, as chart points (unpriced ones have no place on a $ axis). */
export function paretoPointsOf(r: RecommendResult): ParetoPoint[] {
  return r.candidates
    .filter((c): c is CandidateOutcome & { verified: NonNullable<CandidateOutcome['verified']> } => c.verified !== null && c.verified.usdPerHour !== null && (c.status === 'front' || c.status === 'verified'))
    .map((c) => ({
      label: c.candidate,
      hardware: c.hardware,
      usdPerHour: c.verified.usdPerDay !== null ? c.verified.usdPerDay / 24 : c.verified.usdPerHour!,
      ttftP99Ms: c.verified.ttftP99Ms,
      itlP99Ms: c.verified.itlP99Ms,
      tokensPerSPerUser: c.verified.tokensPerSPerUser,
      onFront: c.status === 'front',
      calibrated: c.calibrated,
    }));
}

export function paretoChartOf(r: RecommendResult): TopLevelSpec {
  const target = r.rateCurve ? `rate curve peaking at ${round(r.targetRatePerS, 1)} req/s (cost: day average)` : `${round(r.targetRatePerS, 1)} req/s`;
  return paretoSpec(paretoPointsOf(r), {
    targetDescription: `${target}, ${r.workload}, SLO ${r.slo}`,
    ttftLimitMs: sloLimitMs(r.slo, 'ttft'),
    itlLimitMs: sloLimitMs(r.slo, 'itl'),
  });
}

function frontTable(r: RecommendResult): ReportTable {
  const rows = [...r.front, ...r.unpricedFront].map((c) => {
    const v = c.verified!;
    return [
      `${c.candidate}${c.calibrated ? '' : ' †'}`,
      v.replicas,
      v.gpus,
      usd(v.usdPerHour),
      usd(v.usdPerMillionOutputTokens),
      round(v.ttftP99Ms, 1),
      round(v.itlP99Ms, 1),
      round(v.tokensPerSPerUser, 1),
    ];
  });
  return { columns: ['candidate', 'replicas', 'GPUs', '$/hour', '$/Mtok', 'TTFT p99 ms', 'ITL p99 ms', 'tok/s per user'], rows, caption: `Pareto front (verified), ${r.criterion} first` };
}

export function recommendSection(r: RecommendResult, source: string): { section: ReportSection; finding: string } {
  const s = r.search;
  const best = r.front[0];
  const finding = best?.verified
    ? `cheapest on the front: ${best.candidate}, ${best.verified.gpus} GPUs, ${usd(best.verified.usdPerHour)}/h; ${r.front.length} candidates on the front`
    : 'no priced candidate meets the SLO';
  const text = [
    `SLO ${r.slo} · target ${round(r.targetRatePerS, 1)} req/s + ${Math.round(r.headroom * 100)}% headroom · ${r.workload}`,
    `${s.candidates} candidates: ${s.pruned} pruned by analytic bounds, ${s.screened} screened, ${s.verified} verified, ${s.screenedOut} screened out, ${s.infeasible} infeasible (${s.simulations} simulations).`,
    `Decision: ${finding}.`,
    '† = calibration not fitted for this GPU × engine (transferred or datasheet only).',
    ...r.notes,
  ].join('\n\n');
  const charts = paretoPointsOf(r).length > 0 ? [paretoChartOf(r)] : [];
  return { section: { heading: `Recommendation (${source})`, text, table: frontTable(r), charts }, finding };
}

/** A `recommend --json` document? (the `report` command recognises result files by their shape) */
export function isRecommendResult(value: unknown): value is RecommendResult {
  return typeof value === 'object' && value !== null && Reflect.get(value, 'kind') === 'recommend' && Array.isArray(Reflect.get(value, 'front')) && Array.isArray(Reflect.get(value, 'candidates'));
}

/** The report's part for one recommend file: its section and its line of the summary table. */
export function recommendReportPart(file: string, r: RecommendResult): { section: ReportSection; summary: { source: string; kind: string; subject: string; finding: string }[] } {
  const source = file.split(/[\\/]/).pop() ?? file;
  const { section, finding } = recommendSection(r, source);
  return { section, summary: [{ source, kind: 'recommend', subject: `${r.workload} at ${round(r.targetRatePerS, 1)} req/s`, finding }] };
}
