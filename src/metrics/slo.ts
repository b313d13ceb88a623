import { InputError } from '../diagnostics/errors.ts';

/**
 * Service-level objectives, written `ttft:p99<=200ms,itl:p99<=50ms,e2e:p99<=3s`, or as GuideLLM's goodput
 * JSON `{"ttft_ms":200,"tpot_ms":50,"e2el_ms":3000}` (see docs/metrics.md for the mapping).
 *   - ttft:  time to first token of a request
 *   - itl:   inter-token latency, every gap between consecutive tokens (per gap; vLLM `itl`)
 *   - tpot:  a request's time per output token, (last − first)/(n − 1), request-weighted (vLLM `tpot`)
 *   - e2e:   request latency (alias e2el)
 *   - queue: time before the first prefill chunk is scheduled (alias queue_time)
 * Each objective is checked two ways: the statistic of the metric's distribution must be within the
 * threshold (the SLO is "met"), and per request (a request "attains" the set when it meets every
 * threshold: attainment share and goodput = attaining requests per second). Per request, `itl` and `tpot`
 * both compare the request's mean gap (last − first)/(n − 1), as GuideLLM and vLLM goodput do.
 */
export const SLO_METRICS = ['ttft', 'itl', 'tpot', 'e2e', 'queue'] as const;
export type SloMetric = (typeof SLO_METRICS)[number];

const ALIASES: Readonly<Record<string, SloMetric>> = { e2el: 'e2e', queue_time: 'queue' };

/** Statistics an objective can name: `mean`, `median` (= p50), `pN` / `pN.N` (N in (0, 100]), `p999` (= p99.9). */
export const SLO_STATISTICS_HELP = 'mean, median, p50, p90, p95, p99, p99.9 (or p999)';

export interface SloObjective {
  readonly metric: SloMetric;
  /** quantile in (0, 1], e.g. 0.99, or the mean */
  readonly percentile: number | 'mean';
  readonly thresholdS: number;
}

const OBJECTIVE = /^([a-z_][a-z0-9_]*):(p\d+(?:\.\d+)?|mean|median)\s*(<=|<)\s*(\d*\.?\d+(?:e[+-]?\d+)?)\s*(ms|s|us)?$/i;

export function parseSlo(text: string): SloObjective[] {
  if (typeof text !== 'string') throw new InputError(`--slo: expected text like "ttft:p99<=200ms", found ${String(text)}`);
  if (text.trim().startsWith('{')) return parseGuidellmSlo(text);
  const objectives: SloObjective[] = [];
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = OBJECTIVE.exec(raw);
    if (!m) {
      throw new InputError(
        `--slo: cannot read "${raw}"; expected METRIC:STATISTIC<=VALUE[ms|s], e.g. "ttft:p99<=200ms" or "e2e:p99<=3s" ` +
          `(metrics: ${SLO_METRICS.join(', ')}; statistics: ${SLO_STATISTICS_HELP}), or GuideLLM JSON like {"ttft_ms":200,"tpot_ms":50}`,
      );
    }
    const name = m[1]!.toLowerCase();
    const metric = ALIASES[name] ?? name;
    if (!(SLO_METRICS as readonly string[]).includes(metric))
      throw new InputError(`--slo: unknown metric "${name}" in "${raw}"; expected one of ${SLO_METRICS.join(', ')}`);
    const v = Number(m[4]);
    if (!(v > 0 && Number.isFinite(v))) throw new InputError(`--slo: threshold for ${metric} must be a positive finite number, found "${m[4]}" in "${raw}"`);
    const unit = m[5]?.toLowerCase();
    const thresholdS = unit === 's' ? v : unit === 'us' ? v * 1e-6 : v * 1e-3; // default unit ms
    objectives.push({ metric: metric as SloMetric, percentile: parseStatistic(m[2]!.toLowerCase(), raw), thresholdS });
  }
  if (objectives.length === 0)
    throw new InputError(`--slo: no objective in "${text}"; expected METRIC:PERCENTILE<=VALUE[ms|s], e.g. "ttft:p99<=200ms"`);
  return objectives;
}

function parseStatistic(stat: string, raw: string): number | 'mean' {
  if (stat === 'mean') return 'mean';
  if (stat === 'median') return 0.5;
  const q = quantileOf(stat.slice(1));
  if (!(q > 0 && q <= 1)) throw new InputError(`--slo: percentile ${stat} in "${raw}" must be above p0 and at most p100`);
  return q;
}

/** "99" → 0.99, "99.9" → 0.999 (rounded to 15 digits so that 99.9/100 is 0.999), "999" → 0.999 (the metrics
 * vocabulary's and GuideLLM's name for the 99.9th percentile) */
function quantileOf(digits: string): number {
  return digits === '999' ? 0.999 : Number((Number(digits) / 100).toPrecision(15));
}

