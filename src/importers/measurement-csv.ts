import { basename } from 'node:path';
import { didYouMean, InputError } from '../diagnostics/errors.ts';
import { parseCsv, type CsvRow } from '../io/csv.ts';
import { STATISTICS, type Statistic } from '../metrics/definitions.ts';
import { datasetFromText, datasetGap, datasetLengths } from './datasets.ts';
import { buildDeployment } from './normalize.ts';
import { readText } from './read-file.ts';
import type { LengthSpec, LoadKind, MeasuredBenchmark, MeasuredMetric, MeasuredWorkload, RejectedMetric } from './types.ts';
import { rejectImpossibleFigure } from './figures.ts';

/**
 * The measurement CSV schema of shared/measurements (SOURCES.md): one row per (run, metric, statistic).
 * Rows of one run — same deployment, workload and load, consecutive in the file — become one
 * MeasuredBenchmark with many metrics. Nothing is dropped silently: rows that are not plain measurements,
 * or whose deployment servesim cannot simulate, give records with an `unmappedReason`.
 */

export const MEASUREMENT_COLUMNS = [
  'source_id',
  'gpu',
  'num_gpus',
  'tp',
  'pp',
  'ep',
  'model',
  'precision',
  'engine',
  'engine_version',
  'dataset_or_isl_osl',
  'isl',
  'osl',
  'load_kind',
  'load_value',
  'metric',
  'statistic',
  'value',
  'unit',
  'measured_or_projected',
  'notes',
] as const;
type Column = (typeof MEASUREMENT_COLUMNS)[number];

/** columns that describe one measured figure rather than the run it belongs to */
const FIGURE_COLUMNS: readonly Column[] = ['metric', 'statistic', 'value', 'unit', 'notes'];
/** the columns that identify one run (SOURCES.md), incl. measured_or_projected so simulated rows stay apart */
const RUN_KEY: readonly Column[] = MEASUREMENT_COLUMNS.filter((c) => !FIGURE_COLUMNS.includes(c));

const UNITS = ['ms', 's', 'tokens/s', 'req/s', 'tokens/s/GPU', 'tokens/s/node'] as const;
type Unit = (typeof UNITS)[number];
const LATENCY_CSV_METRICS = ['ttft', 'itl', 'tpot', 'e2e_latency', 'batch_elapsed_time', 'latency_unspecified_ms'];
const LOAD_KINDS = ['offline', 'rate', 'concurrency', 'sync'];

// ---------------------------------------------------------------------------------------------------
// CSV text → rows

export function isMeasurementHeader(fields: readonly string[]): boolean {
  return fields[0]?.trim() === 'source_id' && fields.some((f) => f.trim() === 'measured_or_projected');
}

// ---------------------------------------------------------------------------------------------------
// rows → records

interface ParsedRow {
  readonly line: number;
  readonly raw: Readonly<Record<Column, string>>;
  readonly numGpus?: number;
  readonly tp?: number;
  readonly pp?: number;
  readonly ep?: number;
  readonly isl?: number;
  readonly osl?: number;
  readonly statistic: Statistic;
  readonly value: number;
  readonly unit: Unit;
}

export function importMeasurementCsv(path: string, text: string = readText(path)): MeasuredBenchmark[] {
  const file = path;
  const rows = parseCsv(text, file);
  const header = rows[0];
  if (!header) throw new InputError(`${file}: the file is empty; expected a header row (${MEASUREMENT_COLUMNS.join(',')})`);
  const index = validateHeader(header, file);
  const parsed = rows.slice(1).map((r) => parseRow(r, index, file));
  return groupRuns(parsed).map((g) => buildRecord(g, file));
}

