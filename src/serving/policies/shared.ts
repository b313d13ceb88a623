/** Building blocks more than one engine's policy uses. */
import type { KvAdmission, StepBuilder } from './batch-policy.ts';

/** Blocks on demand (vLLM, SGLang): admission takes the first chunk's blocks, each chunk and token its own. */
export const ON_DEMAND_KV: KvAdmission = {
  growsWithTokens: true,
  admissionTokens: (r, chunk) => r.prefilled + chunk,
  chunkTokens: (r, chunk) => r.prefilled + chunk,
};

/** The whole request reserved at admission (TensorRT-LLM GUARANTEED_NO_EVICT): prompt plus every output token still to come. */
export const RESERVE_WHOLE_REQUEST_KV: KvAdmission = {
  growsWithTokens: false,
  admissionTokens: (r) => r.promptTokens + r.outputTokens - r.generated - 1,
  chunkTokens: () => 0, // reserved at admission
};

/**
 * Mixed steps (vLLM V1 and TensorRT-LLM in-flight batching): every decode token first, then prefill
 * chunks in the remaining budget; no new admission in a step that had to preempt (vLLM V1).
 */
export function planMixedStep(step: StepBuilder, nowS: number): void {
  const decoders = step.addDecodes(nowS);
  step.addPrefills(nowS, step.tokenBudget - decoders, step.preemptedForDecodes);
}

/** Recompute-style preemption of the newest running sequence (vLLM V1; SGLang's retraction). */
export const preemptLatest = (latestAdmitted: number): number => latestAdmitted;
