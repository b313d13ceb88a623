/** What a replica tells the world; implemented by the engine (serving/engine.ts), which forwards to its observer. */
export interface ReplicaSink {
  /** `tokens` sequences each produced one token `gapS` after their previous one */
  tokenGaps(gapS: number, tokens: number): void;
  /** a request produced its last token; the sink releases the slot */
  finished(slot: number, nowS: number): void;
  /** a request was admitted to the batch for the first time */
  admitted(): void;
  /** a step ran: for engine statistics */
  stepDone(replica: number, durationS: number, decodeSeqs: number, prefillTokens: number): void;
  /** P/D: a prefill-pool replica finished a request's prefill; its KV goes to a decode pool (the slot lives on) */
  handOff?(slot: number, nowS: number): void;
}
