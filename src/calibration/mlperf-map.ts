import type { DeploymentChoice } from '../cost/deployment.ts';
import { smallestFittingTp } from '../cost/prepare.ts';
import type { MlperfRun } from '../importers/mlperf.ts';
import { buildDeployment } from '../importers/normalize.ts';
import { chooseCalibration } from './choose.ts';
import type { ProfileRegistry } from '../profiles/registry.ts';
import type { Hardware } from '../schema/resolved-hardware.ts';
import type { EngineFamily } from '../schema/deployment.ts';
import { REPLAY_DATASETS } from '../workload/datasets/registry.ts';

/**
 * How an MLPerf run (system × benchmark × scenario) becomes a servesim deployment and workload. Every choice
 * the results do not state is an assumption recorded in `notes`, per run:
 *   - parallelism: v4.1 results state none. Candidates are the TP degrees from the smallest that fits up to the
 *     system's GPU count (the rest as data-parallel replicas); the validation takes the one with the highest
 *     simulated Offline throughput, as submitters tune for it (`withTp` records the choice);
 *   - precision: `weight_data_types` names the starting checkpoint; NVIDIA's v4.1 TensorRT-LLM harness
 *     quantises Hopper/Ada runs to FP8 (weights, activations, KV) and Blackwell to FP4 weights with FP8 KV;
 *     AMD's vLLM harness runs FP8 weights and FP8 KV (its results say fp8 or fp16);
 *   - GPT-J: beam search (4 beams, LoadGen's 69 tokens per sample) approximated by 4 sequences per query, each
 *     a quarter of the prompt and 69 output tokens: the context is computed once (split four ways) and the
 *     beams decode side by side, 69 steps, their KV holding one context plus 4 × 69 tokens; inputs = the
 *     CNN/DailyMail articles' lengths with the Llama-3.1 tokenizer (the llama3.1-8b dataset, same 13,368
 *     articles), clipped at GPT-J's 1,919; its bound is p99 latency < 20 s.
 */
export interface MlperfLengthSource {
  readonly datasetId: string;
  /** clip inputs at this many tokens */
  readonly maxInputTokens?: number;
  /** replace every output length by this */
  readonly fixedOutputTokens?: number;
  /** sequences simulated per query (beam search: each with 1/beams of the prompt) */
  readonly beams?: number;
}

export interface MlperfBounds {
  readonly ttftS?: number;
  readonly tpotS?: number;
  readonly latencyS?: number;
}

export interface MlperfMapping {
  readonly run: MlperfRun;
  readonly hardwareId: string;
  readonly modelId: string;
  readonly engine: EngineFamily;
  readonly engineVersion: string | undefined;
  readonly choice: DeploymentChoice;
  readonly tp: number;
  readonly replicas: number;
  /** TP degrees that fit and divide the system's GPUs (the search picks among them: `withTp`) */
  readonly tpCandidates: readonly number[];
  readonly lengths: MlperfLengthSource;
  readonly bounds: MlperfBounds;
  readonly notes: readonly string[];
}

export type MlperfMapOutcome = { ok: true; mapping: MlperfMapping } | { ok: false; reason: string };

const GPTJ_BEAMS = 4;
const GPTJ_TOKENS_PER_SAMPLE = 69;

/** MLPerf benchmark names (any round: llama3_1-405b, llama2-70b-interactive-99, …) → model profile and dataset. */
const BENCHMARKS: readonly { readonly pattern: RegExp; readonly modelId: string; readonly datasetId: string; readonly note?: string }[] = [
  { pattern: /^llama2-70b$/, modelId: 'llama-2-70b', datasetId: 'mlperf-llama2-70b' },
  { pattern: /^llama3\.1-405b$/, modelId: 'llama-3.1-405b', datasetId: 'mlperf-llama3.1-405b' },
  { pattern: /^llama3\.1-8b$/, modelId: 'llama-3.1-8b', datasetId: 'mlperf-llama3.1-8b' },
  { pattern: /^mixtral-8x7b$/, modelId: 'mixtral-8x7b', datasetId: 'mlperf-mixtral-8x7b' },
  { pattern: /^deepseek-r1$/, modelId: 'deepseek-v3', datasetId: 'mlperf-deepseek-r1', note: 'DeepSeek-R1 simulated with the DeepSeek-V3 profile (same architecture)' },
];

