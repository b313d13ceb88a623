import type { DeploymentChoice } from '../cost/deployment.ts';
import { prepareDeployment, smallestFittingTp, type PreparedDeployment } from '../cost/prepare.ts';
import type { MeasuredBenchmark, LengthSpec } from '../importers/types.ts';
import { chooseCalibration, parseVersion } from './choose.ts';
import type { ProfileRegistry } from '../profiles/registry.ts';
import type { CalibrationFile, CalibrationValues } from '../schema/calibration.ts';
import { ENGINE_DEFAULTS, type EngineFamily } from '../schema/engines.ts';
import type { Hardware } from '../schema/resolved-hardware.ts';
import type { Model } from '../schema/resolved-model.ts';
import type { Workload } from '../simulate.ts';
import type { LengthDistribution } from '../workload/lengths.ts';

/**
 * How a measured benchmark becomes a simulation: which deployment (model, GPU, TP, quantization, engine
 * settings of that benchmark tool) and which workload (load profile, lengths, request count). Anything
 * the measurement does not state uses the engine's documented default, and the choice is recorded.
 */
export interface MappedBenchmark {
  readonly benchmark: MeasuredBenchmark;
  readonly engine: EngineFamily;
  readonly choice: DeploymentChoice;
  readonly replicas: number;
  readonly workload: Workload;
  readonly assumptions: readonly string[];
  /** how a run that resent an earlier run's prompts was replayed (also among the assumptions); absent otherwise */
  readonly repeatedPrompts?: string;
  /** prefill/decode disaggregated: `replicas` prefill instances and as many decode instances of `choice` */
  readonly disaggregated?: boolean;
}

export type MapOutcome = { ok: true; mapped: MappedBenchmark } | { ok: false; reason: string };

/** Largest request count simulated for one benchmark: enough for steady state, bounded for speed. */
const MAX_SIMULATED_REQUESTS = 6000;

