/**
 * LinkedOrder against an array model: the same values in the same order, and the same oldest value, after
 * any sequence of pushes, removals from anywhere and removals of the oldest.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinkedOrder, type OrderEntry } from '../../src/serving/linked-order.ts';

describe('LinkedOrder', () => {
  it('removing the oldest, the newest or one in the middle keeps the others in push order', () => {
    const o = new LinkedOrder<string>();
    const a = o.push('a');
    const b = o.push('b');
    const c = o.push('c');
    const d = o.push('d');
    o.remove(b);
    expect(o.oldest()).toBe('a');
    o.remove(a);
    expect(o.oldest()).toBe('c');
    o.remove(d);
    o.push('e');
    o.remove(c);
    expect(o.oldest()).toBe('e');
    expect(o.size).toBe(1);
  });

  it('behaves as an array of pushed values under any operations', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('evict' as const), at: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const o = new LinkedOrder<number>();
        const model: { value: number; entry: OrderEntry<number> }[] = [];
        let next = 0;
        for (const x of ops) {
          if (x.kind === 'push') {
            const value = next++;
            model.push({ value, entry: o.push(value) });
          } else if (model.length > 0) {
            const i = x.kind === 'evict' ? 0 : x.at % model.length;
            if (x.kind === 'evict') expect(o.oldest()).toBe(model[0]!.value);
            o.remove(model[i]!.entry);
            model.splice(i, 1);
          }
          expect(o.size).toBe(model.length);
          expect(o.oldest()).toBe(model[0]?.value);
        }
      }),
    );
  });
});
