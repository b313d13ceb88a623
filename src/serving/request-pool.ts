/**
 * Request state as struct-of-arrays with slot reuse: a simulation of millions of requests holds only the
 * requests in flight. A slot is released when its request finishes or is rejected.
 */
export const enum Phase {
  Free = 0,
  Waiting = 1,
  Prefilling = 2,
  Decoding = 3,
}

/**
 * The narrow read view of a finished request that metrics get: values, not the pool's layout. One object
 * per pool, refilled by summary(slot): read it before the next call.
 */
export interface RequestSummary {
  readonly id: number;
  readonly replica: number;
  /** inside the measurement window */
  readonly counted: boolean;
  readonly arrivalS: number;
  /** first admitted to a batch */
  readonly scheduledS: number;
  readonly firstTokenS: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly preemptions: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export class RequestPool {
  capacity = 0;
  // identity and workload
  id = new Float64Array(0);
  arrivalS = new Float64Array(0);
  inputTokens = new Int32Array(0);
  outputTokens = new Int32Array(0);
  stream = new Int32Array(0); // closed-loop stream, -1 for open loop
  replica = new Int32Array(0);
  counted = new Uint8Array(0); // 1 when inside the measurement window
  // scheduling state
  phase = new Uint8Array(0);
  promptTokens = new Int32Array(0); // tokens the next prefill must cover (grows after a preemption)
  prefilled = new Int32Array(0);
  generated = new Int32Array(0); // output tokens produced before the current decode phase began
  kvAtDecodeStart = new Int32Array(0);
  decodeStartStep = new Float64Array(0);
  ownedBlocks = new Int32Array(0); // blocks held, for sequences not tracked by the decode aggregate
  sharedBlocks = new Int32Array(0); // prefix-cache blocks this request reads but does not own
  epoch = new Int32Array(0); // bumped on preemption: stale finish-heap entries are skipped
  preemptions = new Int32Array(0);
  // timestamps
  scheduledS = new Float64Array(0);
  firstTokenS = new Float64Array(0);
  lastTokenS = new Float64Array(0);
  // admission-ordered running list of a replica
  prev = new Int32Array(0);
  next = new Int32Array(0);

  #free: number[] = [];
  #inUse = 0;
  readonly #summary: Mutable<RequestSummary> = {
    id: 0,
    replica: 0,
    counted: false,
    arrivalS: 0,
    scheduledS: 0,
    firstTokenS: 0,
    inputTokens: 0,
    outputTokens: 0,
    preemptions: 0,
  };

  /** the request in `slot` as values (a reused object: valid until the next call) */
  summary(slot: number): RequestSummary {
    const r = this.#summary;
    r.id = this.id[slot]!;
    r.replica = this.replica[slot]!;
    r.counted = this.counted[slot] === 1;
    r.arrivalS = this.arrivalS[slot]!;
    r.scheduledS = this.scheduledS[slot]!;
    r.firstTokenS = this.firstTokenS[slot]!;
    r.inputTokens = this.inputTokens[slot]!;
    r.outputTokens = this.outputTokens[slot]!;
    r.preemptions = this.preemptions[slot]!;
    return r;
  }

  get inUse(): number {
    return this.#inUse;
  }

  allocate(): number {
    if (this.#free.length === 0) this.#grow();
    const slot = this.#free.pop()!;
    this.#inUse++;
    this.phase[slot] = Phase.Waiting;
    this.prefilled[slot] = 0;
    this.generated[slot] = 0;
    this.ownedBlocks[slot] = 0;
    this.sharedBlocks[slot] = 0;
    this.preemptions[slot] = 0;
    this.scheduledS[slot] = -1;
    this.firstTokenS[slot] = -1;
    this.lastTokenS[slot] = -1;
    this.prev[slot] = -1;
    this.next[slot] = -1;
    this.stream[slot] = -1;
    this.counted[slot] = 1;
    return slot;
  }

  release(slot: number): void {
    this.phase[slot] = Phase.Free;
    this.epoch[slot] = this.epoch[slot]! + 1;
    this.#free.push(slot);
    this.#inUse--;
  }

  #grow(): void {
    const old = this.capacity;
    const cap = Math.max(64, old * 2);
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    this.id = f64(this.id);
    this.arrivalS = f64(this.arrivalS);
    this.inputTokens = i32(this.inputTokens);
    this.outputTokens = i32(this.outputTokens);
    this.stream = i32(this.stream);
    this.replica = i32(this.replica);
    this.counted = u8(this.counted);
    this.phase = u8(this.phase);
    this.promptTokens = i32(this.promptTokens);
    this.prefilled = i32(this.prefilled);
    this.generated = i32(this.generated);
    this.kvAtDecodeStart = i32(this.kvAtDecodeStart);
    this.decodeStartStep = f64(this.decodeStartStep);
    this.ownedBlocks = i32(this.ownedBlocks);
    this.sharedBlocks = i32(this.sharedBlocks);
    this.epoch = i32(this.epoch);
    this.preemptions = i32(this.preemptions);
    this.scheduledS = f64(this.scheduledS);
    this.firstTokenS = f64(this.firstTokenS);
    this.lastTokenS = f64(this.lastTokenS);
    this.prev = i32(this.prev);
    this.next = i32(this.next);
    for (let s = cap - 1; s >= old; s--) this.#free.push(s);
    this.capacity = cap;
  }
}
