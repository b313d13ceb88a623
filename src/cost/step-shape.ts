/**
 * The vocabulary of the step cost model (step-cost.ts): the shape of one step's batch and the operator
 * classes a step's time is split into.
 */
export interface StepShape {
  /** sequences generating one token this step */
  readonly decodeSeqs: number;
  /** Σ over decoding sequences of the tokens already in their KV cache */
  readonly decodeContextSum: number;
  /** sequences with a prefill chunk in this step */
  readonly prefillSeqs: number;
  /** Σ chunk lengths */
  readonly prefillTokens: number;
  /** Σ over chunk tokens of the keys each attends to (causal, full attention): see causalKeyCount */
  readonly prefillAttendedKeys: number;
  /** Σ over chunks of (prior context + chunk): KV tokens prefill attention reads */
  readonly prefillContextTokens: number;
  /** speculative decoding: draft tokens each decoding sequence verifies this step (k; 0 or absent = none) */
  readonly speculativeTokens?: number;
}

export const OPERATOR_CLASSES = [
  'attention_proj',
  'mlp',
  'moe_experts',
  'moe_shared_router',
  'attention_prefill',
  'attention_decode',
  'linear_attention',
  'attention_indexer',
  'elementwise',
  'lm_head',
  'tp_allreduce',
  'ep_alltoall',
  'pp_send',
  'overhead',
  'speculative_draft',
] as const;
export type OperatorClass = (typeof OPERATOR_CLASSES)[number];
export type Bound = 'compute' | 'memory' | 'communication' | 'overhead';

export interface OperatorCost {
  readonly op: OperatorClass;
  readonly timeS: number;
  readonly flops: number;
  readonly bytes: number;
  readonly bound: Bound;
  /** FLOP per byte moved (0 for communication and overhead) */
  readonly arithmeticIntensity: number;
}

export interface StepBreakdown {
  readonly shape: StepShape;
  readonly totalS: number;
  readonly operators: readonly OperatorCost[];
}
