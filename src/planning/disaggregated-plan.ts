/**
 * planDisaggregated: plan's question for prefill/decode disaggregation (xPyD). With a target rate, the
 * cheapest pair of pool sizes — fewest GPUs, then lowest $/h — whose fleet meets the SLO at the target plus
 * headroom (pd-search.ts, from the analytic first guess of pd-estimate.ts). Without one, the highest
 * SLO-meeting rate per GPU of a small xPyD unit around the pools' balance (pd-unit.ts).
 *
 * Unlike plan's colocated fleet (estimated with headroom, verified at the target), both pools are verified
 * at target × (1 + headroom): the headroom is a load the fleet is simulated to carry, and the search then
 * minimizes each pool against it.
 */
import { kvTransferBytesPerTokenPerGpu, kvTransferTimeS, linkBetweenPools } from '../cost/kv-transfer.ts';
import { calibrationProvenance } from '../cost/deployment.ts';
import type { PreparedDeployment } from '../cost/prepare.ts';
import { InputError } from '../diagnostics/errors.ts';
import { formatSlo, type SloObjective } from '../metrics/slo.ts';
import type { RouterName } from '../serving/router.ts';
import { simulate, type Workload } from '../simulate.ts';
import { meanLengths } from '../workload/lengths.ts';
import { DEFAULT_SEARCH, minimalLoadReason, seedList, summarizeRuns, type SearchOptions } from './capacity.ts';
import { checkPdSetup, checkPools, gpusOf, poolsLabel, type PdContext, type PoolCheck, type PoolSizes } from './pd-check.ts';
import { estimatePools, type PdEstimate } from './pd-estimate.ts';
import { fewerText, searchPools, type PoolSearch } from './pd-search.ts';
import { bestUnit, unitCandidates, type PdUnitCapacity } from './pd-unit.ts';
import { deploymentLabel, latencyOf, nodesFor, objectivesOf, type LatencySummary, type ObjectiveAtLoad, type PlanResult } from './plan.ts';

export interface PdPlanInput {
  /** the prefill pool's deployment (one instance) */
  readonly prefill: PreparedDeployment;
  /** the decode pool's deployment (one instance; may differ in GPU, TP/EP, engine settings) */
  readonly decode: PreparedDeployment;
  /** both pools in one node (the KV moves over NVLink/xGMI); bounds the fleet to one node */
  readonly sameNode?: boolean;
  readonly shape: Omit<Workload, 'arrival' | 'maxRequests' | 'maxSeconds'>;
  readonly slo: readonly SloObjective[];
  readonly seed?: string | number;
  readonly targetRatePerS?: number;
  /** spare capacity on top of the target, as a fraction (default 0.2) */
  readonly headroom?: number;
  readonly router?: RouterName;
  /** $/GPU-hour per pool; default: each hardware profile's price */
  readonly usdPerGpuHour?: { readonly prefill?: number | undefined; readonly decode?: number | undefined };
  readonly search?: SearchOptions;
  /** never size a fleet above this many GPUs (default: 4 × the analytic estimate, at least 64) */
  readonly maxGpus?: number;
  /** instances simulated per check at most; larger fleets are checked on a slice (default 16) */
  readonly sliceInstances?: number;
}

export interface PoolDeployment extends Omit<PlanResult['deployment'], 'gpusPerReplica'> {
  readonly gpusPerInstance: number;
  readonly kvTokensPerInstance: number;
}

