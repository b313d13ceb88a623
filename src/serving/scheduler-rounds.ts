/**
 * vLLM V0's multi-step scheduling (--num-scheduler-steps k) as the replica sees it: a decode-only step opens a
 * round of k decode steps during which nobody new is admitted; a step with prefill work is a round of its own.
 * With k = 1 every step is a scheduling point and nothing changes.
 */
export class SchedulerRounds {
  readonly #steps: number;
  /** decode steps of the current round still to run after the step being planned */
  #left = 0;
  #inRound = false;

  constructor(schedulerSteps: number | undefined) {
    this.#steps = schedulerSteps ?? 1;
  }

  /** the step being planned is inside a round: it admits nobody */
  get inRound(): boolean {
    return this.#inRound;
  }

  /** before planning: a round lasts while it has steps left and sequences to decode */
  beginPlan(decoders: number): void {
    this.#inRound = this.#left > 0 && decoders > 0;
  }

  /** after planning: prefill work (or an empty step) ends the round; a decode-only step opens one or continues it */
  planned(prefillTokens: number, decoders: number): void {
    if (this.#steps <= 1) return;
    this.#left = prefillTokens > 0 || decoders === 0 ? 0 : this.#inRound ? this.#left - 1 : this.#steps - 1;
  }
}
