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
import type { SessionSpec } from '../workload/sessions.ts';
import type { TraceBlockHashes } from '../workload/trace-blocks.ts';
import { parseDataSpec } from '../workload/synthetic-spec.ts';
import { parseWorkloadFlags, type ProfileName, type WorkloadFlags } from './workload-flag-schema.ts';

export { PROFILES, type ProfileName, type WorkloadFlags, type WorkloadFlagValues } from './workload-flag-schema.ts';

export interface ResolvedWorkloads {
  /** one workload per run (several for rate lists, concurrency lists; sweep is expanded by the caller) */
  readonly runs: Workload[];
  readonly profile: ProfileName;
  readonly slo: SloObjective[];
  readonly seed: string;
  readonly lengthsLabel: string;
  /** the workload without its arrival process (for sweeps, which choose arrivals themselves) */
  readonly shape: Omit<Workload, 'arrival'>;
  /** runs in a GuideLLM-style sweep (--profile sweep) */
  readonly sweepSize: number;
}

/** The request lengths the flags ask for (flags already checked by parseWorkloadFlags). */
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

/** Multi-turn sessions the flags ask for: --data turns=N, else a multi-turn --workload preset; undefined for single turns. */
export function resolveSessions(f: WorkloadFlags): SessionSpec | undefined {
  if (f.data) return parseDataSpec(f.data).sessions;
  return f.workload ? WORKLOAD_PRESETS[f.workload]!.sessions : undefined;
}

/**
 * The deployment side of `--data prefix_tokens=N`: every request shares that prefix, so the prefix cache
 * holds it and every request hits it (--prefix-tokens / --prefix-hit-rate, when given, win).
 */
export function dataPrefixFlags(flags: object): { 'prefix-tokens'?: number; 'prefix-hit-rate'?: number } {
  const given = new Map<string, unknown>(Object.entries(flags));
  const data = given.get('data');
  if (typeof data !== 'string' || data.trim() === '') return {};
  // a simulated prefix cache finds the prefix itself
  const cache = given.get('prefix-cache');
  if (cache === 'vllm' || cache === 'radix') return {};
  const prefix = parseDataSpec(data).sharedPrefixTokens;
  return prefix !== undefined ? { 'prefix-tokens': prefix, 'prefix-hit-rate': 1 } : {};
}

/** Check the workload flags among `flags` (parseWorkloadFlags) and resolve them into runs. */
export function resolveWorkloads(flags: object): ResolvedWorkloads {
  const f = parseWorkloadFlags(flags);
  const slo = f.slo ? parseSlo(f.slo) : f.dataset ? datasetServerSlo(f.dataset) : f.workload ? [...WORKLOAD_PRESETS[f.workload]!.slo] : [];
  const seed = String(f.seed ?? 42);
  let { lengths, label } = resolveLengths(f);
  const base: { maxRequests?: number; maxSeconds?: number; warmupFraction?: number; cooldownFraction?: number; sessions?: SessionSpec; blockHashes?: TraceBlockHashes } = {};
  if (f['max-requests'] !== undefined) base.maxRequests = f['max-requests'];
  if (f['max-seconds'] !== undefined) base.maxSeconds = f['max-seconds'];
  if (f.warmup !== undefined) base.warmupFraction = f.warmup;
  if (f.cooldown !== undefined) base.cooldownFraction = f.cooldown;
  const sessions = resolveSessions(f);
  const profile: ProfileName = f.profile ?? (f.trace ? 'trace' : f['rate-curve'] ? 'rate-curve' : 'poisson');
  if (sessions !== undefined) {
    checkSessionProfile(profile, f);
    base.sessions = sessions;
  }
  const arrivals: ArrivalSpec[] = [];
  if (profile === 'trace') {
    if (!f.trace) throw new InputError('--profile trace needs --trace FILE');
    const t = readTrace(f.trace);
    arrivals.push({ kind: 'trace', timesS: t.timesS, timeScale: f['time-scale'] ?? 1 });
    lengths = { kind: 'sequence', inputTokens: t.inputTokens, outputTokens: t.outputTokens };
    label = `trace ${f.trace} (${t.timesS.length} requests${t.blockHashes ? ', Mooncake block hashes' : ''})`;
    if (t.blockHashes) base.blockHashes = t.blockHashes;
    if (base.maxRequests === undefined) base.maxRequests = t.timesS.length;
  } else arrivals.push(...arrivalsOf(profile, f));
  const shape = { lengths, ...base, ...(profile === 'sweep' && base.maxRequests === undefined && base.maxSeconds === undefined ? { maxRequests: 1000 } : {}) };
  return { runs: arrivals.map((arrival) => ({ arrival, ...shape })), profile, slo, seed, lengthsLabel: label, shape, sweepSize: f['sweep-size'] ?? 10 };
}

/**
 * Multi-turn sessions arrive open loop (--rate is then sessions per second, a rate curve too) or run on
 * closed-loop users (--profile concurrent); a trace names its own requests and a GuideLLM sweep's rates are
 * request rates, so neither takes sessions.
 */
function checkSessionProfile(profile: ProfileName, f: WorkloadFlags): void {
  const what = f.data ? '--data turns=N (multi-turn conversations)' : `--workload ${f.workload ?? ''} (multi-turn sessions)`;
  if (profile === 'trace') throw new InputError(`${what} cannot be combined with --profile trace: a trace replays its own requests; give --profile poisson --rate SESSIONS_PER_S, --profile rate-curve, or --profile concurrent --concurrency USERS`);
  if (profile === 'sweep')
    throw new InputError(`${what} cannot be combined with --profile sweep (its rates are request rates); search the session rate with servesim plan, or give --rate SESSIONS_PER_S values`);
}

/** The arrival processes of every profile but trace (which also sets the lengths). */
function arrivalsOf(profile: Exclude<ProfileName, 'trace'>, f: WorkloadFlags): ArrivalSpec[] {
  switch (profile) {
    case 'synchronous':
      return [{ kind: 'synchronous' }];
    case 'concurrent':
      if (!f.concurrency?.length) throw new InputError('--profile concurrent needs --concurrency N [N...]');
      return f.concurrency.map((streams): ArrivalSpec => ({ kind: 'concurrent', streams }));
    case 'throughput':
      return [f.concurrency?.[0] !== undefined ? { kind: 'throughput', maxConcurrency: f.concurrency[0] } : { kind: 'throughput' }];
    case 'constant':
    case 'poisson':
    case 'gamma': {
      const rates = f.rate ?? [];
      if (rates.length === 0) throw new InputError(`--profile ${profile} needs --rate R [R...] (requests per second)`);
      return rates.map((ratePerS): ArrivalSpec => (profile === 'gamma' ? { kind: 'gamma', ratePerS, burstiness: f.burstiness ?? 1 } : { kind: profile, ratePerS }));
    }
    case 'rate-curve':
      if (!f['rate-curve']) throw new InputError('--profile rate-curve needs --rate-curve FILE (CSV time_s,rate)');
      return [{ kind: 'rate-curve', points: readRateCurve(f['rate-curve']) }];
    case 'sweep':
      // expanded by the simulate command: synchronous, throughput, then rates between
      return [];
  }
}

/** A replayed dataset's default SLO: its MLPerf Server limits, p99 TTFT and p99 TPOT. */
export function datasetServerSlo(id: string): SloObjective[] {
  const l = replayDataset(id).limits.server;
  return [
    { metric: 'ttft', percentile: 0.99, thresholdS: l.ttftMs / 1e3 },
    { metric: 'tpot', percentile: 0.99, thresholdS: l.tpotMs / 1e3 },
  ];
}
