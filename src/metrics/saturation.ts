/**
 * The saturation verdict: does an open-loop run's queue grow without bound (offered load above capacity)?
 * One function, judgeSaturation(), decides it for simulate, plan, compare, sweep and the charts.
 *
 * Evidence, gathered while requests arrive (ArrivalWindows, bounded memory whatever the run length):
 *   - rate:  requests admitted to the batch vs requests that arrived, over the judged part of the run.
 *            Admission, not completion: completions lag arrivals by a request's whole latency, so a run
 *            shorter than a few latencies looks short of throughput although nothing waits (a fleet
 *            ramping up is not a backlog). Under a backlog the waiting queue absorbs the difference.
 *   - trend: Mann–Kendall tests for an upward trend in (a) outstanding requests seen by arrivals and
 *            (b) queueing delay seen by arrivals (how long the oldest request waiting for admission at the
 *            chosen replica has waited), over windows of consecutive arrivals. The same pair of signals
 *            GuideLLM's over-saturation stop uses (concurrent requests and TTFT, each with a significant
 *            positive slope: vllm-project/guidellm, src/guidellm/scheduler/constraints/saturation.py).
 *   - end:   requests still waiting for admission when the last request arrived (more than one per replica).
 *
 * Backlogged = all three: admitted < (1 − MIN_DEFICIT) × arrived, both trends significant at the stated
 * confidence, and a queue at the end. The first RAMP_SHARE of windows is left out: a queue filling from
 * empty is not growing without bound. Each condition grows with offered load, so the verdict does too.
 */

/** share of the arrival rate that must go unadmitted for a backlog: below it the queue is at capacity, not past it */
export const MIN_DEFICIT = 0.03;
/** confidence of the trend tests for the verdict, and for stopping a run early (stricter: it ends the run) */
export const VERDICT_CONFIDENCE = 0.95;
export const EARLY_STOP_CONFIDENCE = 0.999;
/** leading share of arrival windows left out of the judgement (the queue filling from empty) */
export const RAMP_SHARE = 0.2;
/** windows kept: pairs merge when full, so memory is constant and the test has 16–32 points */
export const MAX_WINDOWS = 32;
/** fewest judged windows for a trend test */
export const MIN_TREND_WINDOWS = 8;

export interface TrendTest {
  /** windows tested */
  readonly windows: number;
  /** Mann–Kendall S (concordant minus discordant pairs) */
  readonly s: number;
  /** normal score of S (continuity-corrected, tie-corrected variance) */
  readonly z: number;
  /** one-sided p-value for "no upward trend" */
  readonly pValue: number;
  /** Sen's slope (median pairwise slope) per window */
  readonly senSlopePerWindow: number;
  readonly upward: boolean;
}

export interface SaturationEvidence {
  /** arrivals in the judged part of the run and its span */
  readonly arrivals: number;
  readonly spanS: number;
  readonly arrivalRatePerS: number;
  readonly admittedRatePerS: number;
  /** admitted / arrived over the judged span */
  readonly admittedShare: number;
  readonly outstandingTrend: TrendTest;
  readonly queueDelayTrend: TrendTest;
  /** requests waiting for admission (all replicas) at the last arrival */
  readonly waitingAtEnd: number;
  readonly outstandingAtEnd: number;
  readonly replicas: number;
  readonly confidence: number;
  readonly minDeficit: number;
}

export type Verdict = 'stable' | 'backlogged' | 'closed-loop';

export interface SaturationVerdict {
  readonly verdict: Verdict;
  /** one line for tables */
  readonly reason: string;
  /** a sentence or two for notes */
  readonly explanation: string;
  /** nominal offered rate of the arrival spec (undefined for closed loops) */
  readonly offeredRatePerS: number | undefined;
  /** counted completions over the measurement window */
  readonly achievedRatePerS: number;
  readonly evidence: SaturationEvidence | undefined;
  /** set when the run stopped issuing requests before its limit */
  readonly stoppedEarly: { readonly atS: number; readonly afterRequests: number; readonly reason: string } | undefined;
}

/** true when a run's verdict says the offered load is above capacity: the one test every consumer uses */
export function isBacklogged(v: { readonly verdict: string } | string | null | undefined): boolean {
  return (typeof v === 'string' ? v : v?.verdict) === 'backlogged';
}

/**
 * Highest rate of a series that is below its lowest backlogged rate (all rates when none is backlogged);
 * undefined when the lowest rate is already backlogged. A steady point above a backlogged one is noise,
 * not capacity, so it never counts.
 */
export function highestSteadyRate(points: readonly { readonly rate: number; readonly saturated: boolean }[]): number | undefined {
  let firstSaturated = Infinity;
  for (const p of points) if (p.saturated && p.rate < firstSaturated) firstSaturated = p.rate;
  let best: number | undefined;
  for (const p of points) if (!p.saturated && p.rate < firstSaturated && (best === undefined || p.rate > best)) best = p.rate;
  return best;
}

