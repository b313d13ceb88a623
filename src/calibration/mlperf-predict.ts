import { InfeasibleError } from '../diagnostics/errors.ts';
import { prepareDeployment, type PreparedDeployment } from '../cost/prepare.ts';
import type { RequestRecords } from '../metrics/collector.ts';
import { loadgenVerdict, offlineThroughput, serverQueryCount, type LoadgenSample, type LoadgenVerdict } from '../metrics/loadgen.ts';
import { chooseCalibration } from './choose.ts';
import type { ProfileRegistry } from '../profiles/registry.ts';
import type { CalibrationFile } from '../schema/calibration.ts';
import { simulate, type SimulationResult } from '../simulate.ts';
import { datasetSequence } from '../workload/datasets/order.ts';
import { loadDataset, type DatasetLengths } from '../workload/datasets/read.ts';
import type { MlperfBounds, MlperfLengthSource, MlperfMapping } from './mlperf-map.ts';

/**
 * servesim's answer for one MLPerf configuration, per replica (the system is `replicas` independent copies,
 * each fed a 1/replicas random split of the Poisson stream — itself Poisson):
 *   - Offline: every query of a full dataset share at t = 0; throughput = output tokens ÷ last completion;
 *   - Server: the highest Poisson rate whose LoadGen run is valid (p99 TTFT/TPOT strictly under the limits,
 *     early stopping passing, ≥ 600 s of schedule, whole dataset passes), by bisection below the Offline
 *     ceiling. One replica simulates its share of the system's queries; over-limit counts are scaled by the
 *     replica count for early stopping (exact in expectation).
 * Pure and deterministic for a given seed. Shared by every run with the same key (mlperfKey).
 */
export interface MlperfPrediction {
  readonly calibration: string;
  readonly meanOutputTokens: number;
  readonly offlineTokensPerSPerReplica: number;
  readonly offlineSamplesPerSPerReplica: number;
  /** undefined for Offline-only predictions */
  readonly server: ServerSearch | undefined;
}

export interface ServerSearch {
  /** highest valid Poisson rate per replica, queries/s (0 when none is valid) */
  readonly maxRatePerReplica: number;
  readonly atMax: LoadgenVerdict | undefined;
  /** the lowest invalid rate tried and why it failed */
  readonly failing: { readonly ratePerReplica: number; readonly why: string } | undefined;
  readonly simulations: number;
}

export type MlperfPredictOutcome = { ok: true; prediction: MlperfPrediction } | { ok: false; reason: string };

export function mlperfKey(m: MlperfMapping, withServer: boolean): string {
  return JSON.stringify([m.hardwareId, m.modelId, m.choice, m.engineVersion ?? '', m.lengths, withServer ? m.bounds : null, m.replicas]);
}

/** The simulated sequences of a benchmark: one per sample, or `beams` per sample (each 1/beams of its prompt). */
export function datasetFor(l: MlperfLengthSource): DatasetLengths {
  const d = loadDataset(l.datasetId);
  const beams = l.beams ?? 1;
  if (l.maxInputTokens === undefined && l.fixedOutputTokens === undefined && beams === 1) return d;
  const input = d.inputTokens.map((x) => Math.ceil(Math.min(x, l.maxInputTokens ?? x) / beams));
  const output = d.outputTokens.map((x) => l.fixedOutputTokens ?? x);
  return {
    dataset: d.dataset,
    inputTokens: input.flatMap((x) => Array<number>(beams).fill(x)),
    outputTokens: output.flatMap((x) => Array<number>(beams).fill(x)),
  };
}

export function prepareMlperf(m: MlperfMapping, registry: ProfileRegistry, shipped: readonly CalibrationFile[]): { prepared: PreparedDeployment; calibration: string } {
  const hw = registry.getHardware(m.hardwareId);
  const cal = chooseCalibration(hw, m.engine, shipped, undefined, m.engineVersion);
  return { prepared: prepareDeployment(registry.getModel(m.modelId), hw, m.choice, cal), calibration: cal.id };
}

export function predictMlperf(m: MlperfMapping, registry: ProfileRegistry, shipped: readonly CalibrationFile[], withServer: boolean, seed = 42): MlperfPredictOutcome {
  let prep;
  try {
    prep = prepareMlperf(m, registry, shipped);
  } catch (e) {
    if (e instanceof InfeasibleError) return { ok: false, reason: `infeasible in servesim: ${e.reasons[0] ?? e.message}` };
    throw e;
  }
  const data = datasetFor(m.lengths);
  const n = data.inputTokens.length;
  const beams = m.lengths.beams ?? 1;
  const meanOutputTokens = data.outputTokens.reduce((s, x) => s + x, 0) / n;
  const offline = offlineRun(prep.prepared, data, Math.ceil(n / m.replicas), seed);
  const offlineSamplesPerSPerReplica = offline / meanOutputTokens / beams;
  const server = withServer ? searchServer(prep.prepared, data, m.bounds, { replicas: m.replicas, beams }, offlineSamplesPerSPerReplica, seed) : undefined;
  return { ok: true, prediction: { calibration: prep.calibration, meanOutputTokens, offlineTokensPerSPerReplica: offline, offlineSamplesPerSPerReplica, server } };
}

