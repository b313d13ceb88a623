/**
 * `recommend` as a library function: the request in typed form (the flags' vocabulary), validated and
 * turned into the search's options. The CLI command parses flags, calls this and formats the result.
 */
import type { DeploymentFlags } from '../../schema/deployment-flags.ts';
import { InputError } from '../../diagnostics/errors.ts';
import { formatSlo } from '../../metrics/slo.ts';
import type { SearchOptions } from '../capacity.ts';
import { commaList } from '../comma-list.ts';
import { planInputOf, pricesOf, resolverOf, type PlanWorkload, type ProfileSource } from '../library.ts';
import { resolveShard, type Shard } from '../shard.ts';
import { parseRateCurve, peakOf, type RateCurve } from './cost.ts';
import { CRITERIA, type Criterion, type RecommendResult } from './result.ts';
import { recommendSearch } from './search.ts';
import type { SpaceSpec } from './space.ts';
import type { EvalSettings } from './types.ts';

/** The request: the space's axes (SpaceSpec, here with string forms for models and GPUs), the workload and what to rank. */
export interface RecommendRequest extends PlanWorkload, ProfileSource, Omit<SpaceSpec, 'models' | 'hardware'> {
  /** one model or several: 'llama-3.1-70b' or 'llama-3.1-8b,llama-3.1-70b' */
  readonly models: string | readonly string[];
  /** GPUs to consider (default: every hardware profile, or those in `available`) */
  readonly hardware?: string | readonly string[] | undefined;
  /** inventory: 'h100-sxm=16,a100-sxm-80gb=32' or a map; only these GPUs, at most this many of each */
  readonly available?: string | readonly string[] | ReadonlyMap<string, number> | undefined;
  /** request rates over a day in equal slices (or a file of them): sized for the peak, costed over the day */
  readonly rateCurve?: string | readonly number[] | undefined;
  /** what ranks the front and the top-k (default cost) */
  readonly criterion?: Criterion | undefined;
  /** how many to list in `top` (default 5) */
  readonly top?: number | undefined;
  /** relative error allowed to screening's cost estimate before a candidate is left unverified (default 0.3; latency: LATENCY_ERROR) */
  readonly screenMargin?: number | undefined;
  /** the cheap screening search (default SCREEN_SEARCH) */
  readonly screenSearch?: SearchOptions | undefined;
  /** settings every candidate shares (gpu-memory-utilization, block-size, calibration …), flag vocabulary */
  readonly base?: Partial<DeploymentFlags> | undefined;
  readonly workers?: number | undefined;
  readonly shard?: string | Shard | undefined;
  readonly shards?: number | undefined;
  readonly out?: string | undefined;
  readonly resume?: boolean | undefined;
  readonly force?: boolean | undefined;
  /** for messages and the result: what the workload is */
  readonly workloadLabel?: string | undefined;
  readonly onProgress?: ((stage: 'screening' | 'verification', done: number, total: number) => void) | undefined;
}

/**
 * One seed, a few hundred requests, a 10% bracket: a fraction of a verified search's simulated work. The
 * ceiling run is plan's own (evaluate.ts screenSearchOf), so the ceiling screening finds bounds plan's capacity;
 * the minimal-load run is short, as lone decode steps are most of its cost and the batch-1 floors already
 * pruned what fails at minimal load by far. When minimal load is within a fifth of every limit the near-ceiling
 * rate is checked first (capacity.ts nearCeilingFirstBelow: the same estimate, a check fewer when the SLO holds
 * up to the ceiling): on the 70B benchmark's --quick space all 56 candidates that clear this held the SLO at
 * 0.95 × the ceiling, and 0.21 or more split both ways.
 */
export const SCREEN_SEARCH: SearchOptions = { seeds: 1, minRequests: 300, maxRequests: 600, spanS: 30, tolerance: 0.1, maxIterations: 7, syncRequests: 16, nearCeilingFirstBelow: 0.2 };

