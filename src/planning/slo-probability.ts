/**
 * How likely a fleet is to meet its SLO, given how wrong the prediction may be. Each objective's predicted
 * statistic (the worst over the check's seeds) is taken as log-normally wrong: log(real/predicted) ~
 * N(shift, σ²), σ² = (band half-width / z₀.₉)² + seed variance, with the band of that statistic
 * (bandFor: the p99 band for a p99 objective). The fleet meets the SLO when every objective does; the
 * objectives' errors are treated as independent, so the product is a lower bound when they move together
 * (a slow GPU is slow on every objective). A check whose queue backlogged, or that left requests
 * unfinished, meets nothing: the bands are on latency, not on a queue that grows without bound.
 */
import { InputError } from '../diagnostics/errors.ts';
import type { CalibrationBands } from '../schema/calibration.ts';
import { bandFor, probabilityAtMost } from '../metrics/uncertainty.ts';
import type { RateCheck } from './capacity.ts';

export interface ObjectiveProbability {
  readonly objective: string;
  /** probability that the real value is within the limit */
  readonly probability: number;
}

export interface ReplicaProbability {
  readonly replicas: number;
  /** probability that every objective of the SLO is met at the target with this many replicas */
  readonly probabilityMeetsSlo: number;
  readonly objectives: readonly ObjectiveProbability[];
}

export interface SloProbability {
  /** what the bands rest on (the calibration's provenance and the band method) */
  readonly basis: string;
  /** replica counts around the answer, fewest first */
  readonly byReplicas: readonly ReplicaProbability[];
  /** the confidence asked for (--confidence), or undefined: the answer is then the point prediction's */
  readonly confidence: number | undefined;
  /** fewest replicas reaching the confidence among those tried; undefined when none did or none was asked */
  readonly replicasForConfidence: number | undefined;
}

/** P(every objective met) for one check; 0 when the simulated queue backlogged or requests were unfinished. */
export function probabilityOfCheck(check: RateCheck, bands: CalibrationBands['byMetric']): { probability: number; objectives: ObjectiveProbability[] } {
  const queueFails = check.backlogged || check.incomplete > 0;
  const objectives = check.objectives.map((o) => {
    const band = bandFor(bands, o.metric, o.percentile);
    const p = queueFails ? 0 : band ? probabilityAtMost(o.valueS, o.thresholdS, band, o.seedSdLog) : o.met ? 1 : 0;
    return { objective: o.objective, probability: p };
  });
  return { probability: objectives.reduce((a, o) => a * o.probability, 1), objectives };
}

/** "2 replicas: 85% likely; 3: 99%" */
export function formatReplicaOdds(rows: readonly ReplicaProbability[]): string {
  return rows.map((r, i) => `${r.replicas}${i === 0 ? ` replica${r.replicas === 1 ? '' : 's'}` : ''}: ${formatProbability(r.probabilityMeetsSlo)}${i === 0 ? ' likely' : ''}`).join('; ');
}

/** a probability as a percentage that never rounds a shortfall up to certainty: 0.996 → ">99%" */
export function formatProbability(p: number): string {
  if (p >= 0.995) return p >= 1 ? '100%' : '>99%';
  if (p > 0 && p < 0.005) return '<1%';
  return `${Math.round(p * 100)}%`;
}

/** Reads --confidence: a probability in (0, 1) such as 0.9, or a percentage such as 90%. */
export function parseConfidence(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v).trim();
  const pct = s.endsWith('%');
  const n = Number(pct ? s.slice(0, -1) : s);
  const p = pct || n > 1 ? n / 100 : n;
  if (!(Number.isFinite(p) && p > 0 && p < 1))
    throw new InputError(`--confidence: expected a probability between 0 and 1 (e.g. 0.9) or a percentage (e.g. 90%), found "${s}"`);
  return p;
}

/**
 * P(meets SLO) for replica counts around the point answer — one fewer, the answer, one more — and, when a
 * confidence is asked, further up until a count reaches it (at most `maxReplicas`). `probe(n)` is the SLO
 * check of n replicas at the target (cached by the caller, so counts already verified cost nothing).
 * --confidence only ever adds replicas to the point answer: a count that misses the SLO on the point
 * prediction is not offered as the answer however wide the band.
 */
export function oddsAround(
  replicas: number,
  probe: (n: number) => RateCheck,
  bands: CalibrationBands | undefined,
  confidence: number | undefined,
  maxReplicas: number,
  /** false: only the answer's own row (already simulated), no probe at one replica fewer or more */
  neighbours = true,
): SloProbability {
  const byMetric = bands?.byMetric ?? {};
  const at = (n: number): ReplicaProbability => {
    const { probability, objectives } = probabilityOfCheck(probe(n), byMetric);
    return { replicas: n, probabilityMeetsSlo: probability, objectives };
  };
  const rows: ReplicaProbability[] = [];
  // one fewer, the answer, one more
  for (let n = neighbours ? Math.max(1, replicas - 1) : replicas; n <= (neighbours ? replicas + 1 : replicas); n++) rows.push(at(n));
  const reached = () => (confidence === undefined ? undefined : rows.find((r) => r.replicas >= replicas && r.probabilityMeetsSlo >= confidence));
  while (confidence !== undefined && !reached() && rows[rows.length - 1]!.replicas < maxReplicas) rows.push(at(rows[rows.length - 1]!.replicas + 1));
  return {
    basis: bands?.basis ?? 'no band: the calibration values were given bare, so the odds are the point prediction (0% or 100%)',
    byReplicas: rows,
    confidence,
    replicasForConfidence: reached()?.replicas,
  };
}