/** GuideLLM goodput objectives (per request, in ms); `tpot_ms` is compared with inter-token latency. */
const GUIDELLM_KEYS: Readonly<Record<string, SloMetric>> = {
  ttft_ms: 'ttft',
  tpot_ms: 'itl',
  itl_ms: 'itl',
  e2el_ms: 'e2e',
  e2e_ms: 'e2e',
};

function parseGuidellmSlo(text: string): SloObjective[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`--slo: cannot read the JSON objectives: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new InputError('--slo: JSON objectives must be an object like {"ttft_ms":200,"tpot_ms":50,"e2el_ms":3000}');
  const entries = Object.entries(doc as Record<string, unknown>);
  let percentile: number | 'mean' = 0.99;
  const pct = (doc as Record<string, unknown>)['percentile'];
  if (pct !== undefined) {
    const s = typeof pct === 'number' ? `p${pct}` : String(pct).toLowerCase();
    percentile = parseStatistic(s.startsWith('p') || s === 'mean' || s === 'median' ? s : `p${s}`, `percentile: ${JSON.stringify(pct)}`);
  }
  const objectives: SloObjective[] = [];
  for (const [key, value] of entries) {
    if (key === 'percentile') continue;
    const metric = GUIDELLM_KEYS[key];
    if (!metric) throw new InputError(`--slo: unknown JSON objective "${key}"; expected ${Object.keys(GUIDELLM_KEYS).join(', ')} (and optionally percentile)`);
    if (value === null || value === undefined) continue; // GuideLLM leaves unset objectives null
    if (typeof value !== 'number' || !(value > 0 && Number.isFinite(value)))
      throw new InputError(`--slo: "${key}" must be a positive number of milliseconds, found ${JSON.stringify(value)}`);
    objectives.push({ metric, percentile, thresholdS: value * 1e-3 });
  }
  if (objectives.length === 0) throw new InputError('--slo: the JSON objectives name no threshold; e.g. {"ttft_ms":200,"tpot_ms":50}');
  return objectives;
}

/** `p99`, `p99.9`, `mean`: the shortest spelling that reads back as exactly this quantile. */
export function formatStatistic(percentile: number | 'mean'): string {
  if (percentile === 'mean') return 'mean';
  // a quantile read from text is N/100 (or 0.999); any other double still prints, to 17 digits
  const plain = (x: number) => (String(x).includes('e') ? x.toFixed(20).replace(/\.?0+$/, '') : String(x)); // pN has no exponent
  const digits = shortest(percentile * 100, (x) => quantileOf(plain(x)) === percentile);
  return `p${plain(Number(digits ?? percentile * 100))}`;
}

/** `200ms`, `3s`: the shortest spelling that reads back as exactly this many seconds. */
export function formatThreshold(thresholdS: number): string {
  const asS = `${thresholdS}s`; // String(number) always reads back exactly
  const ms = shortest(thresholdS * 1e3, (x) => x * 1e-3 === thresholdS);
  if (ms === undefined) return asS;
  const asMs = `${ms}ms`;
  return thresholdS >= 1 && asS.length <= asMs.length ? asS : asMs;
}

/** the shortest decimal near `x` (1–17 significant digits) that `ok` accepts */
function shortest(x: number, ok: (v: number) => boolean): string | undefined {
  for (let p = 1; p <= 17; p++) {
    const v = Number(x.toPrecision(p));
    if (ok(v)) return String(v);
  }
  return undefined;
}

export function formatObjective(o: SloObjective): string {
  return `${o.metric}:${formatStatistic(o.percentile)}<=${formatThreshold(o.thresholdS)}`;
}

/** The SLO text `parseSlo` reads back as the same objectives. */
export function formatSlo(objectives: readonly SloObjective[]): string {
  return objectives.map(formatObjective).join(',');
}

/** One finished request's values for the per-request SLO check (seconds). */
export interface RequestSloValues {
  readonly ttftS: number;
  /** (last − first)/(n − 1); NaN for a one-token request */
  readonly meanGapS: number;
  readonly e2eS: number;
  readonly queueS: number;
}

/** What a request's objective compares: per request, `itl` and `tpot` both mean the request's mean gap. */
const REQUEST_VALUE: Readonly<Record<SloMetric, (r: RequestSloValues) => number>> = {
  ttft: (r) => r.ttftS,
  itl: (r) => r.meanGapS,
  tpot: (r) => r.meanGapS,
  e2e: (r) => r.e2eS,
  queue: (r) => r.queueS,
};

/** Does a request meet every objective? A one-token request has no gap, so gap objectives do not count. */
export function requestAttains(slo: readonly SloObjective[], r: RequestSloValues): boolean {
  for (const o of slo) {
    const v = REQUEST_VALUE[o.metric](r);
    if ((o.metric === 'itl' || o.metric === 'tpot') && Number.isNaN(v)) continue;
    if (v > o.thresholdS) return false;
  }
  return true;
}
