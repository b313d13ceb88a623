import type { IntegerRange, LengthSampler } from './lengths.ts';
import { integerRangeSampler } from './lengths.ts';
import type { Rng } from './random.ts';

/**
 * Multi-turn sessions. With closed-loop users (arrival `concurrent`) each user runs sessions back to back;
 * with an open-loop arrival process (Poisson, constant, gamma, a rate curve) each arrival opens a session
 * of its own, which ends after its last turn, so the process's rate is sessions per second. A session is a number of turns;
 * turn k sends the whole conversation so far (optional shared system prompt and tool preamble, then every
 * earlier turn's input and output) plus a new input drawn from the workload's length distribution, which
 * also gives the turn's output length. Between turns the user thinks (exponential think time).
 */
export interface SessionSpec {
  /** turns per session */
  readonly turns: IntegerRange;
  /** mean think time between a response and the user's next turn, seconds (exponential); 0 = none */
  readonly thinkTimeMeanS: number;
  /** system prompt shared by every session of a tenant */
  readonly systemPromptTokens?: number;
  /** tool definitions sent after the system prompt, shared the same way */
  readonly toolPreambleTokens?: number;
  /** tenants the sessions are spread over (round robin); each has its own system prompt (default 1) */
  readonly tenants?: number;
}

/**
 * Turns a session has on average: the range's mean held inside its bounds (the clipping's pull on the mean
 * is ignored, so this is a guide for sizing runs and search brackets, not a statistic to report).
 */
export function expectedTurns(spec: SessionSpec): number {
  const t = spec.turns;
  const mean = t.stdev === undefined && t.min !== undefined && t.max !== undefined ? (t.min + t.max) / 2 : t.mean;
  return Math.max(1, Math.min(t.max ?? Infinity, Math.max(t.min ?? 1, mean)));
}

/** key spaces: a session's block i and a tenant's shared block i never collide (2^21 blocks per sequence) */
const BLOCKS_PER_SEQUENCE = 2 ** 21;

/**
 * The block keys (serving/prefix-cache.ts BlockKeys) of one session's conversation: the tenant's shared prompt blocks, then
 * the session's own. A conversation only grows, so its block i names the same tokens on every turn.
 */
export class SessionBlockKeys {
  readonly #sharedBlocks: number;
  readonly #tenantBase: number;
  readonly #sessionBase: number;
  constructor(tenant: number, sharedBlocks: number, session: number) {
    this.#sharedBlocks = sharedBlocks;
    this.#tenantBase = -(tenant + 1) * BLOCKS_PER_SEQUENCE;
    this.#sessionBase = (session + 1) * BLOCKS_PER_SEQUENCE;
  }
  key(block: number): number {
    return block < this.#sharedBlocks ? this.#tenantBase - block : this.#sessionBase + block;
  }
}

interface UserState {
  turnsLeft: number;
  contextTokens: number;
  keys: SessionBlockKeys;
}

export interface SessionRequest {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly keys: SessionBlockKeys;
}

/** Draws each user's next turn; one object per run, seeded streams passed in. */
export class SessionSource {
  /** open-loop sessions: a session is a stream that ends after its last turn (stream id = session number) */
  readonly #open: boolean;
  readonly #spec: SessionSpec;
  readonly #lengths: LengthSampler;
  readonly #turns: (rng: Rng) => number;
  readonly #blockSize: number;
  readonly #users = new Map<number, UserState>();
  #sessions = 0;

  constructor(spec: SessionSpec, lengths: LengthSampler, blockSize: number, open = false) {
    this.#open = open;
    this.#spec = spec;
    this.#lengths = lengths;
    this.#turns = integerRangeSampler(spec.turns);
    this.#blockSize = blockSize;
  }

  get sessionsStarted(): number {
    return this.#sessions;
  }

  /** an open-loop arrival: the id of the stream its session's turns are issued on */
  openSession(): number {
    return this.#sessions;
  }

  /** a closed-loop user always goes on (to a new session); an open-loop session ends after its last turn */
  continues(stream: number): boolean {
    if (!this.#open) return true;
    const u = this.#users.get(stream);
    if (u !== undefined && u.turnsLeft > 0) return true;
    this.#users.delete(stream); // a finished session's state is never read again
    return false;
  }

  next(user: number, rng: Rng): SessionRequest {
    let u = this.#users.get(user);
    if (u === undefined || u.turnsLeft <= 0) u = this.#startSession(user, rng);
    const { inputTokens: newInput, outputTokens } = this.#lengths(rng);
    const inputTokens = u.contextTokens + newInput;
    // the next turn re-sends this one's prompt and answer
    u.contextTokens = inputTokens + outputTokens;
    u.turnsLeft--;
    return { inputTokens, outputTokens, keys: u.keys };
  }

  thinkTimeS(rng: Rng): number {
    const mean = this.#spec.thinkTimeMeanS;
    return mean > 0 ? -mean * Math.log(1 - rng.next()) : 0;
  }

  #startSession(user: number, rng: Rng): UserState {
    const s = this.#spec;
    const session = this.#sessions++;
    const tenant = session % (s.tenants ?? 1);
    const shared = (s.systemPromptTokens ?? 0) + (s.toolPreambleTokens ?? 0);
    const u: UserState = {
      turnsLeft: Math.max(1, this.#turns(rng)),
      contextTokens: shared,
      keys: new SessionBlockKeys(tenant, Math.floor(shared / this.#blockSize), session),
    };
    this.#users.set(user, u);
    return u;
  }
}
