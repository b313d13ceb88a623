import type { EngineFamily } from '../schema/deployment.ts';

/**
 * How a replica forms batches. Engines differ in two choices that matter for capacity:
 *   - admission: allocate KV blocks as sequences grow (and preempt on exhaustion), or reserve the whole
 *     request's KV up front so nothing is ever preempted;
 *   - mixing: put prefill chunks and decode tokens in the same step, or run prefill-only steps first.
 */
export interface SchedulerPolicy {
  readonly name: SchedulerPolicyName;
  readonly description: string;
  readonly reserveFullKv: boolean;
  readonly prefillFirst: boolean;
}

export const SCHEDULER_POLICIES = {
  vllm: {
    name: 'vllm',
    description: 'vLLM V1: decode tokens first, then prefill chunks up to the token budget; KV blocks on demand; preempt the latest sequence and recompute',
    reserveFullKv: false,
    prefillFirst: false,
  },
  trtllm: {
    name: 'trtllm',
    description: "TensorRT-LLM GUARANTEED_NO_EVICT: in-flight batching with chunked context; admission reserves KV for the whole request, so no preemption",
    reserveFullKv: true,
    prefillFirst: false,
  },
  sglang: {
    name: 'sglang',
    description: 'SGLang default: prefill-only batches take priority over decode batches (no mixed chunks); KV on demand with retraction',
    reserveFullKv: false,
    prefillFirst: true,
  },
} as const satisfies Record<string, SchedulerPolicy>;

export type SchedulerPolicyName = 'vllm' | 'trtllm' | 'sglang';
export const SCHEDULER_POLICY_NAMES = Object.keys(SCHEDULER_POLICIES) as SchedulerPolicyName[];

export const defaultPolicyFor = (engine: EngineFamily): SchedulerPolicy => SCHEDULER_POLICIES[engine];