export function mapBenchmark(b: MeasuredBenchmark, registry: ProfileRegistry): MapOutcome {
  if (b.unmappedReason) return { ok: false, reason: b.unmappedReason };
  const dep = b.deployment;
  if (!dep.modelId) return { ok: false, reason: `model "${dep.modelRaw ?? '?'}" has no servesim profile` };
  if (!dep.hardwareId) return { ok: false, reason: `GPU "${dep.hardwareRaw ?? '?'}" has no servesim profile` };
  const model = registry.models.get(dep.modelId);
  const hardware = registry.hardware.get(dep.hardwareId);
  if (!model) return { ok: false, reason: `model "${dep.modelId}" has no servesim profile` };
  if (!hardware) return { ok: false, reason: `GPU "${dep.hardwareId}" has no servesim profile` };
  if (b.metrics.length === 0) return { ok: false, reason: 'no comparable metric' };
  const assumptions: string[] = [];
  const engine: EngineFamily = dep.engine === 'trtllm' || dep.engine === 'sglang' ? dep.engine : 'vllm';
  if (dep.engine && dep.engine !== engine) assumptions.push(`engine ${dep.engine} simulated with the vLLM policy`);

  const base = nativeFormat(mappedChoice(b, engine, hardware, assumptions), model, assumptions);
  let tp = dep.tp;
  if (tp === undefined) {
    const cal = chooseCalibration(hardware, engine, []); // memory fit does not depend on calibration
    tp = smallestFittingTp(model, hardware, base, cal);
    if (tp === undefined) return { ok: false, reason: 'does not fit on one node at any TP' };
    assumptions.push(`TP not stated: smallest that fits (${tp})`);
  }
  const gpusPerReplica = tp * (dep.pp ?? 1);
  const replicas = dep.numGpus && dep.numGpus > gpusPerReplica ? Math.floor(dep.numGpus / gpusPerReplica) : 1;
  if (replicas > 1) assumptions.push(`${dep.numGpus} GPUs at TP${tp}: ${replicas} data-parallel replicas`);
  const { choice, note: repeatedPrompts } = withRepeatedPrompts(b, engine, { ...base, tp }, replicas, model, hardware);
  if (repeatedPrompts) assumptions.push(repeatedPrompts);

  if (!b.workload.lengths) return { ok: false, reason: 'request lengths not stated' };
  if (!b.workload.load) return { ok: false, reason: 'load profile not stated' };
  const lengths = toLengths(eosStoppedOutputs(b, b.workload.lengths, assumptions));
  if (!lengths.ok) return { ok: false, reason: lengths.reason };
  const w = b.workload;
  const stated = w.requests;
  let arrival: Workload['arrival'] = { kind: 'synchronous' };
  let requests = 0;
  switch (w.load) {
    case 'synchronous':
      arrival = { kind: 'synchronous' };
      requests = Math.min(stated ?? 50, 200);
      break;
    case 'concurrent':
      arrival = { kind: 'concurrent', streams: w.concurrency ?? 1 };
      requests = Math.min(stated ?? 20 * (w.concurrency ?? 1), MAX_SIMULATED_REQUESTS);
      break;
    case 'offline-batch':
      // static batches of B: approximated by B closed-loop streams (continuous batching refills slots)
      arrival = { kind: 'concurrent', streams: w.concurrency ?? 1 };
      requests = Math.min(4 * (w.concurrency ?? 1), MAX_SIMULATED_REQUESTS);
      assumptions.push('static batching approximated by continuous batching at the same concurrency');
      break;
    case 'throughput':
      arrival = w.concurrency !== undefined ? { kind: 'throughput', maxConcurrency: w.concurrency } : { kind: 'throughput' };
      requests = Math.min(stated ?? 3000, MAX_SIMULATED_REQUESTS);
      break;
    case 'constant':
    case 'poisson':
      if (w.rate === undefined || !(w.rate > 0)) return { ok: false, reason: 'rate run without a rate' };
      arrival = { kind: w.load, ratePerS: w.rate };
      requests = Math.min(stated ?? 1000, MAX_SIMULATED_REQUESTS);
      break;
  }
  if (stated !== undefined && requests < stated) assumptions.push(`${requests} of ${stated} requests simulated`);
  return {
    ok: true,
    mapped: {
      benchmark: b,
      engine,
      choice,
      replicas,
      workload: { arrival, lengths: lengths.value, maxRequests: requests },
      assumptions,
      ...(repeatedPrompts ? { repeatedPrompts } : {}),
    },
  };
}

/**
 * A run that sent prompts an earlier run of the same session had sent (importers/repeated-prompts.ts) finds
 * them in the prefix cache when the engine caches prefixes by default and the cache holds the whole prompt
 * set: each prompt is replayed with every full block but the one holding its last token cached. A set larger
 * than the cache gets no hits (replaying a cycle longer than an LRU cache evicts each block before its reuse);
 * several replicas are left cold (a request's earlier copy may have gone to another replica).
 */
function withRepeatedPrompts(
  b: MeasuredBenchmark,
  engine: EngineFamily,
  choice: DeploymentChoice,
  replicas: number,
  model: Model,
  hardware: Hardware,
): { choice: DeploymentChoice; note?: string } {
  const earlier = b.workload.repeatsPromptsOf;
  const lengths = b.workload.lengths;
  if (earlier === undefined || lengths?.kind !== 'per-request') return { choice };
  const cold = (why: string) => ({ choice, note: `the same prompts were sent earlier by ${earlier}; replayed uncached: ${why}` });
  const version = b.deployment.engineVersion ? parseVersion(b.deployment.engineVersion) : undefined;
  if (engine === 'trtllm') return cold('TensorRT-LLM\'s KV cache reuse is not assumed on');
  if (engine === 'vllm' && version && version[0] === 0 && version[1]! < 8) return cold(`vLLM ${b.deployment.engineVersion} predates V1, where prefix caching is on by default`);
  if (replicas > 1) return cold(`${replicas} replicas: a prompt's earlier copy may have been served by another one`);
  const setTokens = lengths.inputTokens.reduce((a, t) => a + t, 0);
  let kvTokens: number;
  try {
    kvTokens = prepareDeployment(model, hardware, choice, chooseCalibration(hardware, engine, [])).memory.kvTokens;
  } catch {
    return { choice }; // infeasible: the simulation reports why
  }
  if (setTokens > kvTokens) return cold(`the prompt set (${setTokens} tokens) exceeds the KV cache (${kvTokens} tokens)`);
  const longest = Math.max(...lengths.inputTokens);
  return {
    choice: { ...choice, engine: { ...choice.engine, family: engine, prefixCaching: { sharedPrefixTokens: longest, hitRate: 1 } } },
    note:
      `the same ${lengths.inputTokens.length} prompts (${setTokens} tokens) were sent earlier by ${earlier}, and ${engine === 'vllm' ? 'vLLM V1' : 'SGLang'} ` +
      'caches prefixes by default: each prompt replayed with all its full blocks but the last token cached',
  };
}

