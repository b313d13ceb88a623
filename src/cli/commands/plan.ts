import type { Argv, Options } from 'yargs';
import { InfeasibleError, InputError } from '../../diagnostics/errors.ts';
import { parseSlo, type SloObjective } from '../../metrics/slo.ts';
import { DEFAULT_SEARCH, type SearchOptions } from '../../planning/capacity.ts';
import { plan, type PlanWorkload } from '../../planning/library.ts';
import { parsePrices, type LatencySummary, type ObjectiveAtLoad, type PlanResult } from '../../planning/plan.ts';
import { ROUTERS, type RouterName } from '../../serving/router.ts';
import { formatProbability, formatReplicaOdds } from '../../planning/slo-probability.ts';
import { WORKLOAD_PRESETS } from '../../workload/presets.ts';
import { defineCommand } from '../command.ts';
import { type CliContext, DEPLOYMENT_OPTIONS, type DeploymentFlags } from '../context.ts';
import { fmt, printJson, printText, table } from '../output.ts';
import { parseWorkloadFlags } from '../../planning/workload-flag-schema.ts';
import { datasetServerSlo, resolveSessions } from '../../planning/workload-flags.ts';
import { checkPdFlags, PD_PLAN_OPTIONS, pdPlanCommand, type PdPlanFlags } from './pd-plan.ts';
import { resolveLengths, WORKLOAD_OPTIONS, type WorkloadFlags, type WorkloadFlagValues } from '../workload-options.ts';

export interface PlanFlags extends DeploymentFlags, WorkloadFlagValues {
  'target-rate'?: number;
  headroom?: string;
  price?: string[];
  router?: string;
  seeds?: number;
  'min-requests'?: number;
  tolerance?: number;
  confidence?: string;
  json?: boolean;
  chart?: string;
  force?: boolean;
}

/** Workload flags a plan uses: lengths, SLO, seed, warm-up (the arrival process is the planner's); the plan's defaults in their help. */
export const PLAN_WORKLOAD_OPTIONS: Readonly<Record<string, Options>> = {
  workload: { ...WORKLOAD_OPTIONS['workload'], describe: 'workload preset (lengths + SLO; servesim presets shows them); default chat' },
  data: { ...WORKLOAD_OPTIONS['data'] },
  'lengths-file': { ...WORKLOAD_OPTIONS['lengths-file'] },
  dataset: { ...WORKLOAD_OPTIONS['dataset'] },
  slo: { ...WORKLOAD_OPTIONS['slo'], describe: "SLO set, e.g. ttft:p99<=300ms,tpot:p99<=100ms,e2e:p99<=3s (itl = every gap, tpot = per request; or GuideLLM JSON); default: the preset's, or the --dataset's MLPerf Server limits" },
  seed: { ...WORKLOAD_OPTIONS['seed'], describe: 'base random seed (default 42); extra seeds derive from it' },
  warmup: { ...WORKLOAD_OPTIONS['warmup'], describe: 'share of requests excluded at the start (default 0.1)' },
};

export const PLAN_OPTIONS = {
  'target-rate': { type: 'number', describe: 'requests/s the fleet must carry (sessions/s for multi-turn workloads; sizes replicas, GPUs, cost)' },
  headroom: { type: 'string', describe: 'spare capacity over the target, e.g. 20% (default 20%)' },
  price: { type: 'string', array: true, describe: "$/GPU-hour, e.g. h200-sxm=3.50 (default: the hardware profile's price)" },
  router: { type: 'string', choices: ROUTERS, describe: 'routing in the verification run (default least-outstanding)' },
  seeds: { type: 'number', describe: `seeds per SLO check (default ${DEFAULT_SEARCH.seeds})` },
  'min-requests': { type: 'number', describe: `requests per check run, at least (default ${DEFAULT_SEARCH.minRequests})` },
  tolerance: { type: 'number', describe: `bisection stops at this relative bracket width (default ${DEFAULT_SEARCH.tolerance})` },
  confidence: {
    type: 'string',
    describe: 'replicas must meet the SLO with this probability given the calibration\'s 80% bands, e.g. 0.9 or 90% (default: the point prediction\'s answer)',
  },
  json: { type: 'boolean', describe: 'print one JSON document' },
} as const;

