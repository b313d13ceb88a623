/**
 * A workload in flag vocabulary (CLI flags, scenario files, sweep grids) resolved into Workload runs:
 * load profile, rates, lengths (GuideLLM synthetic data, presets, length files, traces), limits, SLOs.
 * Reads the files a flag names; the CLI adds the yargs option table (cli/workload-options.ts).
 */
import { InputError } from '../diagnostics/errors.ts';
import { parseSlo, type SloObjective } from '../metrics/slo.ts';
import type { Workload } from '../simulate.ts';
import type { ArrivalSpec } from '../workload/arrivals.ts';
import { readLengths, readRateCurve, readTrace } from '../workload/files.ts';
import type { LengthDistribution } from '../workload/lengths.ts';
import { datasetLengthsFor } from '../workload/datasets/flag.ts';
import { replayDataset } from '../workload/datasets/read.ts';
import { WORKLOAD_PRESETS } from '../workload/presets.ts';
import { parseDataSpec } from '../workload/synthetic-spec.ts';

export const PROFILES = ['synchronous', 'concurrent', 'throughput', 'constant', 'poisson', 'gamma', 'sweep', 'rate-curve', 'trace'] as const;
export type ProfileName = (typeof PROFILES)[number];

export interface WorkloadFlags {
  profile?: string | undefined;
  rate?: number[] | undefined;
  concurrency?: number[] | undefined;
  burstiness?: number | undefined;
  data?: string | undefined;
  workload?: string | undefined;
  'lengths-file'?: string | undefined;
  dataset?: string | undefined;
  trace?: string | undefined;
  'time-scale'?: number | undefined;
  'rate-curve'?: string | undefined;
  'max-requests'?: number | undefined;
  'max-seconds'?: number | undefined;
  warmup?: number | undefined;
  cooldown?: number | undefined;
  'sweep-size'?: number | undefined;
  seed?: number | string | undefined;
  slo?: string | undefined;
}


export interface ResolvedWorkloads {
  /** one workload per run (several for rate lists, concurrency lists; sweep is expanded by the caller) */
  readonly runs: Workload[];
  readonly profile: ProfileName;
  readonly slo: SloObjective[];
  readonly seed: string;
  readonly lengthsLabel: string;
  /** the workload without its arrival process (for sweeps, which choose arrivals themselves) */
  readonly shape: Omit<Workload, 'arrival'>;
}

export function resolveLengths(f: WorkloadFlags): { lengths: LengthDistribution; label: string } {
  if (f.data !== undefined && f.data.trim() === '') throw new InputError('--data is empty; expected e.g. prompt_tokens=512,output_tokens=256');
  if (f.data) return { lengths: parseDataSpec(f.data).lengths, label: f.data };
  if (f['lengths-file']) {
    const l = readLengths(f['lengths-file']);
    return { lengths: { kind: 'empirical', ...l, name: f['lengths-file'] }, label: `empirical ${f['lengths-file']} (${l.inputTokens.length} rows)` };
  }
  if (f.dataset) return datasetLengthsFor(f.dataset, f['max-requests'], f.seed ?? 42);
  const preset = WORKLOAD_PRESETS[f.workload ?? 'chat']!;
  return { lengths: preset.lengths, label: `preset ${preset.name}` };
}

/**
 * The deployment side of `--data prefix_tokens=N`: every request shares that prefix, so the prefix cache
 * holds it and every request hits it (--prefix-tokens / --prefix-hit-rate, when given, win).
 */
export function dataPrefixFlags(flags: object): { 'prefix-tokens'?: number; 'prefix-hit-rate'?: number } {
  const data = new Map<string, unknown>(Object.entries(flags)).get('data');
  if (typeof data !== 'string' || data.trim() === '') return {};
  const prefix = parseDataSpec(data).sharedPrefixTokens;
  return prefix !== undefined ? { 'prefix-tokens': prefix, 'prefix-hit-rate': 1 } : {};
}

/** A replayed dataset's default SLO: its MLPerf Server limits, p99 TTFT and p99 TPOT. */
export function datasetServerSlo(id: string): SloObjective[] {
  const l = replayDataset(id).limits.server;
  return [
    { metric: 'ttft', percentile: 0.99, thresholdS: l.ttftMs / 1e3 },
    { metric: 'tpot', percentile: 0.99, thresholdS: l.tpotMs / 1e3 },
  ];
}