/**
 * A run whose own figures say it produced far fewer tokens than it asked for stopped at EOS (InferenceX's
 * B200 gpt-oss-120b runs: "1024/1024, range ratio 0" asks for 512 on average; output / request throughput
 * says ~170). Its outputs are replayed with that measured mean, lognormal with a coefficient of variation
 * of 1 (assumed: EOS-stopped lengths are skewed). Output and request throughput then share that one figure.
 */
function eosStoppedOutputs(b: MeasuredBenchmark, l: LengthSpec, assumptions: string[]): LengthSpec {
  const out = b.metrics.find((m) => m.metric === 'output_throughput')?.value;
  const req = b.metrics.find((m) => m.metric === 'request_throughput')?.value;
  if (out === undefined || req === undefined || !(req > 0) || (l.kind !== 'fixed' && l.kind !== 'synthetic')) return l;
  const asked = l.kind === 'fixed' ? l.outputTokens : l.output.mean;
  const measured = out / req;
  if (!(measured < 0.8 * asked)) return l;
  assumptions.push(
    `output / request throughput = ${measured.toFixed(0)} tokens per request, below the ${asked.toFixed(0)} asked for: ` +
      'the server stopped at EOS; outputs replayed lognormal with that mean (cv 1 assumed)',
  );
  const input = l.kind === 'fixed' ? { mean: l.inputTokens, min: l.inputTokens, max: l.inputTokens } : l.input;
  const maxOut = l.kind === 'fixed' ? l.outputTokens : (l.output.max ?? asked);
  return {
    kind: 'dataset',
    name: 'eos-stopped',
    input: { mean: input.mean, ...(input.max !== undefined ? { max: input.max } : {}), stdev: inputSpread(input) },
    output: { mean: measured, stdev: measured, max: maxOut },
    citation: 'output mean from the run\'s own output / request throughput',
  };
}

/** standard deviation of a uniform [min, max] input range (0 for a fixed length) */
function inputSpread(r: { mean: number; min?: number | undefined; max?: number | undefined }): number {
  return r.min !== undefined && r.max !== undefined ? (r.max - r.min) / Math.sqrt(12) : 0;
}

/** Quantization and engine settings of a measured run; unstated ones as its tool ran by default. */
function mappedChoice(b: MeasuredBenchmark, engine: EngineFamily, hardware: Hardware, assumptions: string[]): DeploymentChoice {
  const dep = b.deployment;
  let kvCache = dep.kvCache;
  if (!kvCache && engine === 'trtllm' && (dep.weights === 'fp8' || dep.weights === 'nvfp4') && hardware.peakFlopsPerS.fp8 !== undefined) {
    // ModelOpt FP8/FP4 checkpoints carry kv_cache_quant_algo FP8 (e.g. nvidia/Llama-3.1-70B-Instruct-FP8)
    kvCache = 'fp8';
    assumptions.push('TensorRT-LLM ModelOpt FP8/FP4 checkpoint: FP8 KV cache');
  }
  const weightOnly = dep.weights === 'fp8' && hardware.peakFlopsPerS.fp8 === undefined;
  if (weightOnly) assumptions.push('FP8 weights on a GPU without FP8 tensor cores: weight-only');
  const engineSettings = toolDefaults(engine, b, hardware);
  assumptions.push(...engineSettings.notes);
  return {
    ...(dep.weights ? { weights: dep.weights } : {}),
    ...(dep.activations ? { activations: dep.activations } : {}),
    ...(kvCache ? { kvCache } : {}),
    ...(weightOnly ? { weightOnly } : {}),
    engine: engineSettings.settings,
    ...(dep.ep && dep.ep > 1 ? { ep: dep.ep } : {}),
    ...(dep.pp && dep.pp > 1 ? { pp: dep.pp } : {}),
  };
}

