/**
 * The two building blocks of P/D sizing (disaggregated-plan.ts): refusing setups that cannot work before any
 * simulation, and the SLO check of an xPyD fleet at a rate — the same check plan runs (checkRate: every
 * seed, Poisson arrivals, the saturation verdict, the SLO objectives), with the fleet's decode pool attached.
 */
import type { PreparedDeployment } from '../cost/prepare.ts';
import { InputError } from '../diagnostics/errors.ts';
import type { SloObjective } from '../metrics/slo.ts';
import type { RouterName } from '../serving/router.ts';
import type { Workload } from '../simulate.ts';
import type { LengthDistribution } from '../workload/lengths.ts';
import { checkRate, type RateCheck, type SearchOptions } from './capacity.ts';

/** x prefill instances, y decode instances */
export interface PoolSizes {
  readonly prefill: number;
  readonly decode: number;
}

export const poolsLabel = (s: PoolSizes): string => `${s.prefill}P${s.decode}D`;

/** What every check of one search shares. */
export interface PdContext {
  readonly prefill: PreparedDeployment;
  readonly decode: PreparedDeployment;
  readonly sameNode: boolean;
  readonly shape: Omit<Workload, 'arrival' | 'maxRequests' | 'maxSeconds'>;
  readonly slo: readonly SloObjective[];
  readonly seed: string;
  readonly router: RouterName | undefined;
  readonly search: SearchOptions | undefined;
  /** instances simulated per check at most; a larger fleet is checked on a slice (sliceOf) */
  readonly sliceInstances: number;
}

export function gpusOf(ctx: Pick<PdContext, 'prefill' | 'decode'>, s: PoolSizes): number {
  return s.prefill * ctx.prefill.deployment.gpusPerReplica + s.decode * ctx.decode.deployment.gpusPerReplica;
}

/** The longest prompt and the longest prompt + answer the distribution can draw (its mean when unbounded). */
export function longestRequest(l: LengthDistribution): { promptTokens: number; totalTokens: number } {
  const rangeMax = (r: { mean: number; stdev?: number | undefined; max?: number | undefined }) => r.max ?? ((r.stdev ?? 0) > 0 ? r.mean + 5 * r.stdev! : r.mean);
  const listMax = (xs: readonly number[]) => xs.reduce((m, x) => Math.max(m, x), 0);
  switch (l.kind) {
    case 'fixed':
      return { promptTokens: l.inputTokens, totalTokens: l.inputTokens + l.outputTokens };
    case 'synthetic':
      return { promptTokens: Math.ceil(rangeMax(l.input)), totalTokens: Math.ceil(rangeMax(l.input) + rangeMax(l.output)) };
    case 'lognormal':
      return { promptTokens: Math.ceil(l.input.max ?? l.input.mean), totalTokens: Math.ceil((l.input.max ?? l.input.mean) + (l.output.max ?? l.output.mean)) };
    case 'empirical':
    case 'sequence':
      return { promptTokens: listMax(l.inputTokens), totalTokens: listMax(l.inputTokens) + listMax(l.outputTokens) };
  }
}

/**
 * Refuse what no pool sizes can fix: pools serving different models, a pool whose KV cache cannot hold one
 * request, one prefill + one decode instance over the GPU budget or (with same-node) over one node.
 */
export function checkPdSetup(ctx: Pick<PdContext, 'prefill' | 'decode' | 'sameNode' | 'shape'>, maxGpus: number | undefined): void {
  const p = ctx.prefill.deployment;
  const d = ctx.decode.deployment;
  if (p.model.id !== d.model.id) throw new InputError(`P/D: the prefill pool serves ${p.model.id} but the decode pool ${d.model.id}; both pools must serve the same model`);
  const longest = longestRequest(ctx.shape.lengths);
  const pool = (name: string, x: PreparedDeployment) => `the ${name} pool (${x.deployment.model.id} on ${x.deployment.gpusPerReplica}x ${x.deployment.hardware.id}, TP${x.deployment.tp})`;
  if (ctx.decode.memory.kvTokens < longest.totalTokens)
    throw new InputError(
      `P/D: ${pool('decode', ctx.decode)} holds ${ctx.decode.memory.kvTokens} KV tokens per instance, but the longest request needs ${longest.totalTokens} ` +
        `(prompt + answer): it could never be admitted. Use a larger --decode-tp, --kv-cache fp8 or shorter requests`,
    );
  if (ctx.prefill.memory.kvTokens < longest.promptTokens)
    throw new InputError(
      `P/D: ${pool('prefill', ctx.prefill)} holds ${ctx.prefill.memory.kvTokens} KV tokens per instance, but the longest prompt has ${longest.promptTokens}: ` +
        `it could never be prefilled. Use a larger --tp, --kv-cache fp8 or shorter prompts`,
    );
  const unit = p.gpusPerReplica + d.gpusPerReplica;
  const unitText = `one prefill instance (${p.gpusPerReplica} GPU${p.gpusPerReplica > 1 ? 's' : ''}) and one decode instance (${d.gpusPerReplica} GPU${d.gpusPerReplica > 1 ? 's' : ''})`;
  if (maxGpus !== undefined && unit > maxGpus)
    throw new InputError(`P/D needs at least ${unitText}: ${unit} GPUs, but --max-gpus is ${maxGpus}. Plan it colocated (without --disaggregate) or allow more GPUs`);
  if (ctx.sameNode && unit > p.hardware.gpusPerNode)
    throw new InputError(`--pd-same-node: ${unitText} need ${unit} GPUs, but a ${p.hardware.id} node has ${p.hardware.gpusPerNode}. Drop --pd-same-node or use smaller TPs`);
}

/**
 * The pools a check simulates: the whole fleet up to `sliceInstances` instances, else both pools scaled down
 * by the same factor (each at least 1). The slice carries the fleet's rate times the larger of the two
 * pools' slice shares, so neither pool of the slice has less load per instance than in the fleet: a slice
 * errs on the safe side, as plan's does.
 */
export function sliceOf(s: PoolSizes, ratePerS: number, maxInstances: number): { slice: PoolSizes; ratePerS: number } {
  const n = s.prefill + s.decode;
  if (n <= maxInstances) return { slice: s, ratePerS };
  const f = maxInstances / n;
  const slice = { prefill: Math.max(1, Math.round(s.prefill * f)), decode: Math.max(1, Math.round(s.decode * f)) };
  return { slice, ratePerS: ratePerS * Math.max(slice.prefill / s.prefill, slice.decode / s.decode) };
}

export interface PoolCheck {
  readonly sizes: PoolSizes;
  readonly slice: PoolSizes;
  readonly sliceRatePerS: number;
  readonly check: RateCheck;
  readonly simulations: number;
}

/** The SLO check of the fleet `s` carrying `ratePerS` (on a slice when large). */
export function checkPools(ctx: PdContext, s: PoolSizes, ratePerS: number): PoolCheck {
  const { slice, ratePerS: sliceRate } = sliceOf(s, ratePerS, ctx.sliceInstances);
  const input = {
    deployment: ctx.prefill,
    shape: ctx.shape,
    slo: ctx.slo,
    seed: ctx.seed,
    ...(ctx.search ? { search: ctx.search } : {}),
    disaggregation: { decode: ctx.decode, decodeReplicas: slice.decode, sameNode: ctx.sameNode },
  };
  const { check, runs } = checkRate(input, sliceRate, slice.prefill, ctx.router);
  return { sizes: s, slice, sliceRatePerS: sliceRate, check, simulations: runs.length };
}