/** 'h100-sxm=16,a100-sxm-80gb=32' → map (GPU ids checked by the caller against the registry). */
export function parseAvailable(spec: RecommendRequest['available']): Map<string, number> | undefined {
  if (spec === undefined) return undefined;
  if (spec instanceof Map) return new Map(spec);
  const items = commaList(typeof spec === "string" ? spec : [...spec]);
  if (items.length === 0) return undefined;
  const out = new Map<string, number>();
  for (const item of items) {
    const m = /^([\w.-]+)=(\d+)$/.exec(item);
    if (!m || Number(m[2]) < 1) throw new InputError(`--available: cannot read "${item}"; expected GPU=COUNT with a whole count >= 1, e.g. h100-sxm=16`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

function curveOf(r: RecommendRequest): RateCurve | undefined {
  if (r.rateCurve === undefined) return undefined;
  return typeof r.rateCurve === 'string' ? parseRateCurve(r.rateCurve) : parseRateCurve(r.rateCurve.join(','));
}

function checkNumbers(r: RecommendRequest): { top: number; margin: number; workers: number; criterion: Criterion } {
  const top = r.top ?? 5;
  if (!(Number.isInteger(top) && top >= 1)) throw new InputError(`--top must be a whole number >= 1, found ${top}`);
  const margin = r.screenMargin ?? 0.3;
  if (!(margin >= 0 && margin < 1)) throw new InputError(`--screen-margin must be in [0, 1), found ${margin}`);
  const workers = r.workers ?? 1;
  if (!(Number.isInteger(workers) && workers >= 1)) throw new InputError(`--workers must be a whole number >= 1, found ${workers}`);
  const criterion = r.criterion ?? 'cost';
  if (!CRITERIA.includes(criterion)) throw new InputError(`--criterion: unknown "${String(criterion)}"; expected one of ${CRITERIA.join(', ')}`);
  if (r.resume && !r.out) throw new InputError('--resume needs --out FILE (the checkpoint to continue)');
  return { top, margin, workers, criterion };
}

/**
 * Search the deployment space for the cheapest ways to serve a workload at a target rate under its SLO,
 * and what lower latency costs: the Pareto front over ($/hour, TTFT p99, ITL p99, tokens/s per user),
 * every figure verified by plan's simulation search.
 *
 * @example
 * const r = await recommend({ models: 'llama-3.1-70b', hardware: 'h100-sxm,h200-sxm', workload: 'chat', targetRatePerS: 50 });
 * for (const c of r.front) console.log(c.candidate, c.verified?.usdPerHour, c.verified?.ttftP99Ms);
 */
export async function recommend(r: RecommendRequest): Promise<RecommendResult> {
  const { top, margin, workers, criterion } = checkNumbers(r);
  const resolver = resolverOf(r);
  const curve = curveOf(r);
  if (curve && r.targetRatePerS !== undefined) throw new InputError('give --target-rate or --rate-curve, not both (a curve is sized for its peak)');
  const target = curve ? peakOf(curve) : r.targetRatePerS;
  if (target === undefined) throw new InputError('recommend needs --target-rate R (requests/s at peak) or --rate-curve');
  const plan = planInputOf({ ...r, targetRatePerS: target });
  const available = parseAvailable(r.available);
  for (const id of available?.keys() ?? []) resolver.registry.getHardware(id); // a typo gets a did-you-mean
  const prices = pricesOf(r.price);
  for (const id of prices.byHardware.keys()) resolver.registry.getHardware(id);
  const list = (v: string | readonly string[] | undefined) => (v === undefined ? undefined : commaList(typeof v === 'string' ? v : [...v]));
  const space: SpaceSpec = {
    models: list(r.models) ?? [],
    hardware: list(r.hardware) ?? (available ? [...available.keys()] : undefined),
    tp: r.tp,
    pp: r.pp,
    weights: r.weights,
    kvCache: r.kvCache,
    engines: r.engines,
    maxNumSeqs: r.maxNumSeqs,
    maxNumBatchedTokens: r.maxNumBatchedTokens,
    chunkedPrefill: r.chunkedPrefill,
  };
  const settings: EvalSettings = {
    shape: plan.shape,
    slo: plan.slo,
    seed: String(plan.seed ?? 42),
    targetRatePerS: target,
    headroom: plan.headroom ?? 0.2,
    ...(plan.router ? { router: plan.router } : {}),
    search: plan.search ?? {},
    screenSearch: r.screenSearch ?? SCREEN_SEARCH,
    base: r.base ?? {},
    profileDirs: [...(r.profileDirs ?? [])],
  };
  return recommendSearch({
    resolver,
    space,
    settings,
    workloadLabel: r.workloadLabel ?? r.workload ?? 'chat',
    sloText: formatSlo(plan.slo),
    market: {
      usdPerGpuHour: (hw) => prices.byHardware.get(hw) ?? prices.all ?? resolver.registry.getHardware(hw).price?.usdPerGpuHour,
      available,
    },
    rateCurve: curve,
    criterion,
    top,
    screenMargin: margin,
    workers,
    shard: typeof r.shard === 'object' ? r.shard : resolveShard(r.shard, r.shards),
    out: r.out,
    resume: r.resume ?? false,
    force: r.force ?? false,
    onProgress: r.onProgress,
  });
}