export function planSlo(f: WorkloadFlags): SloObjective[] {
  if (!f.slo && f.dataset) return datasetServerSlo(f.dataset);
  return f.slo ? parseSlo(f.slo) : [...WORKLOAD_PRESETS[f.workload ?? 'chat']!.slo];
}

/** Check the workload flags (parseWorkloadFlags) and resolve the lengths a plan runs with. */
export function planShape(given: WorkloadFlagValues) {
  const flags = parseWorkloadFlags(given);
  const { lengths, label } = resolveLengths(flags);
  const shape = flags.warmup !== undefined ? { lengths, warmupFraction: flags.warmup } : { lengths };
  return { shape, sessions: resolveSessions(flags), label, flags };
}

export function searchFromFlags(f: Omit<PlanFlags, 'model' | 'hardware'>): SearchOptions {
  const s: { seeds?: number; minRequests?: number; tolerance?: number } = {};
  if (f.seeds !== undefined) {
    if (!(Number.isInteger(f.seeds) && f.seeds >= 1)) throw new InputError(`--seeds must be a whole number >= 1, found ${f.seeds}`);
    s.seeds = f.seeds;
  }
  if (f['min-requests'] !== undefined) {
    if (!(Number.isInteger(f['min-requests']) && f['min-requests'] >= 50)) throw new InputError(`--min-requests must be a whole number >= 50, found ${f['min-requests']}`);
    s.minRequests = f['min-requests'];
  }
  if (f.tolerance !== undefined) {
    if (!(f.tolerance > 0 && f.tolerance < 1)) throw new InputError(`--tolerance must be in (0, 1), found ${f.tolerance}`);
    s.tolerance = f.tolerance;
  }
  return s;
}

/** The library's workload and sizing options from the plan/compare flags (lengths already resolved). */
export function planWorkload(f: PlanFlags | Omit<PlanFlags, 'model' | 'hardware'>, { shape, sessions, flags }: ReturnType<typeof planShape>): PlanWorkload {
  return {
    workload: flags.workload,
    lengths: shape.lengths,
    sessions,
    slo: planSlo(flags),
    warmupFraction: shape.warmupFraction,
    seed: flags.seed ?? 42,
    headroom: f.headroom,
    search: searchFromFlags(f),
    router: f.router as RouterName | undefined,
    price: f.price,
    confidence: f.confidence,
  };
}

const ms = (x: number | undefined) => (x === undefined ? '—' : fmt.ms(x / 1e3));

/** 106 ms, 2.85 s: a latency in the unit a reader compares with its limit */
export function latencyText(valueMs: number): string {
  if (!Number.isFinite(valueMs)) return '—';
  if (valueMs >= 1000) return `${+(valueMs / 1e3).toPrecision(4)} s`;
  return Number.isInteger(valueMs) ? `${valueMs} ms` : `${fmt.ms(valueMs / 1e3)} ms`; // limits are round: 50 ms, not 50.0
}

/** "E2E p99 2.85 s ≤ 3 s": one objective against its limit */
export function objectiveText(o: ObjectiveAtLoad): string {
  const band = o.band80Ms ? ` (80%: ${latencyText(o.band80Ms[0])}–${latencyText(o.band80Ms[1])}, ${formatProbability(o.probabilityMet ?? 0)} likely met)` : '';
  return `${o.objective} ${latencyText(o.valueMs)} ${o.met ? '≤' : '>'} ${latencyText(o.limitMs)}${band}`;
}

/** "P(meets SLO): 2 replicas: 85% likely; 3: 99%" and, with --confidence, the count chosen for it */
export function oddsText(t: NonNullable<PlanResult['target']>): string {
  const p = t.sloProbability;
  const chosen = p.confidence !== undefined ? ` · for ${formatProbability(p.confidence)} confidence: ${p.replicasForConfidence ?? 'none of these'}` : '';
  return `${formatReplicaOdds(p.byReplicas)}${chosen}`;
}

