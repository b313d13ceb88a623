/**
 * A weighted histogram with logarithmic buckets: constant memory however many values it sees, relative
 * error of a quantile at most half a bucket (0.1% with the default resolution). Mean, min and max are
 * exact. Quantiles follow GuideLLM's rule — the first value whose cumulative weight reaches p, no
 * interpolation — returned as the bucket's geometric midpoint clamped to [min, max].
 */
export class LogHistogram {
  static readonly MIN_VALUE = 1e-7;
  static readonly MAX_VALUE = 1e6;
  /**
   * counts of buckets #base … #base + length − 1, grown to cover what is recorded: a run records into a few
   * hundred of the ~15,000 buckets, and a search builds eight histograms per simulation
   */
  #counts = new Float64Array(0);
  #base = 0;
  readonly #buckets: number;
  readonly #invLogBase: number;
  readonly #logBase: number;
  #total = 0;
  #sum = 0;
  #sumSq = 0;
  #min = Infinity;
  #max = -Infinity;
  #zeros = 0;
  /** lowest and highest non-empty bucket: quantile scans stay within them */
  #lo = Infinity;
  #hi = -1;

  constructor(relativeResolution = 0.002) {
    this.#logBase = Math.log1p(relativeResolution);
    this.#invLogBase = 1 / this.#logBase;
    const buckets = Math.ceil(Math.log(LogHistogram.MAX_VALUE / LogHistogram.MIN_VALUE) * this.#invLogBase) + 1;
    this.#buckets = buckets;
  }

  record(value: number, weight = 1): void {
    if (!(weight > 0)) return;
    this.#total += weight;
    this.#sum += value * weight;
    this.#sumSq += value * value * weight;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    if (value <= LogHistogram.MIN_VALUE) {
      this.#zeros += weight;
      return;
    }
    let i = Math.floor(Math.log(value / LogHistogram.MIN_VALUE) * this.#invLogBase);
    if (i >= this.#buckets) i = this.#buckets - 1;
    if (!(i >= 0)) return; // NaN: counted in the total, in no bucket (as a typed array ignores index NaN)
    if (i < this.#base || i >= this.#base + this.#counts.length) this.#cover(i);
    const j = i - this.#base;
    this.#counts[j] = this.#counts[j]! + weight;
    if (i < this.#lo) this.#lo = i;
    if (i > this.#hi) this.#hi = i;
  }

  /** grow the counted window to include bucket i (doubling, within [0, buckets)) */
  #cover(i: number): void {
    const old = this.#counts;
    const lo = old.length === 0 ? i : Math.min(i, this.#base);
    const hi = old.length === 0 ? i : Math.max(i, this.#base + old.length - 1);
    const length = Math.min(this.#buckets, Math.max(256, 2 * old.length, hi - lo + 1));
    // room on the side it grew towards
    const base = Math.max(0, Math.min(i < this.#base ? hi + 1 - length : lo, this.#buckets - length));
    const grown = new Float64Array(length);
    if (old.length > 0) grown.set(old, this.#base - base);
    this.#counts = grown;
    this.#base = base;
  }

  get count(): number {
    return this.#total;
  }
  get sum(): number {
    return this.#sum;
  }
  get mean(): number {
    return this.#total > 0 ? this.#sum / this.#total : NaN;
  }
  /** population standard deviation (weighted) */
  get stdev(): number {
    if (this.#total === 0) return NaN;
    const m = this.#sum / this.#total;
    return Math.sqrt(Math.max(0, this.#sumSq / this.#total - m * m));
  }
  get min(): number {
    return this.#total > 0 ? this.#min : NaN;
  }
  get max(): number {
    return this.#total > 0 ? this.#max : NaN;
  }

  /** first value whose cumulative weight ≥ q × total (q in [0, 1]) */
  quantile(q: number): number {
    return this.quantiles([q])[0]!;
  }

  /** several quantiles in one pass over the buckets; `qs` must be ascending */
  quantiles(qs: readonly number[]): number[] {
    const out = new Array<number>(qs.length);
    if (this.#total === 0) return out.fill(NaN);
    const c = this.#counts;
    const base = this.#base;
    let k = 0;
    let cum = this.#zeros;
    while (k < qs.length && this.#zeros > 0 && cum >= qs[k]! * this.#total) out[k++] = Math.max(this.#min, 0);
    for (let i = this.#lo; i <= this.#hi && k < qs.length; i++) {
      const w = c[i - base]!;
      if (w === 0) continue;
      cum += w;
      while (k < qs.length && cum >= qs[k]! * this.#total * (1 - 1e-12)) {
        const mid = LogHistogram.MIN_VALUE * Math.exp((i + 0.5) * this.#logBase);
        out[k++] = Math.min(this.#max, Math.max(this.#min, mid));
      }
    }
    while (k < qs.length) out[k++] = this.#max;
    return out;
  }

  /** share of the weight at or below `value` (bucket resolution) */
  fractionAtOrBelow(value: number): number {
    if (this.#total === 0) return NaN;
    if (value >= this.#max) return 1;
    if (value < this.#min) return 0;
    let cum = this.#zeros;
    const last = Math.floor(Math.log(Math.max(value, LogHistogram.MIN_VALUE) / LogHistogram.MIN_VALUE) * this.#invLogBase);
    const c = this.#counts;
    for (let i = this.#lo; i <= last && i <= this.#hi; i++) cum += c[i - this.#base]!;
    return cum / this.#total;
  }

  /** (value, cumulative fraction) pairs for a CDF chart, at most `points` of them */
  cdf(points = 200): { value: number; fraction: number }[] {
    if (this.#total === 0) return [];
    const qs = Array.from({ length: points }, (_, k) => (k + 1) / points);
    const values = this.quantiles(qs);
    return qs.map((q, k) => ({ value: values[k]!, fraction: q }));
  }
}
