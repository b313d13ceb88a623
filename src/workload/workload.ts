import type { ArrivalSpec } from './arrivals.ts';
import type { LengthDistribution } from './lengths.ts';

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
}
