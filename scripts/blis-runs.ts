import { readFileSync } from 'node:fs';
import { parseCsv } from '../src/io/csv.ts';
import { MEASUREMENT_COLUMNS } from '../src/importers/measurement-csv.ts';
import { normalizeGpu, normalizeModel } from '../src/importers/normalize.ts';

/**
 * The BLIS "simulator showdown" runs of ../shared/measurements/blis_vllm.csv, read as experiments with
 * stages (SOURCES.md, section blis_vllm). The generic measurement importer sees one run per scope; the
 * showdown is scored per experiment-stage, so this reader keeps the stage structure the notes describe:
 *   - `scope=stage_N` rows give a stage's figures, `scope=summary…` the whole run's;
 *   - the stage rates come from the dataset text ("stages 8 req/s x 600 s then 20 req/s x 600 s");
 *   - the eval set is the 38 experiments whose notes say "in the 38-experiment eval set" or carry
 *     `blis_eval_experiment=`; everything else is fit data.
 * The file has no licence: it is read from ../shared at run time and nothing of it enters the project.
 */
export interface BlisStageFigures {
  /** seconds */
  readonly ttftMeanS?: number;
  readonly e2eMeanS?: number;
  /** BLIS's derived TPOT: (mean E2E − mean TTFT) / (mean output tokens − 1) */
  readonly tpotMeanS?: number;
  /** tail statistics the stage states, seconds: "ttft.p90", "ttft.p99", "e2e.p90", "e2e.p99" */
  readonly tails: Readonly<Partial<Record<TailStat, number>>>;
}

export const TAIL_STATS = ['ttft.p90', 'ttft.p99', 'e2e.p90', 'e2e.p99'] as const;
export type TailStat = (typeof TAIL_STATS)[number];

export interface BlisExperiment {
  readonly id: string;
  readonly eval: boolean;
  readonly modelRaw: string;
  readonly modelId: string | undefined;
  readonly gpuRaw: string;
  readonly hardwareId: string | undefined;
  readonly tp: number;
  /** expert-parallel degree as the CSV states it (1: none; Llama-4-Scout runs EP = TP, auto-enabled for MoE) */
  readonly ep: number;
  /** prompt tokens: shared system prompt + question (nominal, or the measured mean for raw runs) */
  readonly inputTokens: number | undefined;
  /**
   * mean output tokens: the CSV's own where its means imply it (meanOutputTokens), else the nominal
   * output_len (a cap: models stop short of it)
   */
  readonly outputTokens: number | undefined;
  /** 'csv means' when outputTokens was recovered from the run's mean E2E, TTFT and derived TPOT */
  readonly outputTokensSource: 'csv means' | 'nominal';
  readonly systemPromptTokens: number | undefined;
  /** where the stage rates and lengths come from: the CSV's dataset text, or the published general-lite spec */
  readonly workloadSource: string;
  /** req/s × seconds per stage, as the dataset text (or GENERAL_LITE_SPEC) states them; empty when unpublished */
  readonly stages: readonly { readonly ratePerS: number; readonly durationS: number }[];
  readonly maxNumBatchedTokens: number | undefined;
  readonly maxNumSeqs: number | undefined;
  readonly gpuMemoryUtilization: number | undefined;
  readonly cpuOffload: boolean | undefined;
  readonly dataParallel: number | undefined;
  readonly overloaded: boolean;
  /** per stage index; -1 = the whole run */
  readonly figures: ReadonlyMap<number, BlisStageFigures>;
}

