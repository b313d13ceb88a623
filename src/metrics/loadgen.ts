/**
 * MLPerf LoadGen's measurement rules for the LLM Server / Interactive / Offline scenarios, as pure functions
 * (mlcommons/inference loadgen/loadgen.cc, logging.cc, results.cc; inference_policies "Early Stopping
 * Criterion"; summary in ../shared/reference/mlperf-datasets/README.md §2–3):
 *   - latency counts from each query's *scheduled* arrival (queueing and issue delay included);
 *   - TPOT per sample = (latency − TTFT) / (output tokens − 1);
 *   - p99 over samples, unweighted: sorted[floor(0.99·N)];
 *   - a run is valid only if p99 TTFT < limit and p99 TPOT < limit (strictly, as the submission checker)
 *     AND early stopping passes for each, AND the schedule spans ≥ 600 s with ≥ one whole dataset pass;
 *   - Offline: every query at t = 0; throughput = output tokens ÷ time to the last completion.
 */

export const MIN_DURATION_S = 600;
export const EARLY_STOPPING_CONFIDENCE = 0.99;
/** the latency percentile LoadGen bounds */
export const LATENCY_PERCENTILE = 0.99;

/** One completed sample, times in seconds from its scheduled arrival. */
export interface LoadgenSample {
  readonly scheduledS: number;
  readonly ttftS: number;
  readonly latencyS: number;
  readonly outputTokens: number;
}

/** (latency − TTFT) / (n − 1); undefined for n ≤ 1 (LoadGen logs an error for those). */
export function tpotPerSample(s: Pick<LoadgenSample, 'ttftS' | 'latencyS' | 'outputTokens'>): number | undefined {
  if (s.outputTokens <= 1) return undefined;
  return (s.latencyS - s.ttftS) / (s.outputTokens - 1);
}

/** LoadGen's percentile: the value at index floor(q·N) of the ascending sort (no interpolation). */
export function loadgenPercentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** ln Γ(x), Lanczos approximation (g = 7, 9 terms): ~15 significant digits, plenty for a tail bound. */
function logGamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const xm = x - 1;
  let a = c[0]!;
  const t = xm + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (xm + i);
  return 0.5 * Math.log(2 * Math.PI) + (xm + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≤ t) for X ~ Binomial(n, p), summed in log space. */
export function binomialCdf(t: number, n: number, p: number): number {
  let sum = 0;
  const lnN = logGamma(n + 1);
  for (let k = 0; k <= Math.min(t, n); k++) sum += Math.exp(lnN - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p));
  return Math.min(1, sum);
}

/**
 * LoadGen's early-stopping bound for `overLimit` = t samples above the latency limit: the smallest h with
 * BetaRegularized(0.99; h, t + 1) ≤ 1 − c. For integers, I_x(h, t+1) = P(Binomial(h + t, x) ≥ h) = P(at most t
 * of h + t samples are over, when each is over with probability 1 − x). The run passes when queries ≥ h + t.
 */
export function earlyStoppingMinQueries(overLimit: number, percentile = LATENCY_PERCENTILE, confidence = EARLY_STOPPING_CONFIDENCE): number {
  const pOver = 1 - percentile;
  const passes = (h: number) => binomialCdf(overLimit, h + overLimit, pOver) <= 1 - confidence;
  let hi = Math.max(1, overLimit * 2);
  while (!passes(hi)) hi *= 2;
  let lo = 0;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (passes(mid)) hi = mid;
    else lo = mid;
  }
  return hi + overLimit;
}

const allowedCache = new Map<number, number>();

/** The most over-limit samples a run of `queries` may have and still pass early stopping (−1: none). */
export function maxOverLimitSamples(queries: number): number {
  const hit = allowedCache.get(queries);
  if (hit !== undefined) return hit;
  const t = searchMaxOverLimit(queries);
  allowedCache.set(queries, t);
  return t;
}

function searchMaxOverLimit(queries: number): number {
  if (earlyStoppingMinQueries(0) > queries) return -1;
  let lo = 0;
  let hi = queries;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (earlyStoppingMinQueries(mid) <= queries) lo = mid;
    else hi = mid;
  }
  return lo;
}

