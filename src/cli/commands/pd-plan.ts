/**
 * `plan --disaggregate`: size a prefill pool and a decode pool (library: planPd, src/planning/pd-library.ts)
 * and print the pools, ratio, GPUs, cost, binding objective, latency at the target and each pool's
 * calibration. The decode pool is the prefill pool's flags with the --decode-* ones in their place.
 */
import { InfeasibleError, InputError } from '../../diagnostics/errors.ts';
import type { PdPlanResult } from '../../planning/disaggregated-plan.ts';
import type { DecodePoolSpec, PdCompareRow } from '../../planning/pd-compare.ts';
import { planPd } from '../../planning/pd-library.ts';
import { parsePrices } from '../../planning/plan.ts';
import type { CliContext } from '../context.ts';
import { fmt, printJson, printText, table } from '../output.ts';
import { decodeFlagsGiven, decodePoolFromFlags, PD_OPTIONS, type PdFlags } from '../technique-options.ts';
import { latencyRows, latencyText, objectivesText, planShape, planWorkload, type PlanFlags } from './plan.ts';

const { 'decode-replicas': _fixedDecode, ...DECODE_POOL_OPTIONS } = PD_OPTIONS;

/** The flags plan and compare add for P/D sizing. */
export const PD_PLAN_OPTIONS = {
  disaggregate: { type: 'boolean', describe: 'size a prefill pool (--tp, --hardware) and a decode pool (--decode-*) for the target (xPyD), searching the P:D ratio' },
  'max-gpus': { type: 'number', describe: 'with --disaggregate: never size a fleet above this many GPUs' },
  ...DECODE_POOL_OPTIONS,
} as const;

export interface PdPlanFlags extends PdFlags {
  disaggregate?: boolean | undefined;
  'max-gpus'?: number | undefined;
}

/** --decode-* and --max-gpus mean nothing without --disaggregate: say so rather than ignore them. */
export function checkPdFlags(argv: PdPlanFlags): void {
  if (argv.disaggregate) return;
  const given = [...decodeFlagsGiven(argv), ...(argv['max-gpus'] !== undefined ? ['--max-gpus'] : [])];
  if (given.length > 0) throw new InputError(`${given.join(', ')} ${given.length === 1 ? 'describes' : 'describe'} a disaggregated fleet: add --disaggregate`);
}

export function runPdPlan(ctx: CliContext, argv: PlanFlags & PdPlanFlags): PdPlanResult {
  const prefill = ctx.prepare(argv);
  const decode = decodePoolFromFlags(ctx, argv);
  for (const id of parsePrices(argv.price).byHardware.keys()) ctx.registry.getHardware(id); // --price for an unknown GPU is a typo
  return planPd({
    prefill,
    decode,
    ...planWorkload(argv, planShape(argv)),
    ...(argv['target-rate'] !== undefined ? { targetRatePerS: argv['target-rate'] } : {}),
    ...(argv['pd-same-node'] !== undefined ? { sameNode: argv['pd-same-node'] } : {}),
    ...(argv['max-gpus'] !== undefined ? { maxGpus: argv['max-gpus'] } : {}),
    resolver: ctx,
  });
}

export function pdPlanCommand(ctx: CliContext, argv: PlanFlags & PdPlanFlags): void {
  const r = runPdPlan(ctx, argv);
  const { label } = planShape(argv);
  if (argv.json) printJson({ ...r, workload: label });
  else printText(formatPdPlan(r, label) + '\n');
  const name = `${r.prefill.label} → ${r.decode.label}`;
  if (!r.feasible) throw new InfeasibleError(`${name}: ${argv.json ? r.infeasibleReason : 'no P/D fleet can meet the SLO (reason above)'}`);
  if (r.target && !r.target.verified) throw new InfeasibleError(`${name}: ${argv.json ? (r.notes.find((n) => n.startsWith('no fleet')) ?? 'not verified') : 'no fleet within the limits met the SLO (see above)'}`);
}

const s = (n: number) => (n === 1 ? '' : 's');