/** The benchmark's model, workload and latency bounds; Interactive runs take the tighter limits. */
export function benchmarkWorkload(benchmark: string, scenario: MlperfRun['scenario']): { modelId: string; lengths: MlperfLengthSource; bounds: MlperfBounds; note?: string } | undefined {
  const name = benchmark.toLowerCase().replace(/_/g, '.').replace(/-99(\.9)?$/, '');
  const interactive = scenario === 'Interactive' || /-interactive$/.test(name);
  const base = name.replace(/-interactive$/, '');
  if (/^gptj/.test(base))
    return {
      modelId: 'gpt-j-6b',
      lengths: { datasetId: 'mlperf-llama3.1-8b', maxInputTokens: 1919, fixedOutputTokens: GPTJ_TOKENS_PER_SAMPLE, beams: GPTJ_BEAMS },
      bounds: { latencyS: 20 },
      note: `GPT-J: ${GPTJ_BEAMS}-beam search simulated as ${GPTJ_BEAMS} sequences per query, each 1/${GPTJ_BEAMS} of the prompt and ${GPTJ_TOKENS_PER_SAMPLE} tokens; inputs = CNN/DM article lengths (Llama-3.1 tokenizer) clipped at 1919`,
    };
  const b = BENCHMARKS.find((x) => x.pattern.test(base));
  if (!b) return undefined;
  const limits = REPLAY_DATASETS[b.datasetId]!.limits;
  const l = interactive ? limits.interactive : limits.server;
  if (!l) return undefined;
  return { modelId: b.modelId, lengths: { datasetId: b.datasetId }, bounds: { ttftS: l.ttftMs / 1e3, tpotS: l.tpotMs / 1e3 }, ...(b.note ? { note: b.note } : {}) };
}

function hardwareOf(run: MlperfRun): string | undefined {
  return buildDeployment({ gpu: run.gpuRaw }).deployment.hardwareId;
}

function engineOf(run: MlperfRun): { engine: EngineFamily; note?: string } {
  if (/tensorrt/i.test(run.engineRaw)) return { engine: 'trtllm' };
  if (/vllm/i.test(run.engineRaw)) return { engine: 'vllm' };
  if (/sglang/i.test(run.engineRaw)) return { engine: 'sglang' };
  return { engine: 'vllm', note: `engine "${run.engineRaw}" (${run.engineVersion}) simulated with the vLLM policy` };
}

/** Precision as submitted (see the module comment), or a reason it cannot be simulated. */
function precisionOf(run: MlperfRun, engine: EngineFamily, hw: Hardware): { choice: Partial<DeploymentChoice>; note: string } | { reason: string } {
  const p = run.precisionRaw.toLowerCase();
  const fp8 = hw.peakFlopsPerS.fp8 !== undefined;
  const fp4 = hw.peakFlopsPerS.fp4 !== undefined;
  if (p === 'fp32') return { reason: 'weight_data_types fp32 (open division): not a precision its harness states it served in' };
  if (p === 'int4') return { choice: { weights: 'int4', weightOnly: true }, note: 'int4 weight-only (W4A16)' };
  if (engine === 'trtllm' && fp4)
    return { choice: { weights: 'nvfp4', activations: 'fp4', kvCache: 'fp8' }, note: `"${run.precisionRaw}" stated; NVIDIA's v4.1 Blackwell harness runs FP4 weights and activations, FP8 KV` };
  if (engine === 'trtllm' && fp8)
    return { choice: { weights: 'fp8', activations: 'fp8', kvCache: 'fp8' }, note: `"${run.precisionRaw}" stated (the checkpoint); NVIDIA's v4.1 TensorRT-LLM harness quantises to FP8 weights, activations and KV` };
  if ((p === 'fp8' || /amd|mi300/i.test(run.gpuRaw)) && fp8)
    return { choice: { weights: 'fp8', activations: 'fp8', kvCache: 'fp8' }, note: `"${run.precisionRaw}" stated; FP8 weights, activations and KV (vLLM FP8 checkpoint with FP8 KV, as AMD's v4.1 harness)` };
  if (p === 'fp8') return { choice: { weights: 'fp8', weightOnly: true }, note: 'FP8 weights on a GPU without FP8 tensor cores: weight-only' };
  return { choice: { weights: 'fp16', activations: 'fp16', kvCache: 'fp16' }, note: `"${run.precisionRaw}" stated: FP16` };
}