/**
 * The 'general-lite' inference-perf profile, which blis_vllm.csv leaves unpublished ("6 rps peak"), as the
 * campaign's public workload file defines it: inference-sim/tektonc-data-collection
 * @2a7cbcd4e2338cad6d6cb2d9f119728ecd0d4fbd:workloads.yaml (the same entry at @5c7475b8bae936c24f2ab89708f63744ef90af1d),
 * `general-lite`: constant load, stages 2.5 req/s × 600 s then 6.0 req/s × 600 s; shared_prefix data,
 * 9 system prompts × 5 users, system_prompt_len 100 + question_len 447 tokens in, output_len 248, multi-turn.
 * That file's `general` entry (8 then 20 req/s, same lengths) matches what the CSV states for 'general',
 * which is why its `general-lite` entry is taken as the one those runs used. Nothing here comes from the
 * measurements themselves; the output length here is the nominal cap, replaced by each run's own mean
 * output where the CSV's means give it (meanOutputTokens).
 */
export const GENERAL_LITE_SPEC = {
  source: 'inference-sim/tektonc-data-collection@2a7cbcd4e2338cad6d6cb2d9f119728ecd0d4fbd:workloads.yaml (general-lite)',
  stages: [
    { ratePerS: 2.5, durationS: 600 },
    { ratePerS: 6, durationS: 600 },
  ],
  systemPromptTokens: 100,
  inputTokens: 547,
  outputTokens: 248,
} as const;

const num = (re: RegExp, text: string): number | undefined => {
  const m = re.exec(text);
  return m ? Number(m[1]) : undefined;
};

