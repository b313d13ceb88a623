/** Recognise a result file from its text: which kind of servesim result it is. */
import type { ValidationReport } from '../../calibration/validate.ts';
import { InputError } from '../../diagnostics/errors.ts';
import type { CompareResult } from '../../planning/compare.ts';
import type { PlanResult } from '../../planning/plan.ts';
import { rowFromRecord, type SweepRow } from '../../planning/sweep-row.ts';
import type { ResultInput, SimulateReport } from './result-input.ts';
import { parseSweepFile } from './sweep.ts';

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const isSimDoc = (x: unknown): boolean => isObj(x) && isObj(x['latency_ms']) && isObj(x['throughput']) && isObj(x['deployment']);
const isSweepRow = (x: unknown): x is Record<string, unknown> => isObj(x) && 'key' in x && 'rate' in x && 'status' in x && 'model' in x;

function describeFound(value: unknown): string {
  if (Array.isArray(value)) return `a JSON array of ${value.length} items`;
  if (isObj(value)) {
    const keys = Object.keys(value);
    return `a JSON object with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}`;
  }
  return `a JSON ${value === null ? 'null' : typeof value}`;
}

/** JSON sweep rows (from sweep --json or a JSON array), each checked against the row table. */
function checkedRows(items: readonly Record<string, unknown>[], where: string): SweepRow[] {
  return items.map((r, i) => rowFromRecord(r, `${where}[${i}]`, 'lenient'));
}

const EXPECTED =
  'expected simulate --json (one run or {runs}), compare --json, plan --json, sweep JSONL/CSV (or sweep --json), or validate --json';

/** Recognise one result file from its text. Throws InputError naming the file and what it found. */
export function parseResultFile(file: string, text: string): ResultInput {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw new InputError(`${file}: empty file; ${EXPECTED}`);
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) {
    const first = trimmed.split(/\r?\n/, 1)[0] ?? '';
    if (/(^|,)key(,|$)/.test(first) && first.includes('rate')) return { kind: 'sweep', file, rows: parseSweepFile(text, file) };
    throw new InputError(`${file}: not a servesim result: found text starting "${first.slice(0, 60)}"; ${EXPECTED}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    // JSONL: several JSON lines
    const firstLine = trimmed.split(/\r?\n/, 1)[0] ?? '';
    let first: unknown;
    try {
      first = JSON.parse(firstLine);
    } catch {
      throw new InputError(`${file}: not valid JSON or JSONL; ${EXPECTED}`);
    }
    if (isSweepRow(first)) return { kind: 'sweep', file, rows: parseSweepFile(text, file) };
    throw new InputError(`${file}: JSON lines, but the first is ${describeFound(first)}, not a sweep row; ${EXPECTED}`);
  }
  if (isSimDoc(value)) return { kind: 'simulate', file, runs: [value as SimulateReport] };
  if (isObj(value)) {
    const runs = value['runs'];
    if (Array.isArray(runs) && runs.length > 0 && runs.every(isSimDoc)) return { kind: 'simulate', file, runs: runs as SimulateReport[] };
    const rows = value['rows'];
    if (Array.isArray(rows)) {
      if (rows.length > 0 && rows.every(isSweepRow)) return { kind: 'sweep', file, rows: checkedRows(rows, `${file}: rows`) };
      if ('best' in value && 'skipped' in value) return { kind: 'compare', file, result: value as unknown as CompareResult };
      if ('coverage' in value && 'summary' in value) return { kind: 'validate', file, report: value as unknown as ValidationReport };
    }
    if (isObj(value['capacity']) && 'feasible' in value && isObj(value['deployment'])) return { kind: 'plan', file, result: value as unknown as PlanResult };
    if (isSweepRow(value)) return { kind: 'sweep', file, rows: checkedRows([value], file) };
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isSweepRow)) return { kind: 'sweep', file, rows: checkedRows(value, file) };
  throw new InputError(`${file}: not a servesim result: found ${describeFound(value)}; ${EXPECTED}`);
}