export interface ScenarioLimits {
  readonly ttftS: number;
  readonly tpotS: number;
}

export interface LoadgenVerdict {
  readonly valid: boolean;
  readonly queries: number;
  readonly scheduleS: number;
  readonly ttftP99S: number;
  readonly tpotP99S: number;
  readonly ttftOverLimit: number;
  readonly tpotOverLimit: number;
  /** most over-limit samples early stopping allows at this query count */
  readonly allowedOverLimit: number;
  readonly why: string;
}

export interface VerdictOptions {
  /** the query count LoadGen requires (a whole dataset pass, at least); default 1 */
  readonly minQueries?: number;
  readonly minDurationS?: number;
  /**
   * the run stands for `scale` times as many queries (one simulated replica of a `scale`-replica system):
   * over-limit counts and the query count are scaled before early stopping
   */
  readonly scale?: number;
}

/** Judge a Server/Interactive run as LoadGen and the submission checker would. */
export function loadgenVerdict(samples: readonly LoadgenSample[], limits: ScenarioLimits, options: VerdictOptions = {}): LoadgenVerdict {
  const scale = options.scale ?? 1;
  const ttft = samples.map((s) => s.ttftS);
  const tpot = samples.map(tpotPerSample).filter((x): x is number => x !== undefined);
  const ttftP99S = loadgenPercentile(ttft, LATENCY_PERCENTILE);
  const tpotP99S = loadgenPercentile(tpot, LATENCY_PERCENTILE);
  const ttftOverLimit = Math.round(ttft.filter((x) => x >= limits.ttftS).length * scale);
  const tpotOverLimit = Math.round(tpot.filter((x) => x >= limits.tpotS).length * scale);
  const queries = Math.round(samples.length * scale);
  const scheduleS = samples.reduce((m, s) => Math.max(m, s.scheduledS), 0);
  const allowedOverLimit = maxOverLimitSamples(queries);
  const problems: string[] = [];
  if (!(ttftP99S < limits.ttftS)) problems.push(`p99 TTFT ${ms(ttftP99S)} ≥ ${ms(limits.ttftS)}`);
  if (!(tpotP99S < limits.tpotS)) problems.push(`p99 TPOT ${ms(tpotP99S)} ≥ ${ms(limits.tpotS)}`);
  if (ttftOverLimit > allowedOverLimit) problems.push(`early stopping: ${ttftOverLimit} TTFT samples over the limit, ${allowedOverLimit} allowed`);
  if (tpotOverLimit > allowedOverLimit) problems.push(`early stopping: ${tpotOverLimit} TPOT samples over the limit, ${allowedOverLimit} allowed`);
  if (scheduleS < (options.minDurationS ?? MIN_DURATION_S)) problems.push(`schedule ${scheduleS.toFixed(0)} s < ${options.minDurationS ?? MIN_DURATION_S} s`);
  if (queries < (options.minQueries ?? 1)) problems.push(`${queries} queries < ${options.minQueries ?? 1}`);
  return { valid: problems.length === 0, queries, scheduleS, ttftP99S, tpotP99S, ttftOverLimit, tpotOverLimit, allowedOverLimit, why: problems.length === 0 ? 'valid' : problems.join('; ') };
}

/** LoadGen's Server query count: whole dataset passes until the schedule reaches minDurationS at `ratePerS`. */
export function serverQueryCount(ratePerS: number, datasetSamples: number, minDurationS = MIN_DURATION_S): number {
  return Math.max(1, Math.ceil((minDurationS * ratePerS) / datasetSamples)) * datasetSamples;
}

/** Offline: output tokens ÷ time from t = 0 to the last completion. */
export function offlineThroughput(samples: readonly { readonly finishS: number; readonly outputTokens: number }[]): number {
  const last = samples.reduce((m, s) => Math.max(m, s.finishS), 0);
  const tokens = samples.reduce((s, x) => s + x.outputTokens, 0);
  return last > 0 ? tokens / last : NaN;
}

const ms = (s: number) => `${(s * 1e3).toFixed(1)} ms`;
