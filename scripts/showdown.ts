/**
 * servesim on the BLIS "simulator showdown" (issue 11), scored the way the peers were scored: the APE of
 * each experiment-stage's mean E2E, mean TTFT and mean TPOT, median over experiment-stages; each peer's
 * row is computed on the same pairs against the same ground truth (../shared/measurements/blis_vllm.csv).
 *
 *   npm run build && node dist/scripts/showdown.js [--calibration FILE] [--json OUT] [--all]
 *
 * Only the 38 eval experiments are scored (fit data: the other blis_vllm runs and other sources; see
 * scripts/fit-shipped-calibrations.ts). --all also scores the non-eval runs (in-sample for a fit on them).
 * Assumptions, stated once: fixed lengths at the stated means (output: the run's mean output tokens as the
 * CSV's own means imply them, blis-runs.ts meanOutputTokens; the nominal output_len is a cap); the prefix cache
 * simulated on inference-perf's 100 cycled prompts (see prefixAssumption); max_num_seqs 128 and
 * max_model_len 4096 where unpublished (the training-repo runs' values); CPU KV offload is not modelled
 * (it only matters when the GPU cache overflows; in the simulation that happens only to Llama-2-7B and
 * Llama-4-Scout with reasoning-length prompts, runs whose offload setting is not published). The ten 'general-lite'
 * experiments, whose rates and lengths the CSV leaves unpublished, take them from the campaign's public
 * workload file (GENERAL_LITE_SPEC in blis-runs.ts, cited there), never from the measurements.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseCsv } from '../src/io/csv.ts';
import { prepareDeployment } from '../src/cost/prepare.ts';
import { InfeasibleError } from '../src/diagnostics/errors.ts';
import { chooseCalibration } from '../src/calibration/choose.ts';
import { loadShippedCalibrations, readCalibrationFile } from '../src/profiles/calibrations.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles, type ProfileRegistry } from '../src/profiles/registry.ts';
import type { BandMetric, CalibrationFile, LogBand } from '../src/schema/calibration.ts';
import { coverageOf } from '../src/calibration/bands.ts';
import { fittedBands } from '../src/calibration/provenance-bands.ts';
import { simulate } from '../src/simulate.ts';
import { createRng } from '../src/workload/random.ts';
import type { TraceBlockHashes } from '../src/workload/trace-blocks.ts';
import { type BlisExperiment, GENERAL_LITE_SPEC, readBlisExperiments, TAIL_STATS, type TailStat } from './blis-runs.ts';

export const SHOWDOWN_METRICS = ['e2e', 'ttft', 'tpot'] as const;
const METRICS = SHOWDOWN_METRICS;
type Metric = (typeof METRICS)[number];

export interface StagePrediction {
  readonly experiment: string;
  readonly stage: number;
  readonly measured: Record<Metric, number>;
  readonly predicted: Record<Metric, number>;
  readonly calibration: string;
  /** tail statistics (p90/p99 of TTFT and E2E over the stage's requests), measured and predicted, seconds */
  readonly tails: readonly { readonly stat: TailStat; readonly measured: number; readonly predicted: number }[];
  /** the calibration's 80% bands (log ratio centre and half-width per statistic), when it ships them */
  readonly band80: Readonly<Partial<Record<BandMetric, LogBand>>> | undefined;
}

export interface ShowdownResult {
  readonly pairs: StagePrediction[];
  readonly unmapped: { readonly experiment: string; readonly reason: string }[];
}

const DEFAULT_MAX_NUM_SEQS = 128;

/**
 * The replay's prefix cache, by default simulated (vLLM's block-hash LRU over the replica's own KV blocks)
 * on the prompts inference-perf's shared_prefix generator sends (sharedPrefixBlockHashes): each of 100
 * prompts recurs every 100 requests, so whether it is still cached depends on how much KV the requests in
 * between released — prompt and output blocks alike, as vLLM V1 caches every full block. A small model with
 * GQA keeps all 100 prompts after the first pass; Llama-2-7B (MHA, 0.5 MB of KV per token) with 1,034-token
 * prompts and outputs of up to 1,448 tokens cycles through more than its cache holds and misses every question.
 * The first pass is cold, as on a freshly started server.
 *
 * SERVESIM_SHOWDOWN_PREFIX selects the earlier assumptions for comparison: `all` (every prompt but its last
 * token a hit, the replay before the cache was simulated) or `system` (only the system prompt cached).
 */
