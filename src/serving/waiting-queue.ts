import { ArrivalRing } from './arrival-ring.ts';
import type { BlockKeys } from './prefix-cache.ts';
import { Phase, type RequestPool } from './request-pool.ts';

/**
 * A replica's waiting queue, in admission order: preempted sequences (a stack: the latest preempted is
 * admitted first), then requests handed off by a prefill pool (P/D decode role, FIFO), then arrivals FCFS.
 * An arrival holds no pool slot while it waits: its few fields sit in a compact ring and it is
 * materialised into a slot when it reaches the head, so an overloaded queue costs 33 bytes per request.
 */
export class WaitingQueue {
  readonly #pool: RequestPool;
  readonly #replica: number;
  readonly #blockSize: number;
  readonly #preempted: number[] = [];
  readonly #transferred: number[] = [];
  readonly #fresh = new ArrivalRing();
  /** the fresh head, materialised into a slot for the admission check; -1 when not yet */
  #freshHeadSlot = -1;

  constructor(pool: RequestPool, replica: number, blockSize: number) {
    this.#pool = pool;
    this.#replica = replica;
    this.#blockSize = blockSize;
  }

  get length(): number {
    return this.#preempted.length + this.#transferred.length + this.#fresh.length;
  }
  /** arrival time of the oldest arrival still waiting for admission; Infinity when none waits */
  get oldestArrivalS(): number {
    return this.#fresh.length > 0 ? this.#fresh.headArrivalS : Infinity;
  }
  /** the head is a fresh arrival that arrived after `cutoffS` (async scheduling admits it next plan) */
  headArrivedAfter(cutoffS: number): boolean {
    return this.#preempted.length === 0 && this.#transferred.length === 0 && this.#fresh.length > 0 && this.#fresh.headArrivalS > cutoffS;
  }

  pushFresh(id: number, arrivalS: number, inputTokens: number, outputTokens: number, stream: number, counted: boolean, sharedBlocks: number, keys?: BlockKeys): void {
    this.#fresh.push(id, arrivalS, inputTokens, outputTokens, stream, counted, sharedBlocks, keys);
  }
  pushPreempted(slot: number): void {
    this.#preempted.push(slot);
  }
  /** a handed-off request: its prompt's KV is here but for the last token, which this replica computes */
  pushTransferred(slot: number): void {
    const pool = this.#pool;
    pool.replica[slot] = this.#replica;
    pool.sharedBlocks[slot] = 0;
    pool.ownedBlocks[slot] = 0;
    pool.prefilled[slot] = pool.promptTokens[slot]! - 1;
    pool.phase[slot] = Phase.Waiting;
    this.#transferred.push(slot);
  }

  /** the slot at the head (materialising a fresh arrival), or -1 when none waits */
  head(): number {
    const n = this.#preempted.length;
    if (n > 0) return this.#preempted[n - 1]!;
    if (this.#transferred.length > 0) return this.#transferred[0]!;
    if (this.#fresh.length === 0) return -1;
    if (this.#freshHeadSlot < 0) this.#freshHeadSlot = this.#fresh.materializeHead(this.#pool, this.#replica, this.#blockSize);
    return this.#freshHeadSlot;
  }

  pop(): void {
    if (this.#preempted.length > 0) this.#preempted.pop();
    else if (this.#transferred.length > 0) this.#transferred.shift();
    else {
      this.#fresh.shift();
      this.#freshHeadSlot = -1;
    }
  }
}
