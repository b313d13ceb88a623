/** SLO reference lines for charts, from a simulate document's checks or from an SLO text. */
import type { SloLine } from '../chart-data.ts';
import type { SimulateReport } from './result-input.ts';

/** SLO reference lines of a run's SLO checks (ttft/itl/tpot/e2e percentiles). */
export function sloLinesFromReport(doc: SimulateReport): SloLine[] {
  if (!doc.slo) return [];
  const out: SloLine[] = [];
  for (const c of doc.slo.checks) {
    if (c.metric !== 'ttft' && c.metric !== 'itl' && c.metric !== 'tpot' && c.metric !== 'e2e') continue;
    if (typeof c.percentile !== 'number') continue;
    out.push({ metric: c.metric, percentile: `p${c.percentile}`, thresholdMs: c.threshold_ms });
  }
  return out;
}

/** SLO lines from an SLO text such as "ttft:p99<=200ms,itl:p99<=50ms" (as in plan/compare/sweep results). */
export function sloLinesFromText(spec: string | undefined): SloLine[] {
  if (!spec) return [];
  const out: SloLine[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(ttft|itl|tpot|e2e):p(\d+(?:\.\d+)?)\s*<=?\s*([\d.]+)\s*(ms|s)?\s*$/i.exec(part);
    if (!m) continue;
    const v = Number(m[3]) * ((m[4] ?? 'ms').toLowerCase() === 's' ? 1e3 : 1);
    out.push({ metric: m[1]!.toLowerCase() as SloLine['metric'], percentile: `p${m[2]}`, thresholdMs: v });
  }
  return out;
}