export function readBlisExperiments(file: string): BlisExperiment[] {
  const rows = parseCsv(readFileSync(file, 'utf8'), file);
  const header = rows[0]!.fields;
  const col = (name: (typeof MEASUREMENT_COLUMNS)[number]): number => header.indexOf(name);
  const byId = new Map<string, { first: readonly string[]; figures: Map<number, Record<string, number>> }>();
  for (const r of rows.slice(1)) {
    const f = r.fields;
    const notes = f[col('notes')]!;
    const id = /experiment_id=([^;]+)/.exec(notes)?.[1]?.trim();
    if (!id) continue;
    const scope = /scope=([^;(]+)/.exec(notes)?.[1]?.trim() ?? 'summary';
    const stage = /^stage_(\d+)/.exec(scope) ? Number(/^stage_(\d+)/.exec(scope)![1]) : -1;
    const e = byId.get(id) ?? { first: f, figures: new Map<number, Record<string, number>>() };
    byId.set(id, e);
    const key = `${f[col('metric')]}.${f[col('statistic')]}`;
    const unit = f[col('unit')];
    const value = Number(f[col('value')]) * (unit === 'ms' ? 1e-3 : 1);
    let fig = e.figures.get(stage);
    if (!fig) e.figures.set(stage, (fig = {}));
    fig[key] = value;
  }
  return [...byId.entries()].map(([id, { first, figures }]) => {
    const notes = first[col('notes')]!;
    const text = first[col('dataset_or_isl_osl')]!;
    // "8 req/s x 600 s then 20 req/s x 600 s"; a lone "1 req/s" (reasoning-lite) states no duration: 1200 s,
    // the duration of the same-named full profile, is assumed
    const staged = [...text.matchAll(/(\d+\.?\d*) req\/s x (\d+) s/g)].map((m) => ({ ratePerS: Number(m[1]), durationS: Number(m[2]) }));
    const lone = /(\d+\.?\d*) req\/s(?! x)/.exec(text);
    const generalLite = staged.length === 0 && !lone && /'general-lite' profile/.test(text);
    const stages = staged.length > 0 ? staged : lone ? [{ ratePerS: Number(lone[1]), durationS: 1200 }] : generalLite ? GENERAL_LITE_SPEC.stages : [];
    const isl = first[col('isl')]! || (generalLite ? String(GENERAL_LITE_SPEC.inputTokens) : '');
    const osl = first[col('osl')]! || (generalLite ? String(GENERAL_LITE_SPEC.outputTokens) : '');
    const modelRaw = first[col('model')]!;
    const gpuRaw = first[col('gpu')]!;
    const offload = /cpu_offload=(true|false)/i.exec(notes)?.[1];
    const dp = /\bdp=(\d+)/.exec(notes)?.[1];
    const out = new Map<number, BlisStageFigures>();
    for (const [stage, fig] of figures) {
      out.set(stage, {
        ...(fig['ttft.mean'] !== undefined ? { ttftMeanS: fig['ttft.mean'] } : {}),
        ...(fig['e2e_latency.mean'] !== undefined ? { e2eMeanS: fig['e2e_latency.mean'] } : {}),
        ...(fig['tpot.mean'] !== undefined ? { tpotMeanS: fig['tpot.mean'] } : {}),
        tails: Object.fromEntries(
          TAIL_STATS.flatMap((t) => {
            const v = fig[t.replace('e2e.', 'e2e_latency.')];
            return v !== undefined ? [[t, v]] : [];
          }),
        ),
      });
    }
    return {
      id,
      eval: /(?<!not )in the 38-experiment eval set|blis_eval_experiment=/.test(notes),
      modelRaw,
      modelId: normalizeModel(modelRaw).modelId,
      gpuRaw,
      hardwareId: normalizeGpu(gpuRaw).hardwareId,
      tp: Number(first[col('tp')]),
      ep: Number(first[col('ep')]) || 1,
      inputTokens: isl === '' ? undefined : Number(isl),
      ...outputTokensOf(osl === '' ? undefined : Number(osl), figures.get(-1) ?? (figures.size === 1 ? [...figures.values()][0] : undefined)),
      systemPromptTokens: generalLite ? GENERAL_LITE_SPEC.systemPromptTokens : num(/system (\d+) \+ question/, text),
      workloadSource: generalLite ? GENERAL_LITE_SPEC.source : 'blis_vllm.csv dataset text',
      stages,
      maxNumBatchedTokens: num(/max_num_batched_tokens=(\d+)/, notes),
      maxNumSeqs: num(/max_num_seqs=(\d+)/, notes),
      // the campaign manifest's note wins: "gpu_mem actually reduced to X" is the share the server ran with
      gpuMemoryUtilization: num(/gpu_mem actually reduced to (\d*\.?\d+)/, notes) ?? num(/gpu_memory_utilization=(\d*\.?\d+)/, notes),
      cpuOffload: offload === undefined ? undefined : offload.toLowerCase() === 'true',
      dataParallel: dp === undefined ? undefined : Number(dp),
      overloaded: /overloaded/i.test(first[col('measured_or_projected')]!),
      figures: out,
    };
  });
}

/**
 * The run's mean output tokens from its own means: SOURCES.md defines the CSV's `tpot` as
 * (mean E2E − mean TTFT) / (mean output tokens − 1), so mean output = (E2E − TTFT) / tpot + 1. For the
 * transcribed runs the `osl` column is the profile's nominal output_len, which is a cap the models stop
 * short of (Llama-2-7B's reasoning-lite run by about a fifth; Llama-3.1-8B's runs by about 4%);
 * for the raw runs it is already the measured mean, and the two agree within 0.5%. It is the workload's
 * length, not a latency. Only a value below 1.05 × nominal is taken; anything else keeps the nominal.
 */
export function meanOutputTokens(figures: Readonly<Record<string, number>> | undefined): number | undefined {
  const e2e = figures?.['e2e_latency.mean'];
  const ttft = figures?.['ttft.mean'];
  const tpot = figures?.['tpot.mean'];
  if (e2e === undefined || ttft === undefined || tpot === undefined || !(tpot > 0) || !(e2e > ttft)) return undefined;
  return (e2e - ttft) / tpot + 1;
}

function outputTokensOf(nominal: number | undefined, figures: Readonly<Record<string, number>> | undefined): Pick<BlisExperiment, 'outputTokens' | 'outputTokensSource'> {
  const fromMeans = meanOutputTokens(figures);
  if (nominal !== undefined && fromMeans !== undefined && fromMeans > 1 && fromMeans <= 1.05 * nominal) return { outputTokens: fromMeans, outputTokensSource: 'csv means' };
  return { outputTokens: nominal, outputTokensSource: 'nominal' };
}
