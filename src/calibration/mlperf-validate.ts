import type { MlperfFigure, MlperfRun } from '../importers/mlperf.ts';
import type { ProfileRegistry } from '../profiles/registry.ts';
import type { CalibrationFile } from '../schema/calibration.ts';
import type { SimulationResult } from '../simulate.ts';
import { mapMlperfRun, withTp, type MlperfMapping } from './mlperf-map.ts';
import { datasetFor, mlperfKey, predictMlperf, prepareMlperf, serverRun, type MlperfPrediction } from './mlperf-predict.ts';

/**
 * MLPerf as check data (never fitted): every run servesim can map is predicted and each of its figures
 * compared. The headline figure of a run is its scenario's metric — Server: the Poisson rate (target_qps)
 * against plan's predicted maximum valid rate (replicas × per-replica rate); Offline: output tokens/s. The
 * other figures of a Server run (completed samples/s and tokens/s at that maximum; TTFT/TPOT/latency
 * statistics from a simulation at the *submitted* rate) are compared too. Predictions are shared by every
 * run with the same configuration (mlperfKey), so 99 / 99.9 twins and repeat systems cost one search.
 */
export interface MlperfComparedFigure {
  readonly runId: string;
  readonly metric: string;
  readonly statistic: string;
  readonly measured: number;
  readonly predicted: number;
  readonly apePct: number;
}

export interface MlperfHeadline {
  readonly mapping: MlperfMapping;
  readonly scenario: 'Server' | 'Offline';
  /** queries/s for Server, output tokens/s for Offline */
  readonly measured: number;
  readonly predicted: number;
  readonly apePct: number;
  readonly signedPct: number;
  readonly calibration: string;
  /** what limits the predicted rate: the failing check just above it */
  readonly limitedBy: string;
}

export interface MlperfValidation {
  readonly headlines: MlperfHeadline[];
  readonly figures: MlperfComparedFigure[];
  readonly unmapped: { readonly run: MlperfRun; readonly reason: string }[];
  readonly coverage: { readonly figures: number; readonly mapped: number; readonly onProfiledAccelerators: number };
  readonly simulations: number;
}

/** LoadGen reports GPT-J tokens/s as 69 × samples/s (token_latency_scaling_factor), not generated tokens. */
const tokensPerSampleReported = (m: MlperfMapping, p: MlperfPrediction): number => (/^gptj/.test(m.run.benchmark) ? 69 : p.meanOutputTokens);

const ape = (predicted: number, measured: number) => (Math.abs(predicted - measured) / measured) * 100;

export function validateMlperf(runs: readonly MlperfRun[], registry: ProfileRegistry, shipped: readonly CalibrationFile[], onProgress?: (done: number, total: number) => void): MlperfValidation {
  const cache = new Map<string, ReturnType<typeof predictMlperf>>();
  const atRateCache = new Map<string, SimulationResult>();
  const out: MlperfValidation = { headlines: [], figures: [], unmapped: [], coverage: { figures: 0, mapped: 0, onProfiledAccelerators: 0 }, simulations: 0 };
  let figures = 0;
  let mapped = 0;
  let profiled = 0;
  let simulations = 0;
  runs.forEach((run, i) => {
    onProgress?.(i, runs.length);
    figures += run.figures.length;
    const mapped0 = mapMlperfRun(run, registry);
    if (mapped0.ok || !/has no servesim profile/.test(mapped0.reason)) profiled += run.figures.length;
    if (!mapped0.ok) return void out.unmapped.push({ run, reason: mapped0.reason });
    const predict = (m: MlperfMapping, server: boolean) => {
      const key = mlperfKey(m, server);
      let p = cache.get(key);
      if (!p) {
        p = predictMlperf(m, registry, shipped, server);
        cache.set(key, p);
        simulations += 1 + (p.ok ? (p.prediction.server?.simulations ?? 0) : 0);
      }
      return p;
    };
    const m = bestTp(mapped0.mapping, (c) => predict(c, false));
    const server = run.scenario !== 'Offline';
    const p = predict(m, server);
    if (!p.ok) return void out.unmapped.push({ run, reason: p.reason });
    let atRate: SimulationResult | undefined;
    if (server) {
      const rateKey = `${mlperfKey(m, true)}@${run.targetQps}`;
      atRate = atRateCache.get(rateKey);
      if (!atRate) {
        atRate = simulateAtSubmittedRate(m, registry, shipped);
        atRateCache.set(rateKey, atRate);
        simulations++;
      }
    }
    const compared = compareFigures(m, p.prediction, atRate);
    mapped += compared.length;
    out.figures.push(...compared);
    out.headlines.push(headline(m, p.prediction));
  });
  onProgress?.(runs.length, runs.length);
  return { ...out, coverage: { figures, mapped, onProfiledAccelerators: profiled }, simulations };
}