export interface PdTarget {
  readonly ratePerS: number;
  readonly headroom: number;
  /** target × (1 + headroom): the rate every check simulates */
  readonly sizedRatePerS: number;
  /** the analytic first guess the search started from */
  readonly estimated: { readonly prefill: number; readonly decode: number };
  readonly prefillInstances: number;
  readonly decodeInstances: number;
  /** "2P3D" */
  readonly ratio: string;
  readonly prefillGpus: number;
  readonly decodeGpus: number;
  readonly gpus: number;
  readonly nodes: number;
  readonly verified: boolean;
  /** the objective nearest its limit at the sized rate (target × (1 + headroom)) */
  readonly binding: ObjectiveAtLoad | undefined;
  /** what one fewer prefill / decode instance breaks (the evidence that neither pool can shrink) */
  readonly fewerPrefill: string;
  readonly fewerDecode: string;
  /** at the target rate (without headroom), on the sized fleet */
  readonly latency: LatencySummary;
  readonly objectives: readonly ObjectiveAtLoad[];
  readonly sloAttainment: number;
  readonly outputTokensPerS: number;
  readonly usdPerGpuHour: { readonly prefill: number | undefined; readonly decode: number | undefined };
  readonly usdPerHour: number | undefined;
  readonly usdPerMillionOutputTokens: number | undefined;
  /** instances simulated per check and the rate they carried (the whole fleet when small) */
  readonly verificationSlice: { readonly prefill: number; readonly decode: number; readonly ratePerS: number };
  readonly checks: readonly { readonly prefill: number; readonly decode: number; readonly passed: boolean; readonly why: string }[];
}

export interface PdPlanResult {
  readonly schemaVersion: 2;
  readonly kind: 'disaggregated';
  readonly prefill: PoolDeployment;
  readonly decode: PoolDeployment;
  /** the KV link between the pools and a mean prompt's transfer time */
  readonly kvTransfer: { readonly link: string; readonly meanPromptMs: number };
  readonly slo: string;
  readonly seed: string;
  readonly feasible: boolean;
  readonly infeasibleReason: string | undefined;
  readonly estimate: PdEstimate;
  /** without a target: the best xPyD unit's SLO capacity */
  readonly unit: PdUnitCapacity | undefined;
  readonly target: PdTarget | undefined;
  readonly simulations: number;
  readonly notes: readonly string[];
}

/** Default fleet size at which checks simulate a slice (pd-check.ts sliceOf). */
export const PD_SLICE_INSTANCES = 16;

function poolDeployment(p: PreparedDeployment): PoolDeployment {
  const d = p.deployment;
  return {
    model: d.model.id,
    hardware: d.hardware.id,
    tp: d.tp,
    pp: d.pp,
    weights: d.quantization.weights,
    kvCache: d.quantization.kvCache,
    engine: d.engine.family,
    gpusPerInstance: d.gpusPerReplica,
    kvTokensPerInstance: p.memory.kvTokens,
    label: deploymentLabel(p),
    calibration: d.calibration.id,
    calibrationProvenance: calibrationProvenance(d),
  };
}

function checkPdInput(input: PdPlanInput): number {
  if (input.slo.length === 0) throw new InputError('planning needs an SLO: pass --slo (e.g. ttft:p99<=2s,itl:p99<=50ms) or a --workload preset that carries one');
  const headroom = input.headroom ?? 0.2;
  if (!(headroom >= 0 && Number.isFinite(headroom))) throw new InputError(`--headroom must be >= 0, found ${headroom}`);
  if (input.targetRatePerS !== undefined && !(input.targetRatePerS > 0 && Number.isFinite(input.targetRatePerS)))
    throw new InputError(`--target-rate must be a positive number of requests/s, found ${input.targetRatePerS}`);
  if (input.maxGpus !== undefined && !(Number.isInteger(input.maxGpus) && input.maxGpus >= 1))
    throw new InputError(`--max-gpus must be a whole number >= 1, found ${input.maxGpus}`);
  return headroom;
}

