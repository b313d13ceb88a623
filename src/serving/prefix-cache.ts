import { OrderedKeySet } from './ordered-key-set.ts';

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
  refs: number;
  /** cached blocks whose parent this is (radix eviction only evicts childless ones) */
  children: number;
  readonly parent: number | undefined;
}

/** Where an evicted block goes: dropped, or offered to a slower tier (offload). */
export interface EvictionSink {
  evicted(key: number): void;
}

export class PrefixCache {
  readonly mode: PrefixCacheMode;
  readonly #blocks = new Map<number, CachedBlock>();
  /** unread blocks in release order: the first is the LRU one */
  readonly #evictable = new OrderedKeySet();
  /** radix: unread blocks with no cached child, in release order */
  readonly #leaves = new OrderedKeySet();
  #unread = 0;
  readonly #sink: EvictionSink | undefined;
  /** blocks evicted so far */
  evictions = 0;

  constructor(mode: PrefixCacheMode, sink?: EvictionSink) {
    this.mode = mode;
    this.#sink = sink;
  }

  /** cached blocks nobody reads: free blocks the allocator may reclaim */
  get unreadBlocks(): number {
    return this.#unread;
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
        const k = keys.key(hits);
        this.#evictable.delete(k);
        this.#leaves.delete(k);
        this.#unread--;
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
    // tail first, so eviction takes a prompt's tail before its head (vLLM frees in reverse order)
    for (let i = Math.max(readBlocks, fullBlocks) - 1; i >= 0; i--) {
      const k = keys.key(i);
      const b = this.#blocks.get(k);
      if (i < readBlocks) {
        if (b === undefined || b.refs === 0) continue; // defensive: never below zero
        b.refs--;
        if (b.refs === 0) {
          this.#markUnread(k, b);
          freed++;
        }
      } else if (b === undefined) {
        const parent = i > 0 ? keys.key(i - 1) : undefined;
        // blocks are cached tail first: the child inserted just before this one hangs below it
        const child = this.#blocks.get(keys.key(i + 1));
        const block: CachedBlock = { refs: 0, children: child !== undefined && child.parent === k ? 1 : 0, parent };
        this.#blocks.set(k, block);
        const p = parent === undefined ? undefined : this.#blocks.get(parent);
        if (p !== undefined) this.#adoptChild(parent!, p);
        this.#markUnread(k, block);
      }
    }
    return freed;
  }

  /** evict least-recently-released unread blocks until at most `freeBlocks` are cached and unread */
  trim(freeBlocks: number): void {
    while (this.#unread > freeBlocks && this.#evictOne());
  }

  #markUnread(k: number, b: CachedBlock): void {
    this.#evictable.add(k);
    if (b.children === 0) this.#leaves.add(k);
    this.#unread++;
  }

  #adoptChild(parentKey: number, parent: CachedBlock): void {
    parent.children++;
    this.#leaves.delete(parentKey);
  }

  #evictOne(): boolean {
    // radix falls back to plain LRU only if its leaf bookkeeping ever runs dry (an orphaned subtree)
    const order = this.mode === 'radix' && this.#leaves.size > 0 ? this.#leaves : this.#evictable;
    const k = order.first();
    if (k === undefined) return false;
    const b = this.#blocks.get(k)!;
    this.#blocks.delete(k);
    this.#evictable.delete(k);
    this.#leaves.delete(k);
    this.#unread--;
    this.evictions++;
    const p = b.parent === undefined ? undefined : this.#blocks.get(b.parent);
    if (p !== undefined) {
      p.children--;
      if (p.children === 0 && p.refs === 0) this.#leaves.add(b.parent!);
    }
    this.#sink?.evicted(k);
    return true;
  }
}