function validateHeader(header: CsvRow, file: string): Map<Column, number> {
  const names = header.fields.map((f) => f.trim());
  const index = new Map<Column, number>();
  const problems: string[] = [];
  names.forEach((n, i) => {
    if ((MEASUREMENT_COLUMNS as readonly string[]).includes(n)) {
      if (index.has(n as Column)) problems.push(`column "${n}" appears twice`);
      index.set(n as Column, i);
    } else {
      const guess = didYouMean(n, MEASUREMENT_COLUMNS);
      problems.push(`unexpected column "${n}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
  });
  const missing = MEASUREMENT_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) problems.push(`missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`);
  if (problems.length > 0) {
    throw new InputError(
      `${file}:${header.line}: header does not match the measurement CSV schema: ${problems.join('; ')}. ` +
        `Expected: ${MEASUREMENT_COLUMNS.join(',')}`,
    );
  }
  return index;
}

function parseRow(row: CsvRow, index: Map<Column, number>, file: string): ParsedRow {
  if (row.fields.length !== MEASUREMENT_COLUMNS.length) {
    throw new InputError(
      `${file}:${row.line}: expected ${MEASUREMENT_COLUMNS.length} columns, found ${row.fields.length}` +
        ` (a field with a comma must be quoted)`,
    );
  }
  const raw = Object.fromEntries(MEASUREMENT_COLUMNS.map((c) => [c, row.fields[index.get(c)!]!.trim()])) as Record<
    Column,
    string
  >;
  const where = (col: Column): string => `${file}:${row.line}: column "${col}"`;
  const optionalInt = (col: Column): number | undefined => {
    const v = raw[col];
    if (v === '' || v === '-' || /not stated/i.test(v)) return undefined;
    if (!/^\d+$/.test(v) || Number(v) <= 0) throw new InputError(`${where(col)}: expected a positive integer or nothing, found "${v}"`);
    return Number(v);
  };
  // isl/osl may be measured means (blis_vllm states them with decimals), so a positive decimal is accepted there.
  const optionalMeanLength = (col: Column): number | undefined => {
    const v = raw[col];
    if (v === '' || v === '-' || /not stated/i.test(v)) return undefined;
    if (!/^(\d+\.?\d*|\.\d+)$/.test(v) || !(Number(v) > 0)) {
      throw new InputError(`${where(col)}: expected a positive number of tokens or nothing, found "${v}"`);
    }
    return Number(v);
  };
  // ep = 0 is how InferenceX records "expert parallelism off" (experts sharded by TP): the same as EP 1.
  const optionalEp = (): number | undefined => (raw.ep === '0' ? 1 : optionalInt('ep'));
  const valueText = raw.value;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(valueText)) {
    throw new InputError(`${where('value')}: expected a number, found "${valueText}"`);
  }
  const statistic = raw.statistic as Statistic;
  if (!STATISTICS.includes(statistic)) {
    throw new InputError(`${where('statistic')}: expected one of ${STATISTICS.join(', ')}, found "${raw.statistic}"`);
  }
  const unit = raw.unit as Unit;
  if (!(UNITS as readonly string[]).includes(unit)) {
    throw new InputError(`${where('unit')}: expected one of ${UNITS.join(', ')}, found "${raw.unit}"`);
  }
  const isLatency = LATENCY_CSV_METRICS.includes(raw.metric);
  if (isLatency && unit !== 'ms' && unit !== 's') {
    throw new InputError(`${where('unit')}: metric "${raw.metric}" is a latency and needs ms or s, found "${unit}"`);
  }
  if (!isLatency && (unit === 'ms' || unit === 's') && /throughput/.test(raw.metric)) {
    throw new InputError(`${where('unit')}: metric "${raw.metric}" is a throughput, found the time unit "${unit}"`);
  }
  const lk = raw.load_kind;
  if (lk !== '' && !/^not stated$/i.test(lk) && !LOAD_KINDS.includes(lk)) {
    throw new InputError(`${where('load_kind')}: expected one of ${LOAD_KINDS.join(', ')}, found "${lk}"`);
  }
  const numGpus = optionalInt('num_gpus');
  const tp = optionalInt('tp');
  const pp = optionalInt('pp');
  const ep = optionalEp();
  const isl = optionalMeanLength('isl');
  const osl = optionalMeanLength('osl');
  return {
    line: row.line,
    raw,
    ...(numGpus !== undefined ? { numGpus } : {}),
    ...(tp !== undefined ? { tp } : {}),
    ...(pp !== undefined ? { pp } : {}),
    ...(ep !== undefined ? { ep } : {}),
    ...(isl !== undefined ? { isl } : {}),
    ...(osl !== undefined ? { osl } : {}),
    statistic,
    value: Number(valueText),
    unit,
  };
}

/**
 * Runs are consecutive rows with the same run key. A (metric, statistic) pair that repeats inside such a
 * block starts a new run: MLPerf, for one, has several systems with identical key columns.
 */
function groupRuns(rows: readonly ParsedRow[]): ParsedRow[][] {
  const groups: ParsedRow[][] = [];
  let seen = new Set<string>();
  let prevKey: string | undefined;
  for (const r of rows) {
    const key = RUN_KEY.map((c) => r.raw[c]).join('\u0001');
    const ms = `${r.raw.metric}\u0001${r.statistic}`;
    const current = groups[groups.length - 1];
    if (current && key === prevKey && !seen.has(ms)) {
      current.push(r);
    } else {
      groups.push([r]);
      seen = new Set();
    }
    seen.add(ms);
    prevKey = key;
  }
  return groups;
}

interface LoadResult {
  readonly load?: LoadKind;
  readonly rate?: number;
  readonly concurrency?: number;
  readonly requests?: number;
  readonly note?: string;
  readonly reason?: string;
}

function parseLoad(kind: string, value: string, where: string): LoadResult {
  const v = value.trim();
  const prompts = /(\d+)\s*prompts/i.exec(v);
  const requests = prompts ? { requests: Number(prompts[1]) } : {};
  switch (kind) {
    case 'sync':
      return { load: 'synchronous' };
    case 'concurrency': {
      const n = /^(\d+)/.exec(v);
      if (!n) throw new InputError(`${where} column "load_value": load_kind concurrency needs a number of streams, found "${v}"`);
      return { load: 'concurrent', concurrency: Number(n[1]) };
    }
    case 'rate': {
      if (/inf/i.test(v)) return { load: 'throughput', ...requests, note: `rate "${v}": all requests at once` };
      const n = /^(?:rate\s*)?(\d+\.?\d*|\.\d+)/i.exec(v);
      if (n) return { load: 'poisson', rate: Number(n[1]) };
      if (v === '') return { load: 'poisson', reason: 'request rate not stated' };
      throw new InputError(`${where} column "load_value": load_kind rate needs a rate in req/s or "inf", found "${v}"`);
    }
    case 'offline': {
      const batch = /^(\d+)$/.exec(v) ?? /batch\D{0,12}(\d+)/i.exec(v) ?? /^(\d+)\s*\(batch/i.exec(v);
      if (batch) return { load: 'offline-batch', concurrency: Number(batch[1]), note: `static batch size ${batch[1]}` };
      return { load: 'throughput', ...requests, ...(v !== '' ? { note: `offline load "${v}"` } : {}) };
    }
    default:
      return { reason: 'load not stated' };
  }
}

/**
 * InferenceX random prompts (SOURCES.md): with range ratio r < 1 its client draws each length uniformly from
 * [int(L·r), L] (input and output alike; at least 1 token), so "1024/1024, range ratio 0" averages ~512/512.
 */
function randomRangeLengths(r: ParsedRow): { lengths: LengthSpec; note: string } | undefined {
  const ratio = /range ratio (\d*\.?\d+)/i.exec(r.raw.dataset_or_isl_osl);
  if (!ratio || r.isl === undefined || r.osl === undefined || /fixed lengths/i.test(r.raw.dataset_or_isl_osl)) return undefined;
  const rr = Number(ratio[1]);
  if (!(rr >= 0 && rr < 1)) return undefined;
  const range = (l: number) => {
    const min = Math.max(1, Math.floor(l * rr));
    return { mean: (min + l) / 2, min, max: l };
  };
  const input = range(r.isl);
  const output = range(r.osl);
  return {
    lengths: { kind: 'synthetic', input, output },
    note: `random lengths, range ratio ${rr}: input uniform in [${input.min}, ${input.max}], output uniform in [${output.min}, ${output.max}]`,
  };
}

function lengthsFor(r: ParsedRow): { lengths?: LengthSpec; reason?: string; note?: string } {
  const ranged = randomRangeLengths(r);
  if (ranged) return ranged;
  if (r.isl !== undefined && r.osl !== undefined) {
    // A fractional isl/osl is a measured mean; the fixed-length replay needs whole tokens.
    const input = Math.max(1, Math.round(r.isl));
    const output = Math.max(1, Math.round(r.osl));
    const rounded = input !== r.isl || output !== r.osl;
    return {
      lengths: { kind: 'fixed', inputTokens: input, outputTokens: output },
      ...(rounded ? { note: `mean lengths ${r.isl}/${r.osl} replayed as fixed ${input}/${output} tokens` } : {}),
    };
  }
  const text = r.raw.dataset_or_isl_osl;
  const fixed = /(\d+)\s*\/\s*(\d+)/.exec(text);
  if (fixed && /fixed|synthetic|random/i.test(text)) {
    return { lengths: { kind: 'fixed', inputTokens: Number(fixed[1]), outputTokens: Number(fixed[2]) } };
  }
  const ds = datasetFromText(text);
  if (ds) {
    const gap = datasetGap(ds);
    return { lengths: datasetLengths(ds), ...(gap ? { reason: gap } : {}) };
  }
  if (r.isl !== undefined) return { reason: 'output length not stated', note: `input length ${r.isl}` };
  return { reason: 'workload lengths not stated' };
}

/**
 * A measured figure: `measured`, or `measured (setup partly inferred: …)` — InferenceX runs whose result
 * file does not name the GPU or TP; the measurement stands and the inference is in the notes. Other
 * qualifiers (overloaded, derived, transcribed) keep their rows out of validation.
 */
const isMeasurement = (v: string): boolean => v === 'measured' || v.startsWith('measured (setup partly inferred');

const toSeconds = (value: number, unit: Unit): number => (unit === 'ms' ? value / 1000 : value);

function buildRecord(rows: readonly ParsedRow[], file: string): MeasuredBenchmark {
  const first = rows[0]!;
  const raw = first.raw;
  const where = `${file}:${first.line}:`;
  const notes: string[] = [];
  const reasons: string[] = [];

  if (!isMeasurement(raw.measured_or_projected)) reasons.push(`not a measurement: ${raw.measured_or_projected || '(empty)'}`);

  const dep = buildDeployment({
    model: raw.model,
    gpu: raw.gpu,
    numGpus: first.numGpus,
    tp: first.tp,
    pp: first.pp,
    ep: first.ep,
    precision: raw.precision,
    engine: raw.engine,
    engineVersion: raw.engine_version,
    sourceId: raw.source_id,
  });
  notes.push(...dep.notes);
  if (dep.reason) reasons.push(dep.reason);
  if (/not stated/i.test(raw.num_gpus)) notes.push(`num_gpus "${raw.num_gpus}"`);

  const load = parseLoad(raw.load_kind, raw.load_value, where);
  if (load.note) notes.push(load.note);
  if (load.reason) reasons.push(load.reason);
  const promptsInDataset = /num_prompts=(\d+)|(\d+)\s*prompts/i.exec(raw.dataset_or_isl_osl);
  // InferenceX notes state the run's request count ("num_prompts=40"; not the client's "num_prompts=10x conc")
  const promptsInNotes = /\bnum_prompts=(\d+)(?![\dx])/.exec(raw.notes);
  const requests =
    load.requests ??
    (promptsInDataset ? Number(promptsInDataset[1] ?? promptsInDataset[2]) : promptsInNotes ? Number(promptsInNotes[1]) : undefined);

  // metrics
  const metrics: MeasuredMetric[] = [];
  const rejectedMetrics: RejectedMetric[] = [];
  const metricReasons: string[] = [];
  const add = (m: MeasuredMetric, line: number): void => {
    if (metrics.some((x) => x.metric === m.metric && x.statistic === m.statistic)) {
      notes.push(`line ${line}: ${m.metric} ${m.statistic} already stated by an earlier row; this one is kept in notes only`);
      return;
    }
    const rejected = rejectImpossibleFigure(m, `${file}:${line}`);
    if (rejected) rejectedMetrics.push(rejected);
    else metrics.push(m);
  };
  const numGpus = dep.deployment.numGpus;
  const nodes = rows.map((r) => /\bnodes=(\d+)/.exec(r.raw.notes)?.[1]).find((n) => n !== undefined);
  for (const r of rows) {
    const m = r.raw.metric;
    const st = r.statistic;
    switch (m) {
      case 'output_throughput':
      case 'total_token_throughput':
      case 'request_throughput':
        add({ metric: m, statistic: st, value: r.value }, r.line);
        break;
      case 'output_throughput_per_gpu':
        if (numGpus !== undefined) {
          add({ metric: 'output_throughput', statistic: st, value: r.value * numGpus }, r.line);
          notes.push(`output_throughput = output_throughput_per_gpu ${r.value} × num_gpus ${numGpus}`);
        } else {
          notes.push(`output_throughput_per_gpu ${r.value} not converted: GPU count unknown`);
          metricReasons.push('per-GPU throughput without a GPU count');
        }
        break;
      case 'input_throughput_per_node':
      case 'output_throughput_per_node': {
        const id = m === 'input_throughput_per_node' ? 'input_throughput' : 'output_throughput';
        if (nodes !== undefined) {
          add({ metric: id, statistic: st, value: r.value * Number(nodes) }, r.line);
          notes.push(`${id} = ${m} ${r.value} × nodes ${nodes} (node count from notes)`);
        } else {
          notes.push(`${m} ${r.value} ${r.unit} kept here only: node count unknown`);
          metricReasons.push('per-node throughput without a node count');
        }
        break;
      }
      case 'ttft':
      case 'itl':
      case 'tpot':
        add({ metric: m, statistic: st, value: toSeconds(r.value, r.unit) }, r.line);
        break;
      case 'e2e_latency':
        add({ metric: 'e2e', statistic: st, value: toSeconds(r.value, r.unit) }, r.line);
        break;
      case 'batch_elapsed_time':
        if (load.load === 'offline-batch') {
          add({ metric: 'e2e', statistic: st, value: toSeconds(r.value, r.unit) }, r.line);
          notes.push('batch_elapsed_time of a static batch taken as the e2e latency of its requests');
        } else {
          notes.push(`batch_elapsed_time ${r.value} ${r.unit} skipped: not a static batch, so not a per-request latency`);
          metricReasons.push('batch elapsed time is not a request latency');
        }
        break;
      case 'latency_unspecified_ms':
        notes.push(`latency_unspecified_ms ${r.value} skipped: the source does not define it`);
        metricReasons.push('metric "latency_unspecified_ms" is not defined by its source');
        break;
      default:
        notes.push(`metric "${m}" (${r.value} ${r.unit}) not recognised`);
        metricReasons.push(`metric "${m}" not recognised`);
    }
  }
  if (metrics.length === 0) reasons.push(metricReasons[0] ?? 'no usable metric');
  else if (metricReasons.some((x) => x.startsWith('per-'))) reasons.push(metricReasons.find((x) => x.startsWith('per-'))!);

  const len = lengthsFor(first);
  if (len.note) notes.push(len.note);
  if (len.reason) reasons.push(len.reason);

  const workload: MeasuredWorkload = {
    ...(load.load ? { load: load.load } : {}),
    ...(load.rate !== undefined ? { rate: load.rate } : {}),
    ...(load.concurrency !== undefined ? { concurrency: load.concurrency } : {}),
    ...(requests !== undefined ? { requests } : {}),
    ...(len.lengths ? { lengths: len.lengths } : {}),
  };

  const rowNotes = [...new Set(rows.map((r) => r.raw.notes).filter((n) => n !== ''))];
  const allNotes = [...rowNotes, ...notes];
  return {
    id: `${raw.source_id || basename(file)}#${first.line}`,
    source: {
      file,
      tool: 'measurement-csv',
      format: raw.source_id || 'measurement-csv',
      ...(raw.source_id ? { sourceId: raw.source_id } : {}),
      ...(allNotes.length > 0 ? { notes: allNotes.join(' | ') } : {}),
    },
    deployment: dep.deployment,
    workload,
    metrics,
    ...(rejectedMetrics.length > 0 ? { rejectedMetrics } : {}),
    ...(reasons.length > 0 ? { unmappedReason: reasons[0]! } : {}),
    measuredOrProjected: raw.measured_or_projected,
  };
}
