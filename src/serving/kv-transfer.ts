import type { RequestPool } from './request-pool.ts';
import { LinkedOrder, type OrderEntry } from './linked-order.ts';

/**
 * KV moved between GPU memory and host memory over the replica's host link (PCIe, or NVLink-C2C on
 * GH200/GB200): loading offloaded prefix blocks back on a hit, and swap-style preemption. A transfer costs
 * bytes / bandwidth + a fixed latency; it is serialised with the step that needs it (the step is longer by
 * the transfer), which is the conservative reading: engines that overlap the copy with compute do better.
 */
export interface KvTransferLink {
  /** KV bytes per token that cross one GPU's link (the GPU's shard: TP and PP split it) */
  readonly bytesPerToken: number;
  readonly bandwidthBytesPerS: number;
  readonly latencyS: number;
}

export class KvTransfer {
  readonly #link: KvTransferLink;
  #pendingS = 0;
  /** tokens moved in each direction so far */
  tokensIn = 0;
  tokensOut = 0;

  constructor(link: KvTransferLink) {
    this.#link = link;
  }

  timeS(tokens: number): number {
    return tokens > 0 ? (tokens * this.#link.bytesPerToken) / this.#link.bandwidthBytesPerS + this.#link.latencyS : 0;
  }

  /** host → GPU: the step being planned waits for it */
  load(tokens: number): void {
    this.tokensIn += tokens;
    this.#pendingS += this.timeS(tokens);
  }

  /** a slower source → GPU (a disk tier's read link): the same step waits for it, at that link's cost */
  loadOver(link: KvTransfer, tokens: number): void {
    link.tokensIn += tokens;
    this.#pendingS += link.timeS(tokens);
  }

  /** GPU → host (swap out): the step being planned waits for it */
  store(tokens: number): void {
    this.tokensOut += tokens;
    this.#pendingS += this.timeS(tokens);
  }

  /** transfer time charged to the step being planned; resets */
  takePendingS(): number {
    const t = this.#pendingS;
    this.#pendingS = 0;
    return t;
  }
}

/** swap preemption: the computed KV beyond the shared prefix goes to host memory over the host link */
export function swapOut(link: KvTransfer, pool: RequestPool, slot: number, blockSize: number): void {
  pool.swappedTokens[slot] = pool.prefilled[slot]!;
  link.store(pool.prefilled[slot]! - pool.sharedBlocks[slot]! * blockSize);
}

/** readmitted after a swap: what the cache did not hold comes back from host memory (reserved like prefill) */
export function swapIn(link: KvTransfer, pool: RequestPool, slot: number): void {
  link.load(pool.swappedTokens[slot]! - pool.prefilled[slot]!);
  pool.prefilled[slot] = pool.swappedTokens[slot]!;
  pool.swappedTokens[slot] = 0;
}

/**
 * An LRU set of block keys in a slower tier: blocks evicted from the GPU cache land in host memory, and
 * blocks host memory evicts land in the next tier (local disk) when there is one.
 */
export class OffloadTier {
  readonly capacityBlocks: number;
  /** held blocks, least recently used first; the map finds a block's entry in that order */
  readonly #order = new LinkedOrder<number>();
  readonly #entries = new Map<number, OrderEntry<number>>();
  readonly #next: OffloadTier | undefined;
  constructor(capacityBlocks: number, next?: OffloadTier) {
    this.capacityBlocks = capacityBlocks;
    this.#next = next;
  }
  get size(): number {
    return this.#entries.size;
  }
  evicted(key: number): void {
    if (this.capacityBlocks <= 0) return;
    this.#remove(key);
    this.#entries.set(key, this.#order.push(key));
    if (this.#entries.size > this.capacityBlocks) {
      const oldest = this.#order.oldest()!;
      this.#remove(oldest);
      this.#next?.evicted(oldest);
    }
  }
  /** whether the tier holds it; a hit becomes the most recently used */
  touch(key: number): boolean {
    if (!this.#remove(key)) return false;
    this.#entries.set(key, this.#order.push(key));
    return true;
  }

  #remove(key: number): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    this.#order.remove(entry);
    this.#entries.delete(key);
    return true;
  }
}
