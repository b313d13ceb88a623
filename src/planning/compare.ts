/**
 * Compare candidate deployments for one workload and target: each candidate is planned (capacity search +
 * verified replica count), then the best per criterion is marked.
 * Candidate syntax: model@hardware[:tp=N][:pp=N][:weights=fp8][:engine=vllm][:kv=fp8]
 */
import { candidateTps, type PreparedDeployment } from '../cost/prepare.ts';
import { InfeasibleError, InputError } from '../diagnostics/errors.ts';
import type { Hardware } from '../schema/resolved-hardware.ts';
import { CHOICE_FLAG_NAMES, CHOICE_FLAGS, choiceFromFlags, readFlagValue, type ChoiceFlagValues, type DeploymentFlags } from '../schema/deployment-flags.ts';
import { planCapacity, type PlanInput, type PlanResult } from './plan.ts';
import { commaList } from './comma-list.ts';

export interface CandidateSpec {
  readonly text: string;
  readonly model: string;
  readonly hardware: string;
  readonly tp: number | undefined;
  /** choice flag → value, already checked against the deployment-choice schema */
  readonly overrides: ChoiceFlagValues;
}

/** Candidate keys: every deployment-choice flag (from the schema), plus "kv" for kv-cache. */
const KEY_ALIASES: Readonly<Record<string, string>> = { kv: 'kv-cache' };
const KEYS: readonly string[] = [...CHOICE_FLAG_NAMES, ...Object.keys(KEY_ALIASES)];

export function parseCandidate(text: string): CandidateSpec {
  const [head, ...opts] = text.trim().split(':');
  const at = /^([^@\s]+)@([^@\s]+)$/.exec(head ?? '');
  if (!at) throw new InputError(`--candidates: cannot read "${text}"; expected model@hardware[:tp=N][:weights=fp8][:engine=vllm][:kv=fp8][:FLAG=VALUE]`);
  const overrides: Record<string, unknown> = {};
  let tp: number | undefined;
  for (const o of opts) {
    const m = /^([a-z-]+)=(.+)$/.exec(o);
    const name = m ? (KEY_ALIASES[m[1]!] ?? m[1]!) : undefined;
    const flag = CHOICE_FLAGS.find((f) => f.name === name);
    if (!m || !flag) throw new InputError(`--candidates: unknown option "${o}" in "${text}"; expected one of ${KEYS.join(', ')} as key=value`);
    const value = readFlagValue(flag, m[2]!);
    if (flag.name === 'tp' || flag.name === 'pp') {
      if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1))
        throw new InputError(`--candidates: ${flag.name} must be a whole number >= 1 in "${text}", found ${m[2]}`);
    }
    if (flag.name === 'tp' && typeof value === 'number') tp = value;
    else overrides[flag.name] = value;
  }
  try {
    choiceFromFlags(overrides);
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`--candidates: "${text}": ${e.message}`);
    throw e;
  }
  return { text, model: at[1]!, hardware: at[2]!, tp, overrides };
}

export function parseCandidates(spec: string | string[]): CandidateSpec[] {
  const list = commaList(spec);
  if (list.length === 0) throw new InputError('--candidates: name at least one model@hardware');
  return list.map(parseCandidate);
}

export interface Preparer {
  prepare(flags: DeploymentFlags, overrides?: ChoiceFlagValues): PreparedDeployment;
  readonly registry: { getHardware(id: string): Hardware };
}

export interface CompareRow extends PlanResult {
  readonly candidate: string;
  readonly best: readonly Criterion[];
}

export type Criterion = 'fewest GPUs' | 'lowest $/Mtok' | 'lowest TTFT p99' | 'lowest ITL p99';

/**
 * The cost ranking of the candidates that meet the SLO. A candidate without a price is never dropped from it
 * nor lets another win by default: it is listed apart (by GPUs), with the flag that would price it.
 */
export interface CostRanking {
  /** priced candidates, cheapest $/Mtok first */
  readonly priced: readonly { readonly candidate: string; readonly usdPerMillionOutputTokens: number; readonly usdPerHour: number }[];
  /** candidates without a price (no --price and no price in the hardware profile), fewest GPUs first */
  readonly unpriced: readonly { readonly candidate: string; readonly hardware: string; readonly gpus: number | undefined; readonly hint: string }[];
}

export interface CompareResult {
  readonly schemaVersion: 1;
  readonly targetRatePerS: number | undefined;
  readonly headroom: number;
  readonly slo: string;
  readonly rows: readonly CompareRow[];
  readonly skipped: readonly { readonly candidate: string; readonly reason: string }[];
  /** winners per criterion; 'lowest $/Mtok' is among priced candidates only (see costRanking.unpriced) */
  readonly best: Readonly<Partial<Record<Criterion, string>>>;
  readonly costRanking: CostRanking;
  readonly simulations: number;
}