/** One request at a time through 1P1D: when even that misses the SLO no pool sizes can meet it. */
function minimalLoadCheck(ctx: PdContext): { passed: boolean; reason: string; simulations: number } {
  const o = { ...DEFAULT_SEARCH, ...ctx.search };
  const runs = seedList(ctx.seed, o.seeds).map((seed) =>
    simulate({
      deployment: ctx.prefill,
      seed,
      slo: ctx.slo,
      disaggregation: { decode: ctx.decode, decodeReplicas: 1, sameNode: ctx.sameNode },
      workload: { ...ctx.shape, arrival: { kind: 'synchronous' }, maxRequests: o.syncRequests },
    }),
  );
  const check = summarizeRuns(runs, runs[0]?.throughput.requestsPerS ?? 0, 1, ctx.slo);
  return { passed: check.passed, reason: check.passed ? '' : minimalLoadReason(check), simulations: runs.length };
}

export function planDisaggregated(input: PdPlanInput): PdPlanResult {
  const headroom = checkPdInput(input);
  const seed = String(input.seed ?? 42);
  const sameNode = input.sameNode ?? false;
  const ctx: PdContext = {
    prefill: input.prefill,
    decode: input.decode,
    sameNode,
    shape: input.shape,
    slo: input.slo,
    seed,
    router: input.router,
    search: input.search,
    sliceInstances: input.sliceInstances ?? PD_SLICE_INSTANCES,
  };
  checkPdSetup(ctx, input.maxGpus);
  const estimate = estimatePools(input.prefill, input.decode, input.shape.lengths, input.slo);
  const { link, notes: linkNotes } = linkBetweenPools(input.prefill.deployment.hardware, sameNode);
  const meanPrompt = meanLengths(input.shape.lengths).inputTokens;
  const head = {
    schemaVersion: 2 as const,
    kind: 'disaggregated' as const,
    prefill: poolDeployment(input.prefill),
    decode: poolDeployment(input.decode),
    kvTransfer: { link: link.name, meanPromptMs: kvTransferTimeS(meanPrompt, kvTransferBytesPerTokenPerGpu(input.prefill.deployment), link) * 1e3 },
    slo: formatSlo(input.slo),
    seed,
    estimate,
  };
  const notes = [...new Set([...input.prefill.deployment.notes, ...input.decode.deployment.notes, ...linkNotes])];
  const minimal = minimalLoadCheck(ctx);
  const infeasible = (reason: string, simulations: number): PdPlanResult => ({ ...head, feasible: false, infeasibleReason: reason, unit: undefined, target: undefined, simulations, notes });
  if (!minimal.passed) return infeasible(`1P1D ${minimal.reason}`, minimal.simulations);
  const maxGpus = Math.min(input.maxGpus ?? Infinity, sameNode ? input.prefill.deployment.hardware.gpusPerNode : Infinity);
  if (input.targetRatePerS === undefined) {
    const { best, reason, simulations } = bestUnit(ctx, unitCandidates(estimate, (u) => gpusOf(ctx, u) <= maxGpus));
    if (!best) return infeasible(reason, minimal.simulations + simulations);
    return { ...head, feasible: true, infeasibleReason: undefined, unit: best, target: undefined, simulations: minimal.simulations + simulations, notes };
  }
  const sized = input.targetRatePerS * (1 + headroom);
  const start = {
    prefill: Math.max(1, Math.ceil(sized / estimate.prefillRatePerInstancePerS - 1e-9)),
    decode: Math.max(1, Math.ceil(sized / estimate.decodeRatePerInstancePerS - 1e-9)),
  };
  const limit = Number.isFinite(maxGpus) ? maxGpus : Math.max(64, 4 * gpusOf(ctx, start));
  if (gpusOf(ctx, start) > limit) {
    const reason = `the analytic estimate alone needs ${poolsLabel(start)} = ${gpusOf(ctx, start)} GPUs at ${sized.toFixed(2)} req/s, over the limit of ${limit} GPUs`;
    return infeasible(reason, minimal.simulations);
  }
  const search = searchPools(ctx, sized, start, { maxGpus: limit });
  if (!search.passed) notes.push(`no fleet up to ${limit} GPUs met the SLO at ${sized.toFixed(2)} req/s; the largest tried was ${poolsLabel(search.sizes)}: ${search.final.check.why}`);
  // latency is reported at the target itself (as plan reports it), on the fleet sized for target + headroom
  const atTarget = search.passed && headroom > 0 ? checkPools(ctx, search.sizes, input.targetRatePerS) : search.final;
  const target = targetOf(input, ctx, { ratePerS: input.targetRatePerS, headroom, sized, start }, search, atTarget);
  if (target.usdPerHour === undefined) for (const p of [input.prefill, input.decode]) if (p.deployment.hardware.price === undefined) notes.push(`no price for ${p.deployment.hardware.id}: pass --price ${p.deployment.hardware.id}=USD_PER_GPU_HOUR for costs`);
  const simulations = minimal.simulations + search.simulations + (atTarget === search.final ? 0 : atTarget.simulations);
  return { ...head, feasible: true, infeasibleReason: undefined, unit: undefined, target, simulations, notes: [...new Set(notes)] };
}

