import type { BatchPolicy } from './batch-policy.ts';
import { planMixedStep, preemptLatest, RESERVE_WHOLE_REQUEST_KV } from './shared.ts';

/**
 * TensorRT-LLM's GUARANTEED_NO_EVICT capacity scheduler: in-flight batching with chunked context, and
 * admission reserves the whole request's KV, so blocks never run short and nothing is preempted.
 */
export const trtllmPolicy = {
  name: 'trtllm',
  description: "TensorRT-LLM GUARANTEED_NO_EVICT: in-flight batching with chunked context; admission reserves KV for the whole request, so no preemption",
  kv: RESERVE_WHOLE_REQUEST_KV,
  planStep: planMixedStep,
  // never asked: reserved KV cannot run short
  preemptionVictim: preemptLatest,
} as const satisfies BatchPolicy;
