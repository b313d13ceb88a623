/**
 * The sweep row and its one column table. Every writer (CSV, JSONL) and every reader (resume, merge,
 * `servesim report`) of a sweep file goes through SWEEP_COLUMNS, so a new column is one line here.
 * CSV text is split by io/csv.ts, the one CSV reader.
 */
import { InputError } from '../diagnostics/errors.ts';
import { parseCsv } from '../io/csv.ts';

export interface SweepRow {
  readonly index: number;
  readonly key: string;
  readonly points: number;
  readonly status: 'ok' | 'infeasible';
  readonly reason: string;
  readonly model: string;
  readonly hardware: string;
  readonly tp: number | null;
  readonly weights: string | null;
  readonly kvCache: string | null;
  readonly engine: string | null;
  readonly replicas: number;
  /** P/D decode instances (replicas = prefill instances); null for a colocated point */
  readonly decodeReplicas: number | null;
  readonly rate: number;
  readonly seed: string;
  readonly workload: string;
  readonly slo: string;
  readonly maxRequests: number;
  readonly gpus: number | null;
  readonly throughputReqPerS: number | null;
  readonly outputTokPerS: number | null;
  readonly ttftP50Ms: number | null;
  readonly ttftP99Ms: number | null;
  readonly itlP50Ms: number | null;
  readonly itlP99Ms: number | null;
  readonly tpotP50Ms: number | null;
  readonly tpotP99Ms: number | null;
  readonly e2eP50Ms: number | null;
  readonly e2eP99Ms: number | null;
  readonly sloMet: boolean | null;
  readonly sloAttainment: number | null;
  readonly goodputPerS: number | null;
  readonly saturation: string | null;
  readonly preemptions: number | null;
  /** 80% bands of the p99s (calibration band and seed variance) */
  readonly ttftP99Band80LowMs: number | null;
  readonly ttftP99Band80HighMs: number | null;
  readonly tpotP99Band80LowMs: number | null;
  readonly tpotP99Band80HighMs: number | null;
  readonly e2eP99Band80LowMs: number | null;
  readonly e2eP99Band80HighMs: number | null;
  /** probability that every SLO objective is met, from the bands (null without an SLO) */
  readonly sloProbability: number | null;
}

export type CellValue = string | number | boolean | null;

/** What a column holds; the table checks at compile time that it agrees with SweepRow. */
type KindOf<V> = NonNullable<V> extends number ? 'integer' | 'number' : NonNullable<V> extends boolean ? 'boolean' : 'text';
type NullableOf<V> = null extends V ? true : false;

/**
 * Where a column sits: CSV lists identity, outcome, setting, metric; JSON lines keep their historic key
 * order identity, setting, outcome, metric (the row object's order in sweep-worker).
 */
export type ColumnGroup = 'identity' | 'outcome' | 'setting' | 'metric';

export interface SweepColumn<K extends keyof SweepRow = keyof SweepRow> {
  readonly name: K;
  readonly kind: 'integer' | 'number' | 'boolean' | 'text';
  readonly nullable: boolean;
  readonly unit: string;
  readonly group: ColumnGroup;
  /** allowed values of a text column (none: any text) */
  readonly values?: readonly string[];
  /**
   * The value a lenient reader (`servesim report`) gives the column when a file has no such column (files
   * written before it existed); undefined: the column is required. Nullable columns read as null.
   */
  readonly whenAbsent?: SweepRow[K];
}

function column<K extends keyof SweepRow>(
  name: K,
  kind: KindOf<SweepRow[K]>,
  nullable: NullableOf<SweepRow[K]>,
  unit: string,
  group: ColumnGroup,
  extra: { readonly values?: readonly string[]; readonly whenAbsent?: SweepRow[K] } = {},
): SweepColumn<K> {
  return { name, kind, nullable, unit, group, ...extra };
}

