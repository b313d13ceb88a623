/** The text report of `servesim recommend`: the decision, the front, the top-k, and every candidate's fate. */
import type { CandidateOutcome, RecommendResult } from '../../planning/recommend/result.ts';
import { fmt, table } from '../output.ts';

const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const dagger = (c: CandidateOutcome) => (c.calibrated ? '' : ' †');

/** "±12%" from a calibration's 80% band, or '' without one */
function band(c: CandidateOutcome, which: 'ttft' | 'tpot'): string {
  const w = c.verified?.band80?.[which];
  return w === null || w === undefined ? '' : ` ±${Math.round(w * 100)}%`;
}

function frontRow(c: CandidateOutcome, i: number, curve: boolean): (string | number)[] {
  const v = c.verified!;
  return [
    i + 1,
    `${c.candidate}${dagger(c)}`,
    `${v.replicas} × ${v.gpus / v.replicas}`,
    v.gpus,
    v.usdPerHour !== null ? fmt.usd(v.usdPerHour) : 'no price',
    ...(curve ? [v.usdPerDay !== null ? fmt.usd(v.usdPerDay) : '—'] : []),
    v.usdPerMillionOutputTokens !== null ? fmt.usd(v.usdPerMillionOutputTokens) : '—',
    `${ms(v.ttftP99Ms)}${band(c, 'ttft')}`,
    ms(v.itlP99Ms),
    `${ms(v.tpotP99Ms)}${band(c, 'tpot')}`,
    fmt.num(v.tokensPerSPerUser, 1),
  ];
}

function frontTable(rows: readonly CandidateOutcome[], curve: boolean): string {
  const head = ['#', 'candidate', 'replicas × GPUs', 'GPUs', '$/hour (peak)', ...(curve ? ['$/day (curve)'] : []), '$/Mtok', 'TTFT p99 ms', 'ITL p99 ms', 'TPOT p99 ms', 'tok/s per user'];
  return table(head, rows.map((c, i) => frontRow(c, i, curve)));
}

function searchLine(r: RecommendResult): string {
  const s = r.search;
  return (
    `search: ${s.candidates} candidates${r.shard ? ` (shard ${r.shard} of a ${s.spaceSize}-candidate space)` : ''}; ${s.pruned} pruned by analytic bounds (${fmt.pct(s.pruningRate)}), ` +
    `${s.screened} screened, ${s.verified} verified in ${s.selectionRounds} round${s.selectionRounds === 1 ? '' : 's'}, ${s.screenedOut} screened out ` +
    `(dominated by a verified candidate even if screening erred by ${Math.round(s.screenMargin * 100)}%), ${s.infeasible} infeasible; ${s.simulations} simulations`
  );
}

function decisionLine(r: RecommendResult): string {
  const best = r.front[0];
  if (!best?.verified) return r.unpricedFront.length > 0 ? 'decision: no priced candidate meets the SLO (see the unpriced front)' : 'decision: no candidate meets the SLO at the target';
  const v = best.verified;
  return (
    `decision (${r.criterion}): ${best.candidate}${dagger(best)} — ${v.replicas} replica${v.replicas === 1 ? '' : 's'}, ${v.gpus} GPU${v.gpus === 1 ? '' : 's'}, ${v.nodes} node${v.nodes === 1 ? '' : 's'}, ` +
    `${fmt.usd(v.usdPerHour ?? NaN)}/h${v.usdPerDay !== null ? ` (${fmt.usd(v.usdPerDay)}/day following the curve)` : ''}, ${fmt.usd(v.usdPerMillionOutputTokens ?? NaN)}/Mtok; ` +
    `TTFT p99 ${ms(v.ttftP99Ms)} ms, ITL p99 ${ms(v.itlP99Ms)} ms, ${fmt.num(v.tokensPerSPerUser, 1)} tok/s per user`
  );
}

/** Every candidate: status and figures in the table, reasons in full below it (a cell would cut them). */
export function allTable(r: RecommendResult): string {
  const rows = r.candidates.map((c) => [
    c.index,
    `${c.candidate}${c.calibrationProvenance !== null ? dagger(c) : ''}`,
    c.status,
    c.verified ? fmt.usd(c.verified.usdPerHour ?? NaN) : c.screening ? `~${fmt.usd(c.screening.usdPerHour ?? NaN)}` : '—',
    c.verified ? ms(c.verified.ttftP99Ms) : c.screening ? `~${ms(c.screening.ttftP99Ms)}` : '—',
    c.verified ? ms(c.verified.itlP99Ms) : c.screening ? `~${ms(c.screening.itlP99Ms)}` : '—',
  ]);
  const out = [table(['#', 'candidate', 'status', '$/hour', 'TTFT p99 ms', 'ITL p99 ms'], rows), '(~ = screening estimate, not verified)'];
  for (const c of r.candidates) if (c.reason) out.push(`#${c.index} ${c.status}: ${c.reason}`);
  return out.join('\n');
}

export function formatRecommend(r: RecommendResult, all: boolean): string {
  const curve = r.rateCurve !== null;
  const out: string[] = [];
  const target = curve ? `rate curve (${r.rateCurve!.ratesPerS.length} slices a day), peak ${fmt.num(r.targetRatePerS, 1)} req/s` : `target ${fmt.num(r.targetRatePerS, 1)} req/s`;
  out.push(`recommend: ${r.workload} · SLO ${r.slo} · ${target} + ${fmt.pct(r.headroom)} headroom`);
  out.push(searchLine(r), decisionLine(r), '');
  out.push(`Pareto front over $/hour, TTFT p99, ITL p99 and tokens/s per user (verified; ${r.criterion} first):`);
  out.push(r.front.length > 0 ? frontTable(r.front, curve) : '(no priced candidate meets the SLO)');
  if (r.unpricedFront.length > 0) out.push('', 'Unpriced front (no $/GPU-hour known: ranked by GPUs, apart from the priced):', frontTable(r.unpricedFront, curve));
  const top = r.top.map((c) => c.candidate);
  if (top.length > 0) out.push('', `top ${top.length} by ${r.criterion}: ${top.join(', ')}`);
  if (r.front.some((c) => c.verified?.band80) || r.unpricedFront.some((c) => c.verified?.band80))
    out.push('± = 80% band of a fitted calibration on mean TTFT / TPOT (a guide for p99)');
  out.push('† = calibration not fitted for this GPU × engine (transferred or datasheet only)');
  for (const n of r.notes) out.push(`note: ${n}`);
  if (all) out.push('', allTable(r));
  else out.push(`(${r.candidates.length - r.front.length - r.unpricedFront.length} other candidates: --all lists each with its status and reason; --json has every figure)`);
  return out.join('\n');
}
