import { InfeasibleError, InputError } from '../diagnostics/errors.ts';
import type { Model } from '../schema/resolved-model.ts';
import { acceptanceOf, type AcceptanceSpec, type SpeculativeChoice, type SpeculativeMethod } from '../schema/techniques.ts';

/**
 * Speculative decoding: a drafter proposes k tokens per decoding sequence, the target model verifies
 * them in one forward pass over k+1 positions, and the sequence keeps the accepted prefix plus one token
 * the target samples itself (the correction, or the bonus when all k are accepted). So a step emits
 * 1..k+1 tokens per sequence.
 *
 * Acceptance is a distribution, not a mean: per-position *conditional* rates a_i = P(draft i accepted |
 * drafts 1..i-1 accepted), as vLLM's `synthetic_acceptance_rates` (vllm-project/vllm#39359) and ATOM's
 * forced acceptance define them. A mean acceptance length L (tokens per step, bonus included) is turned
 * into a constant conditional rate p with p + p² + … + p^k = L − 1, the conversion both engines use, so a
 * benchmark run with a forced acceptance is reproduced with the same per-position law.
 */
export { SPECULATIVE_METHODS, type SpeculativeChoice, type SpeculativeMethod, type AcceptanceSpec } from '../schema/techniques.ts';

/** Speculation as the cost model and the simulator use it: rates resolved, drafter architecture derived. */
export interface SpeculativeDeployment {
  readonly method: SpeculativeMethod;
  readonly tokens: number;
  /** per-position conditional acceptance rates, length k */
  readonly rates: readonly number[];
  /** 'random': each sequence draws its accepted count per step; 'fixed': every step accepts `fixedAccepted` */
  readonly sampling: 'random' | 'fixed';
  readonly fixedAccepted: number;
  /** the architecture of one drafter forward pass (an EAGLE head, an MTP layer, or the draft model) */
  readonly drafter: Model;
  /** the drafter shares the target's embedding and LM head weights (EAGLE, MTP): no extra memory for them */
  readonly sharesVocabWeights: boolean;
  readonly notes: readonly string[];
}

/** Upper bound on k: engines use 1–8; far larger is a typo and would make the verify pass absurd. */
export const MAX_SPECULATIVE_TOKENS = 16;
/** EAGLE-3 heads predict over a reduced draft vocabulary (draft_vocab_size 32000 in the released heads). */
export const EAGLE3_DRAFT_VOCAB = 32_000;

