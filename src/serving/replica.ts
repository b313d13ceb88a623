import type { PreparedDeployment } from '../cost/prepare.ts';
import { causalKeyCount, type StepCostModel, type StepShape } from '../cost/step-cost.ts';
import { FinishHeap } from './finish-heap.ts';
import type { SchedulerPolicy } from './policy.ts';
import { Phase, type RequestPool } from './request-pool.ts';
import { type SpeculativeHost, SpeculativeDecoders } from './speculative-decoders.ts';

/** What a replica tells the world; implemented by the metrics collector and the cluster. */
export interface ReplicaSink {
  /** `tokens` sequences each produced one token `gapS` after their previous one */
  tokenGaps(gapS: number, tokens: number): void;
  /** a request produced its last token; the sink releases the slot */
  finished(slot: number, nowS: number): void;
  /** a request was admitted to the batch for the first time */
  admitted(): void;
  /** a step ran: for engine statistics */
  stepDone(replica: number, durationS: number, decodeSeqs: number, prefillTokens: number): void;
  /** P/D: a prefill-pool replica finished a request's prefill; its KV goes to a decode pool (the slot lives on) */
  handOff?(slot: number, nowS: number): void;
}

/**
 * What a replica does in prefill/decode disaggregation: `mixed` serves whole requests; `prefill` runs the
 * prompt and hands the request off (its KV is sent, nothing is sampled here); `decode` admits handed-off
 * requests with their prompt's KV already present but the last prompt token, which it computes to sample
 * the first output token (as vLLM's KV connectors load all but the last prompt token).
 */
export type ReplicaRole = 'mixed' | 'prefill' | 'decode';
export interface ReplicaOptions {
  /** the seeded [0, 1) stream speculative acceptance is drawn from (needed only with speculation) */
  readonly uniform?: (() => number) | undefined;
  readonly role?: ReplicaRole;
}

/**
 * One data-parallel replica: waiting queue, running sequences, paged KV cache, and the step loop.
 *
 * Decoding sequences are never visited one by one. They all advance one token per step, so the replica
 * keeps (a) a decode-step counter D, (b) Σ(KV length at decode start − D at decode start) for the
 * attention context sum, (c) counts of sequences by (KV length − D) mod block size, which says how many
 * need a fresh KV block at each step, and (d) a heap of the step at which each one finishes. A step thus
 * costs O(1 + prefill chunks + finishing sequences), independent of batch size.
 */
export class Replica {
  readonly index: number;
  readonly #pool: RequestPool;
  readonly #policy: SchedulerPolicy;
  readonly #sink: ReplicaSink;
  readonly #cost: StepCostModel;
  readonly #blockSize: number;
  readonly #maxBatchedTokens: number;
  readonly #maxSeqs: number;
  readonly #chunked: boolean;
  /**
   * Async scheduling (vLLM V1, SGLang): step N+1 is planned while step N runs, so a request that arrives
   * during step N can join step N+2 at the earliest — it waits for the rest of N and all of N+1. Only
   * requests that arrived by the start of the step that just ended are admitted; an idle engine admits at once.
   */
  readonly #asyncScheduling: boolean;
  #admitArrivedByS = Infinity;
  readonly totalBlocks: number;
  readonly #pinnedBlocks: number;
  freeBlocks: number;

  // Waiting queue: preempted sequences (a stack: the latest preempted is admitted first), then arrivals
  // FCFS. An arrival holds no pool slot while it waits: its few fields sit in a compact ring and it is
  // materialised into a slot when it reaches the head, so an overloaded queue costs 33 bytes per request.
  readonly #preempted: number[] = [];
  readonly #fresh = new ArrivalRing();
  /** the fresh head, materialised into a slot for the admission check; -1 when not yet */
  #freshHeadSlot = -1;
  // running list in admission order (doubly linked through pool.prev/next)
  #tail = -1;
  runningCount = 0;
  // sequences with an unfinished prefill, in admission order
  #prefilling: number[] = [];
  // decode aggregate
  #decodeStep = 0;
  #decoders = 0;
  #contextBase = 0;
  readonly #residueCount: Int32Array;
  readonly #finish = new FinishHeap();

