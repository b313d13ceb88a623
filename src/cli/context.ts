import { prepareDeployment, type PreparedDeployment } from '../cost/prepare.ts';
import type { DeploymentChoice } from '../cost/deployment.ts';
import { InputError } from '../diagnostics/errors.ts';
import { chooseCalibration, loadShippedCalibrations, readCalibrationFile } from '../profiles/calibrations.ts';
import { loadProfiles, type ProfileRegistry } from '../profiles/registry.ts';
import { ENGINE_FAMILIES, type EngineFamily } from '../schema/deployment.ts';
import { COMPUTE_DTYPES, KV_CACHE_DTYPES, WEIGHT_FORMATS, type ComputeDtype, type KvCacheDtype, type WeightFormat } from '../schema/dtype.ts';
import type { CalibrationFile } from '../schema/calibration.ts';

/** Flags that describe a deployment, shared by every command that simulates. */
export interface DeploymentFlags {
  model: string;
  hardware: string;
  tp?: number | undefined;
  pp?: number | undefined;
  ep?: number | undefined;
  weights?: string | undefined;
  activations?: string | undefined;
  'kv-cache'?: string | undefined;
  'weight-only'?: boolean | undefined;
  engine?: string | undefined;
  'gpu-memory-utilization'?: number | undefined;
  'block-size'?: number | undefined;
  'max-num-batched-tokens'?: number | undefined;
  'max-num-seqs'?: number | undefined;
  'max-model-len'?: number | undefined;
  'chunked-prefill'?: boolean | undefined;
  'cuda-graphs'?: boolean | undefined;
  'prefix-tokens'?: number | undefined;
  'prefix-hit-rate'?: number | undefined;
  calibration?: string | undefined;
  profiles?: string[] | undefined;
}

export const DEPLOYMENT_OPTIONS = {
  model: { type: 'string', describe: 'model profile id (servesim profiles list)', demandOption: true },
  hardware: { type: 'string', describe: 'hardware profile id', demandOption: true },
  tp: { type: 'number', describe: 'tensor-parallel degree' },
  pp: { type: 'number', describe: 'pipeline-parallel degree' },
  ep: { type: 'number', describe: 'expert-parallel degree (MoE)' },
  weights: { type: 'string', choices: WEIGHT_FORMATS, describe: "weight format (default: the model's native format)" },
  activations: { type: 'string', choices: COMPUTE_DTYPES, describe: 'GEMM activation format' },
  'kv-cache': { type: 'string', choices: KV_CACHE_DTYPES, describe: 'KV-cache dtype (default bf16)' },
  'weight-only': { type: 'boolean', describe: 'low-precision weights on wider tensor cores (e.g. FP8 on A100)' },
  engine: { type: 'string', choices: ENGINE_FAMILIES, describe: 'engine family (default vllm)' },
  'gpu-memory-utilization': { type: 'number', describe: 'share of GPU memory the engine may use (default 0.9)' },
  'block-size': { type: 'number', describe: 'KV block size in tokens (default 16)' },
  'max-num-batched-tokens': { type: 'number', describe: 'token budget per step (default 8192)' },
  'max-num-seqs': { type: 'number', describe: 'max running sequences (default 256)' },
  'max-model-len': { type: 'number', describe: "max tokens per request (default: the model's context)" },
  'chunked-prefill': { type: 'boolean', describe: 'chunked prefill (default on; --no-chunked-prefill)' },
  'cuda-graphs': { type: 'boolean', describe: 'CUDA-graph decode (default on; --no-cuda-graphs)' },
  'prefix-tokens': { type: 'number', describe: 'shared prompt prefix length for prefix caching' },
  'prefix-hit-rate': { type: 'number', describe: 'share of requests that hit the prefix cache (0..1)' },
  calibration: { type: 'string', describe: 'calibration profile file (default: shipped for this GPU and engine)' },
} as const;

/** Lazily loaded profiles and calibrations for one CLI invocation. */
export class CliContext {
  #registry: ProfileRegistry | undefined;
  #shipped: CalibrationFile[] | undefined;
  readonly #profileDirs: string[];

  constructor(profileDirs: string[] = []) {
    this.#profileDirs = profileDirs;
  }

  get registry(): ProfileRegistry {
    this.#registry ??= loadProfiles({ dirs: this.#profileDirs });
    return this.#registry;
  }

  get shippedCalibrations(): CalibrationFile[] {
    this.#shipped ??= loadShippedCalibrations();
    return this.#shipped;
  }

  prepare(flags: DeploymentFlags, overrides: Partial<DeploymentFlags> = {}): PreparedDeployment {
    const f = { ...flags, ...overrides };
    const model = this.registry.getModel(f.model);
    const hardware = this.registry.getHardware(f.hardware);
    const engine = (f.engine ?? 'vllm') as EngineFamily;
    const explicit = f.calibration ? readCalibrationFile(f.calibration) : undefined;
    const cal = chooseCalibration(hardware, engine, this.shippedCalibrations, explicit);
    return prepareDeployment(model, hardware, choiceFromFlags(f), cal);
  }
}

export function choiceFromFlags(f: Partial<DeploymentFlags>): DeploymentChoice {
  const engine: Record<string, unknown> = {};
  const set = (k: string, v: unknown) => {
    if (v !== undefined) engine[k] = v;
  };
  set('family', f.engine);
  set('gpuMemoryUtilization', f['gpu-memory-utilization']);
  set('blockSize', f['block-size']);
  set('maxNumBatchedTokens', f['max-num-batched-tokens']);
  set('maxNumSeqs', f['max-num-seqs']);
  set('maxModelLen', f['max-model-len']);
  set('chunkedPrefill', f['chunked-prefill']);
  set('cudaGraphs', f['cuda-graphs']);
  if (f['prefix-tokens'] !== undefined || f['prefix-hit-rate'] !== undefined) {
    const hit = f['prefix-hit-rate'] ?? 1;
    if (!(hit >= 0 && hit <= 1)) throw new InputError(`--prefix-hit-rate must be between 0 and 1, found ${hit}`);
    engine['prefixCaching'] = { sharedPrefixTokens: f['prefix-tokens'] ?? 0, hitRate: hit };
  }
  for (const [name, v] of [['tp', f.tp], ['pp', f.pp], ['ep', f.ep]] as const)
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) throw new InputError(`--${name} must be a whole number >= 1, found ${v}`);
  const choice: Record<string, unknown> = { engine };
  if (f.tp !== undefined) choice['tp'] = f.tp;
  if (f.pp !== undefined) choice['pp'] = f.pp;
  if (f.ep !== undefined) choice['ep'] = f.ep;
  if (f.weights !== undefined) choice['weights'] = f.weights as WeightFormat;
  if (f.activations !== undefined) choice['activations'] = f.activations as ComputeDtype;
  if (f['kv-cache'] !== undefined) choice['kvCache'] = f['kv-cache'] as KvCacheDtype;
  if (f['weight-only'] !== undefined) choice['weightOnly'] = f['weight-only'];
  return choice as DeploymentChoice;
}
