import type { RequestPool } from './request-pool.ts';

/** FIFO ring of waiting arrivals as struct-of-arrays: 33 bytes a request (up to twice that while it grows), no pool slot. */
export class ArrivalRing {
  #cap = 64;
  #head = 0;
  length = 0;
  #id = new Float64Array(this.#cap);
  #arrivalS = new Float64Array(this.#cap);
  #input = new Int32Array(this.#cap);
  #output = new Int32Array(this.#cap);
  #stream = new Int32Array(this.#cap);
  #shared = new Int32Array(this.#cap);
  #counted = new Uint8Array(this.#cap);

  get headArrivalS(): number {
    return this.#arrivalS[this.#head]!;
  }

  /** scalars rather than an object: this runs once per request */
  push(id: number, arrivalS: number, inputTokens: number, outputTokens: number, stream: number, counted: boolean, sharedBlocks: number): void {
    if (this.length === this.#cap) this.#grow();
    const i = (this.#head + this.length) % this.#cap;
    this.#id[i] = id;
    this.#arrivalS[i] = arrivalS;
    this.#input[i] = inputTokens;
    this.#output[i] = outputTokens;
    this.#stream[i] = stream; // closed-loop stream, -1 for open loop
    this.#shared[i] = sharedBlocks; // prefix-cache blocks read, not owned
    this.#counted[i] = counted ? 1 : 0;
    this.length++;
  }

  shift(): void {
    this.#head = (this.#head + 1) % this.#cap;
    this.length--;
  }

  /** copy the head into a fresh pool slot (it stays in the ring until shifted) */
  materializeHead(pool: RequestPool, replica: number, blockSize: number): number {
    const i = this.#head;
    const slot = pool.allocate();
    pool.id[slot] = this.#id[i]!;
    pool.arrivalS[slot] = this.#arrivalS[i]!;
    pool.inputTokens[slot] = this.#input[i]!;
    pool.outputTokens[slot] = this.#output[i]!;
    pool.promptTokens[slot] = this.#input[i]!;
    pool.stream[slot] = this.#stream[i]!;
    pool.counted[slot] = this.#counted[i]!;
    pool.replica[slot] = replica;
    pool.sharedBlocks[slot] = this.#shared[i]!;
    pool.prefilled[slot] = this.#shared[i]! * blockSize;
    return slot;
  }

  #grow(): void {
    const cap = this.#cap * 2;
    const order = (a: Float64Array | Int32Array | Uint8Array, b: Float64Array | Int32Array | Uint8Array) => {
      for (let k = 0; k < this.length; k++) b[k] = a[(this.#head + k) % this.#cap]!;
    };
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      order(a, b);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      order(a, b);
      return b;
    };
    this.#id = f64(this.#id);
    this.#arrivalS = f64(this.#arrivalS);
    this.#input = i32(this.#input);
    this.#output = i32(this.#output);
    this.#stream = i32(this.#stream);
    this.#shared = i32(this.#shared);
    const c = new Uint8Array(cap);
    order(this.#counted, c);
    this.#counted = c;
    this.#head = 0;
    this.#cap = cap;
  }
}
