/**
 * A min-heap of events keyed by (time, sequence number), over parallel typed arrays. The sequence number
 * breaks ties in insertion order, so runs are deterministic; typed arrays keep the heap free of per-event
 * objects (the simulator pushes millions of events). serving/finish-heap.ts is a second heap on purpose: it
 * keeps no insertion order among equal keys, and its comment says why the two are not shared.
 */
export class EventQueue {
  #time: Float64Array;
  #seq: Float64Array;
  #payload: Int32Array;
  #size = 0;
  #nextSeq = 0;

  constructor(initialCapacity = 64) {
    this.#time = new Float64Array(initialCapacity);
    this.#seq = new Float64Array(initialCapacity);
    this.#payload = new Int32Array(initialCapacity);
  }

  get size(): number {
    return this.#size;
  }

  /** time of the earliest event; Infinity when empty */
  peekTime(): number {
    return this.#size > 0 ? this.#time[0]! : Infinity;
  }

  push(time: number, payload: number): void {
    if (this.#size === this.#time.length) this.#grow();
    let i = this.#size++;
    const seq = this.#nextSeq++;
    const t = this.#time;
    const s = this.#seq;
    const p = this.#payload;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = t[parent]!;
      if (pt < time || (pt === time && s[parent]! < seq)) break;
      t[i] = pt;
      s[i] = s[parent]!;
      p[i] = p[parent]!;
      i = parent;
    }
    t[i] = time;
    s[i] = seq;
    p[i] = payload;
  }

  /** remove the earliest event and return its payload; the caller reads peekTime() first for its time */
  pop(): number {
    if (this.#size === 0) throw new RangeError('pop from an empty EventQueue');
    const t = this.#time;
    const s = this.#seq;
    const p = this.#payload;
    const top = p[0]!;
    const n = --this.#size;
    if (n > 0) {
      const lt = t[n]!;
      const ls = s[n]!;
      const lp = p[n]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && (t[r]! < t[l]! || (t[r] === t[l] && s[r]! < s[l]!))) c = r;
        if (lt < t[c]! || (lt === t[c] && ls < s[c]!)) break;
        t[i] = t[c]!;
        s[i] = s[c]!;
        p[i] = p[c]!;
        i = c;
      }
      t[i] = lt;
      s[i] = ls;
      p[i] = lp;
    }
    return top;
  }

  #grow(): void {
    const cap = this.#time.length * 2;
    const t = new Float64Array(cap);
    t.set(this.#time);
    const s = new Float64Array(cap);
    s.set(this.#seq);
    const p = new Int32Array(cap);
    p.set(this.#payload);
    this.#time = t;
    this.#seq = s;
    this.#payload = p;
  }
}
