import type { Argv } from 'yargs';
import { parsePrices } from '../../planning/plan.ts';
import { noPriceHint, type CompareResult, type Criterion } from '../../planning/compare.ts';
import { compare } from '../../planning/library.ts';
import { parseHeadroom } from '../../planning/plan.ts';
import { defineCommand } from '../command.ts';
import { type CliContext, DEPLOYMENT_OPTIONS } from '../context.ts';
import { fmt, printJson, printText, table } from '../output.ts';
import { InfeasibleError } from '../../diagnostics/errors.ts';
import { checkPdFlags, formatPdCompare, pdCompareSettings, PD_PLAN_OPTIONS, type PdPlanFlags } from './pd-plan.ts';
import { comparePd } from '../../planning/pd-library.ts';
import { bindingShort, objectiveText, oddsText, SESSION_RATE_NOTE, PLAN_OPTIONS, PLAN_WORKLOAD_OPTIONS, planShape, planWorkload, type PlanFlags } from './plan.ts';

interface CompareFlags extends Omit<PlanFlags, 'model' | 'hardware'> {
  candidates?: string[];
  chart?: string;
  force?: boolean;
  model?: string;
  hardware?: string;
}

export const DEFAULT_SCENARIO = {
  candidates: 'llama-3.1-8b@h200-sxm:tp=1,llama-3.1-70b@h200-sxm:tp=2,llama-3.1-70b@h200-sxm:tp=4',
  workload: 'chat',
  targetRate: 50,
  description:
    'default scenario: a chatbot (chat preset: ~512-token prompts, ~256-token answers) at 50 req/s, ' +
    'SLO TTFT p99 ≤ 200 ms and TPOT p99 ≤ 50 ms (GuideLLM\'s per-request ITL), 20% headroom: Llama 3.1 8B vs 70B on H200 SXM',
};

const { model: _m, hardware: _h, tp: _tp, ...DEPLOYMENT_REST } = DEPLOYMENT_OPTIONS;

export function compareCommand(ctx: () => CliContext) {
  return defineCommand({
    command: 'compare',
    describe: 'plan several candidate deployments for one workload and target and mark the best per criterion (no flags: the built-in default scenario)',
    builder: (y: Argv) =>
      y
        .options(DEPLOYMENT_REST)
        .options(PLAN_WORKLOAD_OPTIONS)
        .options(PLAN_OPTIONS)
        .options(PD_PLAN_OPTIONS)
        .options({
          candidates: { type: 'string', array: true, describe: 'model@hardware[:tp=N][:weights=fp8][:engine=vllm][:kv=fp8], comma-separated; no tp = every power-of-two TP that fits' },
          chart: { type: 'string', describe: 'write a comparison chart to FILE (.svg, .png, .vl.json, .html)' },
        })
        .example('$0 compare', 'the default scenario: Llama 3.1 8B vs 70B on H200 for a chatbot at 50 req/s')
        .example('$0 compare --candidates llama-3.1-8b@h200-sxm,llama-3.1-70b@h200-sxm:tp=4 --workload chat --target-rate 50', 'your own candidates'),
    handler: async (argv: CompareFlags & PdPlanFlags) => {
      checkPdFlags(argv);
      const isDefault = !argv.candidates?.length;
      const wf = isDefault && !argv.workload && !argv.data && !argv['lengths-file'] && !argv.dataset ? { ...argv, workload: DEFAULT_SCENARIO.workload } : argv;
      const target = argv['target-rate'] ?? (isDefault ? DEFAULT_SCENARIO.targetRate : undefined);
      const planned = planShape(wf);
      const { label } = planned;
      const headroom = parseHeadroom(argv.headroom);
      for (const id of parsePrices(argv.price).byHardware.keys()) ctx().registry.getHardware(id); // --price for an unknown GPU is a typo
      const workload = planWorkload(wf, planned);
      const request = {
        resolver: ctx(),
        candidates: argv.candidates?.length ? argv.candidates : DEFAULT_SCENARIO.candidates,
        base: argv,
        ...workload,
        search: { ...(isDefault ? { tolerance: 0.04 } : {}), ...workload.search },
        ...(target !== undefined ? { targetRatePerS: target } : {}),
      };
      const withPd = argv.disaggregate ? comparePd({ ...request, ...pdCompareSettings(argv) }) : undefined;
      const result = withPd ?? compare(request);
      if (argv.chart) await writeComparisonChart(result, argv.chart, label, argv.force);
      if (argv.json) printJson({ ...result, workload: label, scenario: isDefault ? DEFAULT_SCENARIO.description : undefined });
      else printText(formatCompare(result, label, isDefault, target, headroom) + (planned.sessions !== undefined ? `\n${SESSION_RATE_NOTE} (read req/s above as sessions/s)` : '') + (withPd ? `\n\n${formatPdCompare(withPd.disaggregated)}` : '') + '\n');
      // as plan does: the report is printed; the exit code says whether any candidate meets the SLO
      // with --disaggregate a candidate meets the SLO colocated or split into pools
      if (withPd?.disaggregated.some((r) => r.disaggregated?.feasible && r.disaggregated.target?.verified !== false)) return;
      if (!result.rows.some(meetsSlo)) throw new InfeasibleError(`no candidate meets the SLO ${result.slo}${noneReason(result)}`);
    },
  });
}

