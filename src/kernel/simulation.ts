import { EventQueue } from './event-queue.ts';

/**
 * The discrete-event kernel: a clock, an event queue and a handler per event kind. It knows nothing of
 * LLMs. An event is (time, kind, target): `kind` selects the handler, `target` is an integer the handler
 * interprets (a replica index, a user index...). Handlers schedule follow-up events through `schedule`.
 */
export type Handler = (target: number, now: number) => void;

export interface RunLimits {
  /** stop before processing an event later than this */
  readonly untilS?: number;
  /** stop after this many events (a guard against runaway models; reported, never silent) */
  readonly maxEvents?: number;
}

export type StopReason = 'drained' | 'time-limit' | 'event-limit';

const KIND_BITS = 4;
const MAX_KINDS = 1 << KIND_BITS;

export class Simulation {
  readonly #queue = new EventQueue();
  readonly #handlers: Handler[] = [];
  #now = 0;
  #events = 0;

  get now(): number {
    return this.#now;
  }

  get eventsProcessed(): number {
    return this.#events;
  }

  /** time of the next pending event; Infinity when none is pending */
  get nextEventS(): number {
    return this.#queue.peekTime();
  }

  /** register a handler; returns its kind id */
  on(handler: Handler): number {
    if (this.#handlers.length >= MAX_KINDS) throw new RangeError(`at most ${MAX_KINDS} event kinds`);
    this.#handlers.push(handler);
    return this.#handlers.length - 1;
  }

  /** schedule `kind` for `target` at absolute time `timeS` (never in the past) */
  schedule(timeS: number, kind: number, target: number): void {
    if (!(timeS >= this.#now)) throw new RangeError(`event scheduled in the past or at NaN: ${timeS} < ${this.#now}`);
    this.#queue.push(timeS, (target << KIND_BITS) | kind);
  }

  run(limits: RunLimits = {}): StopReason {
    const until = limits.untilS ?? Infinity;
    const maxEvents = limits.maxEvents ?? Infinity;
    const q = this.#queue;
    const handlers = this.#handlers;
    while (q.size > 0) {
      const t = q.peekTime();
      if (t > until) return 'time-limit';
      if (this.#events >= maxEvents) return 'event-limit';
      const payload = q.pop();
      this.#now = t;
      this.#events++;
      handlers[payload & (MAX_KINDS - 1)]!(payload >> KIND_BITS, t);
    }
    return 'drained';
  }
}