type PrefixAssumption = 'simulated' | 'all' | 'system';
function prefixAssumption(): PrefixAssumption {
  const v = process.env['SERVESIM_SHOWDOWN_PREFIX'];
  return v === 'all' || v === 'system' ? v : 'simulated';
}
function assumedCachedPrefixTokens(e: BlisExperiment, assumption: 'all' | 'system'): number {
  if (assumption === 'system' || e.inputTokens === undefined) return e.systemPromptTokens ?? 0;
  return Math.round(e.inputTokens) - 1;
}

/**
 * inference-perf's shared_prefix prompts as the simulated prefix cache sees them. The raw runs' dumped
 * configs (raw/blis_vllm/.../results/config.yaml) show what the client parsed: num_groups 10 ×
 * num_prompts_per_group 10 and no multi-turn — the profiles' num_unique_system_prompts /
 * num_users_per_system_prompt / enable_multi_turn_chat keys were unknown to that client version and fell
 * back to its defaults. Each group shares one system prompt; each prompt is system + " " + question,
 * generated once and shuffled, and request k sends prompt k mod 100 (kubernetes-sigs/inference-perf
 * inference_perf/datagen/shared_prefix_datagen.py, `data_index % len(self.prompts)`). The transcribed runs
 * are assumed to have run the same client. Block ids name the engine's blocks, prefix-chained.
 */
