/**
 * The public latency-under-load data as sweeps for leave-one-sweep-out validation (issue 11, item 3).
 * A sweep is one source × engine × GPU × model × TP × length setting with the load varied; each sweep
 * can be re-predicted under any calibration values. Engine families are kept apart because their
 * schedulers differ: vLLM V1 (async scheduling), vLLM before V1, SGLang.
 *
 * What is in, and why (SOURCES.md describes every source's client and metric definitions):
 *   - blis_vllm: the NON-eval runs only (the 38 eval experiments are the showdown's check set), not
 *     overloaded, with published stage rates; scored on BLIS's derived per-token TPOT, never the client's
 *     per-SSE-event ITL. One experiment is one sweep (its stages are the loads).
 *   - inferencex: rows whose technique servesim models — no speculative decoding, no disaggregation, no
 *     attention data-parallelism (DEP). SGLang's --stream-interval 10 makes ITL one gap per 10-token chunk:
 *     ITL rows of such runs are dropped and decode is scored on TPOT (per token) only.
 *   - vllm_buildkite_perf_ci, sglang_bench_vllm060: their latency rows under load (rate runs).
 *   - ../shared/examples/vllm-bench: Llama-3.3-70B TP8 on 8×A100-40GB (PROVENANCE.md: Azure
 *     ND96asr_v4, vLLM ~0.8), rates 1/4/16/inf.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mapBenchmark, type MappedBenchmark } from '../src/calibration/map.ts';
import { predictBenchmark } from '../src/calibration/predict.ts';
import { importMeasurements, markRepeatedPrompts } from '../src/importers/index.ts';
import type { MeasuredBenchmark } from '../src/importers/types.ts';
import { parseCsv } from '../src/io/csv.ts';
import type { ProfileRegistry } from '../src/profiles/registry.ts';
import type { CalibrationFile, CalibrationValues } from '../src/schema/calibration.ts';
import type { LengthDistribution } from '../src/workload/lengths.ts';
import { readBlisExperiments, type BlisExperiment } from './blis-runs.ts';
import { predictExperiment, SHARED_PREFIX_GROUPS, SHARED_PREFIX_PROMPTS_PER_GROUP } from './showdown.ts';

export const ENGINE_FAMILIES = ['vllm-v1', 'vllm-v0', 'sglang'] as const;
export type EngineFamilyId = (typeof ENGINE_FAMILIES)[number];
export const FIGURE_METRICS = ['ttft', 'itl_tpot', 'e2e', 'throughput'] as const;
export type FigureMetric = (typeof FIGURE_METRICS)[number];
export const FIGURE_STATISTICS = ['mean', 'median', 'p90', 'p99'] as const;
export type FigureStatistic = (typeof FIGURE_STATISTICS)[number];

/** One measured figure of a sweep next to its prediction. */
export interface SweepFigure {
  /** the load this figure was measured at: "8 req/s", "conc 64" */
  readonly load: string;
  /** numeric load for plots: req/s or concurrency */
  readonly loadValue: number;
  readonly metric: FigureMetric;
  readonly statistic: FigureStatistic;
  readonly measured: number;
  readonly predicted: number;
}

/** |predicted − measured| / measured, in percent */
export const figureApe = (f: SweepFigure): number => (Math.abs(f.predicted - f.measured) / f.measured) * 100;

export interface Sweep {
  readonly id: string;
  readonly family: EngineFamilyId;
  readonly source: string;
  readonly hardwareId: string;
  readonly modelId: string;
  readonly tp: number;
  readonly lengths: string;
  readonly engine: 'vllm' | 'sglang';
  /** as the source states it, for choosing the shipped calibration */
  readonly engineVersion: string | undefined;
  /** the measured runs it holds: benchmark ids (file#line) or blis_vllm experiment ids */
  readonly runs: readonly string[];
  /** whether its measured values may be written into the project (blis_vllm has no licence) */
  readonly publishable: boolean;
  /** every figure of the sweep under these calibration values, or why it could not be simulated */
  readonly predict: (values: CalibrationValues) => SweepFigure[] | string;
}

const calibrationFile = (values: CalibrationValues, hardware: string, engine: 'vllm' | 'sglang'): CalibrationFile => ({
  id: 'loso',
  hardware,
  engine,
  description: 'leave-one-sweep-out trial',
  values,
  sources: [],
});

