import type { MeasuredDeployment } from './types.ts';

/**
 * Name normalisation shared by every importer: GPU names → servesim hardware ids, model names → model ids,
 * precision strings → weights/activations/kv, engine strings → engine ids. Reading files is read-file.ts,
 * value helpers values.ts.
 *
 * Unknown names never throw: they give an absent id and a short, stable `reason` that groups records in
 * the coverage report (e.g. `model "Llama-4-Scout-17B-16E" has no servesim profile`).
 */

export const HARDWARE_IDS = [
  'a100-sxm-40gb',
  'a100-sxm-80gb',
  'a100-pcie-80gb',
  'h100-sxm',
  'h100-pcie',
  'h100-nvl',
  'h200-sxm',
  'h200-nvl',
  'gh200',
  'gh200-144gb',
  'l40s',
  'l4',
  'b200',
  'gb200',
  'mi300x',
  'mi325x',
  'mi355x',
  'b300', 'gb300', 'rtx-pro-6000-server', 'h20', 'gaudi3', // 2026 fleet (issue 17): no name patterns yet
] as const;
export type HardwareId = (typeof HARDWARE_IDS)[number];

export const MODEL_IDS = [
  'llama-3.1-8b',
  'llama-3.1-70b',
  'llama-3.1-405b',
  'llama-3.2-1b',
  'llama-3.2-3b',
  'llama-3.3-70b',
  'llama-3-8b',
  'llama-3-70b',
  'llama-2-7b',
  'llama-2-13b',
  'llama-2-70b',
  'mistral-7b',
  'mixtral-8x7b',
  'mixtral-8x22b',
  'qwen2.5-7b',
  'qwen2.5-72b',
  'qwen3-8b',
  'qwen3-32b',
  'qwen3-30b-a3b',
  'qwen3-235b-a22b',
  'deepseek-v3',
  'gpt-oss-20b',
  'gpt-oss-120b',
  'gpt-j-6b',
  'codellama-34b',
  'qwen3-14b',
  'mistral-nemo-12b',
  'yi-34b',
  'llama-4-scout',
  'minimax-m2.5',
  'llama-4-maverick',
  'qwen3.5-397b-a17b', 'deepseek-v3.2', 'kimi-k2.5', 'glm-5', // 2026 models (issue 17)
] as const;
export type ModelId = (typeof MODEL_IDS)[number];

// ---------------------------------------------------------------------------------------------------
// GPUs

export interface GpuMatch {
  readonly hardwareId?: HardwareId;
  /** GPUs per stated unit when the name carries a count ("8xH100", an 8-GPU cloud VM) */
  readonly count?: number;
  readonly reason?: string;
  readonly note?: string;
}

/** Cloud machine types that name a fixed GPU model and count. */
const CLOUD_MACHINES: readonly { re: RegExp; id: HardwareId; count: number }[] = [
  { re: /standard[_-]nd96asr[_-]v4/i, id: 'a100-sxm-40gb', count: 8 }, // Azure ND A100 v4
  { re: /standard[_-]nd96amsr[_-]a100[_-]v4/i, id: 'a100-sxm-80gb', count: 8 }, // Azure NDm A100 v4
  { re: /standard[_-]nd96isr[_-]h100[_-]v5/i, id: 'h100-sxm', count: 8 }, // Azure ND H100 v5
  { re: /standard[_-]nd96isr[_-]h200[_-]v5/i, id: 'h200-sxm', count: 8 }, // Azure ND H200 v5
  { re: /\bp4d\.24xlarge\b/i, id: 'a100-sxm-40gb', count: 8 },
  { re: /\bp4de\.24xlarge\b/i, id: 'a100-sxm-80gb', count: 8 },
  { re: /\bp5\.48xlarge\b/i, id: 'h100-sxm', count: 8 },
  { re: /\bp5e\.48xlarge\b/i, id: 'h200-sxm', count: 8 },
  { re: /\bp6-b200\.48xlarge\b/i, id: 'b200', count: 8 },
];

/**
 * A GPU name as written by a source ("H100-SXM-80GB", "NVIDIA H100 80GB HBM3", "8xH100", MLPerf's
 * "AMD Instinct MI300X-NPS1-SPX-192GB-750W", an Azure VM size...) → a servesim hardware id.
 * Names that leave the form factor open (plain "H100-80GB", "H200") map to the SXM part with a note.
 */