function engineSettings(engine: EngineFamily, run: MlperfRun): { settings: NonNullable<DeploymentChoice['engine']>; note: string } {
  if (engine === 'trtllm')
    return { settings: { family: 'trtllm', gpuMemoryUtilization: 0.95, maxNumSeqs: 2048, maxNumBatchedTokens: 8192 }, note: 'TensorRT-LLM: 0.95 of free memory for KV, max batch 2048, 8192-token budget' };
  if (engine === 'sglang') return { settings: { family: 'sglang', gpuMemoryUtilization: 0.88, maxNumSeqs: 1024, maxNumBatchedTokens: 8192 }, note: 'SGLang defaults' };
  // vLLM 0.4–0.6 (every v4.1 vLLM result): V0 engine, no async scheduling
  return { settings: { family: 'vllm', asyncScheduling: false }, note: `vLLM ${run.engineVersion.split(',')[0]}: V0 defaults, no async scheduling` };
}

export function mapMlperfRun(run: MlperfRun, registry: ProfileRegistry): MlperfMapOutcome {
  const hardwareId = hardwareOf(run);
  if (!hardwareId || !registry.hardware.get(hardwareId)) return { ok: false, reason: `accelerator "${run.gpuRaw}" has no servesim profile` };
  const hw = registry.getHardware(hardwareId);
  const w = benchmarkWorkload(run.benchmark, run.scenario);
  if (!w) return { ok: false, reason: `benchmark "${run.benchmark}" (${run.scenario}) has no dataset replay or limits` };
  const modelId = w.modelId;
  if (!registry.models.get(modelId)) return { ok: false, reason: `benchmark "${run.benchmark}" has no model profile` };
  if (run.scenario !== 'Offline' && run.targetQps === undefined) return { ok: false, reason: 'Server run without a target_qps' };
  const { engine, note: engineNote } = engineOf(run);
  const precision = precisionOf(run, engine, hw);
  if ('reason' in precision) return { ok: false, reason: precision.reason };
  const settings = engineSettings(engine, run);
  const base: DeploymentChoice = { ...precision.choice, engine: settings.settings };
  const model = registry.getModel(modelId);
  const tp = smallestFittingTp(model, hw, base, chooseCalibration(hw, engine, []));
  if (tp === undefined) return { ok: false, reason: `${modelId} does not fit on ${hardwareId} at any TP` };
  if (tp > run.numGpus) return { ok: false, reason: `${modelId} needs TP${tp} on ${hardwareId}; the system has ${run.numGpus} GPUs` };
  const tpCandidates = [1, 2, 4, 8, 16].filter((t) => t >= tp && t <= run.numGpus && run.numGpus % t === 0 && t <= hw.interconnect.maxGpus);
  const replicas = Math.floor(run.numGpus / tp);
  const notes = [
    ...(engineNote ? [engineNote] : []),
    precision.note,
    settings.note,
    ...(w.note ? [w.note] : []),
    ...(run.division === 'open' ? ['open division: the model may be modified (pruning, sparsity); compared, but outside the headline'] : []),
  ];
  return {
    ok: true,
    mapping: { run, hardwareId, modelId, engine, engineVersion: run.engineVersion || undefined, choice: { ...base, tp }, tp, replicas, tpCandidates: tpCandidates.length > 0 ? tpCandidates : [tp], lengths: w.lengths, bounds: w.bounds, notes },
  };
}

/** The mapping at another TP degree, its replicas and the note saying why this TP. */
export function withTp(m: MlperfMapping, tp: number, why: string): MlperfMapping {
  const replicas = Math.floor(m.run.numGpus / tp);
  const note = `parallelism not stated: TP${tp} × ${replicas} data-parallel replica${replicas > 1 ? 's' : ''} on ${m.run.numGpus} GPU${m.run.numGpus > 1 ? 's' : ''} (${why})`;
  return { ...m, tp, replicas, choice: { ...m.choice, tp }, notes: [note, ...m.notes.filter((n) => !n.startsWith('parallelism not stated'))] };
}
