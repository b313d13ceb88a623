import { DecodeCohorts, type DecodeGaps } from './decode-cohorts.ts';

export type { DecodeGaps };

/** the decode gaps of an engine streaming every token (absent/1) or every k tokens */
export function decodeGaps(streamInterval: number | undefined): DecodeGaps {
  return streamInterval !== undefined && streamInterval > 1 ? new StreamChunks(streamInterval) : new DecodeCohorts();
}

/**
 * SGLang's rule (scheduler_output_processor_mixin.py, stream_output_generation): with stream_interval k > 1 a
 * request's output is sent when its output length n satisfies n % k == 1, and when it finishes. So the first
 * token goes out at once (TTFT unchanged), then one chunk per k tokens, then the remainder at the end.
 * Token times are the decode steps' end times, kept for the run (one number per decode step); each sequence
 * is visited only when it leaves decode, once per chunk: O(output tokens / k).
 */
export class StreamChunks implements DecodeGaps {
  readonly #k: number;
  #step = 0;
  #stepEndS = new Float64Array(1024);
  readonly #seq = new Map<number, { lastChunkS: number; generated: number; step: number }>();

  constructor(k: number) {
    this.#k = k;
  }

  join(nowS: number, slot: number, generated: number, step: number): void {
    // resumed after preemption: the last chunk the client saw is still the one before
    const lastChunkS = this.#seq.get(slot)?.lastChunkS ?? nowS;
    this.#seq.set(slot, { lastChunkS, generated, step });
  }

  stepEnded(nowS: number): void {
    this.#step++;
    if (this.#step >= this.#stepEndS.length) {
      const grown = new Float64Array(this.#stepEndS.length * 2);
      grown.set(this.#stepEndS);
      this.#stepEndS = grown;
    }
    this.#stepEndS[this.#step] = nowS;
  }

  left(slot: number, steps: number, finished: boolean, gaps: (gapS: number, count: number) => void): void {
    const s = this.#seq.get(slot);
    if (!s) return;
    const k = this.#k;
    let last = s.lastChunkS;
    let lastJ = 0;
    // token j of this stint has output length s.generated + j: the first j with that length ≡ 1 (mod k)
    const first = (((1 - s.generated) % k) + k) % k || k;
    for (let j = first; j <= steps; j += k) {
      const t = this.#stepEndS[s.step + j]!;
      gaps(t - last, 1);
      last = t;
      lastJ = j;
    }
    if (!finished) {
      this.#seq.set(slot, { ...s, lastChunkS: last });
      return;
    }
    if (steps > lastJ) gaps(this.#stepEndS[s.step + steps]! - last, 1);
    this.#seq.delete(slot);
  }
}
