import type { Argv } from 'yargs';
import { compareCandidates, parseCandidates, type CompareResult, type Criterion } from '../../planning/compare.ts';
import { parseHeadroom, parsePrices } from '../../planning/plan.ts';
import type { RouterName } from '../../serving/router.ts';
import { defineCommand } from '../command.ts';
import { type CliContext, DEPLOYMENT_OPTIONS, type DeploymentFlags } from '../context.ts';
import { fmt, printJson, table } from '../output.ts';
import { PLAN_OPTIONS, PLAN_WORKLOAD_OPTIONS, planShape, planSlo, searchFromFlags, type PlanFlags } from './plan.ts';

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
    'SLO TTFT p99 ≤ 200 ms and ITL p99 ≤ 50 ms, 20% headroom: Llama 3.1 8B vs 70B on H200 SXM',
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
        .options({
          candidates: { type: 'string', array: true, describe: 'model@hardware[:tp=N][:weights=fp8][:engine=vllm][:kv=fp8], comma-separated; no tp = every power-of-two TP that fits' },
          chart: { type: 'string', describe: 'write a comparison chart to FILE (.svg, .png, .vl.json, .html)' },
        })
        .example('$0 compare', 'the default scenario: Llama 3.1 8B vs 70B on H200 for a chatbot at 50 req/s')
        .example('$0 compare --candidates llama-3.1-8b@h200-sxm,llama-3.1-70b@h200-sxm:tp=4 --workload chat --target-rate 50', 'your own candidates'),
    handler: async (argv: CompareFlags) => {
      const isDefault = !argv.candidates?.length;
      const candidates = parseCandidates(argv.candidates?.length ? argv.candidates : DEFAULT_SCENARIO.candidates);
      const wf = isDefault && !argv.workload && !argv.data && !argv['lengths-file'] ? { ...argv, workload: DEFAULT_SCENARIO.workload } : argv;
      const target = argv['target-rate'] ?? (isDefault ? DEFAULT_SCENARIO.targetRate : undefined);
      const slo = planSlo(wf);
      const { shape, label } = planShape(wf);
      const headroom = parseHeadroom(argv.headroom);
      const prices = parsePrices(argv.price);
      for (const id of prices.byHardware.keys()) ctx().registry.getHardware(id); // --price for an unknown GPU is a typo
      const result = compareCandidates(
        ctx(),
        { ...(argv as DeploymentFlags), model: '', hardware: '' },
        candidates,
        {
          shape,
          slo,
          seed: argv.seed ?? 42,
          headroom,
          search: { ...(isDefault ? { tolerance: 0.04 } : {}), ...searchFromFlags(argv as PlanFlags) },
          ...(target !== undefined ? { targetRatePerS: target } : {}),
          ...(argv.router ? { router: argv.router as RouterName } : {}),
        },
        prices,
      );
      if (argv.chart) await writeComparisonChart(result, argv.chart, label, argv.force);
      if (argv.json) {
        printJson({ ...result, workload: label, scenario: isDefault ? DEFAULT_SCENARIO.description : undefined });
        return;
      }
      const out: string[] = [];
      if (isDefault) out.push(DEFAULT_SCENARIO.description);
      out.push(
        `compare: ${label} · SLO ${result.slo || '(none)'}${target !== undefined ? ` · target ${fmt.num(target, 1)} req/s + ${fmt.pct(headroom)} headroom` : ''}`,
      );
      const decision = decisionLine(result);
      if (decision) out.push(decision);
      out.push('');
      out.push(formatCompareTable(result));
      out.push(`★ best per criterion among candidates that meet the SLO. ${result.simulations} simulations.`);
      for (const s of result.skipped) out.push(`skipped ${s.candidate}: ${s.reason}`);
      for (const r of result.rows) for (const n of r.notes) out.push(`note (${r.candidate}): ${n}`);
      process.stdout.write(out.join('\n') + '\n');
    },
  });
}

function decisionLine(r: CompareResult): string | undefined {
  const cheapest = r.best['lowest $/Mtok'] ?? r.best['fewest GPUs'];
  if (!cheapest) return r.rows.length > 0 ? 'decision: no candidate meets the SLO' : undefined;
  const row = r.rows.find((x) => x.candidate === cheapest)!;
  const t = row.target;
  if (!t) return `decision: ${cheapest} carries the most load per GPU (${fmt.num(row.capacity.perReplicaRatePerS, 2)} req/s per replica)`;
  return (
    `decision: ${cheapest} — ${t.replicas} replica${t.replicas === 1 ? '' : 's'}, ${t.gpus} GPU${t.gpus === 1 ? '' : 's'}` +
    (t.usdPerHour !== undefined ? `, ${fmt.usd(t.usdPerHour)}/h, ${fmt.usd(t.usdPerMillionOutputTokens ?? NaN)} per M output tokens` : '') +
    ` (TTFT p99 ${fmt.ms(t.latency.ttftP99Ms / 1e3)} ms, ITL p99 ${fmt.ms(t.latency.itlP99Ms / 1e3)} ms at ${fmt.num(t.ratePerS, 1)} req/s)`
  );
}

export function formatCompareTable(r: CompareResult): string {
  const star = (row: CompareResult['rows'][number], c: Criterion, s: string) => (row.best.includes(c) ? `${s} ★` : s);
  const rows = r.rows.map((row) => {
    if (!row.feasible) return [row.candidate, '—', '—', '—', '—', '—', '—', '—', '—', `infeasible: ${row.infeasibleReason ?? ''}`.slice(0, 60)];
    const t = row.target;
    const ms = (x: number | undefined) => (x === undefined ? '—' : fmt.ms(x / 1e3));
    const lat = t?.latency ?? row.capacity.latencyAtCapacity;
    return [
      row.candidate,
      fmt.num(row.capacity.perReplicaRatePerS, 2),
      t ? `${t.replicas}${t.verificationAddedReplicas > 0 ? ` (est ${t.estimatedReplicas})` : ''}${t.verified ? '' : ' ✗'}` : '—',
      t ? star(row, 'fewest GPUs', String(t.gpus)) : '—',
      t?.usdPerHour !== undefined ? fmt.usd(t.usdPerHour) : '—',
      t?.usdPerMillionOutputTokens !== undefined ? star(row, 'lowest $/Mtok', fmt.usd(t.usdPerMillionOutputTokens)) : '—',
      star(row, 'lowest TTFT p99', `${ms(lat?.ttftP50Ms)} / ${ms(lat?.ttftP99Ms)}`),
      star(row, 'lowest ITL p99', `${ms(lat?.itlP50Ms)} / ${ms(lat?.itlP99Ms)}`),
      t ? fmt.pct(t.margin) : '—',
      String(row.capacity.binding ?? '—'),
    ];
  });
  return table(
    ['candidate', 'max req/s /replica', 'replicas', 'GPUs', '$/hour', '$/Mtok', 'TTFT p50/p99 ms', 'ITL p50/p99 ms', 'headroom', 'binding'],
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
      ttftP99Ms: x.target!.latency.ttftP99Ms,
      itlP99Ms: x.target!.latency.itlP99Ms,
      meetsSlo: x.target!.verified,
      winners: x.best.map((b) => map[b]),
    }));
  await writeChart(plannerComparisonSpec(rows, { targetDescription: `${fmt.num(r.targetRatePerS ?? NaN, 1)} req/s, ${label}` }), file, { overwrite, createDirs: false });
}