// ---- Mann–Kendall -----------------------------------------------------------------------------------

/** Standard normal upper tail, 1 − Φ(z) (W. J. Cody's rational erfc via Numerical Recipes' erfcc, |ε| < 1.2e-7). */
export function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.5 * ax);
  const erfc =
    t *
    Math.exp(
      -ax * ax - 1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/** One-sided Mann–Kendall test for an upward trend in `xs` (in order), with tie correction and Sen's slope. */
export function mannKendall(xs: readonly number[], confidence = VERDICT_CONFIDENCE): TrendTest {
  const n = xs.length;
  let s = 0;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const d = xs[j]! - xs[i]!;
      s += d > 0 ? 1 : d < 0 ? -1 : 0;
      slopes.push(d / (j - i));
    }
  // tie correction: Σ t(t−1)(2t+5) over groups of equal values
  const sorted = [...xs].sort((a, b) => a - b);
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const t = j - i;
    ties += t * (t - 1) * (2 * t + 5);
    i = j;
  }
  const variance = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  const z = variance > 0 ? (s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0) : 0;
  const pValue = variance > 0 ? normalUpperTail(z) : 1;
  slopes.sort((a, b) => a - b);
  const m = slopes.length;
  const sen = m === 0 ? 0 : m % 2 === 1 ? slopes[(m - 1) / 2]! : (slopes[m / 2 - 1]! + slopes[m / 2]!) / 2;
  return { windows: n, s, z, pValue, senSlopePerWindow: sen, upward: n >= MIN_TREND_WINDOWS && pValue < 1 - confidence };
}

// ---- evidence gathered during a run -----------------------------------------------------------------

/**
 * Windows of consecutive arrivals: per window, the arrivals, the time of its first arrival, the admissions
 * counted before it, and the sums of the outstanding count and queueing delay each arrival saw. At
 * MAX_WINDOWS full windows, neighbours merge and the window size doubles: constant memory.
 */
export class ArrivalWindows {
  #size = 1;
  #n = 0; // windows in use (the last may be partial)
  readonly #count = new Float64Array(MAX_WINDOWS + 1);
  readonly #startS = new Float64Array(MAX_WINDOWS + 1);
  readonly #admittedBefore = new Float64Array(MAX_WINDOWS + 1);
  readonly #outstanding = new Float64Array(MAX_WINDOWS + 1);
  readonly #delayS = new Float64Array(MAX_WINDOWS + 1);
  arrivals = 0;
  lastArrivalS = 0;

  /** one arrival at `nowS` that found `outstanding` requests in the system and a queueing delay of `delayS` */
  add(nowS: number, outstanding: number, delayS: number, admittedSoFar: number): void {
    if (this.#n === 0 || this.#count[this.#n - 1]! >= this.#size) {
      if (this.#n === MAX_WINDOWS) this.#merge();
      const w = this.#n++;
      this.#count[w] = 0;
      this.#startS[w] = nowS;
      this.#admittedBefore[w] = admittedSoFar;
      this.#outstanding[w] = 0;
      this.#delayS[w] = 0;
    }
    const w = this.#n - 1;
    this.#count[w]!++;
    this.#outstanding[w]! += outstanding;
    this.#delayS[w]! += delayS;
    this.arrivals++;
    this.lastArrivalS = nowS;
  }

  /** true right after an arrival that completed a window */
  get windowComplete(): boolean {
    return this.#n > 0 && this.#count[this.#n - 1] === this.#size;
  }

  #merge(): void {
    const half = MAX_WINDOWS / 2;
    for (let i = 0; i < half; i++) {
      const a = 2 * i;
      const b = a + 1;
      this.#count[i] = this.#count[a]! + this.#count[b]!;
      this.#startS[i] = this.#startS[a]!;
      this.#admittedBefore[i] = this.#admittedBefore[a]!;
      this.#outstanding[i] = this.#outstanding[a]! + this.#outstanding[b]!;
      this.#delayS[i] = this.#delayS[a]! + this.#delayS[b]!;
    }
    this.#n = half;
    this.#size *= 2;
  }

