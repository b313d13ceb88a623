import type { ArrivalSpec } from './arrivals.ts';
import type { LengthDistribution } from './lengths.ts';
import type { SessionSpec } from './sessions.ts';
import type { TraceBlockHashes } from './trace-blocks.ts';

/** What one simulation issues: an arrival process, request lengths and the run's limits. */
export interface Workload {
  readonly arrival: ArrivalSpec;
  readonly lengths: LengthDistribution;
  /** stop issuing requests after this many (default 1000 when maxSeconds is not given) */
  readonly maxRequests?: number;
  /** stop issuing requests after this much simulated time */
  readonly maxSeconds?: number;
  /** share of requests (by issue order) excluded from metrics at the start and at the end */
  readonly warmupFraction?: number;
  readonly cooldownFraction?: number;
  /**
   * multi-turn sessions: each closed-loop user (arrival `concurrent`) runs sessions of turns; `lengths`
   * then gives each turn's new input and its output (workload/sessions.ts)
   */
  readonly sessions?: SessionSpec;
  /** a trace's per-request block hashes (Mooncake `hash_ids`), request k taking entry k in order */
  readonly blockHashes?: TraceBlockHashes;
}