/** a candidate meets the SLO when its capacity search found a rate and, with a target, the fleet verified */
const meetsSlo = (r: CompareResult['rows'][number]) => r.feasible && r.target?.verified !== false;

/** one short line for stderr: the reasons themselves are in the printed report */
function noneReason(r: CompareResult): string {
  if (r.rows.length === 0) return ': no candidate fits the hardware (see the skipped lines)';
  const infeasible = r.rows.filter((x) => !x.feasible).length;
  const unverified = r.rows.length - infeasible;
  const parts = [infeasible > 0 ? `${infeasible} cannot meet it at any rate` : '', unverified > 0 ? `${unverified} not verified at the target` : ''];
  return `: ${parts.filter(Boolean).join(', ')} (reasons above)`;
}

function formatCompare(result: CompareResult, label: string, isDefault: boolean, target: number | undefined, headroom: number): string {
  const out: string[] = [];
  if (isDefault) out.push(DEFAULT_SCENARIO.description);
  out.push(`compare: ${label} · SLO ${result.slo || '(none)'}${target !== undefined ? ` · target ${fmt.num(target, 1)} req/s + ${fmt.pct(headroom)} headroom` : ''}`);
  const decision = decisionLine(result);
  if (decision) out.push(decision);
  out.push('');
  out.push(formatCompareTable(result));
  out.push(`★ best per criterion among candidates that meet the SLO. ${result.simulations} simulations.`);
  // how far to trust each row: the calibration behind it and whether it was fitted for that GPU
  const byCalibration = new Map<string, string[]>();
  for (const r of result.rows) {
    const key = `${r.deployment.calibration} (${r.deployment.calibrationProvenance})`;
    byCalibration.set(key, [...(byCalibration.get(key) ?? []), r.candidate]);
  }
  for (const [cal, candidates] of byCalibration) out.push(`calibration ${cal}: ${candidates.join(', ')}`);
  // how likely each fleet meets the SLO, from its calibration's 80% bands
  for (const r of result.rows) if (r.target) out.push(`P(meets SLO) ${r.candidate}: ${oddsText(r.target)}`);
  // reasons in full below the table: a table cell would cut them mid-sentence
  for (const r of result.rows) if (!r.feasible) out.push(`infeasible ${r.candidate}: ${r.infeasibleReason}`);
  for (const s of result.skipped) out.push(`skipped ${s.candidate}: ${s.reason}`);
  // a note several candidates share is printed once, naming them all
  const notes = new Map<string, string[]>();
  for (const r of result.rows) for (const n of new Set(r.notes)) notes.set(n, [...(notes.get(n) ?? []), r.candidate]);
  for (const [n, candidates] of notes) out.push(`note (${candidates.join(', ')}): ${n}`);
  return out.join('\n');
}

function decisionLine(r: CompareResult): string | undefined {
  const cheapest = r.best['lowest $/Mtok'] ?? r.best['fewest GPUs'];
  if (!cheapest) return r.rows.length > 0 ? 'decision: no candidate meets the SLO' : undefined;
  const row = r.rows.find((x) => x.candidate === cheapest)!;
  const t = row.target;
  if (!t) return `decision: ${cheapest} carries the most load per GPU (${fmt.num(row.capacity.perReplicaRatePerS, 2)} req/s per replica)`;
  // a cost decision that leaves out unpriced candidates says so; it is the cheapest of the priced ones only
  const unpriced = r.costRanking.unpriced;
  const basis = !r.best['lowest $/Mtok'] ? ' (fewest GPUs: no candidate has a price)' : unpriced.length > 0 ? ' (cheapest of the priced candidates)' : '';
  const lines = [
    `decision: ${cheapest}${basis} — ${t.replicas} replica${t.replicas === 1 ? '' : 's'}, ${t.gpus} GPU${t.gpus === 1 ? '' : 's'}` +
      (t.usdPerHour !== undefined ? `, ${fmt.usd(t.usdPerHour)}/h, ${fmt.usd(t.usdPerMillionOutputTokens ?? NaN)} per M output tokens` : '') +
      ` (${t.objectives.map(objectiveText).join(', ')} at ${fmt.num(t.ratePerS, 1)} req/s)`,
  ];
  if (unpriced.length > 0) lines.push(`not ranked by cost (${unpriced.map((u) => `${u.candidate}: ${u.gpus ?? '?'} GPU${u.gpus === 1 ? '' : 's'}, ${u.hint}`).join('; ')})`);
  return lines.join('\n');
}

