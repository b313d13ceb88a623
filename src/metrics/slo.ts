import { InputError } from '../diagnostics/errors.ts';

/**
 * Service-level objectives, written `ttft:p99<=200ms,itl:p99<=50ms,e2e:p99<=3s`.
 *   - ttft: time to first token of a request
 *   - itl:  a request's mean inter-token latency, (last − first)/(n − 1) (= vLLM TPOT, GuideLLM ITL)
 *   - e2e:  request latency
 *   - queue: time before the first prefill chunk is scheduled
 * Each objective is checked two ways: the percentile of the metric over requests must be within the
 * threshold (the SLO is "met"), and per request (a request "attains" the set when it meets every
 * threshold: attainment share and goodput = attaining requests per second).
 */
export const SLO_METRICS = ['ttft', 'itl', 'e2e', 'queue'] as const;
export type SloMetric = (typeof SLO_METRICS)[number];

export interface SloObjective {
  readonly metric: SloMetric;
  /** quantile in (0, 1], e.g. 0.99; `mean` is expressed as NaN-free 'mean' */
  readonly percentile: number | 'mean';
  readonly thresholdS: number;
}

const PERCENTILE = /^p(\d+(?:\.\d+)?)$/;

export function parseSlo(text: string): SloObjective[] {
  if (typeof text !== 'string') throw new InputError(`--slo: expected text like "ttft:p99<=200ms", found ${String(text)}`);
  const objectives: SloObjective[] = [];
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([a-z_]+):(p\d+(?:\.\d+)?|mean|median)\s*(<=|<)\s*([0-9.]+(?:e-?\d+)?)\s*(ms|s|us)?$/i.exec(raw);
    if (!m) {
      throw new InputError(
        `--slo: cannot read "${raw}"; expected METRIC:PERCENTILE<=VALUE[ms|s], e.g. "ttft:p99<=200ms" (metrics: ${SLO_METRICS.join(', ')})`,
      );
    }
    const metric = m[1]!.toLowerCase();
    if (metric === 'tpot') {
      objectives.push(build('itl', m[2]!, m[4]!, m[5]));
      continue;
    }
    if (!(SLO_METRICS as readonly string[]).includes(metric))
      throw new InputError(`--slo: unknown metric "${metric}" in "${raw}"; expected one of ${SLO_METRICS.join(', ')} (tpot = itl)`);
    objectives.push(build(metric as SloMetric, m[2]!, m[4]!, m[5]));
  }
  if (objectives.length === 0)
    throw new InputError(`--slo: no objective in "${text}"; expected METRIC:PERCENTILE<=VALUE[ms|s], e.g. "ttft:p99<=200ms"`);
  return objectives;

  function build(metric: SloMetric, pct: string, value: string, unit: string | undefined): SloObjective {
    const v = Number(value);
    if (!(v > 0 && Number.isFinite(v))) throw new InputError(`--slo: threshold for ${metric} must be a positive finite number, found "${value}"`);
    const scale = unit === 's' ? 1 : unit === 'us' ? 1e-6 : 1e-3; // default unit ms
    let percentile: number | 'mean';
    if (pct === 'mean') percentile = 'mean';
    else if (pct === 'median') percentile = 0.5;
    else {
      const q = Number(PERCENTILE.exec(pct)![1]) / 100;
      if (!(q > 0 && q <= 1)) throw new InputError(`--slo: percentile ${pct} must be between p0 and p100`);
      percentile = q;
    }
    return { metric, percentile, thresholdS: v * scale };
  }
}

export function formatSlo(objectives: readonly SloObjective[]): string {
  return objectives
    .map((o) => `${o.metric}:${o.percentile === 'mean' ? 'mean' : `p${+(o.percentile * 100).toFixed(3)}`}<=${+(o.thresholdS * 1e3).toFixed(3)}ms`)
    .join(',');
}