/** The columns of a sweep row, in CSV order. */
export const SWEEP_COLUMNS = [
  column('index', 'integer', false, 'point', 'identity'),
  column('key', 'text', false, '', 'identity'),
  column('points', 'integer', false, 'points', 'identity', { whenAbsent: 0 }),
  column('status', 'text', false, '', 'outcome', { values: ['ok', 'infeasible'] }),
  column('reason', 'text', false, '', 'outcome', { whenAbsent: '' }),
  column('model', 'text', false, '', 'setting'),
  column('hardware', 'text', false, '', 'setting'),
  column('tp', 'integer', true, 'GPUs', 'setting'),
  column('weights', 'text', true, 'dtype', 'setting'),
  column('kvCache', 'text', true, 'dtype', 'setting'),
  column('engine', 'text', true, '', 'setting'),
  column('replicas', 'integer', false, 'replicas', 'setting', { whenAbsent: 1 }), // before the replicas axis: one
  column('rate', 'number', false, 'req/s', 'setting'),
  column('seed', 'text', false, '', 'setting', { whenAbsent: '' }),
  column('workload', 'text', false, '', 'setting', { whenAbsent: '' }),
  column('slo', 'text', false, '', 'setting', { whenAbsent: '' }),
  column('maxRequests', 'integer', false, 'requests', 'setting', { whenAbsent: 0 }),
  column('gpus', 'integer', true, 'GPUs', 'metric'),
  column('throughputReqPerS', 'number', true, 'req/s', 'metric'),
  column('outputTokPerS', 'number', true, 'tokens/s', 'metric'),
  column('ttftP50Ms', 'number', true, 'ms', 'metric'),
  column('ttftP99Ms', 'number', true, 'ms', 'metric'),
  column('itlP50Ms', 'number', true, 'ms', 'metric'),
  column('itlP99Ms', 'number', true, 'ms', 'metric'),
  column('tpotP50Ms', 'number', true, 'ms', 'metric'),
  column('tpotP99Ms', 'number', true, 'ms', 'metric'),
  column('e2eP50Ms', 'number', true, 'ms', 'metric'),
  column('e2eP99Ms', 'number', true, 'ms', 'metric'),
  column('sloMet', 'boolean', true, '', 'metric'),
  column('sloAttainment', 'number', true, 'fraction', 'metric'),
  column('goodputPerS', 'number', true, 'req/s', 'metric'),
  column('saturation', 'text', true, '', 'metric'),
  column('preemptions', 'integer', true, 'preemptions', 'metric'),
  column('ttftP99Band80LowMs', 'number', true, 'ms', 'metric'),
  column('ttftP99Band80HighMs', 'number', true, 'ms', 'metric'),
  column('tpotP99Band80LowMs', 'number', true, 'ms', 'metric'),
  column('tpotP99Band80HighMs', 'number', true, 'ms', 'metric'),
  column('e2eP99Band80LowMs', 'number', true, 'ms', 'metric'),
  column('e2eP99Band80HighMs', 'number', true, 'ms', 'metric'),
  column('sloProbability', 'number', true, 'fraction', 'metric'),
  // last in the CSV so older files keep their header as a prefix; among the settings in JSON
  column('decodeReplicas', 'integer', true, 'instances', 'setting'),
] as const;

// compile-time: every SweepRow field has a column
type Uncovered = Exclude<keyof SweepRow, (typeof SWEEP_COLUMNS)[number]['name']>;
const everyFieldHasAColumn: [Uncovered] extends [never] ? true : never = true;
void everyFieldHasAColumn;

export const ROW_COLUMNS: readonly (keyof SweepRow)[] = SWEEP_COLUMNS.map((c) => c.name);

/** Key order of a JSON line. */
const JSON_GROUP_ORDER: readonly ColumnGroup[] = ['identity', 'setting', 'outcome', 'metric'];
const JSON_KEYS: readonly string[] = JSON_GROUP_ORDER.flatMap((g) => SWEEP_COLUMNS.filter((c) => c.group === g).map((c) => c.name));

export const CSV_HEADER = ROW_COLUMNS.join(',');

export type OutFormat = 'jsonl' | 'csv';

