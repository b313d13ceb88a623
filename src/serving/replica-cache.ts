import { type EvictionSink, PrefixCache, type PrefixCacheMode } from './prefix-cache.ts';
import type { RequestPool } from './request-pool.ts';

/** Prefix-cache counters of one replica, summed over replicas for the result. */
export interface PrefixCacheCounters {
  /** first admissions (a request's own lookup, not its readmission after a preemption) */
  lookups: number;
  /** prompt tokens those admissions had to cover */
  promptTokens: number;
  /** of them, tokens found cached: prefill compute saved */
  hitTokens: number;
  /** tokens a preempted request found cached again when readmitted (recompute saved) */
  readmissionHitTokens: number;
  /** of the hits, tokens loaded back from an offload tier rather than found on the GPU */
  offloadHitTokens: number;
}

/**
 * The link between a replica's request slots and its prefix cache: an admission reads the leading cached
 * blocks of its prompt (they skip prefill but hold KV), and a request that leaves gives its full blocks to
 * the cache. Both return block-count changes for the replica's free-block count, which stays the replica's.
 */
export class ReplicaPrefixCache {
  readonly cache: PrefixCache;
  readonly counters: PrefixCacheCounters = { lookups: 0, promptTokens: 0, hitTokens: 0, readmissionHitTokens: 0, offloadHitTokens: 0 };
  readonly #blockSize: number;

  constructor(mode: PrefixCacheMode, blockSize: number, sink?: EvictionSink) {
    this.cache = new PrefixCache(mode, sink);
    this.#blockSize = blockSize;
  }

  /**
   * Before the first admission check of a request (again after a preemption): read its cached prefix.
   * At least one prompt token is always computed (the engine needs its logits), as in vLLM. Returns the
   * cached blocks this takes off the free pool (unread blocks that now have a reader).
   */
  lookup(pool: RequestPool, slot: number): number {
    if (pool.cacheRead[slot]! >= 0) return 0;
    const keys = pool.keys[slot];
    if (keys === undefined) {
      pool.cacheRead[slot] = 0;
      return 0;
    }
    const b = this.#blockSize;
    const prompt = pool.promptTokens[slot]!;
    const { hits, revived } = this.cache.acquire(keys, Math.floor((prompt - 1) / b));
    pool.cacheRead[slot] = hits;
    pool.sharedBlocks[slot] = hits;
    pool.prefilled[slot] = hits * b;
    const c = this.counters;
    if (pool.preemptions[slot]! > 0) {
      c.readmissionHitTokens += hits * b;
    } else {
      c.lookups++;
      c.promptTokens += prompt;
      c.hitTokens += hits * b;
    }
    return revived;
  }

  /**
   * A request gives up its KV (finished or preempted): its computed full blocks enter the cache and its
   * reads end. `pool.prefilled` holds the tokens whose KV it computed. Returns the read blocks that became
   * unread (free again, beyond the blocks it owned).
   */
  release(pool: RequestPool, slot: number): number {
    const read = pool.cacheRead[slot]!;
    const keys = pool.keys[slot];
    if (read < 0 || keys === undefined) return 0;
    const held = pool.sharedBlocks[slot]! + pool.ownedBlocks[slot]!;
    const full = Math.min(held, Math.floor(pool.prefilled[slot]! / this.#blockSize));
    const freed = this.cache.release(keys, read, full);
    pool.cacheRead[slot] = -1;
    pool.sharedBlocks[slot] = 0;
    return freed;
  }
}
