/**
 * A set of block keys in insertion order whose oldest member is found in O(1).
 *
 * Why not a Map's `keys().next()`: V8 leaves a deleted entry in place until the table is rebuilt, and an
 * iterator walks past every one of them. An LRU that always deletes its oldest entry therefore pays for
 * all the deletions before it on each lookup — in a prefix cache that thrashes, a replay ran 5× slower.
 *
 * Here the order is a doubly linked list threaded through typed arrays (slot → key, previous, next), with
 * freed slots reused, so memory follows the most members ever held and nothing is allocated per operation
 * once the arrays have grown. Semantics are a Map's: adding a key already present keeps its place.
 */
const NONE = -1;

export class OrderedKeySet {
  readonly #slotOf = new Map<number, number>();
  /** Float64Array: keys are integers beyond 32 bits (prefix-chained block keys) */
  #keys = new Float64Array(64);
  #previous = new Int32Array(64);
  #next = new Int32Array(64);
  readonly #freeSlots: number[] = [];
  #slotsUsed = 0;
  #oldest = NONE;
  #newest = NONE;

  get size(): number {
    return this.#slotOf.size;
  }

  has(key: number): boolean {
    return this.#slotOf.has(key);
  }

  add(key: number): void {
    if (this.#slotOf.has(key)) return;
    const slot = this.#freeSlots.pop() ?? this.#newSlot();
    this.#keys[slot] = key;
    this.#previous[slot] = this.#newest;
    this.#next[slot] = NONE;
    if (this.#newest === NONE) this.#oldest = slot;
    else this.#next[this.#newest] = slot;
    this.#newest = slot;
    this.#slotOf.set(key, slot);
  }

  delete(key: number): boolean {
    const slot = this.#slotOf.get(key);
    if (slot === undefined) return false;
    const before = this.#previous[slot]!;
    const after = this.#next[slot]!;
    if (before === NONE) this.#oldest = after;
    else this.#next[before] = after;
    if (after === NONE) this.#newest = before;
    else this.#previous[after] = before;
    this.#slotOf.delete(key);
    this.#freeSlots.push(slot);
    return true;
  }

  /** the oldest member, or undefined when empty */
  first(): number | undefined {
    return this.#oldest === NONE ? undefined : this.#keys[this.#oldest];
  }

  #newSlot(): number {
    if (this.#slotsUsed === this.#keys.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.#keys = grow(this.#keys, (n) => new Float64Array(n));
      this.#previous = grow(this.#previous, (n) => new Int32Array(n));
      this.#next = grow(this.#next, (n) => new Int32Array(n));
    }
    return this.#slotsUsed++;
  }
}