/** blis_vllm non-eval runs (never the 38 eval experiments) that are not overloaded and have published stages. */
export function blisSweeps(file: string, registry: ProfileRegistry): Sweep[] {
  const usable = (e: BlisExperiment) => !e.eval && !e.overloaded && e.stages.length > 0 && e.hardwareId !== undefined && e.modelId !== undefined;
  return readBlisExperiments(file)
    .filter(usable)
    .map((e) => ({
      id: `blis_vllm:${e.id.replace(/^trainval\//, '')}`,
      family: 'vllm-v1' as const,
      source: 'blis_vllm',
      hardwareId: e.hardwareId!,
      modelId: e.modelId!,
      tp: e.tp,
      lengths: `${Math.round(e.inputTokens ?? 0)}/${Math.round(e.outputTokens ?? 0)}`,
      engine: 'vllm' as const,
      engineVersion: '0.15.1',
      runs: [`blis_vllm:${e.id}`],
      publishable: false,
      predict: (values: CalibrationValues) => blisFigures(shortened(e), registry, calibrationFile(values, e.hardwareId!, 'vllm')),
    }));
}

/**
 * Each stage simulated for a quarter of its measured duration (150 of 600 s, 300 of 1200 s; still 300–3,000
 * requests a stage): stage means at these stable loads settle within that, and it keeps the ~1,000 sweep
 * simulations of a LOSO run affordable on a shared 2-core machine. The showdown simulates the full stages.
 */
export const BLIS_STAGE_DURATION_SCALE = 0.25;
const shortened = (e: BlisExperiment): BlisExperiment => ({ ...e, stages: e.stages.map((s) => ({ ...s, durationS: s.durationS * BLIS_STAGE_DURATION_SCALE })) });
/**
 * The cold first pass through inference-perf's 100 prompts is 100 requests however long the run: a quarter
 * of the run must see only a quarter of it (the rest simulated as an unscored warm-up), or the shortened
 * replay's first stage would be four times as cold as the measured one.
 */
const BLIS_WARMUP_REQUESTS = (1 - BLIS_STAGE_DURATION_SCALE) * SHARED_PREFIX_GROUPS * SHARED_PREFIX_PROMPTS_PER_GROUP;

function blisFigures(e: BlisExperiment, registry: ProfileRegistry, cal: CalibrationFile): SweepFigure[] | string {
  const pairs = predictExperiment(e, registry, [], cal, { warmupRequests: BLIS_WARMUP_REQUESTS });
  if (typeof pairs === 'string') return pairs;
  return pairs.flatMap((p) => {
    const rate = p.stage >= 0 ? e.stages[p.stage]!.ratePerS : e.stages[0]!.ratePerS;
    const at = { load: `${rate} req/s`, loadValue: rate };
    const tails = p.tails.map((t) => {
      const [metric, stat] = t.stat.split('.') as ['ttft' | 'e2e', 'p90' | 'p99'];
      return { ...at, metric, statistic: stat, measured: t.measured, predicted: t.predicted };
    });
    return [
      { ...at, metric: 'ttft' as const, statistic: 'mean' as const, measured: p.measured.ttft, predicted: p.predicted.ttft },
      { ...at, metric: 'itl_tpot' as const, statistic: 'mean' as const, measured: p.measured.tpot, predicted: p.predicted.tpot },
      { ...at, metric: 'e2e' as const, statistic: 'mean' as const, measured: p.measured.e2e, predicted: p.predicted.e2e },
      ...tails,
    ];
  });
}

/** What an InferenceX row's notes say about techniques servesim does not model. */
interface RowFlags {
  readonly unmodelled: string | undefined;
  readonly streamInterval: number;
  /** "range ratio 0": input and output lengths uniform in [0, L], which the importer reads as fixed L */
  readonly uniformUpTo: { readonly input: number; readonly output: number } | undefined;
}

/**
 * Independent discrete-uniform input and output lengths on a 32 × 32 grid of (0, L]: the InferenceX
 * client's --random-range-ratio 0. Measured E2E/TPOT of the B200 SGLang runs imply ~500 output tokens at
 * "1024/1024", as uniform lengths give; fixed 1024/1024 would double every request's decode.
 */
function uniformLengths(upTo: { readonly input: number; readonly output: number }): LengthDistribution {
  const grid = (l: number) => Array.from({ length: 32 }, (_, k) => Math.max(1, Math.round(((k + 0.5) / 32) * l)));
  const input = grid(upTo.input);
  const output = grid(upTo.output);
  return { kind: 'empirical', inputTokens: input.flatMap((x) => output.map(() => x)), outputTokens: input.flatMap(() => output), name: `uniform (0, ${upTo.input}] × (0, ${upTo.output}]` };
}

