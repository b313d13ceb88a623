import type { BatchPolicy } from './batch-policy.ts';
import { ON_DEMAND_KV, planMixedStep, preemptLatest } from './shared.ts';

/** vLLM V1's scheduler: decode tokens first, then prefill chunks; KV on demand; preempt the latest and recompute. */
export const vllmPolicy = {
  name: 'vllm',
  description: 'vLLM V1: decode tokens first, then prefill chunks up to the token budget; KV blocks on demand; preempt the latest sequence and recompute',
  kv: ON_DEMAND_KV,
  planStep: planMixedStep,
  preemptionVictim: preemptLatest,
} as const satisfies BatchPolicy;
