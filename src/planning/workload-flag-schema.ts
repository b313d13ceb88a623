import { z } from 'zod';
import { REPLAY_DATASET_IDS } from '../workload/datasets/registry.ts';
import { FLAG_META } from '../schema/flag-meta.ts';
import { checkInput } from '../schema/issues.ts';
import { quantity } from '../schema/quantity.ts';
import { RatePerSSchema, RequestCountSchema, ShareSchema } from '../simulation-config.ts';
import { WORKLOAD_PRESETS } from '../workload/presets.ts';

/**
 * A workload in flag vocabulary (CLI flags, SERVESIM_* variables, scenario keys, sweep-grid keys, library
 * callers): the ONE schema for it and `parseWorkloadFlags`, its one parser. Keys are the flag names; the CLI's
 * options and help are generated from the FLAG_META below (cli/workload-options.ts). Bounds come from
 * simulate()'s own schema (simulation-config.ts), so a flag and a library call fail with the same words.
 */
export const PROFILES = ['synchronous', 'concurrent', 'throughput', 'constant', 'poisson', 'gamma', 'sweep', 'rate-curve', 'trace'] as const;
export type ProfileName = (typeof PROFILES)[number];

const positive = z.number().positive();
const wholeNumber = RequestCountSchema;
const fileName = z.string().refine((name) => name.trim() !== '', 'is empty; expected a file name');

export const WorkloadFlagsSchema = z.strictObject({
  profile: z.enum(PROFILES).optional().register(FLAG_META, { describe: 'load profile (GuideLLM semantics)' }),
  rate: z.array(RatePerSSchema).optional().register(FLAG_META, { describe: 'request rate(s) per second for constant/poisson/gamma; sessions per second for multi-turn workloads (--data turns=N, --workload multiturn-chat|agentic-coding)' }),
  concurrency: z.array(wholeNumber).optional().register(FLAG_META, { describe: 'streams for concurrent; max in flight for throughput' }),
  burstiness: positive.optional().register(FLAG_META, { describe: 'gamma shape for --profile gamma (1 = Poisson, <1 burstier)' }),
  data: z.string().optional().register(FLAG_META, { describe: 'GuideLLM synthetic data, e.g. prompt_tokens=512,output_tokens=256' }),
  workload: z
    .enum(Object.keys(WORKLOAD_PRESETS))
    .optional()
    .register(FLAG_META, { describe: 'a named workload preset (lengths + SLO; servesim presets shows them)' }),
  'lengths-file': fileName.optional().register(FLAG_META, { describe: 'CSV/JSONL of input_tokens,output_tokens to sample from' }),
  dataset: z
    .enum(REPLAY_DATASET_IDS)
    .optional()
    .register(FLAG_META, { describe: 'replay a named dataset per sample in LoadGen order (MLPerf: datasets/mlperf/README.md)' }),
  trace: fileName.optional().register(FLAG_META, { describe: 'CSV/JSONL trace: timestamp,input_tokens,output_tokens (replayed); a Mooncake trace (JSONL timestamp ms, input_length, output_length, hash_ids) is detected and its block hashes feed --prefix-cache' }),
  'time-scale': positive.optional().register(FLAG_META, { describe: 'multiply trace times by this' }),
  'rate-curve': fileName.optional().register(FLAG_META, { describe: 'CSV time_s,rate: a time-varying Poisson rate (repeats); sessions per second for multi-turn workloads' }),
  'max-requests': wholeNumber.optional().register(FLAG_META, { describe: 'requests per run (default 1000 unless --max-seconds)' }),
  'max-seconds': quantity('time', 's', positive)
    .optional()
    .register(FLAG_META, { describe: 'stop issuing requests after this much simulated time: seconds, or with a unit (90, 200ms, 10min)' }),
  warmup: ShareSchema.optional().register(FLAG_META, { describe: 'share of requests excluded at the start (0..1)' }),
  cooldown: ShareSchema.optional().register(FLAG_META, { describe: 'share of requests excluded at the end (0..1)' }),
  'sweep-size': z
    .number()
    .refine((n) => Number.isInteger(n) && n >= 2, {
      error: (issue) => `expected a whole number >= 2 (a synchronous and a throughput run, then rates between), found ${String(issue.input)}`,
    })
    .optional()
    .register(FLAG_META, { describe: 'runs in a sweep (default 10, as GuideLLM)' }),
  seed: z
    .union([z.string().refine((text) => text.trim() !== '', 'is empty; give a number or a word (default 42)'), z.number().refine(Number.isFinite)])
    .optional()
    .register(FLAG_META, { describe: 'random seed (default 42, as GuideLLM)' }),
  slo: z.string().optional().register(FLAG_META, {
    describe:
      'SLO set, e.g. ttft:p99<=200ms,tpot:p99<=50ms,e2e:p99<=3s (itl = every gap, tpot = per request; or GuideLLM JSON {"ttft_ms":200,"tpot_ms":50})',
  }),
});