export function formatCompareTable(r: CompareResult): string {
  const star = (row: CompareResult['rows'][number], c: Criterion, s: string) => (row.best.includes(c) ? `${s} ★` : s);
  const rows = r.rows.map((row) => {
    if (!row.feasible) return [row.candidate, '—', '—', '—', '—', '—', '—', '—', '—', '—', 'infeasible (below)'];
    const t = row.target;
    const ms = (x: number | undefined) => (x === undefined ? '—' : fmt.ms(x / 1e3));
    const lat = t?.latency ?? row.capacity.latencyAtCapacity;
    return [
      row.candidate,
      fmt.num(row.capacity.perReplicaRatePerS, 2),
      t ? `${t.replicas}${t.verificationAddedReplicas > 0 ? ` (est ${t.estimatedReplicas})` : ''}${t.verified ? '' : ' ✗'}` : '—',
      t ? star(row, 'fewest GPUs', String(t.gpus)) : '—',
      t?.usdPerHour !== undefined ? fmt.usd(t.usdPerHour) : t ? 'no price' : '—',
      t?.usdPerMillionOutputTokens !== undefined ? star(row, 'lowest $/Mtok', fmt.usd(t.usdPerMillionOutputTokens)) : t ? 'no price' : '—',
      star(row, 'lowest TTFT p99', `${ms(lat?.ttftP50Ms)} / ${ms(lat?.ttftP99Ms)}`),
      star(row, 'lowest ITL p99', `${ms(lat?.itlP50Ms)} / ${ms(lat?.itlP99Ms)}`),
      `${ms(lat?.tpotP50Ms)} / ${ms(lat?.tpotP99Ms)}`,
      t ? fmt.pct(t.margin) : '—',
      bindingShort(row),
    ];
  });
  return table(
    ['candidate', 'max req/s /replica', 'replicas', 'GPUs', '$/hour', '$/Mtok', 'TTFT p50/p99 ms', 'ITL (per gap) p50/p99 ms', 'TPOT (per request) p50/p99 ms', 'headroom', 'binding (at capacity / limit)'],
    rows,
  );
}

async function writeComparisonChart(r: CompareResult, file: string, label: string, overwrite: boolean | undefined): Promise<void> {
  const { plannerComparisonSpec } = await import('../../report/charts/planner-comparison.ts');
  const { writeChart } = await import('../../report/render.ts');
  const map: Record<Criterion, 'gpus' | 'usdPerMillionOutputTokens' | 'ttftP99Ms' | 'itlP99Ms'> = {
    'fewest GPUs': 'gpus',
    'lowest $/Mtok': 'usdPerMillionOutputTokens',
    'lowest TTFT p99': 'ttftP99Ms',
    'lowest ITL p99': 'itlP99Ms',
  };
  const rows = r.rows
    .filter((x) => x.feasible && x.target)
    .map((x) => ({
      label: x.candidate,
      replicas: x.target!.replicas,
      gpus: x.target!.gpus,
      usdPerHour: x.target!.usdPerHour ?? NaN,
      usdPerMillionOutputTokens: x.target!.usdPerMillionOutputTokens ?? NaN,
      ...(x.target!.usdPerGpuHour === undefined ? { priceNote: noPriceHint(x.deployment.hardware) } : {}),
      ttftP99Ms: x.target!.latency.ttftP99Ms,
      itlP99Ms: x.target!.latency.itlP99Ms,
      meetsSlo: x.target!.verified,
      winners: x.best.map((b) => map[b]),
    }));
  await writeChart(plannerComparisonSpec(rows, { targetDescription: `${fmt.num(r.targetRatePerS ?? NaN, 1)} req/s, ${label}` }), file, { overwrite, createDirs: false });
}
