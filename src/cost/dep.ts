import { InfeasibleError } from '../diagnostics/errors.ts';
import { WEIGHT_BYTES } from '../schema/dtype.ts';
import type { Deployment } from './deployment.ts';
import { planMemory, type MemoryPlan } from './memory-plan.ts';
import { paramBreakdown } from './params.ts';
import { StepCostModel, type OperatorCost, type StepBreakdown, type StepShape } from './step-cost.ts';

/**
 * Attention data-parallel with wide expert parallelism (DEP, vLLM `--data-parallel-size N
 * --enable-expert-parallel`, SGLang `--enable-dp-attention`): on an instance of N GPUs every GPU runs the
 * whole attention (and dense layers, router, LM head) for its own share of the sequences, with its own
 * KV cache; the routed experts are sharded N ways; each MoE layer dispatches every token to the GPUs
 * holding its top-k experts and combines the results back (two all-to-alls per MoE layer).
 *
 * The cost composes two compiled cost models of the same model: the attention side at TP 1 evaluated on
 * the busiest rank's share of the step, and the expert side at TP = EP = N on the whole step (experts
 * see every rank's tokens; its all-to-all term is the dispatch + combine). The ranks run in lock-step
 * at each MoE layer, so the busiest rank sets the pace: sequences are spread as evenly as whole
 * sequences allow (ceil(B / N) on the busiest), and a rank's context and prefill are its share of the step's.
 */
export const DEP_ATTENTION_OPS = new Set(['attention_proj', 'mlp', 'attention_prefill', 'attention_decode', 'elementwise', 'lm_head', 'moe_shared_router', 'speculative_draft', 'overhead']);
export const DEP_EXPERT_OPS = new Set(['moe_experts', 'ep_alltoall']);

/** Refuse what DEP cannot be: it needs a MoE model, and every GPU of the instance is one DP rank and one EP rank. */
export function checkDep(d: Deployment, dp: number): void {
  const reasons: string[] = [];
  if (!d.model.moe) reasons.push(`attention data-parallel with expert parallelism needs a mixture-of-experts model; ${d.model.id} is dense`);
  if (d.tp !== dp || d.ep !== dp)
    reasons.push(`DEP${dp} runs on ${dp} GPUs as ${dp} attention ranks and ${dp} expert ranks: set --tp ${dp} --ep ${dp} (found TP ${d.tp}, EP ${d.ep})`);
  if (d.pp > 1) reasons.push('DEP with pipeline parallelism is not modelled');
  if (dp < 2) reasons.push(`--attention-dp must be at least 2, found ${dp}`);
  if (reasons.length > 0) throw new InfeasibleError(`${d.model.id} DEP${dp} cannot run:\n  - ${reasons.join('\n  - ')}`, reasons);
}

/** The busiest rank's share of a step when its sequences are spread over `dp` ranks as evenly as possible. */
export function busiestRankShape(sh: StepShape, dp: number): StepShape {
  const share = (seqs: number) => (seqs === 0 ? 0 : Math.ceil(seqs / dp) / seqs);
  const d = share(sh.decodeSeqs);
  const p = share(sh.prefillSeqs);
  return {
    decodeSeqs: Math.ceil(sh.decodeSeqs / dp),
    decodeContextSum: sh.decodeContextSum * d,
    prefillSeqs: Math.ceil(sh.prefillSeqs / dp),
    prefillTokens: sh.prefillTokens * p,
    prefillAttendedKeys: sh.prefillAttendedKeys * p,
    prefillContextTokens: sh.prefillContextTokens * p,
    ...(sh.speculativeTokens !== undefined ? { speculativeTokens: sh.speculativeTokens } : {}),
  };
}

/** The attention side of a DEP deployment: the same model at TP 1, EP 1 (one rank's view). */
export function attentionRankDeployment(d: Deployment): Deployment {
  return { ...d, tp: 1, ep: 1, attentionDp: undefined, gpusPerReplica: 1 };
}

/** The step cost of a DEP instance; `deployment` is the whole instance (TP = EP = N, attentionDp N). */
export class DepStepCostModel extends StepCostModel {
  readonly #dp: number;
  readonly #attention: StepCostModel;

  constructor(deployment: Deployment) {
    super({ ...deployment, attentionDp: undefined, speculative: undefined });
    this.#dp = deployment.attentionDp ?? 1;
    this.#attention = new StepCostModel(attentionRankDeployment(deployment));
    // keep the instance's own description (attentionDp, speculation) for callers
    Object.defineProperty(this, 'deployment', { value: deployment });
  }

  override stepTimeS(shape: StepShape): number {
    const rank = busiestRankShape(shape, this.#dp);
    const attention = this.#attention.stepTimeS(rank);
    const rankExperts = this.#attention.lastOperatorTimeS('moe_experts');
    super.stepTimeS(shape);
    return attention - rankExperts + this.lastOperatorTimeS('moe_experts') + this.lastOperatorTimeS('ep_alltoall');
  }

  override explain(shape: StepShape): StepBreakdown {
    const rank = this.#attention.explain(busiestRankShape(shape, this.#dp));
    const experts = super.explain(shape);
    const operators: OperatorCost[] = [
      ...rank.operators.filter((o) => DEP_ATTENTION_OPS.has(o.op)),
      ...experts.operators.filter((o) => DEP_EXPERT_OPS.has(o.op)),
    ];
    return { shape: { ...shape }, totalS: this.stepTimeS(shape), operators };
  }
}

/**
 * Memory of one DEP GPU: the rank's full attention, dense layers, router and vocabulary (as at TP 1),
 * 1/N of the routed experts, and a KV cache of whole (unsharded) KV heads for its own sequences. The
 * instance's KV blocks are N ranks' worth; the simulator pools them (a sequence lives on one rank in
 * the engine, so near-full caches fragment a little more than the pool shows).
 */
export function planDepMemory(d: Deployment): MemoryPlan {
  const dp = d.attentionDp ?? 1;
  const rank = planMemory(attentionRankDeployment(d));
  const p = paramBreakdown(d.model);
  const routedBytes = p.moeLayers * (d.model.moe?.numExperts ?? 0) * p.expertParams * WEIGHT_BYTES[d.quantization.weights];
  const weightBytesPerGpu = rank.weightBytesPerGpu - routedBytes * (1 - 1 / dp);
  const free = rank.budgetBytes - weightBytesPerGpu - rank.activationReserveBytes;
  const blockBytes = rank.blockSize * rank.kvBytesPerTokenPerGpu;
  const blocksPerRank = free > 0 ? Math.floor(free / blockBytes) : 0;
  const kvBlocks = blocksPerRank * dp;
  const blocksPerMaxLen = Math.ceil(d.engine.maxModelLen / rank.blockSize);
  return {
    ...rank,
    weightBytesPerGpu,
    weightBreakdown: { ...rank.weightBreakdown, quantized: rank.weightBreakdown.quantized - routedBytes * (1 - 1 / dp) },
    kvCacheBytes: kvBlocks * blockBytes,
    kvBlocks,
    kvTokens: kvBlocks * rank.blockSize,
    maxConcurrencyAtMaxLen: blocksPerRank > 0 ? Math.floor(blocksPerRank / blocksPerMaxLen) * dp : 0,
    notes: [...rank.notes, `DEP${dp}: ${dp} attention ranks with their own KV caches (${blocksPerRank} blocks each), pooled here`],
  };
}