  /** Evidence over the windows after the ramp (a partial last window counts when at least half full). */
  evidence(args: { admittedSoFar: number; waitingNow: number; outstandingNow: number; replicas: number; confidence: number }): SaturationEvidence {
    let n = this.#n;
    if (n > 0 && this.#count[n - 1]! < this.#size / 2) n--;
    const first = Math.min(n, Math.floor(n * RAMP_SHARE));
    const outstanding: number[] = [];
    const delay: number[] = [];
    let arrivals = 0;
    for (let w = first; w < n; w++) {
      const c = this.#count[w]!;
      arrivals += c;
      outstanding.push(this.#outstanding[w]! / c);
      delay.push(this.#delayS[w]! / c);
    }
    // the span runs from the first judged arrival to the last arrival; admissions over the same span
    const startS = n > first ? this.#startS[first]! : this.lastArrivalS;
    const spanS = Math.max(0, this.lastArrivalS - startS);
    const admitted = n > first ? args.admittedSoFar - this.#admittedBefore[first]! : 0;
    const arrivalRatePerS = spanS > 0 ? arrivals / spanS : 0;
    const admittedRatePerS = spanS > 0 ? admitted / spanS : 0;
    return {
      arrivals,
      spanS,
      arrivalRatePerS,
      admittedRatePerS,
      admittedShare: arrivals > 0 ? Math.min(1, admitted / arrivals) : 1,
      outstandingTrend: mannKendall(outstanding, args.confidence),
      queueDelayTrend: mannKendall(delay, args.confidence),
      waitingAtEnd: args.waitingNow,
      outstandingAtEnd: args.outstandingNow,
      replicas: args.replicas,
      confidence: args.confidence,
      minDeficit: MIN_DEFICIT,
    };
  }
}

// ---- the verdict ------------------------------------------------------------------------------------

const rate = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const p = (t: TrendTest) => (t.pValue < 0.001 ? 'p<0.001' : `p=${t.pValue.toFixed(3)}`);

/** True when the evidence shows a backlog: the conditions in the module comment. */
export function backlogEvident(e: SaturationEvidence): boolean {
  return (
    e.admittedShare < 1 - e.minDeficit &&
    e.outstandingTrend.upward &&
    e.queueDelayTrend.upward &&
    e.waitingAtEnd > e.replicas
  );
}

export function judgeSaturation(args: {
  readonly closedLoop: boolean;
  readonly offeredRatePerS: number | undefined;
  readonly achievedRatePerS: number;
  readonly evidence: SaturationEvidence | undefined;
  readonly stoppedEarly?: SaturationVerdict['stoppedEarly'];
}): SaturationVerdict {
  const { evidence: e } = args;
  const common = {
    offeredRatePerS: args.offeredRatePerS,
    achievedRatePerS: args.achievedRatePerS,
    evidence: e,
    stoppedEarly: args.stoppedEarly,
  };
  if (args.closedLoop || e === undefined)
    return {
      ...common,
      verdict: 'closed-loop',
      reason: 'closed loop: the client waits for responses',
      explanation: 'closed-loop load: the client waits for responses, so the queue cannot grow without bound',
    };
  const admitted = `admitted ${rate(e.admittedRatePerS)} of ${rate(e.arrivalRatePerS)} req/s arriving`;
  const conf = `${+(e.confidence * 100).toFixed(1)}% confidence`;
  const stop = args.stoppedEarly ? `; stopped early at t=${args.stoppedEarly.atS.toPrecision(3)} s after ${args.stoppedEarly.afterRequests} requests` : '';
  if (backlogEvident(e)) {
    return {
      ...common,
      verdict: 'backlogged',
      reason: `${admitted}; queue delay and outstanding rising (Mann–Kendall ${p(e.queueDelayTrend)}); ${e.waitingAtEnd} waiting at the end${stop}`,
      explanation:
        `backlogged: ${admitted} (completed ${rate(args.achievedRatePerS)}/s); queueing delay and outstanding requests ` +
        `rose through the run (Mann–Kendall ${p(e.queueDelayTrend)} and ${p(e.outstandingTrend)}, ${conf}); ` +
        `${e.waitingAtEnd} requests were still waiting for admission at the last arrival${stop}. ` +
        `Latency here depends on how long the run is: the offered load exceeds capacity.`,
    };
  }
  // the admission figures, then the first condition that does not hold
  const why: string[] = [admitted];
  if (!e.queueDelayTrend.upward)
    why.push(e.queueDelayTrend.windows < MIN_TREND_WINDOWS ? 'too few arrivals to test a trend' : `queue delay not rising (${p(e.queueDelayTrend)})`);
  else if (!e.outstandingTrend.upward) why.push(`outstanding not rising (${p(e.outstandingTrend)})`);
  else if (e.waitingAtEnd <= e.replicas) why.push(`${e.waitingAtEnd} waiting at the end`);
  // nothing waits, yet completions trail arrivals well behind: the run ended while the batch was filling
  if (args.achievedRatePerS < 0.9 * e.arrivalRatePerS && e.outstandingTrend.upward)
    why.push(`completed only ${rate(args.achievedRatePerS)} req/s: the batch was still filling, a longer run would tell more`);
  return {
    ...common,
    verdict: 'stable',
    reason: why.join('; '),
    explanation: `stable: ${why.join('; ')} (${conf})`,
  };
}
