/**
 * The planning commands as library functions: `plan`, `compare` and `sweep` take what the CLI flags say, in
 * typed form, and return the documents `--json` prints. The CLI commands (src/cli/commands/) only parse
 * flags, call these and format the results.
 */
import { parseConfidence } from './slo-probability.ts';
import type { DeploymentFlags } from '../schema/deployment-flags.ts';
import type { PreparedDeployment } from '../cost/prepare.ts';
import { InputError } from '../diagnostics/errors.ts';
import { parseSlo, type SloObjective } from '../metrics/slo.ts';
import type { RouterName } from '../serving/router.ts';
import type { LengthDistribution } from '../workload/lengths.ts';
import type { SessionSpec } from '../workload/sessions.ts';
import { WORKLOAD_PRESETS } from '../workload/presets.ts';
import type { SearchOptions } from './capacity.ts';
import { compareCandidates, parseCandidates, type CandidateSpec, type CompareResult } from './compare.ts';
import { DeploymentResolver } from './deployment-resolver.ts';
import { parseHeadroom, parsePrices, planCapacity, type PlanInput, type PlanResult } from './plan.ts';
import { resolveShard, type Shard } from './shard.ts';
import { buildGrid, type Axis, type FixedSettings, type SweepGrid } from './sweep-grid.ts';
import { runSweep, type SweepRunResult } from './sweep-runner.ts';
import { validateGrid } from './sweep-validate.ts';

/** The workload a plan or comparison is sized for: a preset's lengths and SLO, either overridable. */
export interface PlanWorkload {
  /** a workload preset (servesim presets): its lengths and SLO; default 'chat' */
  readonly workload?: string | undefined;
  /** request lengths; default: the preset's */
  readonly lengths?: LengthDistribution | undefined;
  /** multi-turn sessions (rates are then sessions per second); default: the preset's when lengths are too */
  readonly sessions?: SessionSpec | undefined;
  /** the SLO, as text ('ttft:p99<=200ms,itl:p99<=50ms') or objectives; default: the preset's */
  readonly slo?: string | readonly SloObjective[] | undefined;
  /** share of requests excluded from metrics at the start of each run (default 0.1) */
  readonly warmupFraction?: number | undefined;
  /** base random seed (default 42) */
  readonly seed?: string | number | undefined;
  /** requests per second the fleet must carry (sizes replicas, GPUs, cost) */
  readonly targetRatePerS?: number | undefined;
  /** spare capacity over the target: a fraction (0.2) or a percentage ("20%"); default 20% */
  readonly headroom?: number | string | undefined;
  /** routing in the verification run (default least-outstanding) */
  readonly router?: RouterName | undefined;
  /** $/GPU-hour: one number for every GPU, or the --price syntax "h200-sxm=3.5,b200=6"; default: the profiles' */
  readonly price?: number | string | readonly string[] | undefined;
  /** capacity-search effort (seeds per check, requests per run, bracket tolerance) */
  readonly search?: SearchOptions | undefined;
  /**
   * probability of meeting the SLO the answer must reach, from the calibration's 80% bands: 0.9 or "90%";
   * default: none, the fewest replicas meeting the SLO on the point prediction (docs/planning.md)
   */
  readonly confidence?: number | string | undefined;
}

/** Where deployments come from: extra profile folders, or a resolver already loaded (the CLI shares one). */
export interface ProfileSource {
  /** extra folders of hardware/model profiles (like --profiles) */
  readonly profileDirs?: readonly string[] | undefined;
  /** a resolver to reuse; overrides profileDirs */
  readonly resolver?: DeploymentResolver | undefined;
}

export interface PlanRequest extends PlanWorkload, ProfileSource {
  /** the deployment in flag vocabulary ({ model: 'llama-3.1-8b', hardware: 'h200-sxm', tp: 2 }) or prepared */
  readonly deployment: DeploymentFlags | PreparedDeployment;
}

export interface CompareRequest extends PlanWorkload, ProfileSource {
  /** candidates: 'model@hardware[:tp=N][:weights=fp8][:engine=vllm][:kv=fp8]', comma-separated, or parsed */
  readonly candidates: string | readonly string[] | readonly CandidateSpec[];
  /** settings every candidate shares (engine settings, calibration file), in flag vocabulary */
  readonly base?: Partial<DeploymentFlags> | undefined;
}

