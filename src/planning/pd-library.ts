/**
 * `plan --disaggregate` as a library function: the prefill and decode pools in flag vocabulary or prepared,
 * the workload as plan takes it (library.ts), and the P/D sizing of disaggregated-plan.ts.
 */
import type { PreparedDeployment } from '../cost/prepare.ts';
import type { DeploymentFlags } from '../schema/deployment-flags.ts';
import { compareCandidates, type CompareResult } from './compare.ts';
import { planDisaggregated, type PdPlanResult } from './disaggregated-plan.ts';
import { planInputOf, pricesOf, resolverOf, specsOf, type CompareRequest, type PlanWorkload, type ProfileSource } from './library.ts';
import { compareDisaggregated, type DecodePoolSpec, type PdCompareRow } from './pd-compare.ts';

export interface PdPlanRequest extends PlanWorkload, ProfileSource {
  /** the prefill pool's deployment, e.g. { model: 'llama-3.1-70b', hardware: 'h100-sxm', tp: 4 }, or prepared */
  readonly prefill: DeploymentFlags | PreparedDeployment;
  /** the decode pool's deployment (default: the prefill pool's) */
  readonly decode?: DeploymentFlags | PreparedDeployment | undefined;
  /** both pools in one node: the KV moves over NVLink/xGMI, and the fleet is bounded by one node */
  readonly sameNode?: boolean | undefined;
  /** never size a fleet above this many GPUs */
  readonly maxGpus?: number | undefined;
}

function isPrepared(d: DeploymentFlags | PreparedDeployment): d is PreparedDeployment {
  return 'deployment' in d && typeof d.deployment === 'object';
}

/**
 * Size a prefill pool and a decode pool (xPyD) for a target rate, or — without one — find the xPyD unit that
 * carries the most SLO-meeting load per GPU.
 *
 * @example
 * const p = planPd({ prefill: { model: 'llama-3.1-70b', hardware: 'h100-sxm', tp: 4 }, workload: 'chat', targetRatePerS: 20 });
 * if (p.target) console.log(p.target.ratio, p.target.gpus, p.target.usdPerHour);
 *
 * @throws InputError for an unknown profile or a setup no pool sizes can fix (a decode instance that cannot
 *   hold one request's KV, one unit over --max-gpus or over one node with sameNode).
 */
export function planPd(request: PdPlanRequest): PdPlanResult {
  const resolver = resolverOf(request);
  const prepare = (d: DeploymentFlags | PreparedDeployment) => (isPrepared(d) ? d : resolver.prepare(d));
  const prefill = prepare(request.prefill);
  const decode = request.decode ? prepare(request.decode) : prefill;
  const prices = pricesOf(request.price);
  const priceOf = (p: PreparedDeployment) => prices.byHardware.get(p.deployment.hardware.id) ?? prices.all;
  const plan = planInputOf(request);
  return planDisaggregated({
    ...plan,
    prefill,
    decode,
    usdPerGpuHour: { prefill: priceOf(prefill), decode: priceOf(decode) },
    ...(request.sameNode !== undefined ? { sameNode: request.sameNode } : {}),
    ...(request.maxGpus !== undefined ? { maxGpus: request.maxGpus } : {}),
  });
}

export interface PdCompareRequest extends CompareRequest {
  /** how each candidate's decode pool differs from its prefill pool (default: not at all) */
  readonly decode?: DecodePoolSpec | undefined;
  readonly sameNode?: boolean | undefined;
  readonly maxGpus?: number | undefined;
}

export interface PdCompareResult extends CompareResult {
  /** each colocated row split into prefill and decode pools, sized at the same target and SLO */
  readonly disaggregated: readonly PdCompareRow[];
}

/**
 * compare, with every candidate also planned disaggregated (xPyD) side by side.
 *
 * @example
 * const c = comparePd({ candidates: 'llama-3.1-70b@h100-sxm:tp=4', data: ..., targetRatePerS: 4 });
 * for (const r of c.disaggregated) console.log(r.candidate, r.verdict);
 */
export function comparePd(request: PdCompareRequest): PdCompareResult {
  const resolver = resolverOf(request);
  const specs = specsOf(request.candidates);
  const prices = pricesOf(request.price);
  const base = { ...request.base, model: '', hardware: '' };
  const plan = planInputOf(request);
  const colocated = compareCandidates(resolver, base, specs, plan, prices);
  const settings = {
    ...plan,
    ...(request.sameNode !== undefined ? { sameNode: request.sameNode } : {}),
    ...(request.maxGpus !== undefined ? { maxGpus: request.maxGpus } : {}),
  };
  const priceOf = (hw: string) => prices.byHardware.get(hw) ?? prices.all;
  const disaggregated = compareDisaggregated(resolver, base, specs, colocated.rows, settings, request.decode ?? { overrides: {} }, priceOf);
  const simulations = colocated.simulations + disaggregated.reduce((s, r) => s + (r.disaggregated?.simulations ?? 0), 0);
  return { ...colocated, disaggregated, simulations };
}
