/**
 * How the plain decode aggregate reports streamed gaps: one chunk per token (`DecodeCohorts`, the default),
 * or one chunk per k tokens (`StreamChunks` in stream-chunks.ts: SGLang's --stream-interval k). ITL is per
 * streamed chunk, TPOT per token (metrics/collector.ts): with k > 1 ITL is about k × TPOT, TPOT and E2E unchanged.
 */
export interface DecodeGaps {
  /** a sequence starts decoding at `nowS` with `generated` tokens, at decode step `step` */
  join(nowS: number, slot: number, generated: number, step: number): void;
  /** a decode step of `decoders` sequences ended at `nowS` */
  stepEnded(nowS: number, decoders: number, gaps: (gapS: number, count: number) => void): void;
  /** a sequence leaves decode after `steps` more tokens; `finished` when it produced its last one */
  left(slot: number, steps: number, finished: boolean, gaps: (gapS: number, count: number) => void): void;
}

/**
 * Inter-token gaps of the plain decode aggregate. Decoders share their previous-token time unless they
 * joined since the last decode step (after a prefill, possibly several prefill-only steps ago): those are
 * kept as small cohorts by join time, so a step records O(cohorts) gaps, not one per sequence.
 */
export class DecodeCohorts implements DecodeGaps {
  #lastDecodeEndS = 0;
  // the cohorts are the first #cohorts entries (a count: resetting an array's length is slow on V8's hot path)
  readonly #times: number[] = [];
  readonly #counts: number[] = [];
  #cohorts = 0;
  #total = 0;

  /** a sequence started decoding at `nowS` (its first token came then); the aggregate needs no more */
  join(nowS: number): void {
    const last = this.#cohorts - 1;
    if (last >= 0 && this.#times[last] === nowS) this.#counts[last]!++;
    else {
      this.#times[this.#cohorts] = nowS;
      this.#counts[this.#cohorts] = 1;
      this.#cohorts++;
    }
    this.#total++;
  }

  /** a decode step of `decoders` sequences ended at `nowS`: report each gap through `gaps(gapS, count)` */
  stepEnded(nowS: number, decoders: number, gaps: (gapS: number, count: number) => void): void {
    const steady = Math.max(0, decoders - this.#total);
    if (steady > 0) gaps(nowS - this.#lastDecodeEndS, steady);
    for (let i = 0; i < this.#cohorts; i++) gaps(nowS - this.#times[i]!, Math.min(this.#counts[i]!, decoders));
    this.#cohorts = 0;
    this.#total = 0;
    this.#lastDecodeEndS = nowS;
  }

  /** every gap was reported per step */
  left(): void {}
}
