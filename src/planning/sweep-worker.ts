/**
 * One sweep point → one result row. Runs on a piscina worker thread (default export) or inline.
 * Each thread keeps its own profile registry and prepared deployments.
 */
import type { PreparedDeployment } from '../cost/prepare.ts';
import { InfeasibleError, ServesimError } from '../diagnostics/errors.ts';
import { DeploymentResolver } from './deployment-resolver.ts';
import { resolveWorkloads, type WorkloadFlags } from './workload-flags.ts';
import type { RouterName } from '../serving/router.ts';
import type { SchedulerPolicyName } from '../serving/policy.ts';
import { simulate } from '../simulate.ts';
import { formatSlo } from '../metrics/slo.ts';
import { pointDeploymentFlags, type FixedSettings, type SweepPoint } from './sweep-grid.ts';
import type { SweepRow } from './sweep-row.ts';

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

export function workloadFlags(fixed: FixedSettings, point: SweepPoint): WorkloadFlags {
  const f: Record<string, unknown> = {};
  for (const k of ['workload', 'data', 'lengths-file', 'dataset', 'slo', 'max-requests', 'profile', 'burstiness', 'warmup', 'cooldown'] as const)
    if (fixed[k] !== undefined) f[k] = fixed[k];
  f['profile'] ??= 'poisson';
  f['rate'] = [point.rate];
  f['seed'] = point.seed;
  if (typeof f['max-requests'] === 'string') f['max-requests'] = Number(f['max-requests']);
  for (const k of ['burstiness', 'warmup', 'cooldown'] as const) if (typeof f[k] === 'string') f[k] = Number(f[k]);
  return f as WorkloadFlags;
}

/** The point's deployment flags (planning/sweep-grid.ts builds them from the grid's schema-derived keys). */
export const deploymentFlags = pointDeploymentFlags;

/** The point's prepared deployment (or why it cannot be), cached per thread by profile folders and flags. */
function preparedFor(task: SweepTask): PreparedDeployment | Error {
  const dirsKey = JSON.stringify(task.profileDirs);
  let ctx = contexts.get(dirsKey);
  if (!ctx) contexts.set(dirsKey, (ctx = new DeploymentResolver([...task.profileDirs])));
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
    rate: point.rate,
    seed: point.seed,
    workload: label,
    slo: formatSlo(wl.slo),
    maxRequests,
  };
  const empty = {
    gpus: null, throughputReqPerS: null, outputTokPerS: null, ttftP50Ms: null, ttftP99Ms: null, itlP50Ms: null, itlP99Ms: null, tpotP50Ms: null, tpotP99Ms: null,
    e2eP50Ms: null, e2eP99Ms: null, sloMet: null, sloAttainment: null, goodputPerS: null, saturation: null, preemptions: null,
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
      ...(fixed['router'] !== undefined ? { router: fixed['router'] as RouterName } : {}),
      ...(fixed['policy'] !== undefined ? { policy: fixed['policy'] as SchedulerPolicyName } : {}),
    });
  } catch (e) {
    // a point where nothing can be served (every request rejected) is an infeasible row, not a failed sweep
    if (!(e instanceof InfeasibleError)) throw e;
    return { ...base, status: 'infeasible', reason: e.message.replace(/\s*\n\s*-?\s*/g, '; '), ...empty };
  }
  const L = res.latency;
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
    ttftP50Ms: r6(L.ttft.median * 1e3),
    ttftP99Ms: r6(L.ttft.p99 * 1e3),
    itlP50Ms: r6(L.itl.median * 1e3),
    itlP99Ms: r6(L.itl.p99 * 1e3),
    tpotP50Ms: r6(L.tpot.median * 1e3),
    tpotP99Ms: r6(L.tpot.p99 * 1e3),
    e2eP50Ms: r6(L.e2e.median * 1e3),
    e2eP99Ms: r6(L.e2e.p99 * 1e3),
    sloMet: res.slo ? res.slo.met : null,
    sloAttainment: res.slo ? r6(res.slo.attainment) : null,
    goodputPerS: res.slo ? r6(res.slo.goodputPerS) : null,
    saturation: res.saturation.verdict,
    preemptions: res.engine.preemptions,
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