/** Of the TP degrees that fit, the one with the highest simulated Offline throughput on the whole system. */
function bestTp(m: MlperfMapping, offline: (m: MlperfMapping) => ReturnType<typeof predictMlperf>): MlperfMapping {
  let best: { m: MlperfMapping; tokensPerS: number } | undefined;
  for (const tp of m.tpCandidates) {
    const c = withTp(m, tp, '');
    const p = offline(c);
    if (!p.ok) continue;
    const tokensPerS = p.prediction.offlineTokensPerSPerReplica * c.replicas;
    if (!best || tokensPerS > best.tokensPerS * 1.001) best = { m: c, tokensPerS };
  }
  const tps = m.tpCandidates.map((t) => `TP${t}`).join(', ');
  if (!best) return withTp(m, m.tp, 'smallest TP that fits');
  return withTp(m, best.m.tp, m.tpCandidates.length > 1 ? `of ${tps}, the highest simulated Offline throughput: submitters tune for it` : 'the only TP that fits');
}

function headline(m: MlperfMapping, p: MlperfPrediction): MlperfHeadline {
  const server = m.run.scenario !== 'Offline';
  const measured = server ? m.run.targetQps! : m.run.figures.find((f) => f.metric === 'output_throughput')?.value ?? NaN;
  const predicted = server ? p.server!.maxRatePerReplica * m.replicas : p.offlineSamplesPerSPerReplica * m.replicas * tokensPerSampleReported(m, p);
  const limitedBy = server
    ? p.server!.failing
      ? `just above: ${p.server!.failing.why}`
      : 'valid up to the Offline ceiling'
    : 'Offline: compute/memory throughput';
  return { mapping: m, scenario: server ? 'Server' : 'Offline', measured, predicted, apePct: ape(predicted, measured), signedPct: ((predicted - measured) / measured) * 100, calibration: p.calibration, limitedBy };
}

function simulateAtSubmittedRate(m: MlperfMapping, registry: ProfileRegistry, shipped: readonly CalibrationFile[]): SimulationResult {
  const { prepared } = prepareMlperf(m, registry, shipped);
  return serverRun(prepared, datasetFor(m.lengths), m.bounds, { replicas: m.replicas, beams: m.lengths.beams ?? 1 }, m.run.targetQps! / m.replicas, 42).result;
}

function predictedFigure(f: MlperfFigure, m: MlperfMapping, p: MlperfPrediction, atRate: SimulationResult | undefined): number | undefined {
  const server = m.run.scenario !== 'Offline';
  const samplesPerS = server ? p.server!.maxRatePerReplica * m.replicas : p.offlineSamplesPerSPerReplica * m.replicas;
  if (f.metric === 'request_throughput') return samplesPerS;
  if (f.metric === 'output_throughput') return samplesPerS * tokensPerSampleReported(m, p);
  if (!atRate || f.unit !== 'ms') return undefined;
  const metric = f.metric === 'e2e_latency' ? 'e2e' : f.metric === 'ttft' || f.metric === 'tpot' ? f.metric : undefined;
  if (!metric) return undefined;
  const d = atRate.latency[metric];
  const s = f.statistic === 'mean' ? d.mean : f.statistic === 'median' ? d.median : f.statistic === 'p90' ? d.p90 : f.statistic === 'p99' ? d.p99 : undefined;
  return s === undefined ? undefined : s * 1e3;
}

function compareFigures(m: MlperfMapping, p: MlperfPrediction, atRate: SimulationResult | undefined): MlperfComparedFigure[] {
  const out: MlperfComparedFigure[] = [];
  for (const f of m.run.figures) {
    const predicted = predictedFigure(f, m, p, atRate);
    if (predicted === undefined || !Number.isFinite(predicted) || !(f.value > 0)) continue;
    out.push({ runId: m.run.id, metric: f.metric, statistic: f.statistic, measured: f.value, predicted, apePct: ape(predicted, f.value) });
  }
  return out;
}