function inferencexFlags(file: string): Map<number, RowFlags> {
  const rows = parseCsv(readFileSync(file, 'utf8'), file);
  const col = (name: string) => rows[0]!.fields.indexOf(name);
  const notesCol = col('notes');
  const out = new Map<number, RowFlags>();
  for (const r of rows.slice(1)) {
    const notes = r.fields[notesCol] ?? '';
    const spec = /spec_decode=([^;]+)/.exec(notes)?.[1]?.trim();
    const unmodelled =
      spec !== undefined && spec !== 'none'
        ? `speculative decoding (${spec})`
        : /disagg=yes|disaggregat/i.test(notes) && !/disagg=no/.test(notes)
          ? 'prefill/decode disaggregation'
          : /dp_attention=true/.test(notes)
            ? 'attention data-parallelism (DEP)'
            : undefined;
    const si = /stream-interval (\d+)/.exec(notes)?.[1];
    const uniform = /range ratio 0\b/.test(r.fields[col('dataset_or_isl_osl')] ?? '');
    const uniformUpTo = uniform ? { input: Number(r.fields[col('isl')]), output: Number(r.fields[col('osl')]) } : undefined;
    out.set(r.line, { unmodelled, streamInterval: si ? Number(si) : 1, uniformUpTo });
  }
  return out;
}

/** Engine family of a measured benchmark: V1 from vLLM 0.8 (V1 default), the 2024 buildkite runs before it. */
function familyOf(b: MeasuredBenchmark): EngineFamilyId {
  if (b.deployment.engine === 'sglang') return 'sglang';
  const text = b.deployment.engineVersion ?? '';
  const v = /(\d+)\.(\d+)/.exec(text);
  if (/buildkite build 95/.test(text)) return 'vllm-v0'; // builds 95xx ran in late 2024, before V1 became the default
  if (v && Number(v[1]) === 0 && Number(v[2]) < 8) return 'vllm-v0';
  return 'vllm-v1';
}

/**
 * Runs left out after reading their data, with the reason written into the report. InferenceX's B200
 * gpt-oss-120b runs state "1024/1024, range ratio 0" (uniform in [0, 1024]) but measured median E2E /
 * median TPOT ≈ 40 output tokens at concurrency 16: generation ended at EOS, and the file does not give
 * the output lengths, so no replay of these runs can be faithful.
 */
export const EXCLUDED_RUNS: readonly { readonly match: (b: MeasuredBenchmark) => boolean; readonly reason: string }[] = [
  {
    match: (b) => b.source.sourceId === 'inferencex' && b.deployment.modelId === 'gpt-oss-120b' && b.deployment.hardwareId === 'b200',
    reason: 'inferencex B200 gpt-oss-120b: output lengths unknown (median E2E / median TPOT ≈ 40 tokens against the stated uniform [0, 1024]; generation ended at EOS)',
  },
];

const LATENCY_UNDER_LOAD = new Set(['poisson', 'constant', 'concurrent', 'throughput']);

function metricOf(metric: string): FigureMetric | undefined {
  if (metric === 'ttft') return 'ttft';
  if (metric === 'e2e') return 'e2e';
  if (['itl', 'tpot', 'itl_guidellm', 'tpot_guidellm'].includes(metric)) return 'itl_tpot';
  if (metric.endsWith('throughput')) return 'throughput';
  return undefined;
}

/** A benchmark's figures under the given values: its latency and throughput metrics, the kept statistics only. */
function benchmarkFigures(m: MappedBenchmark, registry: ProfileRegistry, values: CalibrationValues, streamInterval: number): SweepFigure[] | string {
  const pred = predictBenchmark(m, registry, { id: 'loso', values });
  if (!pred.ok) return pred.reason;
  const w = m.benchmark.workload;
  const load = w.load === 'concurrent' ? `conc ${w.concurrency}` : w.load === 'throughput' ? `rate inf${w.concurrency ? ` (max ${w.concurrency})` : ''}` : `${w.rate} req/s`;
  const loadValue = w.load === 'concurrent' ? (w.concurrency ?? 0) : w.load === 'throughput' ? Infinity : (w.rate ?? 0);
  return pred.compared.flatMap((c) => {
    const metric = metricOf(c.metric);
    const statistic = c.statistic === 'value' ? 'mean' : c.statistic;
    if (!metric || !(FIGURE_STATISTICS as readonly string[]).includes(statistic)) return [];
    // a stream interval of k makes each ITL gap span k tokens: servesim's ITL is per token
    if (c.metric === 'itl' && streamInterval > 1) return [];
    return [{ load, loadValue, metric, statistic: statistic as FigureStatistic, measured: c.measured, predicted: c.predicted }];
  });
}