export function normalizeGpu(raw: string | undefined): GpuMatch {
  const text = (raw ?? '').trim();
  if (text === '' || /^not stated|^unknown$|^n\/?a$/i.test(text)) return { reason: 'GPU not stated' };
  for (const m of CLOUD_MACHINES) {
    if (m.re.test(text)) {
      const times = /^\s*(\d+)\s*x\s*/i.exec(text);
      const units = times ? Number(times[1]) : 1;
      return { hardwareId: m.id, count: m.count * units, note: `"${text}" is a cloud machine with ${m.count} GPUs each` };
    }
  }
  let s = text.toLowerCase().replace(/[_\s]+/g, '-');
  let count: number | undefined;
  const countMatch = /^(\d+)-?x-?(?=[a-z])/.exec(s) ?? /(?:^|[-(])(\d+)x(?=(?:nvidia-)?[a-z]*\d)/.exec(s);
  if (countMatch) count = Number(countMatch[1]);
  s = s.replace(/nvidia-|amd-|instinct-|geforce-/g, '');
  const mem = /(\d+)-?gb/.exec(s);
  const memGb = mem ? Number(mem[1]) : undefined;
  const withCount = (m: GpuMatch): GpuMatch => (count !== undefined && count > 1 ? { ...m, count } : m);
  const assumedSxm = (name: string): string => `"${text}" does not state the form factor; ${name} SXM assumed`;

  if (/gb200/.test(s)) return withCount({ hardwareId: 'gb200' });
  if (/gh200/.test(s)) {
    // 96 GB HBM3 (gh200) and 144 GB HBM3e (gh200-144gb) parts exist ("480GB" is the CPU's LPDDR5X); unstated: the 96 GB one
    if (/(?:^|[^0-9])144-?gb/.test(s)) return withCount({ hardwareId: 'gh200-144gb' });
    return withCount(memGb !== undefined ? { hardwareId: 'gh200', note: `GH200 memory variant as stated: "${text}"` } : { hardwareId: 'gh200' });
  }
  if (/(?:^|[^a-z])b200/.test(s)) return withCount({ hardwareId: 'b200' });
  if (/h200/.test(s)) {
    if (/nvl/.test(s)) return withCount({ hardwareId: 'h200-nvl' });
    if (/-cts(?:$|-)/.test(s)) return withCount({ hardwareId: 'h200-sxm', note: 'H200 SXM with custom thermal solution (CTS, higher power limit)' });
    if (/sxm/.test(s)) return withCount({ hardwareId: 'h200-sxm' });
    return withCount({ hardwareId: 'h200-sxm', note: assumedSxm('H200') });
  }
  if (/h100/.test(s)) {
    if (/nvl/.test(s)) return withCount({ hardwareId: 'h100-nvl' });
    if (/pcie/.test(s)) return withCount({ hardwareId: 'h100-pcie' });
    if (/sxm|hbm3/.test(s)) return withCount({ hardwareId: 'h100-sxm' });
    return withCount({ hardwareId: 'h100-sxm', note: assumedSxm('H100') });
  }
  if (/a100/.test(s)) {
    const pcie = /pcie/.test(s);
    if (memGb === undefined) return { reason: `GPU "${text}" does not state the A100 memory size` };
    if (pcie) {
      return memGb === 80 ? withCount({ hardwareId: 'a100-pcie-80gb' }) : { reason: `GPU "${text}" has no servesim profile` };
    }
    const id: HardwareId | undefined = memGb === 80 ? 'a100-sxm-80gb' : memGb === 40 ? 'a100-sxm-40gb' : undefined;
    if (!id) return { reason: `GPU "${text}" has no servesim profile` };
    return withCount(/sxm/.test(s) ? { hardwareId: id } : { hardwareId: id, note: assumedSxm('A100') });
  }
  if (/(?:^|[^a-z0-9])l40s(?:$|[^a-z0-9])/.test(s)) return withCount({ hardwareId: 'l40s' });
  if (/(?:^|[^a-z0-9])l4(?:$|[^a-z0-9])/.test(s)) return withCount({ hardwareId: 'l4' });
  if (/mi355x/.test(s)) return withCount({ hardwareId: 'mi355x' });
  if (/mi325x/.test(s)) return withCount({ hardwareId: 'mi325x' });
  if (/mi300x/.test(s)) return withCount({ hardwareId: 'mi300x' });
  return { reason: `GPU "${text}" has no servesim profile` };
}

// ---------------------------------------------------------------------------------------------------
// Models

export interface ModelMatch {
  readonly modelId?: ModelId;
  /** a precision carried by the model name ("Meta-Llama-3.1-8B-FP8"): not part of the model */
  readonly precisionHint?: string;
  readonly reason?: string;
  readonly note?: string;
}

const PRECISION_SUFFIX = /-(fp8(?:-dynamic)?|fp4|nvfp4|mxfp4|int4|int8|w4a16|w8a8|w8a16|awq|gptq(?:-int4)?|bf16|fp16)$/;
// "-Instruct", "-v0.3", release dates ("-2507"): the same architecture
const DROP_SUFFIX = /-(instruct|chat|hf|it|base|thinking|v0\.\d|\d{4})$/;

/** Anchored patterns over the cleaned name (lower case, "-" separated, org prefix and suffixes removed). */
const MODEL_PATTERNS: readonly { re: RegExp; id: ModelId; note?: string }[] = [
  { re: /^llama-?3\.1-8b$/, id: 'llama-3.1-8b' },
  { re: /^llama-?3\.1-70b$/, id: 'llama-3.1-70b' },
  { re: /^llama-?3\.1-405b$/, id: 'llama-3.1-405b' },
  { re: /^hermes-3-llama-?3\.1-405b$/, id: 'llama-3.1-405b', note: 'Hermes-3 is a fine-tune of Llama-3.1-405B (same architecture)' },
  { re: /^hermes-3-llama-?3\.1-70b$/, id: 'llama-3.1-70b', note: 'Hermes-3 is a fine-tune of Llama-3.1-70B (same architecture)' },
  { re: /^hermes-3-llama-?3\.1-8b$/, id: 'llama-3.1-8b', note: 'Hermes-3 is a fine-tune of Llama-3.1-8B (same architecture)' },
  { re: /^llama-?3\.2-1b$/, id: 'llama-3.2-1b' },
  { re: /^llama-?3\.2-3b$/, id: 'llama-3.2-3b' },
  { re: /^llama-?3\.3-70b$/, id: 'llama-3.3-70b' },
  { re: /^llama-?3-8b$/, id: 'llama-3-8b' },
  { re: /^llama-?3-70b$/, id: 'llama-3-70b' },
  { re: /^llama-?2-7b$/, id: 'llama-2-7b' },
  { re: /^llama-?2-13b$/, id: 'llama-2-13b' },
  { re: /^llama-?2-70b$/, id: 'llama-2-70b' },
  // TensorRT-LLM v0.6/v0.9 performance docs write "LLaMA 7B"/"LLaMA 70B"; their engine configs are Llama 2
  { re: /^llama-7b$/, id: 'llama-2-7b', note: '"LLaMA 7B" read as Llama-2-7B (TensorRT-LLM docs engine configs)' },
  { re: /^llama-70b$/, id: 'llama-2-70b', note: '"LLaMA 70B" read as Llama-2-70B (TensorRT-LLM docs engine configs)' },
  { re: /^mistral-7b$/, id: 'mistral-7b' },
  { re: /^mixtral-8x7b$/, id: 'mixtral-8x7b' },
  { re: /^mixtral-8x22b$/, id: 'mixtral-8x22b' },
  { re: /^qwen-?2\.5-7b$/, id: 'qwen2.5-7b' },
  { re: /^qwen-?2\.5-72b$/, id: 'qwen2.5-72b' },
  { re: /^qwen-?3-8b$/, id: 'qwen3-8b' },
  { re: /^qwen-?3-32b$/, id: 'qwen3-32b' },
  { re: /^qwen-?3-30b-a3b$/, id: 'qwen3-30b-a3b' },
  { re: /^qwen-?3-235b-a22b$/, id: 'qwen3-235b-a22b' },
  { re: /^deepseek-v3(?:-\d+)?$/, id: 'deepseek-v3' },
  { re: /^deepseek-r1(?:-\d+)?$/, id: 'deepseek-v3', note: 'DeepSeek-R1 has the DeepSeek-V3 architecture' },
  { re: /^deepseek-r1\/v3(?:-family)?$/, id: 'deepseek-v3', note: 'DeepSeek-R1/V3 share one architecture' },
  { re: /^gpt-oss-20b$/, id: 'gpt-oss-20b' },
  { re: /^gpt-oss-120b$/, id: 'gpt-oss-120b' },
  { re: /^gpt-?j(?:-6b)?$/, id: 'gpt-j-6b' },
  // BLIS showdown models (blis_vllm.csv): "codellama/CodeLlama-34b-Instruct-hf", "Qwen/Qwen3-14B",
  // "mistralai/Mistral-Nemo-Instruct-2407" (release date and -Instruct dropped above), "01-ai/Yi-34B"
  { re: /^code-?llama-34b$/, id: 'codellama-34b' },
  { re: /^qwen-?3-14b$/, id: 'qwen3-14b' },
  { re: /^mistral-nemo(?:-12b)?$/, id: 'mistral-nemo-12b' },
  // Yi-34B-200K has another config (200k context, other rope scaling): not this profile
  { re: /^yi-34b$/, id: 'yi-34b' },
  // "RedHatAI/Llama-4-Scout-17B-16E-Instruct-FP8-dynamic": the -FP8-dynamic suffix is a precision (above)
  { re: /^llama-4-scout(?:-17b-16e)?$/, id: 'llama-4-scout' },
  { re: /^llama-4-maverick(?:-17b-128e)?$/, id: 'llama-4-maverick' },
  // InferenceX "MiniMaxAI/MiniMax-M2.5"; M2 and M2.1 are the same backbone (230B-A10B), other weights
  { re: /^minimax-m2\.5$/, id: 'minimax-m2.5' },
  { re: /^minimax-m2(?:\.1)?$/, id: 'minimax-m2.5', note: 'MiniMax-M2 / M2.1 have the MiniMax-M2.5 architecture' },
  // InferenceX: "Qwen/Qwen3.5-397B-A17B", "zai-org/GLM-5-FP8", "moonshotai/Kimi-K2.5", "amd/Kimi-K2.5-MXFP4"
  { re: /^qwen-?3\.5-397b-a17b$/, id: 'qwen3.5-397b-a17b' },
  { re: /^glm-?5$/, id: 'glm-5' },
  { re: /^kimi-k2\.5$/, id: 'kimi-k2.5' },
  { re: /^deepseek-v3\.2(?:-exp)?$/, id: 'deepseek-v3.2' },
];

/**
 * A model name as written by a source (HF repo "meta-llama/Llama-3.1-8B-Instruct", "Meta-Llama-3.1-8B-FP8",
 * MLPerf "llama2-70b-99.9", "Llama 3.1 405B FP8", "DeepSeek-R1-0528") → a servesim model id.
 */
export function normalizeModel(raw: string | undefined): ModelMatch {
  const text = (raw ?? '').trim();
  if (text === '' || /^not stated$|^unknown$/i.test(text)) return { reason: 'model not stated' };
  let s = text.toLowerCase();
  if (!/^deepseek-r1\/v3/.test(s)) s = s.slice(s.lastIndexOf('/') + 1); // HF org prefix
  s = s.replace(/[_\s]+/g, '-').replace(/-+/g, '-');
  const notes: string[] = [];
  // MLPerf accuracy variants: llama2-70b-99 / -99.9, gptj-99
  const mlperf = /^(.*?)-(99(?:\.9)?)$/.exec(s);
  if (mlperf && /llama2|gptj|gpt-j|mixtral|llama3/.test(mlperf[1]!)) {
    s = mlperf[1]!;
    notes.push(`MLPerf accuracy target ${mlperf[2]}%`);
  }
  s = s.replace(/^meta-llama-/, 'llama-').replace(/^llama(\d)/, 'llama-$1');
  let precisionHint: string | undefined;
  for (let changed = true; changed; ) {
    changed = false;
    const p = PRECISION_SUFFIX.exec(s);
    if (p) {
      precisionHint ??= p[1]!.replace(/-dynamic$/, '');
      s = s.slice(0, p.index);
      changed = true;
    }
    const d = DROP_SUFFIX.exec(s);
    if (d) {
      s = s.slice(0, d.index);
      changed = true;
    }
  }
  if (/distill/.test(s)) return { reason: `model "${text}" has no servesim profile` };
  for (const p of MODEL_PATTERNS) {
    if (p.re.test(s)) {
      if (p.note) notes.push(p.note);
      return {
        modelId: p.id,
        ...(precisionHint !== undefined ? { precisionHint } : {}),
        ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
      };
    }
  }
  return { reason: `model "${text}" has no servesim profile` };
}

// ---------------------------------------------------------------------------------------------------
// Precision

export interface PrecisionMatch {
  readonly weights?: MeasuredDeployment['weights'];
  readonly activations?: MeasuredDeployment['activations'];
  readonly kvCache?: MeasuredDeployment['kvCache'];
  readonly reason?: string;
  readonly note?: string;
}

export interface PrecisionContext {
  readonly hardwareId?: string | undefined;
  readonly engine?: string | undefined;
  readonly sourceId?: string | undefined;
}

const isAmpere = (hw: string | undefined): boolean => hw !== undefined && hw.startsWith('a100');
const isHopper = (hw: string | undefined): boolean => hw !== undefined && /^(h100|h200|gh200)/.test(hw);
const isBlackwell = (hw: string | undefined): boolean => hw === 'b200' || hw === 'gb200';

/**
 * A precision string ("FP8", "FP4", "BF16 (default)", MLPerf "fp16"...) → weights/activations/kv, as far
 * as the string states them. The KV-cache type is never implied by a weight precision, so it stays absent.
 */
export function normalizePrecision(raw: string | undefined, ctx: PrecisionContext = {}): PrecisionMatch {
  const text = (raw ?? '').trim();
  if (text === '') return {};
  const s = text.toLowerCase();
  const notes: string[] = [];
  if (/not stated/.test(s)) notes.push(`precision "${text}": the source does not state it explicitly`);
  const note = (): { note?: string } => (notes.length > 0 ? { note: notes.join('; ') } : {});

  if (/(^|[^a-z0-9])(nv)?fp4|mxfp4/.test(s)) {
    if (/mxfp4/.test(s)) return { weights: 'mxfp4', ...note() };
    if (isBlackwell(ctx.hardwareId)) return { weights: 'nvfp4', activations: 'fp4', ...note() };
    return { weights: 'nvfp4', ...withNote(notes, `FP4 on ${ctx.hardwareId ?? 'unstated hardware'}: weight format only`) };
  }
  if (/(^|[^a-z0-9])fp8/.test(s)) {
    if (isAmpere(ctx.hardwareId)) {
      return {
        weights: 'fp8',
        activations: 'bf16',
        ...withNote(notes, 'FP8 on A100 (no FP8 tensor cores) is weight-only: W8A16 with bf16 activations'),
      };
    }
    return { weights: 'fp8', activations: 'fp8', ...note() };
  }
  if (/int4|w4a16|awq|gptq/.test(s)) return { weights: 'int4', ...withNote(notes, 'int4 weight-only quantisation') };
  if (/int8|w8a8/.test(s)) return { weights: 'int8', activations: 'int8', ...note() };
  if (/bf16\/fp16|fp16\/bf16/.test(s)) {
    return { weights: 'bf16', activations: 'bf16', ...withNote(notes, `"${text}": 16-bit, bf16 taken (model default)`) };
  }
  if (/bf16|bfloat16/.test(s)) return { weights: 'bf16', activations: 'bf16', ...note() };
  if (/fp16|float16|half/.test(s)) {
    if (ctx.sourceId?.startsWith('mlperf') && isHopper(ctx.hardwareId) && ctx.engine === 'trtllm') {
      notes.push(
        'MLPerf weight_data_types "fp16" names the starting checkpoint; NVIDIA Hopper TensorRT-LLM submissions run FP8 (SOURCES.md)',
      );
    }
    return { weights: 'fp16', activations: 'fp16', ...note() };
  }
  return { reason: `precision "${text}" not supported`, ...note() };
}

function withNote(notes: readonly string[], extra: string): { note: string } {
  return { note: [...notes, extra].join('; ') };
}

// ---------------------------------------------------------------------------------------------------
// Engines

export interface EngineMatch {
  readonly engine?: NonNullable<MeasuredDeployment['engine']>;
  readonly engineVersion?: string;
}

export function normalizeEngine(raw: string | undefined, version?: string): EngineMatch {
  const text = (raw ?? '').trim();
  const s = text.toLowerCase();
  let engine: EngineMatch['engine'];
  if (/tensorrt[-_ ]?llm|trt[-_ ]?llm|^trtllm|^tensorrt/.test(s)) engine = 'trtllm';
  else if (/sglang/.test(s)) engine = 'sglang';
  else if (/vllm/.test(s)) engine = 'vllm';
  else if (/\btgi\b|text[-_ ]generation[-_ ]inference/.test(s)) engine = 'tgi';
  else if (s !== '') engine = 'other';
  // kept as the source states it ("0.17 (trtllm-bench…)", MLPerf "TensorRT 10.2.0, CUDA 12.4"): parsing a
  // number out of it would lose what the number refers to
  const engineVersion = version?.trim();
  return { ...(engine ? { engine } : {}), ...(engineVersion ? { engineVersion } : {}) };
}

// ---------------------------------------------------------------------------------------------------
// Deployment assembly

export interface DeploymentInput {
  readonly model?: string | undefined;
  readonly gpu?: string | undefined;
  readonly numGpus?: number | undefined;
  readonly tp?: number | undefined;
  readonly pp?: number | undefined;
  readonly ep?: number | undefined;
  readonly precision?: string | undefined;
  readonly engine?: string | undefined;
  readonly engineVersion?: string | undefined;
  readonly sourceId?: string | undefined;
}

export interface DeploymentResult {
  readonly deployment: MeasuredDeployment;
  /** the first reason the deployment cannot be simulated, in order model → GPU → precision */
  readonly reason?: string;
  readonly notes: readonly string[];
}

export function buildDeployment(input: DeploymentInput): DeploymentResult {
  const notes: string[] = [];
  const model = normalizeModel(input.model);
  const gpu = normalizeGpu(input.gpu);
  const engine = normalizeEngine(input.engine, input.engineVersion);
  // a bare "fp4" column next to a model name that says MXFP4 ("amd/Kimi-K2.5-MXFP4") is that MXFP4
  const bareFp4 = input.precision !== undefined && /^fp4$/i.test(input.precision.trim()) && model.precisionHint === 'mxfp4';
  const precisionRaw = bareFp4 ? model.precisionHint : (input.precision ?? model.precisionHint);
  if (bareFp4) notes.push(`precision "${input.precision}" read as mxfp4: the model name says MXFP4`);
  const precision = normalizePrecision(precisionRaw, {
    hardwareId: gpu.hardwareId,
    engine: engine.engine,
    sourceId: input.sourceId,
  });
  if (model.note) notes.push(model.note);
  if (gpu.note) notes.push(gpu.note);
  if (precision.note) notes.push(precision.note);
  if (input.precision === undefined && model.precisionHint !== undefined) {
    notes.push(`precision "${model.precisionHint}" taken from the model name`);
  }
  const numGpus = input.numGpus ?? gpu.count;
  const d: MeasuredDeployment = {
    ...(input.model !== undefined && input.model !== '' ? { modelRaw: input.model } : {}),
    ...(model.modelId ? { modelId: model.modelId } : {}),
    ...(input.gpu !== undefined && input.gpu !== '' ? { hardwareRaw: input.gpu } : {}),
    ...(gpu.hardwareId ? { hardwareId: gpu.hardwareId } : {}),
    ...(numGpus !== undefined ? { numGpus } : {}),
    ...(input.tp !== undefined ? { tp: input.tp } : {}),
    ...(input.pp !== undefined ? { pp: input.pp } : {}),
    ...(input.ep !== undefined ? { ep: input.ep } : {}),
    ...(precision.weights ? { weights: precision.weights } : {}),
    ...(precision.activations ? { activations: precision.activations } : {}),
    ...(precision.kvCache ? { kvCache: precision.kvCache } : {}),
    ...(precisionRaw !== undefined && precisionRaw !== '' ? { precisionRaw } : {}),
    ...(engine.engine ? { engine: engine.engine } : {}),
    ...(engine.engineVersion ? { engineVersion: engine.engineVersion } : {}),
    ...(input.engine !== undefined && input.engine !== '' ? { engineRaw: input.engine } : {}),
  };
  const reason = model.reason ?? gpu.reason ?? (precisionRaw ? precision.reason : undefined);
  return { deployment: d, ...(reason ? { reason } : {}), notes };
}
