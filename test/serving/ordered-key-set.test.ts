/**
 * OrderedKeySet against the Map it replaces: the same members and the same oldest member after any
 * sequence of adds, deletes and evictions of the oldest, including keys deleted and added again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderedKeySet } from '../../src/serving/ordered-key-set.ts';

const oldestOf = (m: Map<number, true>): number | undefined => m.keys().next().value;

describe('OrderedKeySet', () => {
  it('a key added again while present keeps its place; deleted and added again, it goes last', () => {
    const s = new OrderedKeySet();
    s.add(1);
    s.add(2);
    s.add(1);
    expect(s.first()).toBe(1);
    s.delete(1);
    expect(s.first()).toBe(2);
    s.add(1);
    s.delete(2);
    expect(s.first()).toBe(1);
    s.delete(1);
    expect(s.first()).toBeUndefined();
    expect(s.size).toBe(0);
  });

  it('behaves as an insertion-ordered Map under any operations', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), key: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 30 }) }),
      fc.record({ kind: fc.constant('evict' as const), key: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
        const s = new OrderedKeySet();
        const m = new Map<number, true>();
        for (const o of ops) {
          if (o.kind === 'add') {
            s.add(o.key);
            m.set(o.key, true);
          } else if (o.kind === 'delete') {
            expect(s.delete(o.key)).toBe(m.delete(o.key));
          } else {
            const k = oldestOf(m);
            expect(s.first()).toBe(k);
            if (k !== undefined) {
              s.delete(k);
              m.delete(k);
            }
          }
          expect(s.size).toBe(m.size);
        }
        expect(s.first()).toBe(oldestOf(m));
      }),
    );
  });

  it('keeps finding the oldest after many deletions, at the head and in the middle (slots are reused)', () => {
    const s = new OrderedKeySet();
    for (let k = 0; k < 20_000; k++) s.add(k);
    for (let k = 0; k < 15_000; k++) {
      expect(s.first()).toBe(k);
      s.delete(k);
    }
    // deletions in the middle, then enough adds to force rebuilds
    for (let k = 15_001; k < 20_000; k += 2) s.delete(k);
    for (let k = 20_000; k < 40_000; k++) {
      s.add(k);
      s.delete(k - 1);
    }
    s.add(3); // re-added after its deletion: now the newest
    expect(s.first()).toBe(15_000);
    s.delete(15_000);
    expect(s.first()).toBe(15_002);
    expect(s.size).toBe(2_500 - 1 + 2);
  });
});