function targetOf(input: PdPlanInput, ctx: PdContext, t: { ratePerS: number; headroom: number; sized: number; start: PoolSizes }, s: PoolSearch, atTarget: PoolCheck): PdTarget {
  const { sizes, final } = s;
  const p = input.prefill.deployment;
  const d = input.decode.deployment;
  const priceP = input.usdPerGpuHour?.prefill ?? p.hardware.price?.usdPerGpuHour;
  const priceD = input.usdPerGpuHour?.decode ?? d.hardware.price?.usdPerGpuHour;
  const prefillGpus = sizes.prefill * p.gpusPerReplica;
  const decodeGpus = sizes.decode * d.gpusPerReplica;
  const usdPerHour = priceP !== undefined && priceD !== undefined ? prefillGpus * priceP + decodeGpus * priceD : undefined;
  // the slice carries sliceRate of the fleet's sized rate; the fleet's tokens at the target scale from it
  const outTok = (atTarget.check.outputTokensPerS * t.ratePerS) / atTarget.sliceRatePerS;
  const objectives = objectivesOf(atTarget.check);
  const binding = objectivesOf(final.check).reduce<ObjectiveAtLoad | undefined>((w, o) => (!w || o.valueMs / o.limitMs > w.valueMs / w.limitMs ? o : w), undefined);
  const nodes = ctx.sameNode ? 1 : nodesFor(sizes.prefill, p.gpusPerReplica, p.hardware.gpusPerNode) + nodesFor(sizes.decode, d.gpusPerReplica, d.hardware.gpusPerNode);
  return {
    ratePerS: t.ratePerS,
    headroom: t.headroom,
    sizedRatePerS: t.sized,
    estimated: t.start,
    prefillInstances: sizes.prefill,
    decodeInstances: sizes.decode,
    ratio: poolsLabel(sizes),
    prefillGpus,
    decodeGpus,
    gpus: prefillGpus + decodeGpus,
    nodes,
    verified: s.passed,
    binding,
    fewerPrefill: fewerText(s.fewerPrefill, 'prefill'),
    fewerDecode: fewerText(s.fewerDecode, 'decode'),
    latency: latencyOf(atTarget.check),
    objectives,
    sloAttainment: atTarget.check.sloAttainment,
    outputTokensPerS: outTok,
    usdPerGpuHour: { prefill: priceP, decode: priceD },
    usdPerHour,
    usdPerMillionOutputTokens: usdPerHour !== undefined && outTok > 0 ? (usdPerHour / (outTok * 3600)) * 1e6 : undefined,
    verificationSlice: { prefill: final.slice.prefill, decode: final.slice.decode, ratePerS: final.sliceRatePerS },
    checks: s.checks.map((c) => ({ prefill: c.sizes.prefill, decode: c.sizes.decode, passed: c.check.passed, why: c.check.why })),
  };
}