/**
 * A generic precision word that names the model's own checkpoint format: "int4" for Kimi-K2.5's INT4
 * group-quantised experts (int4g32), "fp4" for gpt-oss's MXFP4 checkpoint. The deployment then runs the native
 * format (with its own activation default) instead of a different one of the same width.
 */
function nativeFormat(choice: DeploymentChoice, model: Model, assumptions: string[]): DeploymentChoice {
  const native = model.nativeWeights;
  const generic = (choice.weights === 'int4' && native === 'int4g32') || (choice.weights === 'nvfp4' && native === 'mxfp4');
  if (!generic) return choice;
  const { weights: stated, activations: _dropped, ...rest } = choice;
  assumptions.push(`precision "${stated}" read as the checkpoint's native ${native} (${model.id})`);
  return { ...rest, weights: native === 'int4g32' ? 'int4g32' : 'mxfp4' };
}

/** The scheduler settings each benchmark tool's runs used by default (schema/engines.ts: benchmarkRun). */
function toolDefaults(engine: EngineFamily, b: MeasuredBenchmark, hardware: Hardware): { settings: NonNullable<DeploymentChoice['engine']>; notes: string[] } {
  const run = ENGINE_DEFAULTS[engine].benchmarkRun;
  if (run) {
    const maxLen = engine === 'trtllm' && b.workload.lengths ? maxTokens(b.workload.lengths) : undefined;
    const { note, ...sizes } = run;
    return { settings: { family: engine, ...sizes, ...(maxLen ? { maxModelLen: maxLen } : {}) }, notes: [note] };
  }
  // async scheduling became vLLM's default around v0.14 (see Deployment.engine.asyncScheduling)
  const v = b.deployment.engineVersion ? parseVersion(b.deployment.engineVersion) : undefined;
  if (v && v[0] === 0 && v[1] < 14) {
    // multi-step scheduling (vLLM 0.5.5-0.8, V0): "--num-scheduler-steps k" in the stated engine version
    const rounds = Number(/--num-scheduler-steps[ =](\d+)/.exec(b.deployment.engineVersion ?? '')?.[1] ?? 1);
    const multiStep = rounds > 1 ? { schedulerSteps: rounds } : {};
    const notes = [`vLLM ${b.deployment.engineVersion}: no async scheduling`];
    if (rounds > 1) notes.push(`--num-scheduler-steps ${rounds}: new requests are admitted only between ${rounds}-step decode rounds, and tokens stream one chunk per round`);
    return { settings: { family: engine, asyncScheduling: false, ...multiStep, ...largeGpuSeqs(v, hardware) }, notes };
  }
  // a result that names no version but was run before vLLM even planned the default ran a vLLM without it
  const saved = b.source.savedAt;
  if (engine === 'vllm' && v === undefined && saved !== undefined && saved >= VLLM_FIRST_RELEASE && saved < VLLM_ASYNC_DEFAULT_PLANNED)
    return {
      settings: { family: engine, asyncScheduling: false, ...largeGpuSeqs(v, hardware) },
      notes: [`run ${saved.slice(0, 10)}, before vLLM planned async scheduling as its default (${VLLM_ASYNC_DEFAULT_PLANNED}, vllm-project/vllm#27679): no async scheduling`],
    };
  const seqs = largeGpuSeqs(v, hardware);
  return { settings: { family: engine, ...seqs }, notes: seqs.maxNumSeqs ? [VLLM_LARGE_GPU_NOTE] : [] };
}

