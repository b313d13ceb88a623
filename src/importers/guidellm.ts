import { basename } from 'node:path';
import { InputError } from '../diagnostics/errors.ts';
import type { MetricId, Statistic } from '../metrics/definitions.ts';
import { parseCsv, type CsvRow } from '../io/csv.ts';
import { buildDeployment } from './normalize.ts';
import { parseStructured, readText } from './read-file.ts';
import { describe, isRecord, weightedMean, weightedPercentile } from './values.ts';
import { hintsFromLabels, hintsFromName, preferLabelHints } from './hints.ts';
import type {
  LengthSpec,
  LoadKind,
  MeasuredBenchmark,
  MeasuredMetric,
  MeasuredWorkload,
  PerRequestRecords,
} from './types.ts';

/**
 * GuideLLM benchmark reports (JSON or YAML) of every schema era, told apart by content
 * (shared/reference/guidellm-format.md §0, §3.8):
 *   v0.1      {"benchmarks":[{"args","benchmarks":[{mode, rate, results…}]}]}   raw requests only
 *   v0.2-0.3  {"benchmarks":[{args, run_stats, worker, request_loader, metrics…}]}
 *   v0.4      {"args", "benchmarks":[{config, scheduler_state, scheduler_metrics, metrics…}]}
 *   v0.5-0.6  the same plus metadata.version 1
 *   v0.7      {"metadata":{"version":2}, "config":{"metadata":{"labels"}, "spec"}, "benchmarks"}
 * Metric meanings follow GuideLLM's own definitions: inter_token_latency_ms → itl_guidellm;
 * time_per_output_token_ms → tpot_guidellm (≥0.4, includes TTFT) or tpot_guidellm_v03 (0.2–0.3).
 * Throughputs are request/token totals ÷ duration, not GuideLLM's time-weighted rate distributions.
 */

export type GuidellmEra = 'v0.1' | 'v0.2-0.3' | 'v0.4' | 'v0.5-0.6' | 'v0.7';

export function guidellmEra(doc: unknown): GuidellmEra | undefined {
  if (!isRecord(doc)) return undefined;
  const meta = doc.metadata;
  const version = isRecord(meta) ? meta.version : undefined;
  if (version === 2 || (isRecord(doc.config) && isRecord(doc.config.spec) && Array.isArray(doc.benchmarks))) return 'v0.7';
  if (version === 1 && Array.isArray(doc.benchmarks)) return 'v0.5-0.6';
  if (!Array.isArray(doc.benchmarks)) return undefined;
  const b: unknown = doc.benchmarks[0];
  if (!isRecord(b)) return undefined;
  if (Array.isArray(b.benchmarks) && 'args' in b) return 'v0.1';
  if (isRecord(b.run_stats) && isRecord(b.args)) return 'v0.2-0.3';
  if (isRecord(b.scheduler_metrics) && isRecord(doc.args)) return 'v0.4';
  return undefined;
}

/** A GuideLLM report whose metadata.version this importer does not know (a future schema). */
export function guidellmFutureVersion(doc: unknown): number | undefined {
  if (!isRecord(doc) || !isRecord(doc.metadata) || !Array.isArray(doc.benchmarks)) return undefined;
  const v = doc.metadata.version;
  return typeof v === 'number' && v > 2 && 'guidellm_version' in doc.metadata ? v : undefined;
}

export function importGuidellm(path: string, text: string = readText(path)): MeasuredBenchmark[] {
  return importGuidellmDocument(parseStructured(text, path), path);
}

export function importGuidellmDocument(doc: unknown, file: string): MeasuredBenchmark[] {
  const future = guidellmFutureVersion(doc);
  if (future !== undefined) {
    throw new InputError(`${file}: metadata.version: GuideLLM report schema version ${future} is newer than the known 1 (v0.5–0.6) and 2 (v0.7)`);
  }
  const era = guidellmEra(doc);
  if (!era || !isRecord(doc)) {
    throw new InputError(`${file}: not a GuideLLM report of a known schema era (v0.1–v0.7); ${topLevel(doc)}`);
  }
  const benchmarks = doc.benchmarks as unknown[];
  if (benchmarks.length === 0) throw new InputError(`${file}: benchmarks: GuideLLM ${era} report with no benchmarks`);
  if (era === 'v0.1') return importV01(doc, file);
  return benchmarks.map((b, i) => importBenchmark(doc, b, i, era, file));
}

export function topLevel(doc: unknown): string {
  if (Array.isArray(doc)) return `found a top-level array of ${doc.length}`;
  if (!isRecord(doc)) return `found ${describe(doc)}`;
  const keys = Object.keys(doc);
  return `found top-level keys: ${keys.length > 0 ? keys.slice(0, 12).join(', ') : '(none)'}${keys.length > 12 ? ', …' : ''}`;
}

// ---------------------------------------------------------------------------------------------------
// small typed accessors that fail with file + field + expected + found

