import type { PreparedDeployment } from '../cost/prepare.ts';
import { causalKeyCount, type StepCostModel, type StepShape } from '../cost/step-cost.ts';
import { FinishHeap } from './finish-heap.ts';
import type { BatchPolicy, KvAdmission, StepBuilder } from './policies/batch-policy.ts';
import type { BlockKeys } from './prefix-cache.ts';
import { type KvTransfer, swapIn, swapOut } from './kv-transfer.ts';
import { type ReplicaPrefixCache, replicaKvExtras } from './replica-cache.ts';
import type { ReplicaSink } from './replica-sink.ts';
import { Phase, type RequestPool } from './request-pool.ts';
import type { ReplicaOptions, ReplicaRole } from './replica-role.ts';
import { RunningList } from './running-list.ts';
import { SchedulerRounds } from './scheduler-rounds.ts';
import { decodeGaps, type DecodeGaps } from './stream-chunks.ts';
import { SpeculativeDecoders } from './speculative-decoders.ts';
import { WaitingQueue } from './waiting-queue.ts';

/**
 * One data-parallel replica: waiting queue, running sequences, paged KV cache, and the step loop. Its
 * batch policy (policies/) decides what each step runs and how KV is admitted; the replica is the mechanism.
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
  readonly #policy: BatchPolicy;
  readonly #kv: KvAdmission;
  /** the policy's KV grows with tokens: decoders' blocks are counted by the decode aggregate (read per sequence) */
  readonly #kvGrows: boolean;
  /** what the policy builds a step with */
  readonly #builder: StepBuilder;
  /** the step being planned includes the decoders (set by addDecodes) */
  #stepHasDecodes = false;
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
  readonly #rounds: SchedulerRounds;
  #admitArrivedByS = Infinity;
  readonly totalBlocks: number;
  readonly #pinnedBlocks: number;
  /** free KV blocks, counting cached blocks nobody reads (the prefix cache evicts them on demand) */
  freeBlocks: number;
  /** the simulated prefix cache (engine.prefixCache) and the host link (offload, swap); undefined when off */
  readonly prefixCache: ReplicaPrefixCache | undefined;
  readonly transfer: KvTransfer | undefined;
  readonly #swap: boolean;

  readonly #waiting: WaitingQueue;
  readonly #running: RunningList;
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
  readonly #stepChunkSlots: number[] = [];
  readonly #stepChunkLens: number[] = [];
  #stepChunks = 0; // entries of the step's chunk arrays in use (a count: `Array.length = 0` is slow on V8)
  #stepStartS = 0;
  /** the step's shape, rewritten in place each step (the cost model reads it) */
  readonly #shape = { decodeSeqs: 0, decodeContextSum: 0, prefillSeqs: 0, prefillTokens: 0, prefillAttendedKeys: 0, prefillContextTokens: 0, speculativeTokens: 0 };
  /** speculative decoding: decoders visited one by one (the aggregate above serves plain decoding) */
  readonly #spec: SpeculativeDecoders | undefined;

  // statistics
  steps = 0;
  preemptionCount = 0;
  outstanding = 0; // requests routed here and not finished

  readonly role: ReplicaRole;
  /** KV positions a decoding sequence holds beyond its context during a step (speculative lookahead) */
  readonly lookaheadTokens: number;

  constructor(index: number, prepared: PreparedDeployment, policy: BatchPolicy, pool: RequestPool, sink: ReplicaSink, options: ReplicaOptions = {}) {
    this.role = options.role ?? 'mixed';
    this.index = index;
    this.#pool = pool;
    this.#running = new RunningList(pool);
    this.#waiting = new WaitingQueue(pool, index, prepared.deployment.engine.blockSize);
    this.#policy = policy;
    this.#kv = policy.kv;
    this.#kvGrows = policy.kv.growsWithTokens;
    this.#sink = sink;
    this.#cost = prepared.cost;
    const e = prepared.deployment.engine;
    this.#blockSize = e.blockSize;
    this.#maxBatchedTokens = e.maxNumBatchedTokens;
    this.#maxSeqs = e.maxNumSeqs;
    this.#chunked = e.chunkedPrefill;
    this.#asyncScheduling = e.asyncScheduling;
    this.#rounds = new SchedulerRounds(e.schedulerSteps);
    this.#cohorts = decodeGaps(e.streamInterval);
    this.totalBlocks = prepared.memory.kvBlocks;
    const prefix = e.prefixCaching;
    this.#pinnedBlocks = prefix && prefix.hitRate > 0 ? Math.ceil(prefix.sharedPrefixTokens / e.blockSize) : 0;
    this.freeBlocks = this.totalBlocks - this.#pinnedBlocks;
    ({ prefixCache: this.prefixCache, transfer: this.transfer, swap: this.#swap } = replicaKvExtras(prepared));
    this.#residueCount = new Int32Array(e.blockSize);
    const spec = prepared.deployment.speculative;
    this.#spec = spec && options.uniform ? new SpeculativeDecoders(spec, pool, e.blockSize, options.uniform) : undefined;
    this.lookaheadTokens = this.#spec?.draftTokens ?? 0;
    this.#builder = this.#createStepBuilder();
  }

  #createStepBuilder(): StepBuilder {
    const self = this;
    return {
      tokenBudget: this.#maxBatchedTokens,
      hasAdmissiblePrefill: () => self.#hasAdmissiblePrefill(),
      addDecodes: (nowS) => {
        self.#stepHasDecodes = true;
        return self.#allocateDecodeBlocks(nowS);
      },
      get preemptedForDecodes() {
        return self.#preemptedThisStep;
      },
      addPrefills: (nowS, budgetTokens, noAdmissions = false) => self.#planPrefills(nowS, budgetTokens, noAdmissions),
    };
  }

  get runningCount(): number {
    return this.#running.count;
  }
  get waitingCount(): number {
    return this.#waiting.length;
  }
  /** arrival time of the oldest arrival still waiting for admission; Infinity when none waits */
  get oldestWaitingArrivalS(): number {
    return this.#waiting.oldestArrivalS;
  }
  get usedBlocks(): number {
    return this.totalBlocks - this.freeBlocks;
  }
  /** blocks a request of this many tokens needs; used for admission checks */
  blocksFor(tokens: number): number {
    return Math.ceil(tokens / this.#blockSize);
  }
  /** blocks usable by requests (total minus the pinned shared prefix) */
  get usableBlocks(): number {
    return this.totalBlocks - this.#pinnedBlocks;
  }

  /** speculative decoding ran short of KV: preempt the policy's victim */
  preemptLatest(nowS: number): void {
    this.#preempt(this.#policy.preemptionVictim(this.#running.latest), nowS);
  }

  /** P/D decode role: a request whose prompt KV arrived; all but its last prompt token are cached */
  acceptTransferred(slot: number): void {
    this.outstanding++;
    this.#waiting.pushTransferred(slot);
  }

  /** a new request routed here: it waits, unmaterialised, until it reaches the head of the queue */
  enqueue(id: number, arrivalS: number, inputTokens: number, outputTokens: number, stream: number, counted: boolean, sharedBlocks: number, keys?: BlockKeys): void {
    this.outstanding++;
    this.#waiting.pushFresh(id, arrivalS, inputTokens, outputTokens, stream, counted, sharedBlocks, keys);
  }

  /**
   * Plan the next step from the current state. Returns the step's duration in seconds, or -1 when
   * there is nothing to run (the replica goes idle until the next arrival).
   */
  startStep(nowS: number): number {
    this.#stepChunks = 0;
    const plan = this.#planPrefill;
    plan.tokens = 0;
    plan.attended = 0;
    plan.context = 0;
    this.#admitArrivedByS = this.#asyncScheduling && this.busy ? this.#stepStartS : Infinity;
    this.#rounds.beginPlan(this.#decoders);

    this.#stepHasDecodes = false;
    this.#policy.planStep(this.#builder, nowS);
    // a preemption while placing prefills may have removed decoders since addDecodes counted them
    const decoders = this.#stepHasDecodes ? this.#decoders : 0;
    this.#rounds.planned(plan.tokens, decoders);
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
    sh.prefillSeqs = this.#stepChunks;
    sh.prefillTokens = plan.tokens;
    sh.prefillAttendedKeys = plan.attended;
    sh.prefillContextTokens = plan.context;
    this.#stepDecoders = decoders;
    this.#stepStartS = nowS;
    this.busy = true;
    return this.#cost.stepTimeS(sh as StepShape) + (this.transfer?.takePendingS() ?? 0);
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
      this.#preemptedThisStep = this.#spec.reserveLookahead(this, nowS);
      return this.#decoders;
    }
    if (this.#decoders === 0) return 0;
    if (this.#kvGrows) {
      let need = this.#residueCount[this.#boundaryResidue()]!;
      while (need > this.freeBlocks && this.#running.count > 0) {
        this.#preempt(this.#policy.preemptionVictim(this.#running.latest), nowS);
        this.#preemptedThisStep = true;
        need = this.#decoders > 0 ? this.#residueCount[this.#boundaryResidue()]! : 0;
      }
      this.freeBlocks -= need;
      this.prefixCache?.cache.trim(this.freeBlocks);
      this.#allocatedAhead = true;
    }
    return this.#decoders;
  }

  /** Fill `budget` tokens with prefill chunks: unfinished prefills first, then waiting requests FCFS; returns the step's prefill tokens. */
  #planPrefills(nowS: number, budgetTokens: number, noAdmissions: boolean): number {
    const pool = this.#pool;
    let budget = budgetTokens;
    // inside a multi-step round nobody new joins the batch
    let preempted = noAdmissions || this.#rounds.inRound;
    for (let i = 0; i < this.#prefilling.length && budget > 0; i++) {
      const slot = this.#prefilling[i]!;
      const chunk = Math.min(pool.promptTokens[slot]! - pool.prefilled[slot]!, budget);
      if (!this.#reserveForChunk(slot, chunk)) {
        // out of KV: preempt (the latest sequence, possibly this one) and add no more prefill work
        this.#preempt(this.#policy.preemptionVictim(this.#running.latest), nowS);
        preempted = true;
        break;
      }
      budget -= this.#addChunk(slot, chunk);
    }
    // vLLM V1 admits no new request in a step that preempted
    if (!preempted) this.#admitWaiting(nowS, budget);
    return this.#planPrefill.tokens;
  }

  /** admit waiting requests FCFS while the budget, the sequence limit and KV allow */
  #admitWaiting(nowS: number, budgetTokens: number): void {
    const pool = this.#pool;
    let budget = budgetTokens;
    while (budget > 0 && this.waitingCount > 0 && this.#running.count < this.#maxSeqs) {
      // FCFS: a fresh arrival after the async-scheduling cutoff, and everyone behind it, waits for the next plan
      if (this.#waiting.headArrivedAfter(this.#admitArrivedByS)) break;
      const slot = this.#waiting.head();
      if (this.prefixCache !== undefined) this.freeBlocks -= this.prefixCache.lookup(pool, slot);
      if (pool.swappedTokens[slot]! > pool.prefilled[slot]!) swapIn(this.transfer!, pool, slot);
      const remaining = pool.promptTokens[slot]! - pool.prefilled[slot]!;
      if (!this.#chunked && remaining > budget) break;
      const chunk = Math.min(remaining, budget);
      if (!this.#reserveForAdmission(slot, chunk)) break;
      this.#waiting.pop();
      this.#running.append(slot);
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

    if (this.#stepDecoders > 0 && this.#spec) this.#spec.advance(nowS, this.#gaps, (slot) => this.#complete(slot, nowS, true));
    else if (this.#stepDecoders > 0) {
      this.#decodeStep++;
      this.#cohorts.stepEnded(nowS, this.#stepDecoders, this.#gaps);
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
    for (let i = 0; i < this.#stepChunks; i++) {
      const slot = slots[i]!;
      if (pool.phase[slot] !== Phase.Prefilling) continue; // preempted after planning
      pool.prefilled[slot] = pool.prefilled[slot]! + lens[i]!;
      if (pool.prefilled[slot]! < pool.promptTokens[slot]!) continue;
      // prefill complete: it samples the next token
      this.#removePrefilling(slot);
      if (this.role === 'prefill') {
        this.#complete(slot, nowS);
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

  readonly #cohorts: DecodeGaps;
  readonly #gaps = (gapS: number, count: number): void => this.#sink.tokenGaps(gapS, count);

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
    this.#cohorts.join(nowS, slot, pool.generated[slot]!, this.#decodeStep);
    const kv = pool.promptTokens[slot]!;
    pool.phase[slot] = Phase.Decoding;
    pool.kvAtDecodeStart[slot] = kv;
    pool.decodeStartStep[slot] = this.#decodeStep;
    if (this.#kvGrows) {
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
    this.#cohorts.left(slot, steps, pool.generated[slot]! >= pool.outputTokens[slot]!, this.#gaps);
    this.#contextBase -= kv0 - pool.decodeStartStep[slot]!;
    this.#decoders--;
    if (this.#kvGrows) {
      this.#residueCount[this.#residue(kv0 - pool.decodeStartStep[slot]!)]!--;
      // a block handed out for this step's token belongs to the sequence too
      const kvHeld = kvNow + (this.#allocatedAhead ? 1 : 0);
      pool.ownedBlocks[slot] = this.blocksFor(kvHeld) - pool.sharedBlocks[slot]!;
    }
    pool.prefilled[slot] = kvNow; // the KV it computed, for the cache and swap (the slot leaves decode now)
  }

  // ---- KV blocks --------------------------------------------------------------------------------

  #reserveForChunk(slot: number, chunk: number): boolean {
    return this.#reserveTokens(slot, this.#kv.chunkTokens(this.#pool.kvView(slot), chunk));
  }

  #reserveForAdmission(slot: number, chunk: number): boolean {
    return this.#reserveTokens(slot, this.#kv.admissionTokens(this.#pool.kvView(slot), chunk));
  }

  /** make `slot` hold the blocks of `tokens` KV tokens (beyond its shared prefix); false when too few are free */
  #reserveTokens(slot: number, tokens: number): boolean {
    const pool = this.#pool;
    const need = this.blocksFor(tokens) - pool.sharedBlocks[slot]! - pool.ownedBlocks[slot]!;
    if (need > this.freeBlocks) return false;
    if (need > 0) {
      this.freeBlocks -= need;
      this.prefixCache?.cache.trim(this.freeBlocks);
      pool.ownedBlocks[slot] = pool.ownedBlocks[slot]! + need;
    }
    return true;
  }

  #freeBlocksOf(slot: number): void {
    const pool = this.#pool;
    if (this.prefixCache !== undefined) this.freeBlocks += this.prefixCache.release(pool, slot);
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
    if (this.#swap) swapOut(this.transfer!, pool, slot, this.#blockSize);
    this.#freeBlocksOf(slot);
    this.#running.remove(slot);
    pool.epoch[slot] = pool.epoch[slot]! + 1;
    pool.preemptions[slot] = pool.preemptions[slot]! + 1;
    this.preemptionCount++;
    // the re-prefill covers the prompt and every token generated so far
    pool.promptTokens[slot] = pool.inputTokens[slot]! + pool.generated[slot]!;
    pool.prefilled[slot] = pool.sharedBlocks[slot]! * this.#blockSize;
    pool.phase[slot] = Phase.Waiting;
    this.#waiting.pushPreempted(slot);
  }

  /** `decoder`: a speculative decoder leaving the decoders' count (the plain aggregate settles its own) */
  #complete(slot: number, nowS: number, decoder = false): void {
    if (decoder) this.#decoders--;
    this.#freeBlocksOf(slot);
    this.#running.remove(slot);
    this.outstanding--;
    // P/D prefill role: the prompt is done and its KV sent; the request lives on in the decode pool
    if (this.role === 'prefill') this.#sink.handOff?.(slot, nowS);
    else this.#sink.finished(slot, nowS);
  }

  #hasAdmissiblePrefill(): boolean {
    return this.#prefilling.length > 0 || (this.waitingCount > 0 && this.#running.count < this.#maxSeqs);
  }

  // ---- queues -----------------------------------------------------------------------------------

  #removePrefilling(slot: number): void {
    const i = this.#prefilling.indexOf(slot);
    if (i >= 0) this.#prefilling.splice(i, 1);
  }

  /** record a chunk in the step being planned; returns its length */
  #addChunk(slot: number, chunk: number): number {
    const prior = this.#pool.prefilled[slot]!;
    this.#stepChunkSlots[this.#stepChunks] = slot;
    this.#stepChunkLens[this.#stepChunks++] = chunk;
    const plan = this.#planPrefill;
    plan.tokens += chunk;
    plan.attended += causalKeyCount(chunk, prior);
    plan.context += prior + chunk;
    return chunk;
  }
}