function estimateLine(r: PdPlanResult): string {
  const e = r.estimate;
  return (
    `analytic first guess: a prefill instance carries ≤ ${fmt.num(e.prefillRatePerInstancePerS, 2)} req/s (${latencyText(e.prefillTimeS * 1e3)} per mean prompt); ` +
    `a decode instance ≤ ${fmt.num(e.decodeRatePerInstancePerS, 2)} req/s (batch ${e.decodeBatch}, limited by ${e.decodeBatchLimit === 'itl' ? 'the ITL/TPOT limit' : e.decodeBatchLimit}) → ` +
    `${fmt.num(e.decodePerPrefill, 2)} decode per prefill instance`
  );
}

function targetRows(r: PdPlanResult): [string, string][] {
  const t = r.target!;
  const pool = (n: number, g: number) => `${n} × ${g} GPU${s(g)} = ${n * g} GPU${s(n * g)}`;
  const cost =
    t.usdPerHour !== undefined
      ? `${fmt.usd(t.usdPerHour)}/h · ${fmt.usd(t.usdPerMillionOutputTokens ?? NaN)} per M output tokens`
      : `no price — pass --price ${t.usdPerGpuHour.prefill === undefined ? r.prefill.hardware : r.decode.hardware}=USD_PER_GPU_HOUR`;
  const b = t.binding;
  return [
    ['target', `${fmt.num(t.ratePerS, 2)} req/s + ${fmt.pct(t.headroom)} headroom (every check at ${fmt.num(t.sizedRatePerS, 2)} req/s)`],
    ['pools (estimate → verified)', `${t.estimated.prefill}P${t.estimated.decode}D → ${t.ratio}${t.verified ? ' ✓' : ' ✗ NOT verified'}`],
    ['prefill instances', pool(t.prefillInstances, r.prefill.gpusPerInstance)],
    ['decode instances', pool(t.decodeInstances, r.decode.gpusPerInstance)],
    ['ratio (decode per prefill)', fmt.num(t.decodeInstances / t.prefillInstances, 2)],
    ['GPUs / nodes', `${t.gpus} / ${t.nodes}`],
    ['cost', cost],
    ['binding objective (at target + headroom)', b ? `${b.objective} ${latencyText(b.valueMs)} / ${latencyText(b.limitMs)}` : '—'],
    ['one fewer prefill instance', t.fewerPrefill],
    ['one fewer decode instance', t.fewerDecode],
    ['SLO at target (value vs limit)', objectivesText(t.objectives, b?.objective)],
    ...latencyRows('at target', t.latency),
    ['SLO attainment at target', fmt.pct(t.sloAttainment)],
  ];
}

function unitRows(r: PdPlanResult): [string, string][] {
  const u = r.unit!;
  return [
    ['best unit (most req/s per GPU)', `${u.ratio}: ${fmt.num(u.ratePerS, 2)} req/s on ${u.gpus} GPUs (${fmt.num(u.ratePerGpuPerS, 3)} req/s per GPU)`],
    ['saturation of the unit (throughput run)', `${fmt.num(u.saturationRatePerS, 2)} req/s`],
    ['binding constraint', `${u.binding}: ${u.bindingExplanation}`],
    ['units tried', u.candidates.map((c) => `${c.prefill}P${c.decode}D ${c.feasible ? `${fmt.num(c.ratePerS, 2)} req/s (${fmt.num(c.ratePerGpuPerS, 3)}/GPU)` : 'infeasible'}`).join(' · ')],
    ['SLO at capacity (value vs limit)', objectivesText(u.objectives, undefined)],
    ...latencyRows('at capacity', u.latency),
  ];
}