/** What to pass to price a GPU that has no price in its profile. */
export function noPriceHint(hardwareId: string): string {
  return `no price — pass --price ${hardwareId}=USD_PER_GPU_HOUR`;
}

/** Rank the SLO-meeting candidates by cost; unpriced ones apart, never silently dropped. */
export function costRankingOf(ok: readonly CompareRow[], hasTarget: boolean): CostRanking {
  const priced: { candidate: string; usdPerMillionOutputTokens: number; usdPerHour: number }[] = [];
  const unpriced: { candidate: string; hardware: string; gpus: number | undefined; hint: string }[] = [];
  for (const r of ok) {
    const t = r.target;
    if (t?.usdPerMillionOutputTokens !== undefined && t.usdPerHour !== undefined && Number.isFinite(t.usdPerMillionOutputTokens))
      priced.push({ candidate: r.candidate, usdPerMillionOutputTokens: t.usdPerMillionOutputTokens, usdPerHour: t.usdPerHour });
    else if (!hasTarget || t?.usdPerGpuHour === undefined)
      unpriced.push({ candidate: r.candidate, hardware: r.deployment.hardware, gpus: t?.gpus, hint: noPriceHint(r.deployment.hardware) });
  }
  priced.sort((a, b) => a.usdPerMillionOutputTokens - b.usdPerMillionOutputTokens);
  unpriced.sort((a, b) => (a.gpus ?? Infinity) - (b.gpus ?? Infinity));
  return { priced, unpriced: hasTarget ? unpriced : [] };
}

export function compareCandidates(
  ctx: Preparer,
  base: DeploymentFlags,
  candidates: readonly CandidateSpec[],
  plan: Omit<PlanInput, 'deployment' | 'usdPerGpuHour'>,
  prices: { byHardware: Map<string, number>; all: number | undefined } = { byHardware: new Map(), all: undefined },
): CompareResult {
  const rows: CompareRow[] = [];
  const skipped: { candidate: string; reason: string }[] = [];
  for (const c of candidates) {
    const hw = ctx.registry.getHardware(c.hardware);
    const tps = c.tp !== undefined ? [c.tp] : candidateTps(hw);
    const fitting: { tp: number; prepared: PreparedDeployment; label: string }[] = [];
    for (const tp of tps) {
      const label = c.tp !== undefined ? c.text : `${c.text}:tp=${tp}`;
      try {
        fitting.push({ tp, label, prepared: ctx.prepare({ ...base, model: c.model, hardware: c.hardware }, { ...c.overrides, tp }) });
      } catch (e) {
        if (!(e instanceof InfeasibleError)) throw e;
        skipped.push({ candidate: label, reason: e.reasons.join('; ') });
      }
    }
    for (const f of fitting) {
      const price = prices.byHardware.get(hw.id) ?? prices.all;
      const r = planCapacity({ ...plan, deployment: f.prepared, ...(price !== undefined ? { usdPerGpuHour: price } : {}) });
      rows.push({ ...r, candidate: f.label, best: [] });
    }
  }
  const best: Partial<Record<Criterion, string>> = {};
  const ok = rows.filter((r) => r.feasible && r.target?.verified !== false);
  const pick = (crit: Criterion, f: (r: CompareRow) => number | undefined) => {
    let win: CompareRow | undefined;
    for (const r of ok) {
      const v = f(r);
      if (v === undefined || !Number.isFinite(v)) continue;
      const w = win ? f(win)! : Infinity;
      if (v < w - 1e-12) win = r;
    }
    if (win) {
      best[crit] = win.candidate;
      (win.best as Criterion[]).push(crit);
    }
  };
  const hasTarget = plan.targetRatePerS !== undefined;
  pick('fewest GPUs', (r) => (hasTarget ? r.target?.gpus : r.deployment.gpusPerReplica / r.capacity.perReplicaRatePerS));
  pick('lowest $/Mtok', (r) => r.target?.usdPerMillionOutputTokens);
  pick('lowest TTFT p99', (r) => (hasTarget ? r.target?.latency.ttftP99Ms : r.capacity.latencyAtCapacity?.ttftP99Ms));
  pick('lowest ITL p99', (r) => (hasTarget ? r.target?.latency.itlP99Ms : r.capacity.latencyAtCapacity?.itlP99Ms));
  return {
    schemaVersion: 1,
    targetRatePerS: plan.targetRatePerS,
    headroom: plan.headroom ?? 0.2,
    slo: rows[0]?.slo ?? '',
    rows,
    skipped,
    best,
    costRanking: costRankingOf(ok, hasTarget),
    simulations: rows.reduce((s, r) => s + r.simulations, 0),
  };
}
