import { ENGINE_FAMILIES } from '../schema/deployment.ts';
import { COMPUTE_DTYPES, KV_CACHE_DTYPES, WEIGHT_FORMATS } from '../schema/dtype.ts';
import { SPECULATIVE_METHODS } from '../schema/techniques.ts';

// The deployment flag vocabulary and its resolver live below the CLI (planning and sweeps use them too);
// this module adds the yargs option table and keeps the CLI's names.
export { choiceFromFlags, type DeploymentFlags } from '../cost/deployment-flags.ts';
export { DeploymentResolver as CliContext } from '../planning/deployment-resolver.ts';

export const DEPLOYMENT_OPTIONS = {
  model: { type: 'string', describe: 'model profile id (servesim profiles list)', demandOption: true },
  hardware: { type: 'string', describe: 'hardware profile id', demandOption: true },
  tp: { type: 'number', describe: 'tensor-parallel degree (default: the smallest that fits)' },
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
  'async-scheduling': { type: 'boolean', describe: 'CPU scheduling overlapped with the GPU step (default on for vllm and sglang, off for trtllm)' },
  'prefix-tokens': { type: 'number', describe: 'shared prompt prefix length for prefix caching' },
  'prefix-hit-rate': { type: 'number', describe: 'share of requests that hit the prefix cache (0..1)' },
  'spec-method': { type: 'string', choices: SPECULATIVE_METHODS, describe: 'speculative decoding: draft-model, eagle, eagle3 or mtp (the model needs MTP heads)' },
  'spec-tokens': { type: 'number', describe: 'draft tokens verified per step, k (default 1 for mtp, else 3)' },
  'spec-acceptance': { type: 'string', describe: 'per-position conditional acceptance rates, one per draft token, e.g. 0.8,0.6,0.4' },
  'spec-acceptance-length': { type: 'number', describe: 'mean tokens per step (accepted + 1), turned into one per-position rate as vLLM does' },
  'spec-fixed-accepted': { type: 'number', describe: 'every step accepts exactly this many drafts (forced acceptance)' },
  'spec-draft-model': { type: 'string', describe: 'draft model profile id (with --spec-method draft-model)' },
  'attention-dp': { type: 'number', describe: 'DEP: attention data-parallel over the instance GPUs with experts sharded by EP (set --tp and --ep to the same N)' },
  calibration: { type: 'string', describe: 'calibration profile file (default: shipped for this GPU and engine)' },
} as const;