export const SHARED_PREFIX_GROUPS = 10;
export const SHARED_PREFIX_PROMPTS_PER_GROUP = 10;
export function sharedPrefixBlockHashes(inputTokens: number, systemPromptTokens: number, blockTokens: number): TraceBlockHashes {
  const prompts = SHARED_PREFIX_GROUPS * SHARED_PREFIX_PROMPTS_PER_GROUP;
  const blocks = Math.ceil(inputTokens / blockTokens);
  const systemBlocks = Math.min(blocks, Math.floor(systemPromptTokens / blockTokens));
  // a fixed shuffle (the client's is unrecorded): it only decides how often a group's system prompt recurs
  const order = Array.from({ length: prompts }, (_, i) => i);
  const rng = createRng('inference-perf shared_prefix', 'order');
  for (let i = prompts - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const idsOf = (prompt: number): number[] => {
    const group = Math.floor(prompt / SHARED_PREFIX_PROMPTS_PER_GROUP);
    return Array.from({ length: blocks }, (_, b) => (b < systemBlocks ? group * blocks + b : (SHARED_PREFIX_GROUPS + prompt) * blocks + b));
  };
  return { blockTokens, hashIds: order.map(idsOf) };
}

const DEFAULT_MAX_MODEL_LEN = 4096;

function prefixChoice(e: BlisExperiment, assumption: PrefixAssumption): { prefixCache?: 'vllm'; prefixCaching?: { sharedPrefixTokens: number; hitRate: number } } {
  if (assumption === 'simulated') return { prefixCache: 'vllm' };
  const tokens = assumedCachedPrefixTokens(e, assumption);
  return tokens > 0 ? { prefixCaching: { sharedPrefixTokens: tokens, hitRate: 1 } } : {};
}

/**
 * `warmupRequests`: simulate this many requests at the first stage's rate before the run starts and leave
 * them out of every figure. A replay shortened to a fraction f of the stages would otherwise weigh the cold
 * first pass through the prompts (100 requests) 1/f times as much as the measured run did; warming by
 * (1 − f) × 100 requests keeps its share (scripts/loso-sweeps.ts).
 */
export interface ReplayOptions {
  readonly warmupRequests?: number;
}

export function predictExperiment(
  e: BlisExperiment,
  registry: ProfileRegistry,
  shipped: readonly CalibrationFile[],
  explicit?: CalibrationFile,
  options: ReplayOptions = {},
): StagePrediction[] | string {
  if (!e.modelId || !registry.models.has(e.modelId)) return `model "${e.modelRaw}" has no servesim profile`;
  if (!e.hardwareId || !registry.hardware.has(e.hardwareId)) return `GPU "${e.gpuRaw}" has no servesim profile`;
  if (e.stages.length === 0) return 'stage rates and lengths not published';
  if (e.inputTokens === undefined || e.outputTokens === undefined) return 'lengths not published';
  if (e.dataParallel !== undefined && e.dataParallel > 1) return `data-parallel ranks (dp=${e.dataParallel}) with EP`;
  const model = registry.getModel(e.modelId);
  const hw = registry.getHardware(e.hardwareId);
  const cal = chooseCalibration(hw, 'vllm', shipped, explicit, '0.15.1');
  const prefix = prefixAssumption();
  let prepared;
  try {
    prepared = prepareDeployment(
      model,
      hw,
      {
        tp: e.tp,
        ...(e.ep > 1 ? { ep: e.ep } : {}),
        ...(/fp8/i.test(e.modelRaw) ? { weights: 'fp8' as const } : {}),
        engine: {
          family: 'vllm',
          maxNumSeqs: e.maxNumSeqs ?? DEFAULT_MAX_NUM_SEQS,
          maxModelLen: Math.min(DEFAULT_MAX_MODEL_LEN, model.maxContextTokens),
          ...(e.maxNumBatchedTokens !== undefined ? { maxNumBatchedTokens: e.maxNumBatchedTokens } : {}),
          ...(e.gpuMemoryUtilization !== undefined ? { gpuMemoryUtilization: e.gpuMemoryUtilization } : {}),
          ...prefixChoice(e, prefix),
        },
      },
      cal,
    );
  } catch (err) {
    if (err instanceof InfeasibleError) return `infeasible in servesim: ${err.reasons[0] ?? err.message}`;
    throw err;
  }
  // one step curve over the stages: rate r_i on [t_i, t_i + d_i)
  const points: { timeS: number; ratePerS: number }[] = [];
  const warmupS = (options.warmupRequests ?? 0) / e.stages[0]!.ratePerS;
  if (warmupS > 0) points.push({ timeS: 0, ratePerS: e.stages[0]!.ratePerS });
  const bounds: number[] = [warmupS];
  let t = warmupS;
  for (const s of e.stages) {
    points.push({ timeS: t, ratePerS: s.ratePerS }, { timeS: t + s.durationS, ratePerS: s.ratePerS });
    t += s.durationS;
    bounds.push(t);
  }
  const input = Math.max(1, Math.round(e.inputTokens));
  const output = Math.max(1, Math.round(e.outputTokens));
  const r = simulate({
    deployment: prepared,
    workload: {
      arrival: { kind: 'rate-curve', points, repeat: false },
      lengths: { kind: 'fixed', inputTokens: input, outputTokens: output },
      maxSeconds: t,
      ...(prefix === 'simulated' ? { blockHashes: sharedPrefixBlockHashes(input, e.systemPromptTokens ?? 0, prepared.deployment.engine.blockSize) } : {}),
    },
    seed: 42,
    recordRequests: true,
    maxRecords: 1_000_000,
  });
  const rec = r.perRequest!;
  const stageOf = (arrival: number): number => {
    if (arrival < warmupS) return -1; // warm-up: in no figure
    for (let i = 1; i < bounds.length; i++) if (arrival < bounds[i]!) return i - 1;
    return bounds.length - 2;
  };
  const multiStage = e.stages.length > 1 && [...e.figures.keys()].some((k) => k >= 0);
  const stageKeys = multiStage ? e.stages.map((_, i) => i) : [-1];
  const out: StagePrediction[] = [];
  for (const stage of stageKeys) {
    const m = e.figures.get(stage);
    if (!m || m.e2eMeanS === undefined || m.ttftMeanS === undefined || m.tpotMeanS === undefined) continue;
    let n = 0;
    let ttft = 0;
    let e2e = 0;
    let tokens = 0;
    const ttfts: number[] = [];
    const e2es: number[] = [];
    for (let i = 0; i < rec.arrivalS.length; i++) {
      const at = stageOf(rec.arrivalS[i]!);
      if (at < 0 || (stage >= 0 && at !== stage)) continue;
      n++;
      ttft += rec.ttftS[i]!;
      e2e += rec.e2eS[i]!;
      tokens += rec.outputTokens[i]!;
      ttfts.push(rec.ttftS[i]!);
      e2es.push(rec.e2eS[i]!);
    }
    ttfts.sort((a, b) => a - b);
    e2es.sort((a, b) => a - b);
    // nearest-rank percentile over the stage's requests, as inference-perf reports them
    const pct = (xs: readonly number[], q: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil(q * xs.length) - 1))]!;
    const tails = TAIL_STATS.flatMap((t) => {
      const measured = m.tails[t];
      if (measured === undefined || n === 0) return [];
      const [metric, p] = t.split('.') as ['ttft' | 'e2e', string];
      return [{ stat: t, measured, predicted: pct(metric === 'ttft' ? ttfts : e2es, Number(p.slice(1)) / 100) }];
    });
    if (n === 0) continue;
    const meanOut = tokens / n;
    // BLIS's ground-truth TPOT: (mean E2E − mean TTFT) / (mean output tokens − 1)
    const tpot = (e2e / n - ttft / n) / Math.max(1, meanOut - 1);
    out.push({
      experiment: e.id,
      stage,
      measured: { e2e: m.e2eMeanS, ttft: m.ttftMeanS, tpot: m.tpotMeanS },
      predicted: { e2e: e2e / n, ttft: ttft / n, tpot },
      tails,
      calibration: `${cal.id} (${cal.origin})`,
      band80: bandsOfFile(explicit ?? shipped.find((c) => c.id === cal.id)),
    });
  }
  return out.length > 0 ? out : 'no stage with measured mean E2E, TTFT and TPOT';
}

