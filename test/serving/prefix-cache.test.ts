/**
 * The prefix cache on its own: hash-chained lookups stop at the first miss, reads pin blocks, released
 * blocks become evictable, eviction is LRU (vllm) or leaves-first (radix), and never more blocks stay
 * cached-and-unread than the allocator has free.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BlockKeys, PrefixCache } from '../../src/serving/prefix-cache.ts';

/** sequence `s`: block i is s·1000 + i, except a shared first `shared` blocks (key i) */
const seq = (s: number, shared = 0): BlockKeys => ({ key: (i) => (i < shared ? i : s * 1000 + i) });

describe('PrefixCache', () => {
  it('a released sequence is found again, up to the blocks asked for', () => {
    const c = new PrefixCache('vllm');
    expect(c.acquire(seq(1), 10)).toEqual({ hits: 0, revived: 0 });
    expect(c.release(seq(1), 0, 4)).toBe(0);
    expect(c.unreadBlocks).toBe(4);
    expect(c.match(seq(1), 10)).toBe(4);
    expect(c.match(seq(1), 3)).toBe(3);
    expect(c.acquire(seq(1), 10)).toEqual({ hits: 4, revived: 4 });
    expect(c.unreadBlocks).toBe(0);
    // a second reader shares them without reviving anything
    expect(c.acquire(seq(1), 10)).toEqual({ hits: 4, revived: 0 });
    expect(c.release(seq(1), 4, 4)).toBe(0); // still read by the other
    expect(c.release(seq(1), 4, 6)).toBe(4); // last reader: 4 unread again, 2 new blocks cached
    expect(c.cachedBlocks).toBe(6);
    expect(c.unreadBlocks).toBe(6);
  });

  it('a lookup stops at the first miss: sequences share only their common prefix', () => {
    const c = new PrefixCache('vllm');
    c.release(seq(1, 3), 0, 5);
    expect(c.match(seq(2, 3), 10)).toBe(3);
    expect(c.match(seq(2, 0), 10)).toBe(0);
  });

  it('vllm evicts the least recently released block first, a sequence tail before its head', () => {
    const c = new PrefixCache('vllm');
    c.release(seq(1), 0, 3); // 1002, 1001, 1000 in that order
    c.release(seq(2), 0, 2);
    c.trim(4);
    expect(c.has(1002)).toBe(false);
    expect(c.has(1001)).toBe(true);
    expect(c.match(seq(1), 10)).toBe(2);
    c.trim(0);
    expect(c.cachedBlocks).toBe(0);
    expect(c.evictions).toBe(5);
  });

  it('radix evicts leaves only: a shared block outlives the branches below it', () => {
    const c = new PrefixCache('radix');
    c.release(seq(1, 2), 0, 4); // shared 0,1 then 1002,1003
    c.release(seq(2, 2), 0, 4); // 2002, 2003 below the same shared blocks
    c.trim(2);
    expect(c.has(0)).toBe(true);
    expect(c.has(1)).toBe(true);
    expect(c.cachedBlocks).toBe(2);
  });

  it('read blocks are never evicted, and trim keeps unread ≤ free', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('vllm' as const, 'radix' as const),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 10 })), { maxLength: 40 }),
        (mode, ops) => {
          const c = new PrefixCache(mode);
          const held: { s: number; read: number }[] = [];
          for (const [s, n, free] of ops) {
            const { hits } = c.acquire(seq(s, 2), n);
            held.push({ s, read: hits });
            if (held.length > 3) {
              const h = held.shift()!;
              c.release(seq(h.s, 2), h.read, n);
            }
            c.trim(free);
            expect(c.unreadBlocks).toBeLessThanOrEqual(free);
            for (const h of held) expect(c.match(seq(h.s, 2), h.read)).toBe(h.read);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
