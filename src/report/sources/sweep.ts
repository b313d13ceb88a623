/** Source: sweep results (JSONL or CSV files, or `servesim sweep --json`), read through the row table. */
import { highestSteadyRate, isBacklogged } from '../../metrics/saturation.ts';
import { parseSweepText, type SweepRow } from '../../planning/sweep-row.ts';
import type { RatePoint } from '../chart-data.ts';
import { latencyVsRateSpec, throughputVsRateSpec } from '../charts/index.ts';
import { base, f1 } from './format.ts';
import type { SourceSection } from './result-input.ts';
import { sloLinesFromText } from './slo-lines.ts';

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
      tpotP50Ms: meanOpt(g.map((r) => r.tpotP50Ms)),
      tpotP99Ms: meanOpt(g.map((r) => r.tpotP99Ms)),
      e2eP50Ms: meanOpt(g.map((r) => r.e2eP50Ms)),
      e2eP99Ms: meanOpt(g.map((r) => r.e2eP99Ms)),
      p99Band80Ms: {
        ttft: bandOf(g.map((r) => [r.ttftP99Band80LowMs, r.ttftP99Band80HighMs])),
        tpot: bandOf(g.map((r) => [r.tpotP99Band80LowMs, r.tpotP99Band80HighMs])),
        e2e: bandOf(g.map((r) => [r.e2eP99Band80LowMs, r.e2eP99Band80HighMs])),
      },
      outputTokensPerS: mean(g.map((r) => r.outputTokPerS)),
      requestsPerS: mean(g.map((r) => r.throughputReqPerS)),
      goodputPerS: meanOpt(g.map((r) => r.goodputPerS)),
      sloAttainment: meanOpt(g.map((r) => r.sloAttainment)),
      saturated: g.some((r) => isBacklogged(r.saturation)),
    });
  }
  return out.sort((a, b) => (a.series === b.series ? a.requestRatePerS - b.requestRatePerS : a.series < b.series ? -1 : 1));
}

/** the mean band of a group of seeds, when every row carries one (files written before bands have none) */
function bandOf(ends: readonly (readonly [number | null, number | null])[]): readonly [number, number] | undefined {
  if (ends.length === 0 || ends.some(([lo, hi]) => lo === null || hi === null)) return undefined;
  return [ends.reduce((a, [lo]) => a + lo!, 0) / ends.length, ends.reduce((a, [, hi]) => a + hi!, 0) / ends.length];
}

/** Rows of a sweep file: JSONL (one row per line) or CSV with servesim's header; columns it lacks are filled. */
export function parseSweepFile(text: string, file = 'sweep'): SweepRow[] {
  return parseSweepText(text, file, 'lenient');
}

/** The report section of one sweep file. */
export function sweepSection(file: string, rows: readonly SweepRow[]): SourceSection {
  const pts = ratePointsFromSweepRows(rows);
  const slo = sloLinesFromText(rows.find((r) => r.slo)?.slo);
  const seriesNames = [...new Set(pts.map((p) => p.series))];
  // per series: the highest rate that met the SLO (attainment ≥ 0.99 if recorded) and was not backlogged
  const okRows = rows.filter((r) => r.status === 'ok');
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
  const infeasible = rows.filter((r) => r.status !== 'ok').length;
  const finding =
    tableRows.length === 0
      ? 'no feasible point'
      : tableRows
          .map((r) => (typeof r[3] === 'number' ? `${r[0]}: up to ${r[3]} req/s` : `${r[0]}: no swept rate meets the SLO`))
          .join('; ');
  return {
    section: {
      heading: `Sweep (${base(file)})`,
      text: `${rows.length} rows, ${infeasible} infeasible.${slo.length ? ` SLO: ${rows.find((r) => r.slo)?.slo}.` : ''} "Highest rate meeting the SLO" is the largest swept rate where the SLO was met and the queue stayed bounded.`,
      table: { columns: ['deployment', 'GPUs', 'rates', 'highest rate meeting SLO (req/s)', 'peak output tok/s'], rows: tableRows },
      charts,
    },
    summary: [{ source: base(file), kind: 'sweep', subject: `${seriesNames.length} deployment(s)`, finding }],
  };
}
