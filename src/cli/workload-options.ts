import { WORKLOAD_PRESETS } from '../workload/presets.ts';
import { PROFILES } from '../planning/workload-flags.ts';
import { REPLAY_DATASET_IDS } from '../workload/datasets/registry.ts';

// Flag → workload resolution lives below the CLI (sweep workers use it too); this module adds the
// yargs option table and keeps the CLI's names.
export { PROFILES, resolveLengths, resolveWorkloads, type ProfileName, type ResolvedWorkloads, type WorkloadFlags } from '../planning/workload-flags.ts';

export const WORKLOAD_OPTIONS = {
  profile: { type: 'string', choices: PROFILES, describe: 'load profile (GuideLLM semantics)' },
  rate: { type: 'number', array: true, describe: 'request rate(s) per second for constant/poisson/gamma' },
  concurrency: { type: 'number', array: true, describe: 'streams for concurrent; max in flight for throughput' },
  burstiness: { type: 'number', describe: 'gamma shape for --profile gamma (1 = Poisson, <1 burstier)' },
  data: { type: 'string', describe: 'GuideLLM synthetic data, e.g. prompt_tokens=512,output_tokens=256' },
  workload: { type: 'string', choices: Object.keys(WORKLOAD_PRESETS), describe: 'a named workload preset (lengths + SLO; servesim presets shows them)' },
  'lengths-file': { type: 'string', describe: 'CSV/JSONL of input_tokens,output_tokens to sample from' },
  dataset: { type: 'string', choices: REPLAY_DATASET_IDS, describe: 'replay a named dataset per sample in LoadGen order (MLPerf: datasets/mlperf/README.md)' },
  trace: { type: 'string', describe: 'CSV/JSONL trace: timestamp,input_tokens,output_tokens (replayed)' },
  'time-scale': { type: 'number', describe: 'multiply trace times by this' },
  'rate-curve': { type: 'string', describe: 'CSV time_s,rate: a time-varying Poisson rate (repeats)' },
  'max-requests': { type: 'number', describe: 'requests per run (default 1000 unless --max-seconds)' },
  'max-seconds': { type: 'number', describe: 'stop issuing requests after this many simulated seconds' },
  warmup: { type: 'number', describe: 'share of requests excluded at the start (0..1)' },
  cooldown: { type: 'number', describe: 'share of requests excluded at the end (0..1)' },
  'sweep-size': { type: 'number', describe: 'runs in a sweep (default 10, as GuideLLM)' },
  seed: { type: 'string', describe: 'random seed (default 42, as GuideLLM)' },
  slo: { type: 'string', describe: 'SLO set, e.g. ttft:p99<=200ms,tpot:p99<=50ms,e2e:p99<=3s (itl = every gap, tpot = per request; or GuideLLM JSON {"ttft_ms":200,"tpot_ms":50})' },
} as const;
