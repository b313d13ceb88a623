/**
 * A weighted histogram with logarithmic buckets: constant memory however many values it sees, relative
 * error of a quantile at most half a bucket (0.1% with the default resolution). Mean, min and max are
 * exact. Quantiles follow GuideLLM's rule — the first value whose cumulative weight reaches p, no
 * interpolation — returned as the bucket's geometric midpoint clamped to [min, max].
 */
export class LogHistogram {
  static readonly MIN_VALUE = 1e-7;
  static readonly MAX_VALUE = 1e6;
  readonly #counts: Float64Array;
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
    this.#counts = new Float64Array(buckets);
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
    if (i >= this.#counts.length) i = this.#counts.length - 1;
    this.#counts[i] = this.#counts[i]! + weight;
    if (i < this.#lo) this.#lo = i;
    if (i > this.#hi) this.#hi = i;
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
    let k = 0;
    let cum = this.#zeros;
    while (k < qs.length && this.#zeros > 0 && cum >= qs[k]! * this.#total) out[k++] = Math.max(this.#min, 0);
    for (let i = this.#lo; i <= this.#hi && k < qs.length; i++) {
      const w = c[i]!;
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
    for (let i = this.#lo; i <= last && i <= this.#hi; i++) cum += c[i]!;
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