function offlineRun(prepared: PreparedDeployment, data: DatasetLengths, queries: number, seed: number): number {
  const r = simulate({
    deployment: prepared,
    seed,
    workload: { arrival: { kind: 'throughput' }, lengths: datasetSequence(data, queries, seed), maxRequests: queries },
    recordRequests: true,
    maxRecords: queries,
    stopWhenBacklogged: false,
  });
  return offlineThroughput(finishes(r.perRequest));
}

function finishes(rec: RequestRecords | undefined): { finishS: number; outputTokens: number }[] {
  if (!rec) return [];
  return rec.arrivalS.map((a, i) => ({ finishS: a + rec.e2eS[i]!, outputTokens: rec.outputTokens[i]! }));
}

/** Simulate LoadGen's Server run at `ratePerReplica` on one replica and judge it. */
export function serverRun(
  prepared: PreparedDeployment,
  data: DatasetLengths,
  bounds: MlperfBounds,
  split: Split,
  ratePerReplica: number,
  seed: number,
): { verdict: LoadgenVerdict; result: SimulationResult } {
  const { replicas, beams } = split;
  const samples = data.inputTokens.length / beams;
  // sequences this replica simulates: its share of LoadGen's queries, `beams` sequences each
  const queries = Math.ceil(serverQueryCount(ratePerReplica * replicas, samples) / replicas) * beams;
  const result = simulate({
    deployment: prepared,
    seed,
    workload: { arrival: { kind: 'poisson', ratePerS: ratePerReplica * beams }, lengths: datasetSequence(data, queries, seed), maxRequests: queries },
    recordRequests: true,
    maxRecords: queries,
    stopWhenBacklogged: true,
  });
  // each simulated sequence stands for replicas/beams of LoadGen's queries (beams of one query arrive apart here)
  const verdict = judge(loadgenSamples(result.perRequest), bounds, { minQueries: samples, scale: replicas / beams }, result.requests.incomplete, queries);
  return { verdict, result };
}

function loadgenSamples(rec: RequestRecords | undefined): LoadgenSample[] {
  if (!rec) return [];
  return rec.arrivalS.map((a, i) => ({ scheduledS: a, ttftS: rec.ttftS[i]!, latencyS: rec.e2eS[i]!, outputTokens: rec.outputTokens[i]! }));
}

function judge(samples: LoadgenSample[], b: MlperfBounds, o: { minQueries: number; scale: number }, incomplete: number, queries: number): LoadgenVerdict {
  // GPT-J bounds the whole latency: checked as a TTFT-style bound on latency (TPOT unbounded)
  const asLatency = b.latencyS !== undefined;
  const limits = asLatency ? { ttftS: b.latencyS!, tpotS: Infinity } : { ttftS: b.ttftS ?? Infinity, tpotS: b.tpotS ?? Infinity };
  const view = asLatency ? samples.map((s) => ({ ...s, ttftS: s.latencyS })) : samples;
  const v = loadgenVerdict(view, limits, o);
  if (samples.length >= queries && incomplete === 0) return v;
  return { ...v, valid: false, why: `backlogged: ${queries - samples.length} of ${queries} queries never completed${v.valid ? '' : `; ${v.why}`}` };
}

/** How the system's queries reach one simulated replica: 1/replicas of them, `beams` sequences each. */
export interface Split {
  readonly replicas: number;
  readonly beams: number;
}

/** Bisection for the highest valid rate in (0, ceiling]: 1% relative tolerance, at most 14 runs. */
function searchServer(prepared: PreparedDeployment, data: DatasetLengths, bounds: MlperfBounds, split: Split, ceiling: number, seed: number): ServerSearch {
  let lo = 0;
  let hi = ceiling * 1.05;
  let atMax: LoadgenVerdict | undefined;
  let failing: ServerSearch['failing'];
  let simulations = 0;
  while (simulations < 14 && (hi - lo) / hi > 0.01) {
    const rate = lo === 0 && simulations === 0 ? ceiling * 0.8 : (lo + hi) / 2;
    const { verdict } = serverRun(prepared, data, bounds, split, rate, seed);
    simulations++;
    if (verdict.valid) {
      lo = rate;
      atMax = verdict;
    } else {
      hi = rate;
      failing = { ratePerReplica: rate, why: verdict.why };
    }
  }
  return { maxRatePerReplica: lo, atMax, failing, simulations };
}
