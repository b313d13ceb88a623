import type { BatchPolicy, StepBuilder } from './batch-policy.ts';
import { ON_DEMAND_KV, planMixedStep, preemptLatest } from './shared.ts';

/**
 * SGLang's default scheduler: a prefill-only batch whenever a prefill can be placed, otherwise a decode
 * batch (no mixed chunks); KV on demand, retracting the latest sequence when it runs short.
 */
export const sglangPolicy = {
  name: 'sglang',
  description: 'SGLang default: prefill-only batches take priority over decode batches (no mixed chunks); KV on demand with retraction',
  kv: ON_DEMAND_KV,
  planStep: planPrefillFirst,
  preemptionVictim: preemptLatest,
} as const satisfies BatchPolicy;

function planPrefillFirst(step: StepBuilder, nowS: number): void {
  if (!step.hasAdmissiblePrefill()) {
    planMixedStep(step, nowS);
    return;
  }
  // a prefill-only step; a decode step when no prefill could be placed
  if (step.addPrefills(nowS, step.tokenBudget) === 0) step.addDecodes(nowS);
}