export function objectivesText(os: readonly ObjectiveAtLoad[], binding: string | undefined): string {
  return os.map((o) => `${objectiveText(o)}${o.objective === binding ? ' (binding)' : ''}`).join(' · ');
}

/** Which constraint limits the rate, with the binding objective's value against its limit. */
export function bindingText(r: PlanResult, rateUnit = 'req/s'): string {
  const c = r.capacity;
  const b = c.bindingObjective;
  if (b)
    return (
      `${b.atCapacity.objective}: ${latencyText(b.atCapacity.valueMs)} against a limit of ${latencyText(b.atCapacity.limitMs)} at capacity; ` +
      `${latencyText(b.breaks.valueMs)} at ${fmt.num(b.breaks.ratePerS, 2)} ${rateUnit}`
    );
  return `${c.binding ?? '—'}: ${c.bindingExplanation}`;
}

/** Short form for tables: "E2E p99 2.85 s / 3 s", "compute", "memory". */
export function bindingShort(r: PlanResult): string {
  const b = r.capacity.bindingObjective;
  if (b) return `${b.atCapacity.objective} ${latencyText(b.atCapacity.valueMs)} / ${latencyText(b.atCapacity.limitMs)}`;
  return r.capacity.binding === 'memory' ? 'memory (KV cache)' : (r.capacity.binding ?? '—');
}

export function latencyRows(where: string, l: LatencySummary | undefined): [string, string][] {
  return [
    [`TTFT p50 / p99 ${where}`, `${ms(l?.ttftP50Ms)} / ${ms(l?.ttftP99Ms)} ms`],
    [`ITL (per gap) p50 / p99 ${where}`, `${ms(l?.itlP50Ms)} / ${ms(l?.itlP99Ms)} ms`],
    [`TPOT (per request) p50 / p99 ${where}`, `${ms(l?.tpotP50Ms)} / ${ms(l?.tpotP99Ms)} ms`],
    [`E2E p50 / p99 ${where}`, `${l ? latencyText(l.e2eP50Ms) : '—'} / ${l ? latencyText(l.e2eP99Ms) : '—'}`],
  ];
}

export function planCommand(ctx: () => CliContext) {
  return defineCommand({
    command: 'plan',
    describe: 'max sustainable rate per replica under an SLO; with --target-rate, the verified replicas, GPUs, nodes and cost',
    builder: (y: Argv) =>
      y
        .options(DEPLOYMENT_OPTIONS)
        .options(PLAN_WORKLOAD_OPTIONS)
        .options(PLAN_OPTIONS)
        .options(PD_PLAN_OPTIONS)
        .options({ chart: { type: 'string', describe: "write latency vs per-replica rate at the planned points (capacity, target) to FILE (.svg .png .vl.json .html); the search's probes record pass/fail only" } })
        .example('$0 plan --model llama-3.1-8b --hardware h200-sxm --workload chat --target-rate 50 --headroom 20%', 'size a chatbot fleet')
        .example('$0 plan --model llama-3.1-70b --hardware h100-sxm --tp 4 --data prompt_tokens=8000,output_tokens=256 --target-rate 4 --disaggregate', 'size prefill and decode pools'),
    handler: async (argv: PlanFlags & PdPlanFlags) => {
      checkPdFlags(argv);
      if (argv.disaggregate) {
        if (argv.chart) throw new InputError('--chart is not drawn for --disaggregate yet: drop one of them');
        return pdPlanCommand(ctx(), argv);
      }
      const prepared = ctx().prepare(argv);
      const planned = planShape(argv);
      const { label } = planned;
      for (const id of parsePrices(argv.price).byHardware.keys()) ctx().registry.getHardware(id); // --price for an unknown GPU is a typo
      const r = plan({
        deployment: prepared,
        ...planWorkload(argv, planned),
        ...(argv['target-rate'] !== undefined ? { targetRatePerS: argv['target-rate'] } : {}),
      });
      if (argv.chart && r.feasible) await (await import('./report.ts')).writePlanChart(r, argv.chart, { overwrite: argv.force });
      if (argv.json) printJson({ ...r, workload: label });
      else printText(formatPlan(r, label, planned.sessions !== undefined ? 'sessions/s' : 'req/s') + '\n');
      // the report is printed; the exit code says it too. The text report already holds the reason, so
      // stderr gets one short line (not the same sentence twice); with --json it is the only prose.
      if (!r.feasible) throw new InfeasibleError(`${r.deployment.label}: ${argv.json ? r.infeasibleReason : 'cannot meet the SLO at any rate (reason above)'}`);
      if (r.target && !r.target.verified) throw new InfeasibleError(`${r.deployment.label}: ${argv.json ? r.target.verificationNote : 'the fleet was not verified at the target (see above)'}`);
    },
  });
}

