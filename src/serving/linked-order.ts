/** One entry of a LinkedOrder: the value and its neighbours (the owner keeps it to remove the entry). */
export interface OrderEntry<T> {
  readonly value: T;
  previous: OrderEntry<T> | undefined;
  next: OrderEntry<T> | undefined;
}

/**
 * Values in the order they were pushed, with O(1) push, removal of any entry and look-up of the oldest:
 * a doubly linked list whose entries their owners hold (the prefix cache keeps a block's entry on the
 * block), so no map is consulted to remove one.
 */
export class LinkedOrder<T> {
  #oldest: OrderEntry<T> | undefined;
  #newest: OrderEntry<T> | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(value: T): OrderEntry<T> {
    const entry: OrderEntry<T> = { value, previous: this.#newest, next: undefined };
    if (this.#newest === undefined) this.#oldest = entry;
    else this.#newest.next = entry;
    this.#newest = entry;
    this.#size++;
    return entry;
  }

  remove(entry: OrderEntry<T>): void {
    if (entry.previous === undefined) this.#oldest = entry.next;
    else entry.previous.next = entry.next;
    if (entry.next === undefined) this.#newest = entry.previous;
    else entry.next.previous = entry.previous;
    entry.previous = entry.next = undefined;
    this.#size--;
  }

  oldest(): T | undefined {
    return this.#oldest?.value;
  }
}
