/**
 * One sweep point → one result row. Runs on a piscina worker thread (default export) or inline.
 * Each thread keeps its own profile registry and prepared deployments.
 */
import type { PredictionUncertainty } from '../metrics/uncertainty.ts';
import type { PreparedDeployment } from '../cost/prepare.ts';
import type { DisaggregationConfig } from '../serving/disaggregation.ts';
import { InfeasibleError, ServesimError } from '../diagnostics/errors.ts';
import { DeploymentResolver } from './deployment-resolver.ts';
import { resolveWorkloads } from './workload-flags.ts';
import type { RouterName } from '../serving/router.ts';
import type { SchedulerPolicyName } from '../serving/policy.ts';
import { simulate } from '../simulate.ts';
import { formatSlo } from '../metrics/slo.ts';
import { pointDeploymentFlags, WORKLOAD_FIXED_KEYS, type FixedSettings, type SweepPoint } from './sweep-grid.ts';
import type { WorkloadFlagValues } from './workload-flag-schema.ts';
import type { SweepRow } from './sweep-row.ts';
import { msFromS } from '../units.ts';

export type { SweepRow } from './sweep-row.ts';

export interface SweepTask {
  readonly point: SweepPoint;
  readonly points: number;
  readonly fixed: FixedSettings;
  readonly profileDirs: readonly string[];
}

const contexts = new Map<string, DeploymentResolver>();
const prepared = new Map<string, PreparedDeployment | Error>();

/** 6 significant digits: rows are compared byte for byte, and nobody needs more */
const r6 = (x: number): number | null => (Number.isFinite(x) ? Number(x.toPrecision(6)) : null);

/** The point's workload flags, unchecked: resolveWorkloads parses them (grid strings become numbers there). */
export function workloadFlags(fixed: FixedSettings, point: SweepPoint): WorkloadFlagValues {
  const f: Record<string, unknown> = {};
  for (const k of WORKLOAD_FIXED_KEYS) if (fixed[k] !== undefined) f[k] = fixed[k];
  f['profile'] ??= 'poisson';
  f['rate'] = [point.rate];
  f['seed'] = point.seed;
  return f;
}

/** The point's deployment flags (planning/sweep-grid.ts builds them from the grid's schema-derived keys). */
export const deploymentFlags = pointDeploymentFlags;

/** The point's prepared deployment (or why it cannot be), cached per thread by profile folders and flags. */
function resolverFor(task: SweepTask): DeploymentResolver {
  const dirsKey = JSON.stringify(task.profileDirs);
  let ctx = contexts.get(dirsKey);
  if (!ctx) contexts.set(dirsKey, (ctx = new DeploymentResolver([...task.profileDirs])));
  return ctx;
}

function preparedFor(task: SweepTask): PreparedDeployment | Error {
  const dirsKey = JSON.stringify(task.profileDirs);
  const ctx = resolverFor(task);
  const dflags = deploymentFlags(task.fixed, task.point);
  const dkey = JSON.stringify([dirsKey, dflags]);
  let dep = prepared.get(dkey);
  if (!dep) {
    try {
      dep = ctx.prepare(dflags);
    } catch (e) {
      if (!(e instanceof InfeasibleError)) throw e;
      dep = e;
    }
    prepared.set(dkey, dep);
  }
  return dep;
}

/** A P/D point's decode pool: the point's deployment with the grid's decode-* settings in their place. */
function disaggregationOf(task: SweepTask, decodeReplicas: number): DisaggregationConfig {
  const f = task.fixed;
  const flags = deploymentFlags(f, task.point);
  const overrides: Record<string, unknown> = {};
  if (f['decode-tp'] !== undefined) overrides['tp'] = f['decode-tp'];
  else if (f['decode-hardware'] !== undefined && f['decode-hardware'] !== flags.hardware) overrides['tp'] = undefined;
  if (f['decode-ep'] !== undefined) overrides['ep'] = f['decode-ep'];
  if (f['decode-attention-dp'] !== undefined) overrides['attention-dp'] = f['decode-attention-dp'];
  const hardware = f['decode-hardware'] !== undefined ? String(f['decode-hardware']) : flags.hardware;
  const decode = resolverFor(task).prepare({ ...flags, hardware }, overrides);
  return { decode, decodeReplicas, ...(f['pd-same-node'] !== undefined ? { sameNode: f['pd-same-node'] === true || f['pd-same-node'] === 'true' } : {}) };
}