class Ctx {
  constructor(
    readonly file: string,
    readonly path: string,
  ) {}
  at(key: string | number): Ctx {
    return new Ctx(this.file, typeof key === 'number' ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key);
  }
  fail(expected: string, found: unknown): never {
    throw new InputError(`${this.file}: ${this.path}: expected ${expected}, found ${describe(found)}`);
  }
}

function obj(v: unknown, ctx: Ctx, expected = 'an object'): Record<string, unknown> {
  return isRecord(v) ? v : ctx.fail(expected, v);
}
function num(v: unknown, ctx: Ctx): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : ctx.fail('a number', v);
}
function optNum(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
function optStr(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
function get(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const k of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

// ---------------------------------------------------------------------------------------------------
// distribution summaries → metrics

const DS_HINT = 'a GuideLLM distribution summary {successful: {mean, median, percentiles…}, …}';
const PERCENTILE_STATS: readonly [Statistic, string][] = [
  ['p90', 'p90'],
  ['p95', 'p95'],
  ['p99', 'p99'],
  ['p999', 'p999'],
];

/** The `successful` group of a StatusDistributionSummary; throws when a required one is missing. */
function successful(metrics: Record<string, unknown>, name: string, ctx: Ctx, required: boolean): Record<string, unknown> | undefined {
  const sds = metrics[name];
  if (sds === undefined || sds === null) {
    if (required) ctx.at(name).fail(DS_HINT, sds);
    return undefined;
  }
  const group = obj(sds, ctx.at(name), DS_HINT).successful;
  const g = obj(group, ctx.at(name).at('successful'), 'a distribution summary {mean, median, percentiles…}');
  num(g.mean, ctx.at(name).at('successful').at('mean'));
  return g;
}

function distMetrics(g: Record<string, unknown>, metric: MetricId, scale: number, ctx: Ctx): MeasuredMetric[] {
  const out: MeasuredMetric[] = [{ metric, statistic: 'mean', value: num(g.mean, ctx.at('mean')) * scale }];
  const pct = isRecord(g.percentiles) ? g.percentiles : {};
  const median = optNum(g.median) ?? optNum(pct.p50);
  if (median !== undefined) out.push({ metric, statistic: 'median', value: median * scale });
  for (const [stat, key] of PERCENTILE_STATS) {
    const v = optNum(pct[key]);
    if (v !== undefined) out.push({ metric, statistic: stat, value: v * scale });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// synthetic data configs → lengths

type Range = { mean: number; stdev?: number; min?: number; max?: number };

/**
 * GuideLLM synthetic data: "prompt_tokens=256,output_tokens=128,…" (key=value), a JSON object or string,
 * v0.7 `kind=synthetic_text,…`, or v0.1 `prompt_tokens=…,generated_tokens=…,…_variance`. A Python-list
 * string (v0.4 `config.requests.data` is `"['prompt_tokens=…']"`) is unwrapped. Undefined when the data is
 * not synthetic (a file or a Hugging Face dataset).
 */
export function parseSyntheticData(spec: unknown, ctx?: { file: string; path: string }): { lengths?: LengthSpec; note?: string } | undefined {
  let fields: Record<string, unknown> | undefined;
  if (isRecord(spec)) fields = spec;
  else if (typeof spec === 'string') {
    let s = spec.trim();
    const list = /^\[\s*(['"])([\s\S]*)\1\s*\]$/.exec(s);
    if (list) s = list[2]!;
    if (s.startsWith('{')) {
      try {
        const parsed: unknown = JSON.parse(s);
        if (isRecord(parsed)) fields = parsed;
      } catch {
        return undefined;
      }
    } else if ((s.match(/=/g) ?? []).length >= 1 && /prompt_tokens\s*=/.test(s)) {
      fields = {};
      for (const part of s.split(',')) {
        const eq = part.indexOf('=');
        if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
      }
    }
  }
  if (!fields || !('prompt_tokens' in fields)) return undefined;
  if (fields.kind !== undefined && fields.kind !== 'synthetic_text' && fields.kind !== 'synthetic') return undefined;
  const where = ctx ? `${ctx.file}: ${ctx.path}` : 'synthetic data';
  const f = fields;
  const numOf = (key: string): number | undefined => {
    const v = f[key];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isFinite(n)) throw new InputError(`${where}: ${key}: expected a number, found ${describe(v)}`);
    return n;
  };
  const range = (base: string, legacyBase?: string): Range | undefined => {
    const names = [base, ...(legacyBase ? [legacyBase] : [])];
    for (const b of names) {
      const mean = numOf(b);
      if (mean === undefined) continue;
      const stdev = numOf(`${b}_stdev`) ?? (numOf(`${b}_variance`) !== undefined ? Math.sqrt(numOf(`${b}_variance`)!) : undefined);
      const min = numOf(`${b}_min`);
      const max = numOf(`${b}_max`);
      return { mean, ...(stdev !== undefined ? { stdev } : {}), ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    }
    return undefined;
  };
  const input = range('prompt_tokens');
  const output = range('output_tokens', 'generated_tokens');
  const notes: string[] = [];
  const prefix = numOf('prefix_tokens');
  if (prefix) notes.push(`a shared prefix of ${prefix} tokens is added to each prompt`);
  if (isRecord(f.prefix_buckets) || Array.isArray(f.prefix_buckets)) notes.push('prefix_buckets configured (shared prefixes added to prompts)');
  const turns = numOf('turns');
  if (turns !== undefined && turns > 1) notes.push(`${turns} turns per conversation`);
  if (!input) return undefined;
  if (!output) return { note: 'synthetic data without output_tokens: output length left to the server' };
  return {
    lengths: { kind: 'synthetic', input, output },
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// v0.2 – v0.7 benchmarks

interface RequestRecord {
  readonly input: number;
  readonly output: number;
  readonly start?: number;
  readonly end?: number;
  readonly ttftS?: number;
  readonly e2eS?: number;
  readonly tpotS?: number;
}

function readRecord(r: unknown, era: GuidellmEra): RequestRecord | undefined {
  if (!isRecord(r)) return undefined;
  const input = optNum(r.prompt_tokens) ?? optNum(get(r, 'input_metrics', 'text_tokens'));
  const output = optNum(r.output_tokens) ?? optNum(get(r, 'output_metrics', 'text_tokens'));
  if (input === undefined || output === undefined) return undefined;
  const start = era === 'v0.2-0.3' ? optNum(r.start_time) : optNum(r.request_start_time) ?? optNum(get(r, 'info', 'timings', 'request_start'));
  const end = era === 'v0.2-0.3' ? optNum(r.end_time) : optNum(r.request_end_time) ?? optNum(get(r, 'info', 'timings', 'request_end'));
  const ttftMs = optNum(r.time_to_first_token_ms);
  const e2e = optNum(r.request_latency) ?? (start !== undefined && end !== undefined ? end - start : undefined);
  let tpotS: number | undefined;
  const itlMs = optNum(r.inter_token_latency_ms);
  if (itlMs !== undefined) tpotS = itlMs / 1000;
  else if (output > 1) {
    const first = era === 'v0.2-0.3' ? optNum(r.first_token_time) : optNum(get(r, 'info', 'timings', 'first_token_iteration'));
    const last = era === 'v0.2-0.3' ? optNum(r.last_token_time) : optNum(get(r, 'info', 'timings', 'last_token_iteration'));
    if (first !== undefined && last !== undefined) tpotS = (last - first) / (output - 1);
  }
  return {
    input,
    output,
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    ...(ttftMs !== undefined ? { ttftS: ttftMs / 1000 } : {}),
    ...(e2e !== undefined ? { e2eS: e2e } : {}),
    ...(tpotS !== undefined ? { tpotS } : {}),
  };
}

function perRequestOf(records: readonly RequestRecord[]): PerRequestRecords {
  const all = <K extends 'ttftS' | 'e2eS' | 'tpotS'>(k: K): number[] | undefined =>
    records.every((r) => r[k] !== undefined) ? records.map((r) => r[k]!) : undefined;
  const ttftS = all('ttftS');
  const e2eS = all('e2eS');
  const tpotS = all('tpotS');
  return {
    inputTokens: records.map((r) => r.input),
    outputTokens: records.map((r) => r.output),
    ...(ttftS ? { ttftS } : {}),
    ...(e2eS ? { e2eS } : {}),
    ...(tpotS ? { tpotS } : {}),
  };
}

function loadOf(strategy: Record<string, unknown>, ctx: Ctx, era: GuidellmEra, notes: string[]): { w: Partial<MeasuredWorkload>; reason?: string } {
  const type = strategy.type_;
  const maxConc = optNum(strategy.max_concurrency);
  const cap = (): void => {
    if (maxConc !== undefined) notes.push(`max_concurrency ${maxConc}`);
  };
  switch (type) {
    case 'synchronous':
      return { w: { load: 'synchronous' } };
    case 'concurrent': {
      const streams = num(strategy.streams, ctx.at('streams'));
      return { w: { load: 'concurrent', concurrency: streams } };
    }
    case 'throughput':
      // the in-flight cap of a throughput run (GuideLLM keeps up to max_concurrency requests in flight)
      return { w: { load: 'throughput', ...(maxConc !== undefined ? { concurrency: maxConc } : {}) } };
    case 'constant':
    case 'async':
    case 'poisson': {
      const rate = num(strategy.rate, ctx.at('rate'));
      const load: LoadKind = type === 'poisson' ? 'poisson' : 'constant';
      cap();
      if (era === 'v0.2-0.3' && load === 'constant' && strategy.initial_burst !== false) {
        notes.push(`initial burst of ${Math.floor(rate)} requests at t0 (GuideLLM 0.2–0.3 constant)`);
      }
      return { w: { load, rate } };
    }
    case 'replay':
      return { w: {}, reason: 'trace replay load not supported' };
    default:
      return ctx.at('type_').fail('synchronous, concurrent, throughput, constant, poisson or replay', type);
  }
}

function importBenchmark(doc: Record<string, unknown>, raw: unknown, i: number, era: GuidellmEra, file: string): MeasuredBenchmark {
  const ctx = new Ctx(file, `benchmarks[${i}]`);
  const b = obj(raw, ctx);
  const notes: string[] = [];
  const reasons: string[] = [];
  const legacy = era === 'v0.2-0.3';
  const version = optStr(get(doc, 'metadata', 'guidellm_version'));
  notes.push(`GuideLLM ${era}${version ? ` (guidellm_version ${version})` : ''}`);

  // load
  const strategyCtx = legacy ? ctx.at('args').at('strategy') : ctx.at('config').at('strategy');
  const strategy = obj(legacy ? get(b, 'args', 'strategy') : get(b, 'config', 'strategy'), strategyCtx);
  const load = loadOf(strategy, strategyCtx, era, notes);
  if (load.reason) reasons.push(load.reason);
  const profile = legacy ? get(b, 'args', 'profile') : get(b, 'config', 'profile');
  const profileType = isRecord(profile) ? optStr(profile.type_) : undefined;
  if (profileType && profileType !== strategy.type_) {
    const index = legacy ? optNum(get(b, 'args', 'strategy_index')) : optNum(get(b, 'config', 'run_index'));
    notes.push(`profile ${profileType}${index !== undefined ? `, strategy ${index + 1}` : ''}`);
  }

  // totals and window
  const metrics = obj(b.metrics, ctx.at('metrics'), 'the GuideLLM metrics block');
  const mctx = ctx.at('metrics');
  const totalsCtx = legacy ? ctx.at('request_totals') : mctx.at('request_totals');
  const totals = obj(legacy ? b.request_totals : metrics.request_totals, totalsCtx, 'request counts {successful, errored, incomplete, total}');
  const nOk = num(totals.successful, totalsCtx.at('successful'));
  const nTotal = optNum(totals.total) ?? nOk + (optNum(totals.errored) ?? 0) + (optNum(totals.incomplete) ?? 0);
  const duration = num(b.duration, ctx.at('duration'));
  if (duration <= 0) ctx.at('duration').fail('a positive duration in seconds', b.duration);
  if ((optNum(totals.errored) ?? 0) > 0 || (optNum(totals.incomplete) ?? 0) > 0) {
    notes.push(`requests: ${nOk} successful, ${optNum(totals.errored) ?? 0} errored, ${optNum(totals.incomplete) ?? 0} incomplete (metrics over successful)`);
  }

  // metrics (successful group)
  const out: MeasuredMetric[] = [];
  const ttft = successful(metrics, 'time_to_first_token_ms', mctx, true)!;
  const itl = successful(metrics, 'inter_token_latency_ms', mctx, true)!;
  const lat = successful(metrics, 'request_latency', mctx, true)!;
  const outTok = successful(metrics, 'output_token_count', mctx, true)!;
  const tpot = successful(metrics, 'time_per_output_token_ms', mctx, false);
  const inTok = successful(metrics, 'prompt_token_count', mctx, false);
  if (nOk > 0) {
    out.push(...distMetrics(ttft, 'ttft', 1e-3, mctx.at('time_to_first_token_ms.successful')));
    out.push(...distMetrics(lat, 'e2e', 1, mctx.at('request_latency.successful')));
    out.push(...distMetrics(itl, 'itl_guidellm', 1e-3, mctx.at('inter_token_latency_ms.successful')));
    if (tpot) {
      out.push(...distMetrics(tpot, legacy ? 'tpot_guidellm_v03' : 'tpot_guidellm', 1e-3, mctx.at('time_per_output_token_ms.successful')));
    }
    const outSum = optNum(outTok.total_sum) ?? num(outTok.mean, mctx.at('output_token_count.successful.mean')) * nOk;
    const inSum = inTok ? (optNum(inTok.total_sum) ?? num(inTok.mean, mctx.at('prompt_token_count.successful.mean')) * nOk) : undefined;
    out.push({ metric: 'request_throughput', statistic: 'value', value: nOk / duration });
    out.push({ metric: 'output_throughput', statistic: 'value', value: outSum / duration });
    if (inSum !== undefined) {
      out.push({ metric: 'input_throughput', statistic: 'value', value: inSum / duration });
      out.push({ metric: 'total_token_throughput', statistic: 'value', value: (inSum + outSum) / duration });
    }
    const rpsMean = optNum(get(metrics, 'requests_per_second', 'successful', 'mean'));
    if (rpsMean !== undefined) notes.push(`requests_per_second.mean ${rpsMean.toPrecision(4)} (time-weighted; not used)`);
    notes.push('percentiles as GuideLLM stores them: first value with cumulative weight ≥ p, no interpolation');
  } else reasons.push('no successful requests');

  // per-request records: only when they cover every successful request of the measurement window
  let perRequest: PerRequestRecords | undefined;
  const listed = get(b, 'requests', 'successful');
  if (Array.isArray(listed) && listed.length > 0) {
    let records = listed.map((r) => readRecord(r, era)).filter((r): r is RequestRecord => r !== undefined);
    if (!legacy) {
      const s = optNum(b.start_time);
      const e = optNum(b.end_time);
      if (s !== undefined && e !== undefined) {
        records = records.filter((r) => r.start === undefined || r.end === undefined || (r.end >= s && r.start <= e));
      }
    }
    if (records.length === nOk && nOk > 0) perRequest = perRequestOf(records);
    else notes.push(`request records are a sample (${records.length} of ${nOk} successful in the window): not used as per-request data`);
  }

  // lengths
  let lengths: LengthSpec | undefined;
  const dataSpecs = dataCandidates(doc, b, era);
  for (const { value, path } of dataSpecs) {
    const syn = parseSyntheticData(value, { file, path });
    if (syn?.note) notes.push(syn.note);
    if (syn?.lengths) {
      lengths = syn.lengths;
      break;
    }
  }
  if (!lengths && perRequest) lengths = { kind: 'per-request', inputTokens: perRequest.inputTokens, outputTokens: perRequest.outputTokens };
  if (!lengths && inTok && nOk > 0) {
    const name = dataSpecs.map((d) => (typeof d.value === 'string' ? d.value : undefined)).find((v) => v !== undefined) ?? 'unstated';
    lengths = measuredLengths(name, inTok, outTok);
  }
  if (!lengths) reasons.push('workload lengths not stated');

  // deployment
  const labels = era === 'v0.7' ? get(doc, 'config', 'metadata', 'labels') : undefined;
  const lh = isRecord(labels) ? hintsFromLabels(labels) : {};
  const fh = hintsFromName(file);
  const model =
    lh.model ??
    optStr(get(b, 'worker', 'backend_model')) ??
    optStr(get(doc, 'args', 'model')) ??
    optStr(get(doc, 'config', 'spec', 'backend', 'model')) ??
    optStr(get(b, 'config', 'backend', 'model'));
  const dep = buildDeployment({
    model,
    ...preferLabelHints(lh, fh),
    engine: lh.engine,
  });
  notes.push(...dep.notes);
  if (!lh.gpu && fh.gpu) notes.push(`GPU "${fh.gpu}" taken from the file name`);
  if ((lh.tp ?? fh.tp) !== undefined && lh.tp === undefined) notes.push('tp taken from the file name');
  if ((lh.precision ?? fh.precision) !== undefined && lh.precision === undefined) notes.push('precision taken from the file name');

  const workload: MeasuredWorkload = {
    ...load.w,
    requests: nTotal,
    durationS: duration,
    ...(lengths ? { lengths } : {}),
  };
  const reason = reasons[0] ?? dep.reason; // run problems first: a missing GPU can be supplied later (validate --hardware)
  // the benchmark's end (epoch seconds, the client's clock) dates the run, as vLLM bench's `date` does
  const endS = optNum(b.end_time);
  const savedAt = endS !== undefined && endS > 0 ? new Date(endS * 1000).toISOString().slice(0, 19) : undefined;
  return {
    id: `${basename(file)}#${i}`,
    source: { file, tool: 'guidellm', format: era, notes: notes.join(' | '), ...(savedAt ? { savedAt } : {}) },
    deployment: dep.deployment,
    workload,
    metrics: out,
    ...(perRequest ? { perRequest } : {}),
    ...(reason ? { unmappedReason: reason } : {}),
  };
}

function dataCandidates(doc: Record<string, unknown>, b: Record<string, unknown>, era: GuidellmEra): { value: unknown; path: string }[] {
  const out: { value: unknown; path: string }[] = [];
  const push = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((v, k) => push(v, `${path}[${k}]`));
    else if (value !== undefined && value !== null) out.push({ value, path });
  };
  if (era === 'v0.2-0.3') push(get(b, 'request_loader', 'data'), 'request_loader.data');
  if (era === 'v0.4' || era === 'v0.5-0.6') push(get(doc, 'args', 'data'), 'args.data');
  if (era === 'v0.7') push(get(doc, 'config', 'spec', 'data'), 'config.spec.data');
  push(get(b, 'config', 'requests', 'data'), 'config.requests.data');
  return out;
}

function measuredLengths(name: string, inTok: Record<string, unknown>, outTok: Record<string, unknown>): LengthSpec {
  const stats = (g: Record<string, unknown>): { mean?: number; median?: number; stdev?: number; min?: number; max?: number } => {
    const r: { mean?: number; median?: number; stdev?: number; min?: number; max?: number } = {};
    const mean = optNum(g.mean);
    const median = optNum(g.median);
    const stdev = optNum(g.std_dev);
    const min = optNum(g.min);
    const max = optNum(g.max);
    if (mean !== undefined) r.mean = mean;
    if (median !== undefined) r.median = median;
    if (stdev !== undefined) r.stdev = stdev;
    if (min !== undefined) r.min = min;
    if (max !== undefined) r.max = max;
    return r;
  };
  return {
    kind: 'dataset',
    name,
    input: stats(inTok),
    output: stats(outTok),
    citation: 'token counts measured in this GuideLLM run (metrics.prompt_token_count / output_token_count, successful requests)',
  };
}

// ---------------------------------------------------------------------------------------------------
// v0.1: raw request results only; the summary statistics are recomputed with GuideLLM's definitions

interface V01Result {
  input: number;
  output: number;
  ttft: number;
  e2e: number;
  start: number;
  end: number;
  gaps: number[];
}

function importV01(doc: Record<string, unknown>, file: string): MeasuredBenchmark[] {
  const out: MeasuredBenchmark[] = [];
  (doc.benchmarks as unknown[]).forEach((reportRaw, ri) => {
    const rctx = new Ctx(file, `benchmarks[${ri}]`);
    const report = obj(reportRaw, rctx);
    const args = isRecord(report.args) ? report.args : {};
    const inner: unknown[] = Array.isArray(report.benchmarks)
      ? report.benchmarks
      : rctx.at('benchmarks').fail('a list of benchmarks', report.benchmarks);
    inner.forEach((benchRaw, bi) => {
      const ctx = rctx.at('benchmarks').at(bi);
      const bench = obj(benchRaw, ctx);
      const notes: string[] = ['GuideLLM v0.1 (raw results; statistics recomputed with GuideLLM definitions)'];
      const reasons: string[] = [];
      const mode = bench.mode;
      let w: Partial<MeasuredWorkload>;
      if (mode === 'synchronous') w = { load: 'synchronous' };
      else if (mode === 'throughput') w = { load: 'throughput' };
      else if (mode === 'asynchronous') {
        const rate = num(bench.rate, ctx.at('rate'));
        w = { load: args.rate_type === 'poisson' ? 'poisson' : 'constant', rate };
        if (args.rate_type === 'sweep') notes.push('profile sweep');
      } else return ctx.at('mode').fail('synchronous, asynchronous or throughput', mode);

      const resultsRaw = bench.results;
      if (!Array.isArray(resultsRaw)) return ctx.at('results').fail('a list of request results', resultsRaw);
      const results: V01Result[] = resultsRaw.map((r, k) => {
        const c = ctx.at('results').at(k);
        const rec = obj(r, c);
        const req = isRecord(rec.request) ? rec.request : {};
        const start = num(rec.start_time, c.at('start_time'));
        const end = num(rec.end_time, c.at('end_time'));
        const gapsRaw = get(rec, 'decode_times', 'data');
        const gaps = Array.isArray(gapsRaw) ? gapsRaw.map((g, j) => num(g, c.at('decode_times.data').at(j))) : [];
        return {
          input: num(rec.prompt_token_count ?? req.prompt_token_count, c.at('prompt_token_count')),
          output: num(rec.output_token_count ?? req.output_token_count, c.at('output_token_count')),
          ttft: num(rec.first_token_time, c.at('first_token_time')),
          e2e: end - start,
          start,
          end,
          gaps,
        };
      });
      const errors = Array.isArray(bench.errors) ? bench.errors.length : 0;
      const metrics: MeasuredMetric[] = [];
      let durationS: number | undefined;
      if (results.length > 0) {
        const t0 = Math.min(...results.map((r) => r.start));
        const t1 = Math.max(...results.map((r) => r.end));
        durationS = t1 - t0;
        const stats = (metric: MetricId, values: number[], weights?: number[]): void => {
          if (values.length === 0) return;
          metrics.push({ metric, statistic: 'mean', value: weightedMean(values, weights) });
          for (const [stat, p] of [['median', 0.5], ['p90', 0.9], ['p95', 0.95], ['p99', 0.99]] as const) {
            metrics.push({ metric, statistic: stat, value: weightedPercentile(values, weights, p) });
          }
        };
        stats('ttft', results.map((r) => r.ttft));
        stats('e2e', results.map((r) => r.e2e));
        const withGaps = results.filter((r) => r.gaps.length > 0);
        stats('itl', withGaps.flatMap((r) => r.gaps));
        stats(
          'itl_guidellm',
          withGaps.map((r) => r.gaps.reduce((a, g) => a + g, 0) / r.gaps.length),
          withGaps.map((r) => r.gaps.length),
        );
        stats('tpot', withGaps.map((r) => r.gaps.reduce((a, g) => a + g, 0) / r.gaps.length));
        if (durationS > 0) {
          const sumIn = results.reduce((a, r) => a + r.input, 0);
          const sumOut = results.reduce((a, r) => a + r.output, 0);
          metrics.push({ metric: 'request_throughput', statistic: 'value', value: results.length / durationS });
          metrics.push({ metric: 'output_throughput', statistic: 'value', value: sumOut / durationS });
          metrics.push({ metric: 'input_throughput', statistic: 'value', value: sumIn / durationS });
          metrics.push({ metric: 'total_token_throughput', statistic: 'value', value: (sumIn + sumOut) / durationS });
        }
        notes.push('duration = last end − first start of the results; itl = every decode_times gap; tpot = per-request mean gap');
      } else reasons.push('no successful requests');
      if (errors > 0) notes.push(`${errors} errored requests excluded`);

      const perRequest: PerRequestRecords | undefined =
        results.length > 0
          ? {
              inputTokens: results.map((r) => r.input),
              outputTokens: results.map((r) => r.output),
              ttftS: results.map((r) => r.ttft),
              e2eS: results.map((r) => r.e2e),
              ...(results.every((r) => r.gaps.length > 0)
                ? { tpotS: results.map((r) => r.gaps.reduce((a, g) => a + g, 0) / r.gaps.length) }
                : {}),
            }
          : undefined;
      let lengths: LengthSpec | undefined;
      for (const [k, v] of Object.entries(args)) {
        const syn = parseSyntheticData(v, { file, path: `benchmarks[${ri}].args.${k}` });
        if (syn?.lengths) {
          lengths = syn.lengths;
          break;
        }
      }
      if (!lengths && perRequest) lengths = { kind: 'per-request', inputTokens: perRequest.inputTokens, outputTokens: perRequest.outputTokens };
      if (!lengths) reasons.push('workload lengths not stated');

      const fh = hintsFromName(file);
      const dep = buildDeployment({ model: optStr(args.model), gpu: fh.gpu, numGpus: fh.numGpus, tp: fh.tp, pp: fh.pp, precision: fh.precision });
      notes.push(...dep.notes);
      const reason = reasons[0] ?? dep.reason; // run problems first: a missing GPU can be supplied later (validate --hardware)
      out.push({
        id: `${basename(file)}#${out.length}`,
        source: { file, tool: 'guidellm', format: 'v0.1', notes: notes.join(' | ') },
        deployment: dep.deployment,
        workload: {
          ...w,
          requests: results.length + errors,
          ...(durationS !== undefined ? { durationS } : {}),
          ...(lengths ? { lengths } : {}),
        },
        metrics,
        ...(perRequest ? { perRequest } : {}),
        ...(reason ? { unmappedReason: reason } : {}),
      });
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------
// CSV: the user-made summary of the examples (reports/parse_benchmarks.py in nirjhar17/guidellm-pd-disaggregation)

export const GUIDELLM_SUMMARY_COLUMNS = [
  'source_file',
  'profile',
  'rate',
  'duration_s',
  'total_requests',
  'error_requests',
  'ttft_mean_ms',
  'ttft_median_ms',
  'ttft_p99_ms',
  'ttft_min_ms',
  'ttft_max_ms',
  'itl_mean_ms',
  'itl_median_ms',
  'itl_p99_ms',
  'req_latency_mean_s',
  'req_latency_median_s',
  'req_latency_p99_s',
  'rps_mean',
  'concurrency_mean',
  'prompt_tokens_mean',
  'output_tokens_mean',
] as const;

export function isGuidellmSummaryHeader(fields: readonly string[]): boolean {
  return fields.length === GUIDELLM_SUMMARY_COLUMNS.length && GUIDELLM_SUMMARY_COLUMNS.every((c, i) => fields[i]?.trim() === c);
}

/** GuideLLM's own CSV export: v0.2–0.3 one header row ("Type, Run Id, …"), v0.4+ three ("Run Info", …). */
export function isGuidellmNativeCsvHeader(fields: readonly string[]): boolean {
  const first = fields[0]?.trim();
  return (first === 'Type' && fields.some((f) => f.trim() === 'Run Id')) || first === 'Run Info' || (first === 'Benchmark' && fields.length > 5);
}

/**
 * The summary CSV written by parse_benchmarks.py (GuideLLM 0.5 reports). Its semantics, read from that
 * script: every statistic comes from the `total` status group; `itl_*` columns are GuideLLM
 * `time_per_output_token_ms` (→ tpot_guidellm, v0.5 meaning), not inter_token_latency_ms; total_requests
 * counts the successful request records; "-" means absent (its p99 columns are always "-").
 */
export function importGuidellmSummaryCsv(path: string, text: string = readText(path)): MeasuredBenchmark[] {
  const rows = parseCsv(text, path);
  const header = rows[0];
  if (!header || !isGuidellmSummaryHeader(header.fields)) {
    throw new InputError(`${path}:1: expected the GuideLLM summary header ${GUIDELLM_SUMMARY_COLUMNS.join(',')}`);
  }
  return rows.slice(1).map((row, k) => summaryRow(row, k, path));
}

function summaryRow(row: CsvRow, k: number, file: string): MeasuredBenchmark {
  if (row.fields.length !== GUIDELLM_SUMMARY_COLUMNS.length) {
    throw new InputError(`${file}:${row.line}: expected ${GUIDELLM_SUMMARY_COLUMNS.length} columns, found ${row.fields.length}`);
  }
  const f = Object.fromEntries(GUIDELLM_SUMMARY_COLUMNS.map((c, i) => [c, row.fields[i]!.trim()])) as Record<
    (typeof GUIDELLM_SUMMARY_COLUMNS)[number],
    string
  >;
  const val = (c: (typeof GUIDELLM_SUMMARY_COLUMNS)[number]): number | undefined => {
    const v = f[c];
    if (v === '-' || v === '') return undefined;
    if (!/^[-+]?\d*\.?\d+(e[-+]?\d+)?$/i.test(v)) throw new InputError(`${file}:${row.line}: column "${c}": expected a number or "-", found "${v}"`);
    return Number(v);
  };
  const notes = [
    'GuideLLM 0.5 summary CSV (parse_benchmarks.py): statistics of the total status group; itl_* columns are time_per_output_token_ms',
  ];
  const reasons: string[] = [];
  const profile = f.profile;
  const rate = val('rate');
  let w: Partial<MeasuredWorkload>;
  switch (profile) {
    case 'synchronous':
      w = { load: 'synchronous' };
      break;
    case 'throughput':
      w = { load: 'throughput' };
      break;
    case 'concurrent': {
      const streams = rate ?? (/concurrent[-_]?(\d+)/i.exec(f.source_file) ? Number(/concurrent[-_]?(\d+)/i.exec(f.source_file)![1]) : undefined);
      if (rate === undefined && streams !== undefined) notes.push(`streams ${streams} taken from source_file "${f.source_file}"`);
      w = { load: 'concurrent', ...(streams !== undefined ? { concurrency: streams } : {}) };
      if (streams === undefined) reasons.push('concurrency not stated');
      break;
    }
    case 'constant':
    case 'poisson':
      w = { load: profile, ...(rate !== undefined ? { rate } : {}) };
      if (rate === undefined) reasons.push('request rate not stated');
      break;
    default:
      throw new InputError(`${file}:${row.line}: column "profile": expected synchronous, concurrent, throughput, constant or poisson, found "${profile}"`);
  }
  if (/^sweep\[(\d+)\]$/.test(f.source_file)) notes.push(`profile sweep, strategy ${Number(/\[(\d+)\]/.exec(f.source_file)![1]) + 1}`);
  const duration = val('duration_s');
  const ok = val('total_requests');
  const errors = val('error_requests');
  const metrics: MeasuredMetric[] = [];
  const push = (metric: MetricId, statistic: Statistic, v: number | undefined, scale: number): void => {
    if (v !== undefined) metrics.push({ metric, statistic, value: v * scale });
  };
  push('ttft', 'mean', val('ttft_mean_ms'), 1e-3);
  push('ttft', 'median', val('ttft_median_ms'), 1e-3);
  push('ttft', 'p99', val('ttft_p99_ms'), 1e-3);
  push('tpot_guidellm', 'mean', val('itl_mean_ms'), 1e-3);
  push('tpot_guidellm', 'median', val('itl_median_ms'), 1e-3);
  push('tpot_guidellm', 'p99', val('itl_p99_ms'), 1e-3);
  push('e2e', 'mean', val('req_latency_mean_s'), 1);
  push('e2e', 'median', val('req_latency_median_s'), 1);
  push('e2e', 'p99', val('req_latency_p99_s'), 1);
  if (ok !== undefined && duration !== undefined && duration > 0) {
    metrics.push({ metric: 'request_throughput', statistic: 'value', value: ok / duration });
    const outMean = val('output_tokens_mean');
    if (outMean !== undefined) notes.push(`output_tokens_mean ${outMean} is rounded; no output throughput derived`);
  }
  if (errors) notes.push(`${errors} errored requests (included in the total-group statistics)`);
  const rps = val('rps_mean');
  if (rps !== undefined) notes.push(`rps_mean ${rps} (GuideLLM time-weighted; not used)`);
  const inMean = val('prompt_tokens_mean');
  const outMean = val('output_tokens_mean');
  const lengths: LengthSpec | undefined =
    inMean !== undefined && outMean !== undefined
      ? {
          kind: 'dataset',
          name: 'unstated',
          input: { mean: inMean },
          output: { mean: outMean },
          citation: 'mean token counts measured in this GuideLLM run (prompt_tokens_mean / output_tokens_mean of the summary CSV, rounded)',
        }
      : undefined;
  if (!lengths) reasons.push('workload lengths not stated');
  const dep = buildDeployment({});
  return {
    id: `${basename(file)}#${k}`,
    source: { file, tool: 'guidellm', format: 'summary-csv', notes: notes.join(' | ') },
    deployment: dep.deployment,
    workload: {
      ...w,
      ...(ok !== undefined ? { requests: ok + (errors ?? 0) } : {}),
      ...(duration !== undefined ? { durationS: duration } : {}),
      ...(lengths ? { lengths } : {}),
    },
    metrics,
    unmappedReason: reasons[0] ?? dep.reason ?? 'model not stated',
  };
}
