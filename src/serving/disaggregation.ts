import type { PreparedDeployment } from '../cost/prepare.ts';
import { kvTransferBytesPerTokenPerGpu, kvTransferTimeS, linkBetweenPools, type KvLink } from '../cost/kv-transfer.ts';
import { InfeasibleError, InputError } from '../diagnostics/errors.ts';
import type { Simulation } from '../kernel/simulation.ts';
import type { Replica } from './replica.ts';
import type { RequestPool } from './request-pool.ts';
import type { Router } from './router.ts';

/**
 * Prefill/decode disaggregation (xPyD) as the engine runs it: the run's deployment and replicas are the
 * prefill pool; `decode` is the decode pool's own deployment (GPU, TP/EP, engine settings) with its
 * own replicas. A prefill replica hands a request off when its prompt is done; the KV transfer takes
 * `kvTransferTimeS` over the link between the pools (no overlap); then a decode replica, picked by the
 * decode router, admits it and samples its first token in its next step.
 */
export interface DisaggregationConfig {
  readonly decode: PreparedDeployment;
  readonly decodeReplicas: number;
  /** both pools in one node: the KV moves over the scale-up fabric, else over the scale-out NIC */
  readonly sameNode?: boolean;
}

/** The resolved pair: link and bytes fixed once; checked for what cannot work. */
export interface Disaggregation {
  readonly decode: PreparedDeployment;
  readonly decodeReplicas: number;
  readonly link: KvLink;
  readonly bytesPerTokenPerGpu: number;
  readonly notes: readonly string[];
}

export function resolveDisaggregation(prefill: PreparedDeployment, prefillReplicas: number, c: DisaggregationConfig): Disaggregation {
  if (!(Number.isInteger(c.decodeReplicas) && c.decodeReplicas >= 1))
    throw new InputError(`--decode-replicas: expected a whole number of decode instances >= 1, found ${c.decodeReplicas}`);
  const p = prefill.deployment;
  const d = c.decode.deployment;
  if (p.model.id !== d.model.id)
    throw new InfeasibleError(`prefill pool serves ${p.model.id} but the decode pool ${d.model.id}: both pools must serve the same model`);
  const sameNode = c.sameNode ?? false;
  const gpus = prefillReplicas * p.gpusPerReplica + c.decodeReplicas * d.gpusPerReplica;
  if (sameNode && gpus > p.hardware.gpusPerNode)
    throw new InfeasibleError(`${prefillReplicas}P${c.decodeReplicas}D needs ${gpus} GPUs, more than the ${p.hardware.gpusPerNode} of one ${p.hardware.id} node: drop --pd-same-node`);
  const { link, notes } = linkBetweenPools(p.hardware, sameNode);
  return { decode: c.decode, decodeReplicas: c.decodeReplicas, link, bytesPerTokenPerGpu: kvTransferBytesPerTokenPerGpu(p), notes };
}

/** The engine's P/D state: the decode pool and the two event kinds it adds. */
export interface DecodePool {
  readonly sim: Simulation;
  readonly pool: RequestPool;
  readonly replicas: readonly Replica[];
  readonly router: Router;
  readonly disaggregation: Disaggregation;
  /** event kind: a request's KV has arrived (target = its pool slot) */
  readonly transferKind: number;
  /** event kind: a decode replica's step ended (target = its index in `replicas`) */
  readonly stepKind: number;
  /** requests handed off, KV transfers completed (conservation: every hand-off arrives) */
  handedOff: number;
  transferred: number;
  transferTimeSumS: number;
}

/** a prefill replica finished a prompt: send its KV */
export function onHandOff(dp: DecodePool, slot: number, nowS: number): void {
  dp.handedOff++;
  const t = kvTransferTimeS(dp.pool.promptTokens[slot]!, dp.disaggregation.bytesPerTokenPerGpu, dp.disaggregation.link);
  dp.transferTimeSumS += t;
  dp.sim.schedule(nowS + t, dp.transferKind, slot);
}

/** the KV arrived: a decode replica admits the request */
export function onTransferDone(dp: DecodePool, slot: number, nowS: number): void {
  dp.transferred++;
  const r = dp.router.pick(dp.replicas);
  const rep = dp.replicas[r]!;
  rep.acceptTransferred(slot);
  if (!rep.busy) startDecodeStep(dp, r, nowS);
}

export function onDecodeStepEnd(dp: DecodePool, r: number, nowS: number): void {
  dp.replicas[r]!.finishStep(nowS);
  startDecodeStep(dp, r, nowS);
}

function startDecodeStep(dp: DecodePool, r: number, nowS: number): void {
  const dt = dp.replicas[r]!.startStep(nowS);
  if (dt >= 0) dp.sim.schedule(nowS + dt, dp.stepKind, r);
}