/** Constant conditional rate p with p + … + p^k = meanTokensPerStep − 1 (bisection; monotone in p). */
export function rateForMeanLength(meanTokensPerStep: number, k: number): number {
  const target = meanTokensPerStep - 1;
  if (!(target >= 0 && target <= k))
    throw new InputError(`speculative acceptance length must be in [1, ${k + 1}] tokens per step for k = ${k}, found ${meanTokensPerStep}`);
  if (target === k) return 1;
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 200; it++) {
    const mid = (lo + hi) / 2;
    if (acceptedMean(new Array<number>(k).fill(mid)) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Expected accepted drafts per step: Σ_i Π_{j ≤ i} a_j. */
export function acceptedMean(rates: readonly number[]): number {
  let survive = 1;
  let sum = 0;
  for (const a of rates) {
    survive *= a;
    sum += survive;
  }
  return sum;
}

/** Expected tokens emitted per sequence per step (accepted drafts + the target's own token). */
export function expectedTokensPerStep(spec: Pick<SpeculativeDeployment, 'rates' | 'sampling' | 'fixedAccepted'>): number {
  return 1 + (spec.sampling === 'fixed' ? spec.fixedAccepted : acceptedMean(spec.rates));
}

/** Resolve an acceptance spec into per-position rates; throws InputError naming the setting. */
export function resolveAcceptance(a: AcceptanceSpec, k: number): { rates: number[]; sampling: 'random' | 'fixed'; fixedAccepted: number } {
  switch (a.kind) {
    case 'rates': {
      if (a.rates.length !== k)
        throw new InputError(`--spec-acceptance: expected ${k} per-position rates (one per draft token, k = ${k}), found ${a.rates.length}`);
      a.rates.forEach((r, i) => {
        if (!(r >= 0 && r <= 1)) throw new InputError(`--spec-acceptance: rate ${i + 1} must be in [0, 1], found ${r}`);
      });
      return { rates: [...a.rates], sampling: 'random', fixedAccepted: 0 };
    }
    case 'length':
      return { rates: new Array<number>(k).fill(rateForMeanLength(a.meanTokensPerStep, k)), sampling: 'random', fixedAccepted: 0 };
    case 'fixed': {
      const n = a.acceptedPerStep;
      if (!(Number.isInteger(n) && n >= 0 && n <= k))
        throw new InputError(`--spec-fixed-accepted: expected a whole number of accepted drafts in [0, ${k}], found ${n}`);
      return { rates: Array.from({ length: k }, (_, i) => (i < n ? 1 : 0)), sampling: 'fixed', fixedAccepted: n };
    }
  }
}

/**
 * Check a choice against the target model and derive the drafter; every impossible setup is refused.
 * `draftModel`: the profile `choice.draftModel` names (the caller has the profiles; method draft-model only).
 */
export function resolveSpeculative(target: Model, choice: SpeculativeChoice, draftModel?: Model): SpeculativeDeployment {
  const k = choice.tokens ?? (choice.method === 'mtp' ? 1 : 3);
  if (!(Number.isInteger(k) && k >= 1 && k <= MAX_SPECULATIVE_TOKENS))
    throw new InputError(`--spec-tokens: expected a whole number of draft tokens from 1 to ${MAX_SPECULATIVE_TOKENS}, found ${k}`);
  const acceptance = resolveAcceptance(acceptanceOf(choice), k);
  const { drafter, sharesVocabWeights, notes } = drafterOf(target, choice.method, draftModel);
  return { method: choice.method, tokens: k, ...acceptance, drafter, sharesVocabWeights, notes };
}

function drafterOf(target: Model, method: SpeculativeMethod, draftModel: Model | undefined): { drafter: Model; sharesVocabWeights: boolean; notes: string[] } {
  switch (method) {
    case 'mtp': {
      if (target.mtpLayers < 1)
        throw new InfeasibleError(
          `MTP speculative decoding needs multi-token-prediction heads; ${target.id} has none (its profile's mtp_layers is 0). Use eagle, eagle3 or draft-model`,
        );
      // one MTP module is one decoder layer of the target's architecture (MoE if the model is MoE), fed the
      // target's hidden state; vLLM runs it k times when k exceeds the modules it uses
      const moe = target.moe ? { ...target.moe, denseLayers: 0 } : undefined;
      return { drafter: { ...target, id: `${target.id}-mtp`, layers: 1, moe }, sharesVocabWeights: true, notes: [`MTP: one ${moe ? 'MoE' : 'dense'} decoder layer of ${target.id} per draft token, LM head shared`] };
    }
    case 'eagle':
    case 'eagle3': {
      // an EAGLE head is one dense decoder layer at the target's hidden size; EAGLE-3 predicts over a reduced vocabulary
      const vocab = method === 'eagle3' ? Math.min(target.vocabSize, EAGLE3_DRAFT_VOCAB) : target.vocabSize;
      const width = target.moe ? target.moe.expertIntermediateSize * target.moe.expertsPerToken : target.intermediateSize;
      const drafter: Model = { ...target, id: `${target.id}-${method}`, layers: 1, moe: undefined, intermediateSize: width, vocabSize: vocab, attention: { ...target.attention, slidingWindow: undefined } };
      const notes = [`${method.toUpperCase()} head: one dense decoder layer (hidden ${target.hiddenSize}, MLP ${width}${target.moe ? ' = top-k × expert width' : ''}), vocabulary ${vocab}`];
      return { drafter, sharesVocabWeights: method === 'eagle', notes };
    }
    case 'draft-model': {
      const d = draftModel;
      if (!d) throw new InputError('--spec-method draft-model needs --spec-draft-model <model id>');
      if (d.vocabSize !== target.vocabSize)
        throw new InfeasibleError(`draft model ${d.id} has a ${d.vocabSize}-token vocabulary; ${target.id} has ${target.vocabSize}: a draft model must share the target's tokenizer`);
      return { drafter: d, sharesVocabWeights: false, notes: [`draft model ${d.id}: ${d.layers} layers per draft token`] };
    }
  }
}

/**
 * Accepted drafts for one sequence in one step: walk the positions, stop at the first rejection.
 * `uniform` draws from [0, 1); the simulator passes its seeded stream.
 */
export function drawAccepted(spec: Pick<SpeculativeDeployment, 'rates' | 'sampling' | 'fixedAccepted'>, uniform: () => number): number {
  if (spec.sampling === 'fixed') return spec.fixedAccepted;
  const rates = spec.rates;
  for (let i = 0; i < rates.length; i++) if (!(uniform() < rates[i]!)) return i;
  return rates.length;
}

/**
 * KV blocks one decoding sequence holds while a speculative step runs: its context plus the k+1 positions
 * the verify pass writes (vLLM's lookahead slots). Rejected positions are freed at the step's end.
 */
export function lookaheadBlocks(kvTokens: number, k: number, blockSize: number): number {
  return Math.ceil((kvTokens + 1 + k) / blockSize);
}