export function resolveWorkloads(f: WorkloadFlags): ResolvedWorkloads {
  const slo = f.slo ? parseSlo(f.slo) : f.dataset ? datasetServerSlo(f.dataset) : f.workload ? [...WORKLOAD_PRESETS[f.workload]!.slo] : [];
  const seed = String(f.seed ?? 42);
  if (seed.trim() === '') throw new InputError('--seed is empty; give a number or a word (default 42)');
  let { lengths, label } = resolveLengths(f);
  const base: { maxRequests?: number; maxSeconds?: number; warmupFraction?: number; cooldownFraction?: number } = {};
  if (f['max-requests'] !== undefined) base.maxRequests = positiveInt(f['max-requests'], '--max-requests');
  if (f['max-seconds'] !== undefined) base.maxSeconds = positive(f['max-seconds'], '--max-seconds');
  if (f.warmup !== undefined) base.warmupFraction = fraction(f.warmup, '--warmup');
  if (f.cooldown !== undefined) base.cooldownFraction = fraction(f.cooldown, '--cooldown');

  if (f['sweep-size'] !== undefined && !(Number.isInteger(f['sweep-size']) && f['sweep-size'] >= 2))
    throw new InputError(`--sweep-size must be a whole number >= 2 (a synchronous and a throughput run, then rates between), found ${String(f['sweep-size'])}`);
  const profile = (f.profile ?? (f.trace ? 'trace' : f['rate-curve'] ? 'rate-curve' : f.rate ? 'poisson' : 'poisson')) as ProfileName;
  const rates = f.rate ?? [];
  const arrivals: ArrivalSpec[] = [];
  switch (profile) {
    case 'synchronous':
      arrivals.push({ kind: 'synchronous' });
      break;
    case 'concurrent':
      if (!f.concurrency?.length) throw new InputError('--profile concurrent needs --concurrency N [N...]');
      for (const c of f.concurrency) arrivals.push({ kind: 'concurrent', streams: positiveInt(c, '--concurrency') });
      break;
    case 'throughput':
      arrivals.push(f.concurrency?.[0] !== undefined ? { kind: 'throughput', maxConcurrency: positiveInt(f.concurrency[0], '--concurrency') } : { kind: 'throughput' });
      break;
    case 'constant':
    case 'poisson':
    case 'gamma':
      if (rates.length === 0) throw new InputError(`--profile ${profile} needs --rate R [R...] (requests per second)`);
      for (const r of rates) {
        const ratePerS = positive(r, '--rate');
        if (profile === 'gamma') arrivals.push({ kind: 'gamma', ratePerS, burstiness: positive(f.burstiness ?? 1, '--burstiness') });
        else arrivals.push({ kind: profile, ratePerS });
      }
      break;
    case 'rate-curve':
      if (!f['rate-curve']) throw new InputError('--profile rate-curve needs --rate-curve FILE (CSV time_s,rate)');
      arrivals.push({ kind: 'rate-curve', points: readRateCurve(f['rate-curve']) });
      break;
    case 'trace': {
      if (!f.trace) throw new InputError('--profile trace needs --trace FILE');
      const t = readTrace(f.trace);
      arrivals.push({ kind: 'trace', timesS: t.timesS, timeScale: positive(f['time-scale'] ?? 1, '--time-scale') });
      lengths = { kind: 'sequence', inputTokens: t.inputTokens, outputTokens: t.outputTokens };
      label = `trace ${f.trace} (${t.timesS.length} requests)`;
      if (base.maxRequests === undefined) base.maxRequests = t.timesS.length;
      break;
    }
    case 'sweep':
      // expanded by the simulate command: synchronous, throughput, then rates between
      break;
  }
  const shape = { lengths, ...base, ...(profile === 'sweep' && base.maxRequests === undefined && base.maxSeconds === undefined ? { maxRequests: 1000 } : {}) };
  return { runs: arrivals.map((arrival) => ({ arrival, ...shape })), profile, slo, seed, lengthsLabel: label, shape };
}

function positive(v: number, flag: string): number {
  if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw new InputError(`${flag} must be a positive number, found ${String(v)}`);
  return v;
}
function positiveInt(v: number, flag: string): number {
  if (!(Number.isInteger(v) && v >= 1)) throw new InputError(`${flag} must be a whole number >= 1, found ${String(v)}`);
  return v;
}
function fraction(v: number, flag: string): number {
  if (!(v >= 0 && v < 1)) throw new InputError(`${flag} must be in [0, 1), found ${String(v)}`);
  return v;
}
