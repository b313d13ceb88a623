import { readTextFile } from '../io/read-text.ts';
import { InputError } from '../diagnostics/errors.ts';
import { parseCsv } from '../io/csv.ts';
import { parseMooncakeTrace, type TraceBlockHashes } from './trace-blocks.ts';

/**
 * Reading workload data from files (traces, length lists, rate curves). The only I/O in workload/; the
 * CLI calls it and hands simulate() plain arrays. CSV (RFC 4180, via io/csv.ts) needs a header row;
 * JSONL one object per line. Lines starting with # are comments.
 */
export interface TraceRows {
  readonly timesS: readonly number[];
  readonly inputTokens: readonly number[];
  readonly outputTokens: readonly number[];
  /** a Mooncake-style trace's per-request block hashes */
  readonly blockHashes?: TraceBlockHashes;
}

const TIME_KEYS = ['timestamp', 'time', 'time_s', 'arrival_time', 'arrival_s', 't'];
const INPUT_KEYS = ['input_tokens', 'prompt_tokens', 'input_length', 'input_len', 'isl', 'num_prefill_tokens'];
const OUTPUT_KEYS = ['output_tokens', 'completion_tokens', 'output_length', 'output_len', 'osl', 'num_decode_tokens'];
const RATE_KEYS = ['rate', 'rate_per_s', 'requests_per_s', 'qps', 'rps'];

function readRows(path: string): { rows: Record<string, string>[]; lineOf: (i: number) => number } {
  const text = readTextFile(path, 'workload file');
  const lines = text.split(/\r?\n/);
  const nonEmpty: { line: number; text: string }[] = [];
  lines.forEach((l, i) => {
    if (l.trim() !== '' && !l.trim().startsWith('#')) nonEmpty.push({ line: i + 1, text: l });
  });
  if (nonEmpty.length === 0) throw new InputError(`${path}: the file is empty`);
  if (nonEmpty[0]!.text.trim().startsWith('{')) {
    const rows = nonEmpty.map(({ line, text: t }) => {
      try {
        const obj = JSON.parse(t) as Record<string, unknown>;
        return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k.toLowerCase(), String(v)]));
      } catch {
        throw new InputError(`${path}:${line}: not a JSON object: ${t.slice(0, 60)}`);
      }
    });
    return { rows, lineOf: (i) => nonEmpty[i]!.line };
  }
  const csv = parseCsv(text, path).filter((r) => !(r.fields[0] ?? '').trim().startsWith('#'));
  const header = csv[0]!.fields.map((h) => h.trim().toLowerCase());
  const rows = csv.slice(1).map(({ line, fields }) => {
    if (fields.length !== header.length)
      throw new InputError(`${path}:${line}: expected ${header.length} columns (${header.join(', ')}), found ${fields.length}`);
    return Object.fromEntries(header.map((h, i) => [h, fields[i]!.trim()]));
  });
  if (rows.length === 0) throw new InputError(`${path}: a header (${header.join(', ')}) but no data rows`);
  return { rows, lineOf: (i) => csv[i + 1]!.line };
}

function column(path: string, rows: Record<string, string>[], lineOf: (i: number) => number, keys: string[], what: string, optional = false): number[] | undefined {
  const first = rows[0];
  const key = first ? keys.find((k) => k in first) : undefined;
  if (!key) {
    if (optional) return undefined;
    throw new InputError(`${path}: no ${what} column; expected one of: ${keys.join(', ')}; found: ${first ? Object.keys(first).join(', ') : 'no rows'}`);
  }
  return rows.map((r, i) => {
    const v = Number(r[key]);
    if (!Number.isFinite(v) || v < 0) throw new InputError(`${path}:${lineOf(i)}: ${key} must be a non-negative number, found "${r[key]}"`);
    return v;
  });
}

