import type { RequestPool } from './request-pool.ts';

/** A replica's running sequences in admission order: a doubly linked list through pool.prev/next. */
export class RunningList {
  readonly #pool: RequestPool;
  /** the newest running sequence; -1 when none runs */
  latest = -1;
  count = 0;

  constructor(pool: RequestPool) {
    this.#pool = pool;
  }

  append(slot: number): void {
    const pool = this.#pool;
    pool.prev[slot] = this.latest;
    pool.next[slot] = -1;
    if (this.latest >= 0) pool.next[this.latest] = slot;
    this.latest = slot;
    this.count++;
  }

  remove(slot: number): void {
    const pool = this.#pool;
    const p = pool.prev[slot]!;
    const n = pool.next[slot]!;
    if (p >= 0) pool.next[p] = n;
    if (n >= 0) pool.prev[n] = p;
    else this.latest = p;
    pool.prev[slot] = -1;
    pool.next[slot] = -1;
    this.count--;
  }
}
