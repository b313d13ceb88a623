import { LinkedOrder, type OrderEntry } from './linked-order.ts';

/**
 * A simulated prefix cache for one replica's paged KV: which full KV blocks are still resident, who reads
 * them, and which to evict when the allocator needs room.
 *
 * Blocks are named by keys that are prefix-chained: a request's block i has key `keys.key(i)`, and two
 * requests with the same key at block i hold the same tokens in blocks 0..i (vLLM's automatic prefix
 * caching hashes each block together with its parent's hash for exactly this reason). A lookup therefore
 * walks a request's keys from block 0 and stops at the first miss.
 *
 * Capacity is not a separate number: a cached block nobody reads is a *free* block the allocator may take
 * back (vLLM keeps such blocks on its free queue). The replica keeps its own free-block count, which
 * includes the evictable cached blocks, and calls `trim(freeBlocks)` whenever it hands out blocks; the cache
 * evicts until no more blocks are cached-and-unread than are free. Every operation is O(blocks touched)
 * with hash maps: no per-token work.
 *
 *   vllm    LRU over every unread block (vLLM's free queue: a request's blocks are freed tail first, so the
 *           tail of a prompt goes before its head); evicting a middle block orphans the blocks after it.
 *   radix   SGLang's radix tree: only leaves are evicted (a node goes once nothing cached hangs below it),
 *           least recently released first.
 */
export type PrefixCacheMode = 'vllm' | 'radix';
export const PREFIX_CACHE_MODES: readonly PrefixCacheMode[] = ['vllm', 'radix'];

/** The block keys of one request's token sequence (block i covers tokens [i·B, (i+1)·B)). */
export interface BlockKeys {
  key(block: number): number;
}

interface CachedBlock {
  readonly key: number;
  refs: number;
  /** cached blocks whose parent this is (radix eviction only evicts childless ones) */
  children: number;
  readonly parent: number | undefined;
  /** its place among the unread blocks, while unread */
  unread: OrderEntry<CachedBlock> | undefined;
  /** radix: its place among the unread childless blocks, while it is one */
  leaf: OrderEntry<CachedBlock> | undefined;
}

/** Where an evicted block goes: dropped, or offered to a slower tier (offload). */
export interface EvictionSink {
  evicted(key: number): void;
}

export class PrefixCache {
  readonly mode: PrefixCacheMode;
  readonly #blocks = new Map<number, CachedBlock>();
  /** unread blocks in release order: the oldest is the LRU one */
  readonly #evictable = new LinkedOrder<CachedBlock>();
  /** radix: unread blocks with no cached child, in release order (vllm mode keeps none) */
  readonly #leaves = new LinkedOrder<CachedBlock>();
  readonly #radix: boolean;
  readonly #sink: EvictionSink | undefined;
  /** blocks evicted so far */
  evictions = 0;

  constructor(mode: PrefixCacheMode, sink?: EvictionSink) {
    this.mode = mode;
    this.#radix = mode === 'radix';
    this.#sink = sink;
  }

  /** cached blocks nobody reads: free blocks the allocator may reclaim */
  get unreadBlocks(): number {
    return this.#evictable.size;
  }
  get cachedBlocks(): number {
    return this.#blocks.size;
  }
  has(key: number): boolean {
    return this.#blocks.has(key);
  }

  /** how many leading blocks (at most maxBlocks) are cached, without touching them */
  match(keys: BlockKeys, maxBlocks: number): number {
    let n = 0;
    while (n < maxBlocks && this.#blocks.has(keys.key(n))) n++;
    return n;
  }

  /**
   * Read the leading cached blocks (at most maxBlocks): each gains a reader. Returns the hit count and how
   * many of them were unread (those leave the free pool: the caller takes them off its free count).
   */
  acquire(keys: BlockKeys, maxBlocks: number): { hits: number; revived: number } {
    let hits = 0;
    let revived = 0;
    for (; hits < maxBlocks; hits++) {
      const b = this.#blocks.get(keys.key(hits));
      if (b === undefined) break;
      if (b.refs === 0) {
        this.#markRead(b);
        revived++;
      }
      b.refs++;
    }
    return { hits, revived };
  }

  /**
   * A request gives back its blocks: the first `readBlocks` were cache hits it read; blocks up to
   * `fullBlocks` it computed itself and now enter the cache (unless another request cached the same
   * content meanwhile). Returns how many hit blocks became unread (they rejoin the free pool).
   */
  release(keys: BlockKeys, readBlocks: number, fullBlocks: number): number {
    let freed = 0;
    const top = Math.max(readBlocks, fullBlocks);
    if (top === 0) return 0;
    // walking down the chain, each block's look-up serves as the next one's parent and child
    let child = this.#blocks.get(keys.key(top));
    let k = keys.key(top - 1);
    let b = this.#blocks.get(k);
    // tail first, so eviction takes a prompt's tail before its head (vLLM frees in reverse order)
    for (let i = top - 1; i >= 0; i--) {
      const parentKey = i > 0 ? keys.key(i - 1) : undefined;
      let here = b;
      if (i < readBlocks) {
        if (b !== undefined && b.refs > 0) {
          b.refs--;
          if (b.refs === 0) {
            this.#markUnread(b);
            freed++;
          }
        } // else defensive: never below zero
      } else if (b === undefined) {
        // blocks are cached tail first: the child inserted just before this one hangs below it
        const children = child !== undefined && child.parent === k ? 1 : 0;
        here = { key: k, refs: 0, children, parent: parentKey, unread: undefined, leaf: undefined };
        this.#blocks.set(k, here);
        const p = parentKey === undefined ? undefined : this.#blocks.get(parentKey);
        if (p !== undefined) this.#adoptChild(p);
        this.#markUnread(here);
      }
      child = here;
      if (parentKey === undefined) break;
      k = parentKey;
      b = this.#blocks.get(k);
    }
    return freed;
  }

  /** evict least-recently-released unread blocks until at most `freeBlocks` are cached and unread */
  trim(freeBlocks: number): void {
    while (this.#evictable.size > freeBlocks && this.#evictOne());
  }

  #markUnread(b: CachedBlock): void {
    b.unread ??= this.#evictable.push(b);
    if (this.#radix && b.children === 0) b.leaf ??= this.#leaves.push(b);
  }

  #markRead(b: CachedBlock): void {
    if (b.unread !== undefined) this.#evictable.remove(b.unread);
    b.unread = undefined;
    if (b.leaf !== undefined) this.#leaves.remove(b.leaf);
    b.leaf = undefined;
  }

  #adoptChild(parent: CachedBlock): void {
    parent.children++;
    if (parent.leaf !== undefined) this.#leaves.remove(parent.leaf);
    parent.leaf = undefined;
  }

  #evictOne(): boolean {
    // radix falls back to plain LRU only if its leaf bookkeeping ever runs dry (an orphaned subtree)
    const b = (this.#radix && this.#leaves.size > 0 ? this.#leaves : this.#evictable).oldest();
    if (b === undefined) return false;
    this.#blocks.delete(b.key);
    this.#markRead(b);
    this.evictions++;
    const p = b.parent === undefined ? undefined : this.#blocks.get(b.parent);
    if (p !== undefined) {
      p.children--;
      if (this.#radix && p.children === 0 && p.refs === 0) p.leaf ??= this.#leaves.push(p);
    }
    this.#sink?.evicted(b.key);
    return true;
  }
}