/** The measurement-CSV and vLLM-bench sweeps, grouped by source × engine × GPU × model × TP × lengths. */
export function measuredSweeps(measurementsDir: string, examplesDir: string, registry: ProfileRegistry, keep: (b: MeasuredBenchmark) => boolean = () => true): Sweep[] {
  const groups = new Map<string, { family: EngineFamilyId; mapped: MappedBenchmark[]; streamInterval: number; source: string }>();
  const add = (b: MeasuredBenchmark, source: string, streamInterval: number, uniformUpTo?: RowFlags['uniformUpTo']) => {
    if (!b.workload.load || !LATENCY_UNDER_LOAD.has(b.workload.load)) return;
    if (EXCLUDED_RUNS.some((x) => x.match(b)) || !keep(b)) return;
    if (!b.metrics.some((x) => metricOf(x.metric) !== 'throughput' && metricOf(x.metric) !== undefined)) return;
    const outcome = mapBenchmark(b, registry);
    if (!outcome.ok) return;
    const m = uniformUpTo ? { ...outcome, mapped: { ...outcome.mapped, workload: { ...outcome.mapped.workload, lengths: uniformLengths(uniformUpTo) } } } : outcome;
    const d = b.deployment;
    const family = familyOf(b);
    const key = [source, family, d.engineVersion ?? '', d.hardwareId, d.modelId, m.mapped.choice.tp, d.ep ?? 1, JSON.stringify(b.workload.lengths)].join('|');
    const g = groups.get(key) ?? { family, mapped: [], streamInterval, source };
    g.mapped.push(m.mapped);
    groups.set(key, g);
  };
  for (const name of ['inferencex.csv', 'vllm_buildkite_perf_ci.csv', 'sglang_bench_vllm060.csv']) {
    const file = join(measurementsDir, name);
    const flags = name === 'inferencex.csv' ? inferencexFlags(file) : undefined;
    for (const b of importMeasurements(file)) {
      const f = flags?.get(Number(b.id.split('#')[1]));
      if (f?.unmodelled) continue;
      // vLLM's multi-step scheduling (--num-scheduler-steps k) streams k tokens a chunk, as a stream interval does
      const multiStep = /num-scheduler-steps (\d+)/.exec(b.deployment.engineVersion ?? '')?.[1];
      add(b, name.replace(/\.csv$/, ''), multiStep ? Number(multiStep) : (f?.streamInterval ?? 1), f?.uniformUpTo);
    }
  }
  const bench = join(examplesDir, 'vllm-bench');
  const examples = markRepeatedPrompts(readdirSync(bench).filter((f) => /_qps_.*\.json$/.test(f)).sort().flatMap((name) => importMeasurements(join(bench, name))));
  for (const b of examples) {
    // PROVENANCE.md: Azure ND96asr_v4 (8×A100 40GB), vLLM ~0.8 (legacy benchmark_serving.py). The file does not
    // name the GPU, so the importer marks it unmappable for that reason alone: the GPU given here lifts it
    const { unmappedReason, ...rest } = b;
    const stated = unmappedReason === 'GPU not stated' ? rest : b;
    add({ ...stated, deployment: { ...b.deployment, hardwareId: 'a100-sxm-40gb', engineVersion: b.deployment.engineVersion ?? '0.8' } }, 'vllm-bench-examples', 1);
  }
  return [...groups.values()].map((g, i) => {
    const first = g.mapped[0]!.benchmark;
    const lengths = first.workload.lengths;
    const lengthText = lengths?.kind === 'fixed' ? `${lengths.inputTokens}/${lengths.outputTokens}` : lengths?.kind === 'dataset' ? lengths.name : (lengths?.kind ?? '?');
    const engine = g.family === 'sglang' ? ('sglang' as const) : ('vllm' as const);
    return {
      id: `${g.source}:${first.deployment.modelId}-${first.deployment.hardwareId}-tp${g.mapped[0]!.choice.tp}-${lengthText}#${i}`,
      family: g.family,
      source: g.source,
      hardwareId: first.deployment.hardwareId!,
      modelId: first.deployment.modelId!,
      tp: g.mapped[0]!.choice.tp ?? 1,
      lengths: lengthText,
      engine,
      engineVersion: first.deployment.engineVersion,
      runs: g.mapped.map((m) => m.benchmark.id),
      publishable: true,
      predict: (values: CalibrationValues) => {
        const out: SweepFigure[] = [];
        for (const m of g.mapped) {
          const f = benchmarkFigures(m, registry, values, g.streamInterval);
          if (typeof f !== 'string') out.push(...f);
        }
        return out.length > 0 ? out : `no figure simulated (${engine})`;
      },
    };
  });
}
