/** Source: `servesim compare --json`. */
import type { TopLevelSpec } from 'vega-lite';
import { noPriceHint, type CompareResult } from '../../planning/compare.ts';
import type { CandidateRow, ReportTable, WinnerCriterion } from '../chart-data.ts';
import { latencyVsRateSpec, plannerComparisonSpec } from '../charts/index.ts';
import { base, f1, f2, pct, roundTo, usd } from './format.ts';
import { ratePointsFromPlan } from './plan.ts';
import type { SourceSection } from './result-input.ts';
import { sloLinesFromText } from './slo-lines.ts';

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

/** The report section of one compare --json file. */
export function compareSection(file: string, r: CompareResult & { workload?: string; scenario?: string }): SourceSection {
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
    section: { heading: `Comparison (${base(file)})`, text, table, charts },
    summary: [{ source: base(file), kind: 'compare', subject: r.workload ?? `${r.rows.length} candidates`, finding }],
  };
}
