/**
 * What a replica does in prefill/decode disaggregation: `mixed` serves whole requests; `prefill` runs the
 * prompt and hands the request off (its KV is sent, nothing is sampled here); `decode` admits handed-off
 * requests with their prompt's KV already present but the last prompt token, which it computes to sample
 * the first output token (as vLLM's KV connectors load all but the last prompt token).
 */
export type ReplicaRole = 'mixed' | 'prefill' | 'decode';

export interface ReplicaOptions {
  /** the seeded [0, 1) stream speculative acceptance is drawn from (needed only with speculation) */
  readonly uniform?: (() => number) | undefined;
  readonly role?: ReplicaRole;
}