export function runPoint(task: SweepTask): SweepRow {
  const { point, fixed } = task;
  const dep = preparedFor(task);
  const wl = resolveWorkloads(workloadFlags(fixed, point));
  const workload = wl.runs[0]!;
  const label = typeof fixed['workload'] === 'string' ? `preset ${fixed['workload']}` : wl.lengthsLabel;
  const maxRequests = workload.maxRequests ?? 1000;
  const base = {
    index: point.index,
    key: point.key,
    points: task.points,
    model: point.model,
    hardware: point.hardware,
    tp: point.tp ?? null,
    weights: point.weights ?? null,
    kvCache: point.kvCache ?? null,
    engine: point.engine ?? null,
    replicas: point.replicas ?? 1,
    decodeReplicas: point.decodeReplicas ?? null,
    rate: point.rate,
    seed: point.seed,
    workload: label,
    slo: formatSlo(wl.slo),
    maxRequests,
  };
  const empty = {
    gpus: null, throughputReqPerS: null, outputTokPerS: null, ttftP50Ms: null, ttftP99Ms: null, itlP50Ms: null, itlP99Ms: null, tpotP50Ms: null, tpotP99Ms: null,
    e2eP50Ms: null, e2eP99Ms: null, sloMet: null, sloAttainment: null, goodputPerS: null, saturation: null, preemptions: null,
    ttftP99Band80LowMs: null, ttftP99Band80HighMs: null, tpotP99Band80LowMs: null, tpotP99Band80HighMs: null, e2eP99Band80LowMs: null, e2eP99Band80HighMs: null,
    sloProbability: null,
  };
  if (dep instanceof Error) return { ...base, status: 'infeasible', reason: (dep as ServesimError).message.replace(/\s*\n\s*-?\s*/g, '; '), ...empty };
  let res;
  try {
    res = simulate({
      deployment: dep,
      workload,
      seed: point.seed,
      slo: wl.slo,
      ...(point.replicas !== undefined ? { replicas: point.replicas } : {}),
      ...(point.decodeReplicas !== undefined ? { disaggregation: disaggregationOf(task, point.decodeReplicas) } : {}),
      ...(fixed['router'] !== undefined ? { router: fixed['router'] as RouterName } : {}),
      ...(fixed['policy'] !== undefined ? { policy: fixed['policy'] as SchedulerPolicyName } : {}),
    });
  } catch (e) {
    // a point where nothing can be served (every request rejected) is an infeasible row, not a failed sweep
    if (!(e instanceof InfeasibleError)) throw e;
    return { ...base, status: 'infeasible', reason: e.message.replace(/\s*\n\s*-?\s*/g, '; '), ...empty };
  }
  const L = res.latencyS;
  return {
    ...base,
    tp: res.deployment.tp,
    weights: res.deployment.weights,
    kvCache: res.deployment.kvCache,
    engine: res.deployment.engine,
    status: 'ok',
    reason: '',
    gpus: res.deployment.gpus,
    throughputReqPerS: r6(res.throughput.requestsPerS),
    outputTokPerS: r6(res.throughput.outputTokensPerS),
    ttftP50Ms: r6(msFromS(L.ttft.median)),
    ttftP99Ms: r6(msFromS(L.ttft.p99)),
    itlP50Ms: r6(msFromS(L.itl.median)),
    itlP99Ms: r6(msFromS(L.itl.p99)),
    tpotP50Ms: r6(msFromS(L.tpot.median)),
    tpotP99Ms: r6(msFromS(L.tpot.p99)),
    e2eP50Ms: r6(msFromS(L.e2e.median)),
    e2eP99Ms: r6(msFromS(L.e2e.p99)),
    sloMet: res.slo ? res.slo.met : null,
    sloAttainment: res.slo ? r6(res.slo.attainment) : null,
    goodputPerS: res.slo ? r6(res.slo.goodputPerS) : null,
    saturation: res.saturation.verdict,
    preemptions: res.engine.preemptions,
    ...bandColumns(res.uncertainty),
  };
}

/** the p99 bands and the SLO probability of a run, in sweep-row units */
function bandColumns(u: PredictionUncertainty) {
  const b = u.band80 ?? {};
  const end = (x: readonly [number, number] | undefined, i: 0 | 1) => (x ? r6(msFromS(x[i])) : null);
  return {
    ttftP99Band80LowMs: end(b.ttftP99S, 0),
    ttftP99Band80HighMs: end(b.ttftP99S, 1),
    tpotP99Band80LowMs: end(b.tpotP99S, 0),
    tpotP99Band80HighMs: end(b.tpotP99S, 1),
    e2eP99Band80LowMs: end(b.e2eP99S, 0),
    e2eP99Band80HighMs: end(b.e2eP99S, 1),
    sloProbability: u.probabilityMeetsSlo !== undefined ? r6(u.probabilityMeetsSlo) : null,
  };
}

/** Worker entry: user errors cross the thread boundary as data (classes do not survive structured clone). */
export default function (task: SweepTask): SweepRow | { readonly error: string; readonly input: boolean } {
  try {
    return runPoint(task);
  } catch (e) {
    if (e instanceof ServesimError) return { error: e.message, input: e.exitCode === 2 };
    throw e;
  }
}