/** the calibration file's 80% bands per statistic (centre and half-width, log ratio), when it ships them */
function bandsOfFile(file: CalibrationFile | undefined): StagePrediction['band80'] {
  return file ? fittedBands(file)?.byMetric : undefined;
}

/**
 * Share of measured values inside the calibration's 80% band — predicted × exp(centre ± half-width) — per
 * statistic: the three means and the tails (pairs with a band only).
 */
export function bandCoverage(pairs: readonly StagePrediction[]): Partial<Record<BandMetric, { inside: number; n: number }>> {
  const out: Partial<Record<BandMetric, { inside: number; n: number }>> = {};
  for (const p of pairs) {
    if (!p.band80) continue;
    const rows = [
      ...METRICS.map((m) => ({ metric: m as BandMetric, predictedS: p.predicted[m], measuredS: p.measured[m] })),
      ...p.tails.map((t) => ({ metric: t.stat.replace('.', '_') as BandMetric, predictedS: t.predicted, measuredS: t.measured })),
    ];
    for (const [m, c] of Object.entries(coverageOf(rows, p.band80)) as [BandMetric, { inside: number; n: number }][]) {
      const acc = (out[m] ??= { inside: 0, n: 0 });
      acc.inside += c.inside;
      acc.n += c.n;
    }
  }
  return out;
}

export function runShowdown(experiments: readonly BlisExperiment[], registry: ProfileRegistry, shipped: readonly CalibrationFile[], explicit?: CalibrationFile): ShowdownResult {
  const pairs: StagePrediction[] = [];
  const unmapped: ShowdownResult['unmapped'] = [];
  for (const e of experiments) {
    const p = predictExperiment(e, registry, shipped, explicit);
    if (typeof p === 'string') unmapped.push({ experiment: e.id, reason: p });
    else pairs.push(...p);
  }
  return { pairs, unmapped };
}

const ape = (pred: number, actual: number): number => (Math.abs(pred - actual) / actual) * 100;
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One row of the peers' predictions: a statistic of a metric for one experiment-stage, in seconds. */
interface PeerRow {
  readonly simulator: string;
  /** the experiment id as blis_vllm.csv names it (the "trainval/" folder prefix dropped) */
  readonly experiment: string;
  readonly stage: number;
  /** "e2e", "ttft" or "tpot" (BLIS's "e2e_latency" renamed) */
  readonly metric: string;
  readonly statistic: string;
  readonly predictedS: number;
}