export function resolverOf(s: ProfileSource): DeploymentResolver {
  return s.resolver ?? new DeploymentResolver([...(s.profileDirs ?? [])]);
}

export function sloOf(w: PlanWorkload): SloObjective[] {
  if (typeof w.slo === 'string') return parseSlo(w.slo);
  if (w.slo !== undefined) return [...w.slo];
  return [...presetOf(w).slo];
}

function presetOf(w: PlanWorkload) {
  const name = w.workload ?? 'chat';
  const preset = WORKLOAD_PRESETS[name];
  if (!preset) throw new InputError(`unknown workload preset "${name}"; expected one of ${Object.keys(WORKLOAD_PRESETS).join(', ')}`);
  return preset;
}

function shapeOf(w: PlanWorkload): { lengths: LengthDistribution; warmupFraction?: number; sessions?: SessionSpec } {
  const lengths = w.lengths ?? presetOf(w).lengths;
  const sessions = w.sessions ?? (w.lengths === undefined ? presetOf(w).sessions : undefined);
  const withSessions = sessions === undefined ? { lengths } : { lengths, sessions };
  if (w.warmupFraction === undefined) return withSessions;
  if (!(w.warmupFraction >= 0 && w.warmupFraction < 1)) throw new InputError(`--warmup must be in [0, 1), found ${w.warmupFraction}`);
  return { ...withSessions, warmupFraction: w.warmupFraction };
}

export function pricesOf(price: PlanWorkload['price']): { byHardware: Map<string, number>; all: number | undefined } {
  if (typeof price === 'number') {
    if (!(price > 0 && Number.isFinite(price))) throw new InputError(`price must be a positive number of $/GPU-hour, found ${price}`);
    return { byHardware: new Map(), all: price };
  }
  return parsePrices(price === undefined ? undefined : typeof price === 'string' ? price : [...price]);
}

export function specsOf(candidates: CompareRequest['candidates']): CandidateSpec[] {
  if (typeof candidates === 'string') return parseCandidates(candidates);
  const items: readonly (string | CandidateSpec)[] = candidates;
  const texts = items.filter((c): c is string => typeof c === 'string');
  return texts.length === items.length ? parseCandidates(texts) : items.filter((c): c is CandidateSpec => typeof c !== 'string');
}

function isPrepared(d: DeploymentFlags | PreparedDeployment): d is PreparedDeployment {
  return 'deployment' in d && typeof d.deployment === 'object';
}

/**
 * Capacity plan of one deployment: the highest request rate one replica sustains under the SLO (a
 * bisection over simulated rates), and — with `targetRatePerS` — the replicas, GPUs, nodes and cost to
 * carry that rate with headroom, verified by simulating the whole fleet behind its router.
 *
 * @example
 * const p = plan({ deployment: { model: 'llama-3.1-8b', hardware: 'h200-sxm' }, workload: 'chat', targetRatePerS: 40 });
 * if (p.feasible) console.log(p.capacity.perReplicaRatePerS, p.target?.replicas, p.target?.usdPerHour);
 *
 * @throws InputError for an unknown model, GPU or preset, or an unreadable SLO; InfeasibleError when the
 *   deployment does not fit. A deployment that fits but cannot meet the SLO is a result (`feasible: false`).
 */
export function plan(request: PlanRequest): PlanResult {
  if (typeof request.deployment !== 'object' || request.deployment === null)
    throw new InputError("plan: give a deployment, e.g. { deployment: { model: 'llama-3.1-8b', hardware: 'h200-sxm' } }");
  const prepared = isPrepared(request.deployment) ? request.deployment : resolverOf(request).prepare(request.deployment);
  const prices = pricesOf(request.price);
  const price = prices.byHardware.get(prepared.deployment.hardware.id) ?? prices.all;
  return planCapacity({ deployment: prepared, ...planInputOf(request), ...(price !== undefined ? { usdPerGpuHour: price } : {}) });
}