export function formatPdPlan(r: PdPlanResult, workloadLabel: string): string {
  const out: string[] = [];
  out.push(`plan (P/D disaggregated): prefill ${r.prefill.label} · decode ${r.decode.label} · ${workloadLabel} · SLO ${r.slo} · seed ${r.seed}`);
  out.push(`calibration: prefill ${r.prefill.calibration} (${r.prefill.calibrationProvenance}) · decode ${r.decode.calibration} (${r.decode.calibrationProvenance})`);
  out.push(`KV transfer: over the ${r.kvTransfer.link}, ${latencyText(r.kvTransfer.meanPromptMs)} for a mean prompt (starts when the prefill ends, overlaps nothing)`);
  out.push(estimateLine(r));
  if (!r.feasible) {
    out.push(`INFEASIBLE: ${r.infeasibleReason}`);
    return out.join('\n');
  }
  out.push(table(['', 'decision'], r.target ? targetRows(r) : unitRows(r), ['left', 'left']));
  for (const n of r.notes) out.push(`note: ${n}`);
  const checks = r.target ? ` (checks: ${r.target.checks.map((c) => `${c.prefill}P${c.decode}D${c.passed ? '✓' : '✗'}`).join(' ')})` : '';
  const slice = r.target && r.target.verificationSlice.prefill + r.target.verificationSlice.decode < r.target.prefillInstances + r.target.decodeInstances;
  const sliceNote = slice ? `; large fleets simulated on a ${r.target!.verificationSlice.prefill}P${r.target!.verificationSlice.decode}D slice at its share of the load` : '';
  out.push(`(${r.simulations} simulations${sliceNote})${checks}`);
  return out.join('\n');
}

/** compare --disaggregate: the --decode-* flags as the change every candidate's decode pool makes */
export function decodeSpecFromFlags(argv: PdPlanFlags): DecodePoolSpec {
  const overrides: Record<string, unknown> = {};
  if (argv['decode-tp'] !== undefined) overrides['tp'] = argv['decode-tp'];
  if (argv['decode-ep'] !== undefined) overrides['ep'] = argv['decode-ep'];
  if (argv['decode-attention-dp'] !== undefined) overrides['attention-dp'] = argv['decode-attention-dp'];
  return { ...(argv['decode-hardware'] !== undefined ? { hardware: argv['decode-hardware'] } : {}), overrides };
}

/** The side-by-side table of compare --disaggregate: each candidate colocated and split into pools. */
export function formatPdCompare(rows: readonly PdCompareRow[]): string {
  const body = rows.map((r) => {
    const pd = r.disaggregated;
    const t = pd?.target;
    const pools = t ? `${t.ratio}${t.verified ? '' : ' ✗'}` : pd?.unit ? `unit ${pd.unit.ratio}` : '—';
    const gpus = t ? `${t.prefillGpus} + ${t.decodeGpus} = ${t.gpus}` : '—';
    return [
      r.candidate,
      r.colocatedGpus !== undefined ? String(r.colocatedGpus) : '—',
      r.colocatedUsdPerHour !== undefined ? fmt.usd(r.colocatedUsdPerHour) : '—',
      pools,
      gpus,
      t?.usdPerHour !== undefined ? fmt.usd(t.usdPerHour) : '—',
      t ? `${fmt.ms(t.latency.ttftP99Ms / 1e3)} / ${fmt.ms(t.latency.itlP99Ms / 1e3)}` : '—',
      pd ? `P ${pd.prefill.calibrationProvenance} · D ${pd.decode.calibrationProvenance}` : '—',
    ];
  });
  const out = [
    'colocated vs disaggregated (P/D pools sized at the target + headroom; colocated as above):',
    table(['candidate', 'colocated GPUs', 'colocated $/h', 'P/D pools', 'P/D GPUs (P + D)', 'P/D $/h', 'P/D TTFT / ITL p99 ms', 'calibration'], body),
  ];
  for (const r of rows) out.push(`${r.candidate}: ${r.verdict}`);
  return out.join('\n');
}

/** compare --disaggregate's P/D settings from the flags */
export function pdCompareSettings(argv: PdPlanFlags) {
  return {
    decode: decodeSpecFromFlags(argv),
    ...(argv['pd-same-node'] !== undefined ? { sameNode: argv['pd-same-node'] } : {}),
    ...(argv['max-gpus'] !== undefined ? { maxGpus: argv['max-gpus'] } : {}),
  };
}