/**
 * A trace: CSV/JSONL of arrival time (seconds), input and output tokens; or, detected by its `hash_ids`
 * field, a Mooncake-style trace (JSONL: `timestamp` in ms, `input_length`, `output_length`, `hash_ids`),
 * whose block hashes name the content each request shares for the simulated prefix cache.
 */
export function readTrace(path: string): TraceRows {
  const mooncake = readMooncakeTrace(path);
  if (mooncake) return mooncake;
  const { rows, lineOf } = readRows(path);
  const timesS = column(path, rows, lineOf, TIME_KEYS, 'arrival time')!;
  for (let i = 1; i < timesS.length; i++)
    if (timesS[i]! < timesS[i - 1]!) throw new InputError(`${path}:${lineOf(i)}: arrival times must not decrease (${timesS[i]} after ${timesS[i - 1]})`);
  return {
    timesS,
    inputTokens: column(path, rows, lineOf, INPUT_KEYS, 'input tokens')!.map(Math.round),
    outputTokens: column(path, rows, lineOf, OUTPUT_KEYS, 'output tokens')!.map(Math.round),
  };
}

/** A Mooncake-style trace (its first record has `hash_ids`), or undefined for any other trace file. */
function readMooncakeTrace(path: string): TraceRows | undefined {
  const text = readTextFile(path, 'workload file');
  // comment lines blanked, not removed, so errors name the file's own line numbers
  const lines = text.split(/\r?\n/).map((l) => (l.trim().startsWith('#') ? '' : l));
  const first = lines.find((l) => l.trim() !== '')?.trim();
  if (first === undefined || !first.startsWith('{') || !/"hash_ids"\s*:/.test(first)) return undefined;
  const t = parseMooncakeTrace(lines.join('\n'), path);
  const lineOf = (i: number): number => {
    let n = -1;
    for (let k = 0; k < lines.length; k++) if (lines[k]!.trim() !== '' && ++n === i) return k + 1;
    return lines.length;
  };
  for (let i = 1; i < t.timesS.length; i++)
    if (t.timesS[i]! < t.timesS[i - 1]!) throw new InputError(`${path}:${lineOf(i)}: timestamp must not decrease (${t.timesS[i]! * 1000} ms after ${t.timesS[i - 1]! * 1000} ms)`);
  return { timesS: t.timesS, inputTokens: t.inputTokens, outputTokens: t.outputTokens, blockHashes: t.blockHashes };
}

export function readLengths(path: string): { inputTokens: number[]; outputTokens: number[] } {
  const fromDocument = lengthsFromBenchmarkDocument(path);
  if (fromDocument) return fromDocument;
  const { rows, lineOf } = readRows(path);
  return {
    inputTokens: column(path, rows, lineOf, INPUT_KEYS, 'input tokens')!.map(Math.round),
    outputTokens: column(path, rows, lineOf, OUTPUT_KEYS, 'output tokens')!.map(Math.round),
  };
}

export function readRateCurve(path: string): { timeS: number; ratePerS: number }[] {
  const { rows, lineOf } = readRows(path);
  const t = column(path, rows, lineOf, TIME_KEYS, 'time')!;
  const r = column(path, rows, lineOf, RATE_KEYS, 'rate')!;
  if (t.length < 2) throw new InputError(`${path}: a rate curve needs at least two points`);
  // equal times make a step; a time going back has no meaning
  for (let i = 1; i < t.length; i++)
    if (t[i]! < t[i - 1]!) throw new InputError(`${path}:${lineOf(i)}: rate-curve times must not decrease (${t[i]} after ${t[i - 1]})`);
  if (!(t[t.length - 1]! > t[0]!)) throw new InputError(`${path}: a rate curve must span some time (every point is at ${t[0]} s)`);
  return t.map((timeS, i) => ({ timeS, ratePerS: r[i]! }));
}

type Lengths = { inputTokens: number[]; outputTokens: number[] };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const tokenCount = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : undefined);