/** What plan and compare take from the workload: lengths, SLO, seed, headroom, search effort, target, router. */
export function planInputOf(w: PlanWorkload): Omit<PlanInput, 'deployment' | 'usdPerGpuHour'> {
  return {
    shape: shapeOf(w),
    slo: sloOf(w),
    seed: w.seed ?? 42,
    headroom: parseHeadroom(w.headroom),
    ...(w.search ? { search: w.search } : {}),
    ...(w.targetRatePerS !== undefined ? { targetRatePerS: w.targetRatePerS } : {}),
    ...(w.router ? { router: w.router } : {}),
    ...(w.confidence !== undefined ? { confidence: parseConfidence(w.confidence)! } : {}),
  };
}

/**
 * Plan several candidate deployments for one workload and target, and mark the best per criterion (fewest
 * GPUs, lowest $ per million output tokens, lowest TTFT p99, lowest ITL p99). A candidate without a TP
 * tries every power-of-two TP that fits; a candidate without a price is ranked apart (`costRanking`).
 *
 * @example
 * const c = compare({ candidates: 'llama-3.1-8b@h200-sxm,llama-3.1-70b@h200-sxm:tp=4', workload: 'chat', targetRatePerS: 50 });
 * console.log(c.best['lowest $/Mtok'], c.costRanking.unpriced);
 */
export function compare(request: CompareRequest): CompareResult {
  return compareCandidates(resolverOf(request), { ...request.base, model: '', hardware: '' }, specsOf(request.candidates), planInputOf(request), pricesOf(request.price));
}

export interface SweepRequest extends ProfileSource {
  /** grid axes, as lists or flag strings: { model: ['llama-3.1-8b'], hardware: 'h100-sxm,h200-sxm', rate: '5:50:5' } */
  readonly axes?: Partial<Record<Axis, unknown>> | undefined;
  /** settings every point shares (workload, SLO, engine settings), in flag vocabulary */
  readonly fixed?: FixedSettings | undefined;
  /** a YAML grid file; `axes` and `fixed` override it */
  readonly gridFile?: string | undefined;
  /** worker threads (default 1: inline, no threads) */
  readonly workers?: number | undefined;
  /** run one slice: "i/N" or a Shard; default from JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID when `shards` is set */
  readonly shard?: string | Shard | undefined;
  readonly shards?: number | undefined;
  /** stream rows to this file (JSONL, or CSV for *.csv) */
  readonly out?: string | undefined;
  /** keep the rows already in `out` and run only the missing points */
  readonly resume?: boolean | undefined;
  /** replace an existing `out` file instead of refusing (without `resume`) */
  readonly force?: boolean | undefined;
  readonly onStart?: ((total: number, skipped: number) => void) | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface SweepResult extends SweepRunResult {
  readonly grid: SweepGrid;
  readonly shard: Shard | undefined;
}

/**
 * Simulate the cartesian product of the axes (models × GPUs × TP × weights × KV × engines × rates × seeds),
 * one row per point, in point order whatever the worker count. Unknown names and bad settings fail before
 * anything runs.
 *
 * @example
 * const s = await sweep({ axes: { model: 'llama-3.1-8b', hardware: 'h100-sxm,h200-sxm', rate: '5:20:5' }, fixed: { workload: 'chat' } });
 * for (const row of s.rows) if (row.status === 'ok') console.log(row.hardware, row.rate, row.ttftP99Ms);
 */
export async function sweep(request: SweepRequest): Promise<SweepResult> {
  const grid = buildGrid(request.axes ?? {}, request.fixed ?? {}, request.gridFile);
  const profileDirs = [...(request.profileDirs ?? [])];
  validateGrid(request.resolver ?? new DeploymentResolver(profileDirs), grid);
  const shard = typeof request.shard === 'object' ? request.shard : resolveShard(request.shard, request.shards);
  const workers = request.workers ?? 1;
  if (!(Number.isInteger(workers) && workers >= 1)) throw new InputError(`--workers must be a whole number >= 1, found ${workers}`);
  if (request.resume && !request.out) throw new InputError('--resume needs --out FILE (the file to continue)');
  const res = await runSweep({
    grid,
    profileDirs,
    workers,
    shard,
    out: request.out,
    force: request.force ?? false,
    resume: request.resume ?? false,
    ...(request.onStart ? { onStart: request.onStart } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  return { ...res, grid, shard };
}