/** A workload in flag vocabulary, checked (time flags in seconds, whatever unit they were written in). */
export type WorkloadFlags = z.output<typeof WorkloadFlagsSchema>;
export type WorkloadFlagName = keyof WorkloadFlags;
/** Workload flag values as an edge gives them, before `parseWorkloadFlags` checks them. */
export type WorkloadFlagValues = { readonly [K in WorkloadFlagName]?: unknown };

export interface WorkloadFlag {
  readonly name: WorkloadFlagName;
  /** 'string' for quantities with a unit and words; numbers are converted from strings (sweep grids, env) */
  readonly kind: 'number' | 'string';
  readonly array: boolean;
  readonly choices: readonly string[] | undefined;
  readonly describe: string;
}

export const WORKLOAD_FLAGS: readonly WorkloadFlag[] = Object.entries(WorkloadFlagsSchema.shape).map(([key, field]) => flagOf(key, field));
export const WORKLOAD_FLAG_NAMES: readonly WorkloadFlagName[] = WORKLOAD_FLAGS.map((f) => f.name);

/**
 * Check the workload flags among `flags` (other keys, e.g. deployment flags, are ignored). Values may be
 * typed (yargs, YAML, code) or strings (sweep grids): a numeric string for a number flag is read as the
 * number. A bad value is an InputError naming the flag ("invalid workload: --rate.0: expected > 0, found -1").
 */
export function parseWorkloadFlags(flags: object): WorkloadFlags {
  const given = new Map<string, unknown>(Object.entries(flags));
  const raw: Record<string, unknown> = {};
  for (const f of WORKLOAD_FLAGS) {
    const value = given.get(f.name);
    if (value === undefined) continue;
    const values = f.array && !Array.isArray(value) ? [value] : value; // one value for a list flag (env, scenario)
    raw[f.name] = f.kind === 'number' ? numberOrAsGiven(values) : values;
  }
  return checkInput(WorkloadFlagsSchema, raw, 'invalid workload', flagOfPath);
}

function flagOfPath(path: readonly PropertyKey[]): string {
  const [name, index] = path;
  if (name === undefined) return '(the workload)';
  return typeof index === 'number' ? `--${String(name)} (value ${index + 1})` : `--${String(name)}`;
}

function numberOrAsGiven(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(numberOrAsGiven);
  if (typeof value !== 'string' || value.trim() === '') return value;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

function flagOf(key: string, field: z.core.$ZodType): WorkloadFlag {
  if (!isFlagName(key)) throw new Error(`workload flag schema: ${key} is not a flag name`);
  const meta = FLAG_META.get(field);
  if (!meta) throw new Error(`workload flag schema: --${key} has no FLAG_META`);
  let inner = field;
  while (inner instanceof z.ZodOptional) inner = inner.unwrap();
  const array = inner instanceof z.ZodArray;
  const element = inner instanceof z.ZodArray ? inner.element : inner;
  const kind = element instanceof z.ZodNumber ? 'number' : 'string';
  const choices = element instanceof z.ZodEnum ? element.options.map(String) : undefined;
  return { name: key, kind, array, choices, describe: meta.describe };
}

function isFlagName(key: string): key is WorkloadFlagName {
  return key in WorkloadFlagsSchema.shape;
}