/**
 * Per-request lengths from a benchmark result file, so a user can replay what their own benchmark sent:
 *   - vLLM bench JSON (benchmark_serving.py / `vllm bench serve`): the `input_lens` and `output_lens`
 *     arrays, without the requests whose `errors` entry is non-empty;
 *   - GuideLLM benchmarks.json (v0.3 and later): every benchmark's `requests.successful` records,
 *     `prompt_tokens`/`output_tokens` (v0.3–v0.5) or `input_metrics.text_tokens`/`output_metrics.text_tokens`.
 * Undefined when the file is not such a document (CSV, JSONL): the caller reads it as rows.
 */
function lengthsFromBenchmarkDocument(path: string): Lengths | undefined {
  const text = readTextFile(path, 'workload file');
  if (!text.trimStart().startsWith('{')) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined; // JSONL: one object per line
  }
  if (!isObject(doc)) return undefined;
  if (Array.isArray(doc['input_lens']) || Array.isArray(doc['output_lens'])) return vllmBenchLengths(doc, path);
  if (Array.isArray(doc['benchmarks'])) return guidellmLengths(doc['benchmarks'], path);
  return undefined;
}

function vllmBenchLengths(doc: Record<string, unknown>, path: string): Lengths {
  const inputs = doc['input_lens'];
  const outputs = doc['output_lens'];
  const errors = Array.isArray(doc['errors']) ? doc['errors'] : undefined;
  if (!Array.isArray(inputs) || !Array.isArray(outputs) || inputs.length !== outputs.length)
    throw new InputError(`${path}: vLLM bench JSON needs input_lens and output_lens arrays of the same length; found ${Array.isArray(inputs) ? inputs.length : 'none'} and ${Array.isArray(outputs) ? outputs.length : 'none'}`);
  const out: Lengths = { inputTokens: [], outputTokens: [] };
  inputs.forEach((raw, i) => {
    if (errors && typeof errors[i] === 'string' && errors[i] !== '') return; // a failed request sent no output
    const input = tokenCount(raw);
    const output = tokenCount(outputs[i]);
    if (input === undefined || output === undefined) throw new InputError(`${path}: input_lens[${i}] and output_lens[${i}] must be non-negative numbers, found ${JSON.stringify(raw)} and ${JSON.stringify(outputs[i])}`);
    out.inputTokens.push(input);
    out.outputTokens.push(output);
  });
  if (out.inputTokens.length === 0) throw new InputError(`${path}: no successful request in input_lens/output_lens`);
  return out;
}

function guidellmLengths(benchmarks: readonly unknown[], path: string): Lengths {
  const out: Lengths = { inputTokens: [], outputTokens: [] };
  benchmarks.forEach((b, bi) => {
    const requests = isObject(b) && isObject(b['requests']) ? b['requests']['successful'] : undefined;
    if (!Array.isArray(requests)) return;
    requests.forEach((r, ri) => {
      if (!isObject(r)) return;
      const nested = (key: string) => (isObject(r[key]) ? (r[key] as Record<string, unknown>)['text_tokens'] : undefined);
      const input = tokenCount(r['prompt_tokens']) ?? tokenCount(nested('input_metrics'));
      const output = tokenCount(r['output_tokens']) ?? tokenCount(nested('output_metrics'));
      if (input === undefined || output === undefined)
        throw new InputError(`${path}: benchmarks[${bi}].requests.successful[${ri}]: expected prompt_tokens and output_tokens (or input_metrics/output_metrics.text_tokens), found ${Object.keys(r).slice(0, 8).join(', ')}`);
      out.inputTokens.push(input);
      out.outputTokens.push(output);
    });
  });
  if (out.inputTokens.length === 0)
    throw new InputError(`${path}: a GuideLLM benchmarks file without per-request records (benchmarks[].requests.successful is empty or absent; run GuideLLM with request sampling on, or give a CSV of input_tokens,output_tokens)`);
  return out;
}