function readPeerRows(file: string): PeerRow[] {
  const rows = parseCsv(readFileSync(file, 'utf8'), file);
  const h = rows[0]!.fields;
  const c = (n: string) => h.indexOf(n);
  return rows.slice(1).map((r) => {
    const f = r.fields;
    const metric = f[c('metric')]!;
    return {
      simulator: f[c('simulator')]!,
      experiment: f[c('experiment_id')]!.replace(/^trainval\//, ''),
      stage: Number(f[c('stage')]),
      metric: metric === 'e2e_latency' ? 'e2e' : metric,
      statistic: f[c('statistic')]!,
      predictedS: Number(f[c('predicted')]) * (f[c('unit')] === 'ms' ? 1e-3 : 1),
    };
  });
}

export interface PeerPrediction {
  readonly simulator: string;
  readonly experiment: string;
  readonly stage: number;
  readonly metric: Metric;
  readonly predictedS: number;
}

/** the peers' predictions of the stage means */
export function readPeers(file: string): PeerPrediction[] {
  return readPeerRows(file).flatMap((r) =>
    r.statistic === 'mean' && (METRICS as readonly string[]).includes(r.metric) ? [{ ...r, metric: r.metric as Metric }] : [],
  );
}

export interface PeerTail {
  readonly simulator: string;
  readonly experiment: string;
  readonly stage: number;
  readonly stat: TailStat;
  readonly predictedS: number;
}

/** the peers' p90/p99 predictions of TTFT and E2E */
export function readPeerTails(file: string): PeerTail[] {
  return readPeerRows(file).flatMap((r) => {
    const stat = `${r.metric}.${r.statistic}`;
    return (TAIL_STATS as readonly string[]).includes(stat) ? [{ ...r, stat: stat as TailStat }] : [];
  });
}

export interface TailRow {
  readonly simulator: string;
  /** per tail statistic: pairs scored and the median APE (%) */
  readonly byStat: Partial<Record<TailStat, { readonly n: number; readonly medianApe: number }>>;
}

/** p90/p99 of TTFT and E2E: servesim and each peer on the same experiment-stages (those servesim predicts). */
export function tailBoard(result: ShowdownResult, peers: readonly PeerTail[]): TailRow[] {
  const rows: TailRow[] = [];
  const ours = new Map<string, { measured: number; predicted: number }>();
  for (const p of result.pairs) for (const t of p.tails) ours.set(`${p.experiment}#${p.stage}#${t.stat}`, t);
  const row = (simulator: string, items: readonly { stat: TailStat; measured: number; predicted: number }[]): TailRow => ({
    simulator,
    byStat: Object.fromEntries(
      TAIL_STATS.flatMap((s) => {
        const apes = items.filter((x) => x.stat === s).map((x) => ape(x.predicted, x.measured));
        return apes.length > 0 ? [[s, { n: apes.length, medianApe: median(apes) }]] : [];
      }),
    ),
  });
  rows.push(row('servesim', result.pairs.flatMap((p) => p.tails)));
  for (const sim of [...new Set(peers.map((p) => p.simulator))].sort()) {
    // one prediction per stage and statistic (a peer listed twice for a stage keeps its last row, as the mean scoreboard does)
    const latest = new Map<string, PeerTail>();
    for (const p of peers) if (p.simulator === sim) latest.set(`${p.experiment}#${p.stage}#${p.stat}`, p);
    const items = [...latest.entries()].flatMap(([key, p]) => {
      const o = ours.get(key);
      return o ? [{ stat: p.stat, measured: o.measured, predicted: p.predictedS }] : [];
    });
    if (items.length > 0) rows.push(row(sim, items));
  }
  return rows;
}

export interface ScoreRow {
  readonly simulator: string;
  readonly pairs: number;
  readonly experiments: number;
  readonly medianApe: Record<Metric, number>;
  readonly meanApe: Record<Metric, number>;
  readonly signedMedian: Record<Metric, number>;
}

function score(simulator: string, items: readonly { experiment: string; predicted: Record<Metric, number>; measured: Record<Metric, number> }[]): ScoreRow {
  const per = (f: (p: number, a: number) => number, agg: (xs: number[]) => number) =>
    Object.fromEntries(METRICS.map((m) => [m, agg(items.map((x) => f(x.predicted[m], x.measured[m])))])) as Record<Metric, number>;
  return {
    simulator,
    pairs: items.length,
    experiments: new Set(items.map((x) => x.experiment)).size,
    medianApe: per(ape, median),
    meanApe: per(ape, mean),
    signedMedian: per((p, a) => ((p - a) / a) * 100, median),
  };
}

/** Each peer on exactly the experiment-stages servesim predicts (pairs where the peer has all three means). */
export function scoreboard(result: ShowdownResult, peers: readonly PeerPrediction[]): ScoreRow[] {
  const rows: ScoreRow[] = [score('servesim', result.pairs)];
  const bySim = new Map<string, Map<string, Partial<Record<Metric, number>>>>();
  for (const p of peers) {
    const exp = p.experiment;
    let m = bySim.get(p.simulator);
    if (!m) bySim.set(p.simulator, (m = new Map()));
    const key = `${exp}#${p.stage}`;
    m.set(key, { ...m.get(key), [p.metric]: p.predictedS });
  }
  for (const [sim, preds] of [...bySim.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const items = result.pairs.flatMap((pair) => {
      const p = preds.get(`${pair.experiment}#${pair.stage}`);
      if (!p || p.e2e === undefined || p.ttft === undefined || p.tpot === undefined) return [];
      return [{ experiment: pair.experiment, measured: pair.measured, predicted: { e2e: p.e2e, ttft: p.ttft, tpot: p.tpot } }];
    });
    if (items.length > 0) rows.push(score(sim, items));
  }
  return rows;
}

function main(argv: readonly string[]): void {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const shared = resolve(packageRoot(), '..', 'shared', 'measurements');
  const file = arg('--measurements') ?? resolve(shared, 'blis_vllm.csv');
  const peersFile = arg('--peers') ?? resolve(shared, 'raw', 'blis_vllm', 'peer_predictions.csv');
  const calFile = arg('--calibration');
  const registry = loadProfiles();
  const shipped = loadShippedCalibrations();
  const explicit = calFile ? readCalibrationFile(calFile) : undefined;
  const all = readBlisExperiments(file);
  const scored = argv.includes('--all') ? all : all.filter((e) => e.eval);
  const result = runShowdown(scored, registry, shipped, explicit);
  const board = scoreboard(result, readPeers(peersFile));
  const mapped = new Set(result.pairs.map((p) => p.experiment)).size;
  const pct = (x: number) => `${x.toFixed(1)}%`;
  console.log(`BLIS showdown: ${scored.length} experiments (${argv.includes('--all') ? 'all runs' : 'eval set'}), ${mapped} mapped, ${result.pairs.length} experiment-stages`);
  console.log(`calibrations used: ${[...new Set(result.pairs.map((p) => p.calibration))].join('; ')}`);
  const fromSpec = scored.filter((e) => e.workloadSource === GENERAL_LITE_SPEC.source && result.pairs.some((p) => p.experiment === e.id));
  if (fromSpec.length > 0) console.log(`stage rates and prompt lengths of ${fromSpec.length} 'general-lite' experiments from ${GENERAL_LITE_SPEC.source} (the CSV leaves them unpublished)`);
  const fromMeans = scored.filter((e) => e.outputTokensSource === 'csv means').length;
  console.log(`mean output tokens of ${fromMeans} of ${scored.length} experiments from the CSV's own means ((E2E − TTFT) / tpot + 1, SOURCES.md's definition of tpot); the nominal output_len is a cap models stop short of`);
  console.log('\nmedian APE over experiment-stages (mean APE in brackets; signed median bias), each peer on the same pairs:');
  console.log(['simulator'.padEnd(26), 'pairs', 'E2E', 'TTFT', 'TPOT', 'bias E2E/TTFT/TPOT'].join('\t'));
  for (const r of board) {
    console.log(
      [
        r.simulator.padEnd(26),
        `${r.pairs} (${r.experiments} exp)`,
        ...METRICS.map((m) => `${pct(r.medianApe[m])} [${pct(r.meanApe[m])}]`),
        METRICS.map((m) => `${r.signedMedian[m] >= 0 ? '+' : ''}${r.signedMedian[m].toFixed(1)}`).join('/'),
      ].join('\t'),
    );
  }
  console.log('\ntails, median APE over experiment-stages (pairs), each peer on the stages servesim predicts:');
  console.log(['simulator'.padEnd(26), ...TAIL_STATS].join('\t'));
  for (const r of tailBoard(result, readPeerTails(peersFile)))
    console.log([r.simulator.padEnd(26), ...TAIL_STATS.map((s) => (r.byStat[s] ? `${pct(r.byStat[s]!.medianApe)} (${r.byStat[s]!.n})` : '—'))].join('\t'));
  const cov = bandCoverage(result.pairs);
  if (Object.keys(cov).length > 0)
    console.log(
      `\n80% bands of the calibration (target: 70–90% inside): measured inside the band on ${(Object.entries(cov) as [string, { inside: number; n: number }][])
        .map(([m, c]) => `${m} ${c.inside}/${c.n} (${((100 * c.inside) / c.n).toFixed(0)}%)`)
        .join(', ')} of these stages`,
    );
  console.log('\nunmapped:');
  for (const u of result.unmapped) console.log(`  ${u.experiment}: ${u.reason}`);
  if (argv.includes('--per-pair')) {
    console.log('\nper pair (predicted / measured, ms):');
    for (const p of result.pairs)
      console.log(
        `  ${p.experiment}#${p.stage}\t` + METRICS.map((m) => `${m} ${(p.predicted[m] * 1e3).toFixed(1)}/${(p.measured[m] * 1e3).toFixed(1)}`).join('\t'),
      );
  }
  const out = arg('--json');
  if (out) writeFileSync(out, `${JSON.stringify({ board, unmapped: result.unmapped, pairs: result.pairs }, null, 1)}\n`);
}

if (process.argv[1] && /showdown\.(js|ts)$/.test(process.argv[1])) main(process.argv.slice(2));
