/**
 * How a replica forms batches, as an interface (BLIS's batch formation: "policies do not schedule events
 * or record metrics"; vidur's `_get_next_batch` per scheduler). The Replica is the constant-time mechanism
 * — queues, the decode aggregate, paged KV, preemption — and asks its policy three things:
 *
 *   planStep            what runs in the next step, built through the replica's StepBuilder
 *   kv                  how KV blocks are admitted (on demand as tokens arrive, or the whole request up front)
 *   preemptionVictim    which running sequence gives up its KV when blocks run short
 *
 * A policy holds no per-run state (one object serves every replica of every run), schedules no event and
 * records no metric. To add one: a new file in this folder and a line in the registry (index.ts).
 *
 * Room for what comes next (not implemented; where it goes):
 *   - speculative decoding: a policy field `speculation?: { draftTokens: number }`; StepBuilder.addDecodes
 *     takes the draft count, reserves `draftTokens` lookahead KV slots per decoding sequence (the boundary
 *     residue test of the decode aggregate widens from one residue to draftTokens + 1 of them) and the step
 *     shape carries the verified tokens; the replica advances each sequence by the accepted tokens (an
 *     expected-acceptance count keeps decoding O(1) per step).
 *   - a simulated prefix cache: `kv.admissionTokens` gains the cache's hit blocks — an admission first asks
 *     a PrefixCache port (serving/) for the blocks it already holds and reserves only the rest; today the
 *     shared blocks are drawn at issue (RequestSource.drawSharedBlocks) and pinned once per replica.
 *   - P/D disaggregation: a prefill-only pool's planStep calls only addPrefills and hands each finished
 *     prefill to a decode pool (a new engine event, not a policy concern); a decode-only pool's planStep
 *     calls only addDecodes and admits requests whose KV arrives with them (kv.admissionTokens = the
 *     whole context at once).
 */

/** The operations a policy uses to build one step; implemented by Replica over its private state. */
export interface StepBuilder {
  /** the token budget of one step (max_num_batched_tokens) */
  readonly tokenBudget: number;
  /** some prefill could run now: an unfinished prefill, or a waiting request and room for another sequence */
  hasAdmissiblePrefill(): boolean;
  /**
   * Put every decoding sequence in the step, growing its KV by one token (preempting on shortage when KV
   * grows on demand). Returns the number of decoding sequences.
   */
  addDecodes(nowS: number): number;
  /** whether the last addDecodes had to preempt */
  readonly preemptedForDecodes: boolean;
  /**
   * Fill up to `budgetTokens` with prefill chunks: unfinished prefills first, then waiting requests FCFS
   * (none when `noAdmissions`). Returns the prefill tokens now planned for the step.
   */
  addPrefills(nowS: number, budgetTokens: number, noAdmissions?: boolean): number;
}

/** A request asking for KV blocks: its token counts so far. */
export interface KvRequestView {
  /** tokens the prefill covers (the prompt, plus generated tokens after a preemption) */
  readonly promptTokens: number;
  readonly outputTokens: number;
  /** output tokens generated before the current phase */
  readonly generated: number;
  /** prompt tokens already in the KV cache (shared prefix blocks count) */
  readonly prefilled: number;
}

/** How KV blocks are admitted. */
export interface KvAdmission {
  /**
   * true: blocks follow the tokens (each prefill chunk and each decode token takes the blocks it fills, so
   * blocks can run short mid-request and a sequence is preempted); false: the whole request is reserved at
   * admission and nothing grows later.
   */
  readonly growsWithTokens: boolean;
  /** tokens of KV a waiting request must hold to be admitted with a first chunk of `chunkTokens` */
  admissionTokens(request: KvRequestView, chunkTokens: number): number;
  /** tokens of KV a running prefill must hold to run its next chunk of `chunkTokens` */
  chunkTokens(request: KvRequestView, chunkTokens: number): number;
}

export interface BatchPolicy {
  readonly name: string;
  readonly description: string;
  readonly kv: KvAdmission;
  /** plan the next step; a step with no decodes and no prefill tokens leaves the replica idle */
  planStep(step: StepBuilder, nowS: number): void;
  /**
   * KV ran short: the running sequence to preempt (its KV dropped, recomputed later). `latestAdmitted` is
   * the newest running sequence. A policy whose KV grows with tokens must return a running sequence.
   */
  preemptionVictim(latestAdmitted: number): number;
}