  // the step in flight
  busy = false;
  #stepDecoders = 0;
  #stepChunkSlots: number[] = [];
  #stepChunkLens: number[] = [];
  #stepStartS = 0;
  readonly #shape = {
    decodeSeqs: 0,
    decodeContextSum: 0,
    prefillSeqs: 0,
    prefillTokens: 0,
    prefillAttendedKeys: 0,
    prefillContextTokens: 0,
    speculativeTokens: 0,
  };
  /** speculative decoding: decoders visited one by one (the aggregate above serves plain decoding) */
  readonly #spec: SpeculativeDecoders | undefined;
  readonly #specHost: SpeculativeHost;

  // statistics
  steps = 0;
  preemptionCount = 0;
  outstanding = 0; // requests routed here and not finished

  readonly role: ReplicaRole;
  /** P/D decode role: handed-off requests waiting for admission, FIFO */
  readonly #transferred: number[] = [];

  constructor(index: number, prepared: PreparedDeployment, policy: SchedulerPolicy, pool: RequestPool, sink: ReplicaSink, options: ReplicaOptions = {}) {
    const uniform = options.uniform;
    this.role = options.role ?? 'mixed';
    this.index = index;
    this.#pool = pool;
    this.#policy = policy;
    this.#sink = sink;
    this.#cost = prepared.cost;
    const e = prepared.deployment.engine;
    this.#blockSize = e.blockSize;
    this.#maxBatchedTokens = e.maxNumBatchedTokens;
    this.#maxSeqs = e.maxNumSeqs;
    this.#chunked = e.chunkedPrefill;
    this.#asyncScheduling = e.asyncScheduling;
    this.totalBlocks = prepared.memory.kvBlocks;
    const prefix = e.prefixCaching;
    this.#pinnedBlocks = prefix && prefix.hitRate > 0 ? Math.ceil(prefix.sharedPrefixTokens / e.blockSize) : 0;
    this.freeBlocks = this.totalBlocks - this.#pinnedBlocks;
    this.#residueCount = new Int32Array(e.blockSize);
    const spec = prepared.deployment.speculative;
    this.#spec = spec && uniform ? new SpeculativeDecoders(spec, pool, e.blockSize, uniform) : undefined;
    this.#specHost = this.#createSpecHost();
  }

  #createSpecHost(): SpeculativeHost {
    const self = this;
    return {
      get freeBlocks() {
        return self.freeBlocks;
      },
      set freeBlocks(n: number) {
        self.freeBlocks = n;
      },
      preemptLatest: (nowS) => self.#preempt(self.#tail, nowS),
      complete: (slot, nowS) => {
        self.#decoders--;
        self.#complete(slot, nowS);
      },
      chunkGaps: (gapS, chunks) => self.#sink.tokenGaps(gapS, chunks),
    };
  }

  get waitingCount(): number {
    return this.#preempted.length + this.#transferred.length + this.#fresh.length;
  }
  /** arrival time of the oldest arrival still waiting for admission; Infinity when none waits */
  get oldestWaitingArrivalS(): number {
    return this.#fresh.length > 0 ? this.#fresh.headArrivalS : Infinity;
  }
  get usedBlocks(): number {
    return this.totalBlocks - this.freeBlocks;
  }
  /** blocks a request of this many tokens needs; used for admission checks */
  blocksFor(tokens: number): number {
    return Math.ceil(tokens / this.#blockSize);
  }
  /** KV positions a decoding sequence holds beyond its context during a step (speculative lookahead) */
  get lookaheadTokens(): number {
    return this.#spec ? this.#spec.draftTokens : 0;
  }
    /** blocks usable by requests (total minus the pinned shared prefix) */
  get usableBlocks(): number {
    return this.totalBlocks - this.#pinnedBlocks;
  }

  /** P/D decode role: a request whose prompt KV arrived; all but its last prompt token are cached */
  acceptTransferred(slot: number): void {
    const pool = this.#pool;
    this.outstanding++;
    pool.replica[slot] = this.index;
    pool.sharedBlocks[slot] = 0;
    pool.ownedBlocks[slot] = 0;
    pool.prefilled[slot] = pool.promptTokens[slot]! - 1;
    pool.phase[slot] = Phase.Waiting;
    this.#transferred.push(slot);
  }

  /** P/D prefill role: the prompt is done; free its KV here (sent to the decode pool) and pass it on */
  #handOff(slot: number, nowS: number): void {
    this.#freeBlocksOf(slot);
    this.#removeRunning(slot);
    this.outstanding--;
    this.#sink.handOff?.(slot, nowS);
  }

  /** a new request routed here: it waits, unmaterialised, until it reaches the head of the queue */
  enqueue(id: number, arrivalS: number, inputTokens: number, outputTokens: number, stream: number, counted: boolean, sharedBlocks: number): void {
    this.outstanding++;
    this.#fresh.push(id, arrivalS, inputTokens, outputTokens, stream, counted, sharedBlocks);
  }

  /** the slot at the head of the waiting queue (materialising a fresh arrival), or -1 when none waits */
  #waitingHead(): number {
    const n = this.#preempted.length;
    if (n > 0) return this.#preempted[n - 1]!;
    if (this.#transferred.length > 0) return this.#transferred[0]!;
    if (this.#fresh.length === 0) return -1;
    if (this.#freshHeadSlot < 0) this.#freshHeadSlot = this.#fresh.materializeHead(this.#pool, this.index, this.#blockSize);
    return this.#freshHeadSlot;
  }

  /**
   * Plan the next step from the current state. Returns the step's duration in seconds, or -1 when
   * there is nothing to run (the replica goes idle until the next arrival).
   */
  startStep(nowS: number): number {
    this.#stepChunkSlots.length = 0;
    this.#stepChunkLens.length = 0;
    const plan = this.#planPrefill;
    plan.tokens = 0;
    plan.attended = 0;
    plan.context = 0;
    this.#admitArrivedByS = this.#asyncScheduling && this.busy ? this.#stepStartS : Infinity;

    let decoders: number;
    if (this.#policy.prefillFirst && this.#hasAdmissiblePrefill()) {
      // prefill-only step; fall back to a decode step when no prefill can be placed
      this.#planPrefills(nowS, this.#maxBatchedTokens);
      decoders = 0;
      if (this.#planPrefill.tokens === 0) decoders = this.#allocateDecodeBlocks(nowS);
    } else {
      decoders = this.#allocateDecodeBlocks(nowS);
      const preempted = this.#preemptedThisStep;
      this.#planPrefills(nowS, this.#maxBatchedTokens - decoders, preempted);
      decoders = this.#decoders; // a preemption while placing prefills may have removed decoders
    }
    if (decoders === 0 && plan.tokens === 0) {
      this.busy = false;
      // an empty plan made ahead: the engine idles, then schedules what has arrived since
      if (this.#admitArrivedByS !== Infinity && this.waitingCount > 0) return this.startStep(nowS);
      return -1;
    }
    const sh = this.#shape;
    sh.decodeSeqs = decoders;
    sh.decodeContextSum = decoders === 0 ? 0 : this.#spec ? this.#spec.contextSum : this.#contextBase + decoders * (this.#decodeStep + 1);
    sh.speculativeTokens = decoders > 0 && this.#spec ? this.#spec.draftTokens : 0;
    sh.prefillSeqs = this.#stepChunkSlots.length;
    sh.prefillTokens = plan.tokens;
    sh.prefillAttendedKeys = plan.attended;
    sh.prefillContextTokens = plan.context;
    this.#stepDecoders = decoders;
    this.#stepStartS = nowS;
    this.busy = true;
    return this.#cost.stepTimeS(sh as StepShape);
  }

  /** sums of the prefill chunks of the step being planned (reset, not reallocated, per step) */
  readonly #planPrefill = { tokens: 0, attended: 0, context: 0 };
  #preemptedThisStep = false;
  /** true between allocating decode blocks for a step and the step's end */
  #allocatedAhead = false;

  /** Give every decoding sequence its next KV slot, preempting the latest sequences when blocks run out. */
  #allocateDecodeBlocks(nowS: number): number {
    this.#preemptedThisStep = false;
    if (this.#spec) {
      this.#preemptedThisStep = this.#spec.reserveLookahead(this.#specHost, nowS);
      return this.#decoders;
    }
    if (this.#decoders === 0) return 0;
    if (!this.#policy.reserveFullKv) {
      let need = this.#residueCount[this.#boundaryResidue()]!;
      while (need > this.freeBlocks && this.runningCount > 0) {
        this.#preempt(this.#tail, nowS);
        this.#preemptedThisStep = true;
        need = this.#decoders > 0 ? this.#residueCount[this.#boundaryResidue()]! : 0;
      }
      this.freeBlocks -= need;
      this.#allocatedAhead = true;
    }
    return this.#decoders;
  }

  /** Fill `budget` tokens with prefill chunks: unfinished prefills first, then waiting requests FCFS. */
  #planPrefills(nowS: number, budgetTokens: number, noAdmissions = false): void {
    const pool = this.#pool;
    let budget = budgetTokens;
    let preempted = noAdmissions;
    for (let i = 0; i < this.#prefilling.length && budget > 0; i++) {
      const slot = this.#prefilling[i]!;
      const chunk = Math.min(pool.promptTokens[slot]! - pool.prefilled[slot]!, budget);
      if (!this.#reserveForChunk(slot, chunk)) {
        // out of KV: preempt the latest sequence (possibly this one) and add no more prefill work
        this.#preempt(this.#tail, nowS);
        preempted = true;
        break;
      }
      budget -= this.#addChunk(slot, chunk);
    }
    // vLLM V1 admits no new request in a step that preempted
    if (preempted) return;
    while (budget > 0 && this.waitingCount > 0 && this.runningCount < this.#maxSeqs) {
      // FCFS: a fresh arrival after the async-scheduling cutoff, and everyone behind it, waits for the next plan
      if (this.#preempted.length === 0 && this.#transferred.length === 0 && this.#fresh.headArrivalS > this.#admitArrivedByS) break;
      const slot = this.#waitingHead();
      const remaining = pool.promptTokens[slot]! - pool.prefilled[slot]!;
      if (!this.#chunked && remaining > budget) break;
      const chunk = Math.min(remaining, budget);
      if (!this.#reserveForAdmission(slot, chunk)) break;
      this.#popWaiting();
      this.#appendRunning(slot);
      pool.phase[slot] = Phase.Prefilling;
      if (pool.scheduledS[slot]! < 0) {
        pool.scheduledS[slot] = nowS;
        this.#sink.admitted();
      }
      this.#prefilling.push(slot);
      budget -= this.#addChunk(slot, chunk);
    }
  }

  /** Apply the effects of the step that ends now. */
  finishStep(nowS: number): void {
    const pool = this.#pool;
    const dt = nowS - this.#stepStartS;
    this.steps++;
    this.#allocatedAhead = false;
    this.#sink.stepDone(this.index, dt, this.#stepDecoders, this.#shape.prefillTokens);

    if (this.#stepDecoders > 0 && this.#spec) this.#spec.advance(this.#specHost, nowS);
    else if (this.#stepDecoders > 0) {
      this.#decodeStep++;
      this.#recordDecodeGaps(nowS);
      const h = this.#finish;
      while (h.size > 0 && h.peekKey() <= this.#decodeStep) {
        const slot = h.peekSlot();
        const epoch = h.peekEpoch();
        h.pop();
        if (pool.epoch[slot] !== epoch || pool.phase[slot] !== Phase.Decoding) continue;
        this.#leaveDecode(slot);
        pool.lastTokenS[slot] = nowS;
        this.#complete(slot, nowS);
      }
    }

    const slots = this.#stepChunkSlots;
    const lens = this.#stepChunkLens;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i]!;
      if (pool.phase[slot] !== Phase.Prefilling) continue; // preempted after planning
      pool.prefilled[slot] = pool.prefilled[slot]! + lens[i]!;
      if (pool.prefilled[slot]! < pool.promptTokens[slot]!) continue;
      // prefill complete: it samples the next token
      this.#removePrefilling(slot);
      if (this.role === 'prefill') {
        this.#handOff(slot, nowS);
        continue;
      }
      if (pool.firstTokenS[slot]! < 0) {
        pool.firstTokenS[slot] = nowS;
      } else {
        this.#sink.tokenGaps(nowS - pool.lastTokenS[slot]!, 1); // resumed after preemption
      }
      pool.lastTokenS[slot] = nowS;
      pool.generated[slot] = pool.generated[slot]! + 1;
      if (pool.generated[slot]! >= pool.outputTokens[slot]!) {
        this.#freeBlocksOf(slot);
        this.#complete(slot, nowS);
      } else {
        this.#enterDecode(slot, nowS);
      }
    }
  }

  // Decoders share their previous-token time unless they joined since the last decode step (after a
  // prefill, possibly several prefill-only steps ago): those are kept as small cohorts by join time.
  #lastDecodeEndS = 0;
  #cohortTimes: number[] = [];
  #cohortCounts: number[] = [];
  #cohortTotal = 0;

  #recordDecodeGaps(nowS: number): void {
    const steady = Math.max(0, this.#stepDecoders - this.#cohortTotal);
    if (steady > 0) this.#sink.tokenGaps(nowS - this.#lastDecodeEndS, steady);
    for (let i = 0; i < this.#cohortTimes.length; i++) {
      this.#sink.tokenGaps(nowS - this.#cohortTimes[i]!, Math.min(this.#cohortCounts[i]!, this.#stepDecoders));
    }
    this.#cohortTimes.length = 0;
    this.#cohortCounts.length = 0;
    this.#cohortTotal = 0;
    this.#lastDecodeEndS = nowS;
  }

  // ---- decode aggregate -------------------------------------------------------------------------

  /**
   * A decoding sequence is bucketed by (KV length at decode start − decode step at start) mod block size;
   * at step D the bucket with residue (−D mod B) is the one whose next token opens a new block.
   */
  #residue(kvMinusStep: number): number {
    const b = this.#blockSize;
    return ((kvMinusStep % b) + b) % b;
  }

  #boundaryResidue(): number {
    return this.#residue(-this.#decodeStep);
  }

  #enterDecode(slot: number, nowS: number): void {
    const pool = this.#pool;
    if (this.#spec) {
      pool.phase[slot] = Phase.Decoding;
      this.#decoders++;
      this.#spec.enter(slot, pool.promptTokens[slot]!);
      return;
    }
    const last = this.#cohortTimes.length - 1;
    if (last >= 0 && this.#cohortTimes[last] === nowS) this.#cohortCounts[last]!++;
    else {
      this.#cohortTimes.push(nowS);
      this.#cohortCounts.push(1);
    }
    this.#cohortTotal++;
    const kv = pool.promptTokens[slot]!;
    pool.phase[slot] = Phase.Decoding;
    pool.kvAtDecodeStart[slot] = kv;
    pool.decodeStartStep[slot] = this.#decodeStep;
    if (!this.#policy.reserveFullKv) {
      // from now on blocks are counted by the aggregate: forget the explicit count
      pool.ownedBlocks[slot] = 0;
      this.#residueCount[this.#residue(kv - this.#decodeStep)]!++;
    }
    this.#contextBase += kv - this.#decodeStep;
    this.#decoders++;
    this.#finish.push(this.#decodeStep + (pool.outputTokens[slot]! - pool.generated[slot]!), slot, pool.epoch[slot]!);
  }

  /** take a decoding sequence out of the aggregate, settling its generated tokens and owned blocks */
  #leaveDecode(slot: number): void {
    const pool = this.#pool;
    if (this.#spec) {
      this.#spec.leave(slot);
      this.#decoders--;
      return;
    }
    const kv0 = pool.kvAtDecodeStart[slot]!;
    const steps = this.#decodeStep - pool.decodeStartStep[slot]!;
    const kvNow = kv0 + steps;
    pool.generated[slot] = pool.generated[slot]! + steps;
    this.#contextBase -= kv0 - pool.decodeStartStep[slot]!;
    this.#decoders--;
    if (!this.#policy.reserveFullKv) {
      this.#residueCount[this.#residue(kv0 - pool.decodeStartStep[slot]!)]!--;
      // a block handed out for this step's token belongs to the sequence too
      const kvHeld = kvNow + (this.#allocatedAhead ? 1 : 0);
      pool.ownedBlocks[slot] = this.blocksFor(kvHeld) - pool.sharedBlocks[slot]!;
    }
  }

  // ---- KV blocks --------------------------------------------------------------------------------

  #reserveForChunk(slot: number, chunk: number): boolean {
    if (this.#policy.reserveFullKv) return true; // reserved at admission
    const pool = this.#pool;
    const need = this.blocksFor(pool.prefilled[slot]! + chunk) - pool.sharedBlocks[slot]! - pool.ownedBlocks[slot]!;
    if (need > this.freeBlocks) return false;
    if (need > 0) {
      this.freeBlocks -= need;
      pool.ownedBlocks[slot] = pool.ownedBlocks[slot]! + need;
    }
    return true;
  }

  #reserveForAdmission(slot: number, chunk: number): boolean {
    if (!this.#policy.reserveFullKv) return this.#reserveForChunk(slot, chunk);
    const pool = this.#pool;
    // the whole request: prompt plus every output token still to come
    const total = pool.promptTokens[slot]! + pool.outputTokens[slot]! - pool.generated[slot]! - 1;
    const need = this.blocksFor(total) - pool.sharedBlocks[slot]! - pool.ownedBlocks[slot]!;
    if (need > this.freeBlocks) return false;
    this.freeBlocks -= need;
    pool.ownedBlocks[slot] = pool.ownedBlocks[slot]! + need;
    return true;
  }

  #freeBlocksOf(slot: number): void {
    const pool = this.#pool;
    this.freeBlocks += pool.ownedBlocks[slot]!;
    pool.ownedBlocks[slot] = 0;
  }

  // ---- preemption and completion ----------------------------------------------------------------

  /** Recompute-style preemption (vLLM V1): drop the KV cache, requeue at the front, re-prefill later. */
  #preempt(slot: number, nowS: number): void {
    if (slot < 0) return;
    const pool = this.#pool;
    if (pool.phase[slot] === Phase.Decoding) {
      this.#leaveDecode(slot);
      pool.lastTokenS[slot] = nowS;
    } else {
      this.#removePrefilling(slot);
    }
    this.#freeBlocksOf(slot);
    this.#removeRunning(slot);
    pool.epoch[slot] = pool.epoch[slot]! + 1;
    pool.preemptions[slot] = pool.preemptions[slot]! + 1;
    this.preemptionCount++;
    // the re-prefill covers the prompt and every token generated so far
    pool.promptTokens[slot] = pool.inputTokens[slot]! + pool.generated[slot]!;
    pool.prefilled[slot] = pool.sharedBlocks[slot]! * this.#blockSize;
    pool.phase[slot] = Phase.Waiting;
    this.#preempted.push(slot);
  }

  #complete(slot: number, nowS: number): void {
    this.#freeBlocksOf(slot);
    this.#removeRunning(slot);
    this.outstanding--;
    this.#sink.finished(slot, nowS);
  }

  #hasAdmissiblePrefill(): boolean {
    return this.#prefilling.length > 0 || (this.waitingCount > 0 && this.runningCount < this.#maxSeqs);
  }

  // ---- queues -----------------------------------------------------------------------------------

  #popWaiting(): void {
    if (this.#preempted.length > 0) {
      this.#preempted.pop();
      return;
    }
    if (this.#transferred.length > 0) {
      this.#transferred.shift();
      return;
    }
    this.#fresh.shift();
    this.#freshHeadSlot = -1;
  }

  #appendRunning(slot: number): void {
    const pool = this.#pool;
    pool.prev[slot] = this.#tail;
    pool.next[slot] = -1;
    if (this.#tail >= 0) pool.next[this.#tail] = slot;
    this.#tail = slot;
    this.runningCount++;
  }

  #removeRunning(slot: number): void {
    const pool = this.#pool;
    const p = pool.prev[slot]!;
    const n = pool.next[slot]!;
    if (p >= 0) pool.next[p] = n;
    if (n >= 0) pool.prev[n] = p;
    else this.#tail = p;
    pool.prev[slot] = -1;
    pool.next[slot] = -1;
    this.runningCount--;
  }

  #removePrefilling(slot: number): void {
    const i = this.#prefilling.indexOf(slot);
    if (i >= 0) this.#prefilling.splice(i, 1);
  }

  /** record a chunk in the step being planned; returns its length */
  #addChunk(slot: number, chunk: number): number {
    const prior = this.#pool.prefilled[slot]!;
    this.#stepChunkSlots.push(slot);
    this.#stepChunkLens.push(chunk);
    const plan = this.#planPrefill;
    plan.tokens += chunk;
    plan.attended += causalKeyCount(chunk, prior);
    plan.context += prior + chunk;
    return chunk;
  }
}

/** FIFO ring of waiting arrivals as struct-of-arrays: 33 bytes a request (up to twice that while it grows), no pool slot. */
class ArrivalRing {
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
