import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/diagnostics/errors.ts';
import {
  CSV_HEADER,
  ROW_COLUMNS,
  parseSweepText,
  rowFromCsvLine,
  rowFromJsonLine,
  serializeRow,
  SWEEP_COLUMNS,
  type SweepColumn,
  type SweepRow,
} from '../../src/planning/sweep-row.ts';
import { parseResultFile, parseSweepFile, reportDocumentFromResults } from '../../src/report/from-results.ts';

// one line per row: the resume reader is line-based (reasons are written with '; ' for line breaks)
const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ',', '"', ';', '|', '=', 'µ', '-', '.', 'é') });
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));

function valueFor(c: SweepColumn): fc.Arbitrary<SweepRow[keyof SweepRow]> {
  const base: fc.Arbitrary<SweepRow[keyof SweepRow]> =
    c.kind === 'integer'
      ? fc.integer({ min: -1e9, max: 1e9 })
      : c.kind === 'number'
        ? finite
        : c.kind === 'boolean'
          ? fc.boolean()
          : c.values
            ? fc.constantFrom(...c.values)
            : c.nullable
              ? text.filter((s) => s !== '') // CSV writes null as an empty cell: a nullable column never holds ''
              : text;
  return c.nullable ? fc.option(base, { nil: null }) : base;
}

const rowArb: fc.Arbitrary<SweepRow> = fc.record(Object.fromEntries(SWEEP_COLUMNS.map((c) => [c.name, valueFor(c)]))).map((r) => rowFromJsonLine(JSON.stringify(r), 'generated', 'strict')); // typed through the table itself

describe('the sweep row table', () => {
  it('any row written by the table reads back equal, CSV and JSONL (property)', () => {
    fc.assert(
      fc.property(rowArb, (row) => {
        expect(rowFromCsvLine(serializeRow(row, 'csv'), ROW_COLUMNS, 'row.csv:2', 'strict')).toEqual(row);
        expect(rowFromJsonLine(serializeRow(row, 'jsonl'), 'row.jsonl:1', 'strict')).toEqual(row);
      }),
      { numRuns: 300, seed: 14 },
    );
  });

  it('a whole file of rows reads back equal through io/csv.ts, in either format', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 5 }), (rows) => {
        const csv = CSV_HEADER + '\n' + rows.map((r) => serializeRow(r, 'csv') + '\n').join('');
        const jsonl = rows.map((r) => serializeRow(r, 'jsonl') + '\n').join('');
        expect(parseSweepText(csv, 's.csv', 'strict')).toEqual(rows);
        expect(parseSweepText(jsonl, 's.jsonl', 'strict')).toEqual(rows);
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it('keeps the historic layouts: CSV header order, JSON key order (status after the settings)', () => {
    expect(CSV_HEADER.startsWith('index,key,points,status,reason,model,hardware,tp,weights,kvCache,engine,replicas,rate,seed,')).toBe(true);
    const [row] = fc.sample(rowArb, { numRuns: 1, seed: 3 });
    const keys = Object.keys(JSON.parse(serializeRow(row!, 'jsonl')) as object);
    expect(keys.slice(0, 3)).toEqual(['index', 'key', 'points']);
    // decodeReplicas (P/D sweeps) joined the settings at the end: status still follows them
    expect(keys.slice(13, 19)).toEqual(['slo', 'maxRequests', 'decodeReplicas', 'status', 'reason', 'gpus']);
    expect(keys).toHaveLength(ROW_COLUMNS.length);
  });

  it('reads a cell by its column kind (the hand-kept numeric list is gone): seed stays text, rate is a number', () => {
    const header = 'index,key,status,model,hardware,rate,seed,ttftP99Ms';
    const [row] = parseSweepText(`${header}\n0,k,ok,m,h,2.5,007,\n`, 's.csv', 'lenient');
    expect(row).toMatchObject({ rate: 2.5, seed: '007', ttftP99Ms: null });
  });

  it('names file, line and column for a bad cell; strict readers refuse a missing column', () => {
    const header = 'index,key,status,model,hardware,rate,ttftP99Ms';
    expect(() => parseSweepText(`${header}\n0,k,ok,m,h,fast,1\n`, 's.csv', 'lenient')).toThrow(/s\.csv:2: column "rate": expected a number, found "fast"/);
    expect(() => parseSweepText(`${header}\n0,k,done,m,h,5,1\n`, 's.csv', 'lenient')).toThrow(/column "status": expected one of ok, infeasible, found "done"/);
    expect(() => parseSweepText(`${header}\n0,k,ok,m,h,5,1\n`, 's.csv', 'strict')).toThrow(InputError);
    expect(() => rowFromJsonLine('{"index":0}', 'r.jsonl:3', 'strict')).toThrow(/r\.jsonl:3: column "key" is missing/);
  });

  it('a lenient reader (report) fills the columns an older file lacks from the table', () => {
    const [row] = parseSweepFile('index,key,status,model,hardware,rate,ttftP99Ms\n0,k,ok,m,h,5,42.5\n', 'old.csv');
    expect(row).toMatchObject({ replicas: 1, reason: '', slo: '', tp: null, sloMet: null, ttftP99Ms: 42.5 });
    expect(() => parseSweepFile('key,status,model,hardware,rate,ttftP99Ms\nk,ok,m,h,5,1\n', 'old.csv')).toThrow(/old\.csv:2: column "index" is missing/);
  });

  it('a report reads the same rows, and writes the same document, from a sweep CSV and its JSONL twin', () => {
    const rows = fc.sample(rowArb, { numRuns: 6, seed: 11 }).map((r, i) => ({ ...r, index: i, status: i % 3 === 2 ? ('infeasible' as const) : ('ok' as const), slo: 'ttft:p99<=200ms' }));
    const csv = parseResultFile('sweep', CSV_HEADER + '\n' + rows.map((r) => serializeRow(r, 'csv')).join('\n') + '\n');
    const jsonl = parseResultFile('sweep', rows.map((r) => serializeRow(r, 'jsonl')).join('\n') + '\n');
    expect(csv).toEqual(jsonl);
    expect(reportDocumentFromResults([csv])).toEqual(reportDocumentFromResults([jsonl]));
  });
});