function csvCell(v: CellValue): string {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row as one line of a results file (no newline). */
export function serializeRow(row: SweepRow, format: OutFormat): string {
  if (format === 'csv') return SWEEP_COLUMNS.map((c) => csvCell(row[c.name])).join(',');
  return JSON.stringify(row, [...JSON_KEYS]);
}

/** A CSV cell → the column's value; a message (not a value) when the text does not fit the column. */
function cellValue(c: SweepColumn, text: string): CellValue | { readonly problem: string } {
  if (text === '' && c.nullable) return null;
  switch (c.kind) {
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : { problem: `expected true or false, found "${text}"` };
    case 'integer':
    case 'number': {
      const n = text.trim() === '' ? NaN : Number(text);
      if (!Number.isFinite(n)) return { problem: `expected a number, found "${text}"` };
      if (c.kind === 'integer' && !Number.isInteger(n)) return { problem: `expected a whole number, found "${text}"` };
      return n;
    }
    case 'text':
      return text;
  }
}

/** Why a value does not fit a column, or undefined when it does. */
function problemWith(c: SweepColumn, v: unknown): string | undefined {
  if (v === null) return c.nullable ? undefined : 'expected a value, found null';
  const found = typeof v === 'string' ? `"${v}"` : JSON.stringify(v) ?? typeof v;
  switch (c.kind) {
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `expected true or false, found ${found}`;
    case 'integer':
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `expected a number, found ${found}`;
      return c.kind === 'integer' && !Number.isInteger(v) ? `expected a whole number, found ${found}` : undefined;
    case 'text':
      if (typeof v !== 'string') return `expected text, found ${found}`;
      return c.values && !c.values.includes(v) ? `expected one of ${c.values.join(', ')}, found ${found}` : undefined;
  }
}

/** True when every column is present with a value of its kind (the narrowing is this runtime check). */
function isCompleteRow(o: Readonly<Record<string, unknown>>): o is Record<string, unknown> & SweepRow {
  return SWEEP_COLUMNS.every((c) => c.name in o && problemWith(c, o[c.name]) === undefined);
}

/** How a reader treats columns a file does not have: `strict` (resume, merge) refuses; `lenient` (report) fills. */
export type ColumnPolicy = 'strict' | 'lenient';

/**
 * Check a parsed record column by column and return it as a SweepRow. `where` names the file and line for
 * errors. Keys that are not columns are dropped.
 */
export function rowFromRecord(record: Readonly<Record<string, unknown>>, where: string, policy: ColumnPolicy): SweepRow {
  const out: Record<string, unknown> = {};
  for (const c of SWEEP_COLUMNS) {
    if (!(c.name in record)) {
      if (policy === 'strict' || (!c.nullable && c.whenAbsent === undefined)) throw new InputError(`${where}: column "${c.name}" is missing`);
      out[c.name] = c.nullable ? null : c.whenAbsent;
      continue;
    }
    const problem = problemWith(c, record[c.name]);
    if (problem !== undefined) throw new InputError(`${where}: column "${c.name}": ${problem}`);
    out[c.name] = record[c.name];
  }
  if (!isCompleteRow(out)) throw new InputError(`${where}: not a sweep row`);
  return out;
}

/** CSV cells under `header` → a record of column values (cells of unknown header names are ignored). */
function recordFromCells(header: readonly string[], cells: readonly string[], where: string): Record<string, CellValue> {
  const byName = new Map<string, SweepColumn>(SWEEP_COLUMNS.map((c) => [c.name, c]));
  const record: Record<string, CellValue> = {};
  header.forEach((h, i) => {
    const c = byName.get(h);
    if (!c) return;
    const v = cellValue(c, cells[i] ?? '');
    if (v !== null && typeof v === 'object') throw new InputError(`${where}: column "${h}": ${v.problem}`);
    record[h] = v;
  });
  return record;
}

/** One CSV line (without its newline) under `header` → a row. */
export function rowFromCsvLine(line: string, header: readonly string[], where: string, policy: ColumnPolicy): SweepRow {
  const parsed = parseCsv(line, where);
  const cells = parsed[0]?.fields ?? [];
  if (parsed.length !== 1) throw new InputError(`${where}: expected one CSV row, found ${parsed.length}`);
  if (policy === 'strict' && cells.length !== header.length) throw new InputError(`${where}: expected ${header.length} cells, found ${cells.length}`);
  return rowFromRecord(recordFromCells(header, cells, where), where, policy);
}

/** One JSON line → a row. */
export function rowFromJsonLine(line: string, where: string, policy: ColumnPolicy): SweepRow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new InputError(`${where}: not JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(`${where}: expected a JSON object (a sweep row)`);
  return rowFromRecord(Object.fromEntries(Object.entries(value)), where, policy);
}

/**
 * Every row of a whole sweep file, JSONL or CSV (a header line naming columns, then rows). CSV goes through
 * io/csv.ts as one document, so quoted cells may hold line breaks.
 */
export function parseSweepText(text: string, file: string, policy: ColumnPolicy): SweepRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) throw new InputError(`${file}: empty sweep file`);
  if (lines[0]!.trimStart().startsWith('{')) return lines.map((l, i) => rowFromJsonLine(l, `${file}:${i + 1}`, policy));
  const [head, ...rows] = parseCsv(text, file);
  const header = head?.fields ?? [];
  if (!header.includes('key') || !header.includes('rate') || !header.includes('ttftP99Ms'))
    throw new InputError(`${file}: not a servesim sweep CSV (header: ${lines[0]!.slice(0, 80)})`);
  return rows.map((r) => {
    const where = `${file}:${r.line}`;
    if (policy === 'strict' && r.fields.length !== header.length) throw new InputError(`${where}: expected ${header.length} cells, found ${r.fields.length}`);
    return rowFromRecord(recordFromCells(header, r.fields, where), where, policy);
  });
}
