import { drawAccepted, lookaheadBlocks, type SpeculativeDeployment } from '../cost/speculative.ts';
import type { RequestPool } from './request-pool.ts';

/** What the decoders need from their replica to reserve lookahead: its free KV blocks and preemption. */
export interface KvHost {
  freeBlocks: number;
  /** preempt the policy's victim (it may be a decoder: it then leaves this set) */
  preemptLatest(nowS: number): void;
}

/**
 * The decoding sequences of a replica under speculative decoding. Unlike the plain decode aggregate (one
 * token per sequence per step, so sequences need never be visited), each sequence here emits its own
 * number of tokens per step — the accepted drafts plus the target's token, drawn per sequence — so the
 * set is visited once per step: O(decoding sequences), only when speculation is on.
 *
 * KV: during a step a sequence holds blocks for its context plus the k + 1 positions the verify pass
 * writes (vLLM's lookahead slots); its context then grows by the tokens it emitted. Blocks stay owned
 * explicitly (pool.ownedBlocks), so preemption and completion free exactly what was taken.
 * Streaming: one chunk per sequence per step, carrying every token it emitted; ITL is per chunk, TPOT per token.
 */
export class SpeculativeDecoders {
  readonly #spec: SpeculativeDeployment;
  readonly #pool: RequestPool;
  readonly #blockSize: number;
  readonly #uniform: () => number;
  /** dense list of decoding slots and each slot's index in it */
  readonly #slots: number[] = [];
  readonly #indexOf = new Map<number, number>();
  /** KV tokens cached per slot (prompt + tokens fed back so far) */
  readonly #kv = new Map<number, number>();
  /** tokens emitted in the last step (statistics) */
  tokensLastStep = 0;

  constructor(spec: SpeculativeDeployment, pool: RequestPool, blockSize: number, uniform: () => number) {
    this.#spec = spec;
    this.#pool = pool;
    this.#blockSize = blockSize;
    this.#uniform = uniform;
  }

  get draftTokens(): number {
    return this.#spec.tokens;
  }
  get count(): number {
    return this.#slots.length;
  }
  /** Σ over decoding sequences of the keys the first verify position attends to (cached + itself) */
  get contextSum(): number {
    let sum = 0;
    for (const s of this.#slots) sum += this.#kv.get(s)! + 1;
    return sum;
  }

  /** a sequence starts decoding with `kvTokens` cached; it keeps the blocks it owns */
  enter(slot: number, kvTokens: number): void {
    this.#indexOf.set(slot, this.#slots.length);
    this.#slots.push(slot);
    this.#kv.set(slot, kvTokens);
  }

  /** a sequence leaves (preempted or finished) */
  leave(slot: number): void {
    const i = this.#indexOf.get(slot);
    if (i === undefined) return;
    const last = this.#slots.pop()!;
    if (last !== slot) {
      this.#slots[i] = last;
      this.#indexOf.set(last, i);
    }
    this.#indexOf.delete(slot);
    this.#kv.delete(slot);
  }

  has(slot: number): boolean {
    return this.#indexOf.has(slot);
  }

  /** blocks a sequence still needs for this step's lookahead */
  #need(slot: number): number {
    const pool = this.#pool;
    const held = pool.ownedBlocks[slot]! + pool.sharedBlocks[slot]!;
    return Math.max(0, lookaheadBlocks(this.#kv.get(slot)!, this.#spec.tokens, this.#blockSize) - held);
  }

  /**
   * Give every decoding sequence its lookahead blocks for the coming step, preempting the latest running
   * sequences while blocks run short. Returns whether anything was preempted.
   */
  reserveLookahead(host: KvHost, nowS: number): boolean {
    let preempted = false;
    for (;;) {
      let need = 0;
      for (const s of this.#slots) need += this.#need(s);
      if (need <= host.freeBlocks || this.#slots.length === 0) break;
      host.preemptLatest(nowS);
      preempted = true;
    }
    const pool = this.#pool;
    for (const s of this.#slots) {
      const n = this.#need(s);
      if (n === 0) continue;
      pool.ownedBlocks[s] = pool.ownedBlocks[s]! + n;
      host.freeBlocks -= n;
    }
    return preempted;
  }

  /**
   * The verify step ended: every sequence keeps its accepted drafts plus one token, streamed as one chunk
   * (`chunkGap(gapS, 1)` per sequence); `finished(slot)` for each that produced its last token.
   */
  advance(nowS: number, chunkGap: (gapS: number, chunks: number) => void, finished: (slot: number) => void): void {
    const pool = this.#pool;
    this.tokensLastStep = 0;
    // iterate over a copy: finishing sequences leave the set
    for (const slot of [...this.#slots]) {
      const remaining = pool.outputTokens[slot]! - pool.generated[slot]!;
      const emitted = Math.min(remaining, drawAccepted(this.#spec, this.#uniform) + 1);
      this.tokensLastStep += emitted;
      this.#kv.set(slot, this.#kv.get(slot)! + emitted);
      pool.generated[slot] = pool.generated[slot]! + emitted;
      chunkGap(nowS - pool.lastTokenS[slot]!, 1);
      pool.lastTokenS[slot] = nowS;
      if (pool.generated[slot]! >= pool.outputTokens[slot]!) {
        this.leave(slot);
        finished(slot);
      }
    }
  }
}