/** a multi-turn workload's rates count sessions: an arrival opens a session of several turns */
export const SESSION_RATE_NOTE = 'note: multi-turn sessions: rates are sessions per second (each session several requests; --target-rate is sessions/s too)';

export function formatPlan(r: PlanResult, workloadLabel: string, rateUnit = 'req/s'): string {
  const out: string[] = [];
  out.push(`plan: ${r.deployment.label} (${r.deployment.gpusPerReplica} GPU${r.deployment.gpusPerReplica > 1 ? 's' : ''}/replica) · ${workloadLabel} · SLO ${r.slo} · seed ${r.seed}`);
  out.push(`calibration: ${r.deployment.calibration} (${r.deployment.calibrationProvenance})`);
  if (!r.feasible) {
    out.push(`INFEASIBLE: ${r.infeasibleReason}`);
    return out.join('\n');
  }
  const c = r.capacity;
  const rows: [string, string][] = [
    ['max rate per replica (SLO met)', `${fmt.num(c.perReplicaRatePerS, 2)} ${rateUnit}`],
    ['saturation per replica (throughput run)', `${fmt.num(c.saturationRatePerS, 2)} ${rateUnit}`],
    ['binding constraint', bindingText(r, rateUnit)],
    ['SLO at capacity (value vs limit)', objectivesText(c.objectives, c.bindingObjective?.atCapacity.objective)],
    ...latencyRows('at capacity', c.latencyAtCapacity),
  ];
  const t = r.target;
  if (t) {
    rows.push(
      ['target', `${fmt.num(t.ratePerS, 2)} ${rateUnit} + ${fmt.pct(t.headroom)} headroom`],
      ['replicas (estimate → verified)', `${t.estimatedReplicas} → ${t.replicas}${t.verified ? ' ✓' : ' ✗ NOT verified'}`],
      ['P(meets SLO), 80% bands', oddsText(t)],
      ['GPUs / nodes', `${t.gpus} / ${t.nodes}`],
      ['cost', t.usdPerHour !== undefined ? `${fmt.usd(t.usdPerHour)}/h at ${fmt.usd(t.usdPerGpuHour!)}/GPU-h · ${fmt.usd(t.usdPerMillionOutputTokens ?? NaN)} per M output tokens` : `no price — pass --price ${r.deployment.hardware}=USD_PER_GPU_HOUR`],
      ['SLO at target (value vs limit)', objectivesText(t.objectives, c.bindingObjective?.atCapacity.objective)],
      ...latencyRows('at target', t.latency),
      ['SLO attainment at target', fmt.pct(t.sloAttainment)],
      ['margin (fleet SLO capacity vs target)', `${fmt.pct(t.margin)} · target is ${fmt.pct(t.saturationUtilization)} of fleet saturation`],
    );
  }
  out.push(table(['', 'decision'], rows, ['left', 'left']));
  if (t) out.push(t.verificationNote);
  for (const n of r.notes) if (!t || n !== t.verificationNote) out.push(`note: ${n}`);
  if (t) out.push(`bands: ${t.sloProbability.basis}`);
  out.push(`(${r.simulations} simulations; search: ${c.checks.map((k) => `${fmt.num(k.ratePerS, 2)}${k.passed ? '✓' : '✗'}`).join(' ')})`);
  if (rateUnit !== 'req/s') out.push(SESSION_RATE_NOTE);
  return out.join('\n');
}