/**
 * The day vLLM's plan to make async scheduling the default was opened (vllm-project/vllm#27679, 2025-10-28;
 * the switch, #27614, landed after it, around v0.14). A vLLM result saved before this day without a stated
 * version ran with synchronous scheduling unless its command line said otherwise.
 */
export const VLLM_ASYNC_DEFAULT_PLANNED = '2025-10-28';
/** vLLM's first release (v0.1.0, June 2023): an earlier date is a clock that was never set, not a run's date */
const VLLM_FIRST_RELEASE = '2023-06-01';

const GIB = 1024 ** 3;
const VLLM_LARGE_GPU_NOTE = 'vllm serve on a GPU of 70 GiB or more (not A100): max_num_seqs 1024 (EngineArgs.get_batch_defaults, vLLM 0.9+)';

/**
 * `vllm serve`'s own default batch size depends on the GPU (vllm/engine/arg_utils.py, since vllm-project/vllm
 * #17885, v0.9): 1024 sequences on devices of 70 GiB or more other than A100, 256 below. servesim's deployment
 * default stays 256; a measured vLLM run of that era and class ran with 1024 unless it says otherwise.
 */
function largeGpuSeqs(v: readonly number[] | undefined, hardware: Hardware): { maxNumSeqs?: number } {
  const v09 = v === undefined || v[0]! > 0 || v[1]! >= 9;
  return v09 && hardware.memoryBytes >= 70 * GIB && !hardware.id.startsWith('a100') ? { maxNumSeqs: 1024 } : {};
}

function maxTokens(l: LengthSpec): number | undefined {
  if (l.kind === 'fixed') return l.inputTokens + l.outputTokens;
  return undefined;
}

function toLengths(l: LengthSpec): { ok: true; value: LengthDistribution } | { ok: false; reason: string } {
  switch (l.kind) {
    case 'fixed':
      return { ok: true, value: { kind: 'fixed', inputTokens: l.inputTokens, outputTokens: l.outputTokens } };
    case 'synthetic':
      return { ok: true, value: { kind: 'synthetic', input: l.input, output: l.output } };
    case 'per-request':
      if (l.inputTokens.length === 0) return { ok: false, reason: 'per-request lengths are empty' };
      return { ok: true, value: { kind: 'sequence', inputTokens: l.inputTokens, outputTokens: l.outputTokens } };
    case 'dataset': {
      type Stats = { readonly mean?: number | undefined; readonly median?: number | undefined; readonly stdev?: number | undefined; readonly max?: number | undefined };
      if (l.input.mean === undefined || l.output.mean === undefined) return { ok: false, reason: `dataset ${l.name}: mean token counts not sourced` };
      const spread = (s: Stats & { mean: number }) => {
        let stdev = s.stdev;
        if (stdev === undefined && s.median !== undefined && s.mean > s.median) {
          // lognormal: mean/median = exp(σ²/2)
          const sigma2 = 2 * Math.log(s.mean / s.median);
          stdev = s.mean * Math.sqrt(Math.exp(sigma2) - 1);
        }
        return { mean: s.mean, stdev: stdev ?? s.mean * 0.5, min: 1, ...(s.max !== undefined ? { max: s.max } : {}) };
      };
      return {
        ok: true,
        value: { kind: 'lognormal', input: spread({ ...l.input, mean: l.input.mean }), output: spread({ ...l.output, mean: l.output.mean }) },
      };
    }
  }
}

/** Prepare the deployment of a mapped benchmark under given calibration values (throws InfeasibleError). */
export function prepareMapped(m: MappedBenchmark, registry: ProfileRegistry, calibration: { id: string; values: CalibrationValues }): PreparedDeployment {
  const dep = m.benchmark.deployment;
  return prepareDeployment(registry.getModel(dep.modelId!), registry.getHardware(dep.hardwareId!), m.choice, calibration);
}

export function calibrationFor(m: MappedBenchmark, registry: ProfileRegistry, shipped: readonly CalibrationFile[], explicit?: CalibrationFile) {
  return chooseCalibration(registry.getHardware(m.benchmark.deployment.hardwareId!), m.engine, shipped, explicit, m.benchmark.deployment.engineVersion);
}
