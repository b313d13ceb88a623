import { DeploymentChoiceSchema } from '../schema/deployment.ts';
import { checkInput } from '../schema/issues.ts';
import type { ComputeDtype, KvCacheDtype, WeightFormat } from '../schema/dtype.ts';
import type { DeploymentChoice } from './deployment.ts';

/**
 * A deployment in flag vocabulary (the CLI's flags, compare's candidate strings, sweep grid axes, scenario
 * files) and its translation to a DeploymentChoice. Pure; the CLI declares the matching yargs options.
 */
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
  'async-scheduling'?: boolean | undefined;
  'prefix-tokens'?: number | undefined;
  'prefix-hit-rate'?: number | undefined;
  calibration?: string | undefined;
  profiles?: string[] | undefined;
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
  set('asyncScheduling', f['async-scheduling']);
  if (f['prefix-tokens'] !== undefined || f['prefix-hit-rate'] !== undefined)
    engine['prefixCaching'] = { sharedPrefixTokens: f['prefix-tokens'] ?? 0, hitRate: f['prefix-hit-rate'] ?? 1 };
  const choice: Record<string, unknown> = { engine };
  if (f.tp !== undefined) choice['tp'] = f.tp;
  if (f.pp !== undefined) choice['pp'] = f.pp;
  if (f.ep !== undefined) choice['ep'] = f.ep;
  if (f.weights !== undefined) choice['weights'] = f.weights as WeightFormat;
  if (f.activations !== undefined) choice['activations'] = f.activations as ComputeDtype;
  if (f['kv-cache'] !== undefined) choice['kvCache'] = f['kv-cache'] as KvCacheDtype;
  if (f['weight-only'] !== undefined) choice['weightOnly'] = f['weight-only'];
  checkInput(DeploymentChoiceSchema, choice, 'invalid deployment', flagOf);
  return choice as DeploymentChoice;
}

/** The flag that sets a DeploymentChoice field, for messages. */
const FLAG_OF: Readonly<Record<string, string>> = {
  tp: '--tp',
  pp: '--pp',
  ep: '--ep',
  weights: '--weights',
  activations: '--activations',
  kvCache: '--kv-cache',
  weightOnly: '--weight-only',
  'engine.family': '--engine',
  'engine.gpuMemoryUtilization': '--gpu-memory-utilization',
  'engine.blockSize': '--block-size',
  'engine.maxNumBatchedTokens': '--max-num-batched-tokens',
  'engine.maxNumSeqs': '--max-num-seqs',
  'engine.maxModelLen': '--max-model-len',
  'engine.chunkedPrefill': '--chunked-prefill',
  'engine.cudaGraphs': '--cuda-graphs',
  'engine.prefixCaching.sharedPrefixTokens': '--prefix-tokens',
  'engine.prefixCaching.hitRate': '--prefix-hit-rate',
};

function flagOf(path: readonly PropertyKey[]): string {
  const key = path.map(String).join('.');
  return FLAG_OF[key] ?? key;
}
