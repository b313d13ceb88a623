import { InputError } from '../diagnostics/errors.ts';
import { DeploymentChoiceSchema } from '../schema/deployment.ts';
import { SPECULATIVE_METHODS } from '../schema/techniques.ts';
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
  'spec-method'?: string | undefined;
  'spec-tokens'?: number | undefined;
  'spec-acceptance'?: string | number | undefined;
  'spec-acceptance-length'?: number | undefined;
  'spec-fixed-accepted'?: number | undefined;
  'spec-draft-model'?: string | undefined;
  'attention-dp'?: number | undefined;
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
  const speculative = speculativeFromFlags(f);
  if (speculative !== undefined) choice['speculative'] = speculative;
  if (f['attention-dp'] !== undefined) choice['attentionDp'] = f['attention-dp'];
  checkInput(DeploymentChoiceSchema, choice, 'invalid deployment', flagOf);
  return choice as DeploymentChoice;
}

/**
 * Speculative decoding from flags: a method, k (default 1 for MTP — one prediction module — and 3
 * otherwise, the vLLM recipes' usual num_speculative_tokens) and exactly one acceptance. The draft model
 * is resolved from its id by the caller that has the profiles (DeploymentResolver).
 */
function speculativeFromFlags(f: Partial<DeploymentFlags>): Record<string, unknown> | undefined {
  const method = f['spec-method'];
  const given = (['spec-tokens', 'spec-acceptance', 'spec-acceptance-length', 'spec-fixed-accepted', 'spec-draft-model'] as const).filter((k) => f[k] !== undefined);
  if (method === undefined) {
    if (given.length > 0) throw new InputError(`--${given[0]} needs --spec-method (${SPECULATIVE_METHODS.join(', ')})`);
    return undefined;
  }
  const acceptances = given.filter((k) => k === 'spec-acceptance' || k === 'spec-acceptance-length' || k === 'spec-fixed-accepted');
  if (acceptances.length !== 1)
    throw new InputError(
      `--spec-method ${method} needs exactly one acceptance: --spec-acceptance 0.8,0.6,0.4 (per-position rates), --spec-acceptance-length L (mean tokens per step) or --spec-fixed-accepted N; found ${acceptances.length === 0 ? 'none' : acceptances.map((k) => `--${k}`).join(' and ')}`,
    );
  const rates = f['spec-acceptance'];
  const acceptance =
    rates !== undefined
      ? { kind: 'rates', rates: parseRates(rates) }
      : f['spec-acceptance-length'] !== undefined
        ? { kind: 'length', meanTokensPerStep: f['spec-acceptance-length'] }
        : { kind: 'fixed', acceptedPerStep: f['spec-fixed-accepted'] };
  return { method, tokens: f['spec-tokens'] ?? (method === 'mtp' ? 1 : 3), acceptance };
}

function parseRates(v: string | number): number[] {
  const parts = String(v).split(',').map((x) => x.trim());
  const rates = parts.map(Number);
  const bad = parts.findIndex((x, i) => x === '' || !Number.isFinite(rates[i]));
  if (bad >= 0) throw new InputError(`--spec-acceptance: expected comma-separated rates such as 0.8,0.6,0.4, found "${parts[bad]}" in "${v}"`);
  return rates;
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
  'speculative.method': '--spec-method',
  'speculative.tokens': '--spec-tokens',
  'speculative.acceptance.rates': '--spec-acceptance',
  'speculative.acceptance.meanTokensPerStep': '--spec-acceptance-length',
  'speculative.acceptance.acceptedPerStep': '--spec-fixed-accepted',
  attentionDp: '--attention-dp',
};

function flagOf(path: readonly PropertyKey[]): string {
  const key = path.map(String).join('.');
  return FLAG_OF[key] ?? key;
}
