import { InputError } from '../diagnostics/errors.ts';

/**
 * The one CSV reader of servesim: measurement tables, GuideLLM summary CSVs, workload traces. Errors
 * name the file and line.
 */
export interface CsvRow {
  readonly fields: readonly string[];
  /** 1-based line of the row's first character */
  readonly line: number;
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. Blank lines are skipped. */
export function parseCsv(text: string, file: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let quotedStartLine = 0;
  let line = 1;
  let rowLine = 1;
  let fieldStarted = false;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const endRow = (): void => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '' && !fieldStarted)) rows.push({ fields, line: rowLine });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"') {
      if (field !== '') {
        throw new InputError(`${file}:${line}: a quote inside an unquoted field; quote the whole field and double inner quotes`);
      }
      inQuotes = true;
      fieldStarted = true;
      quotedStartLine = line;
    } else if (c === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (inQuotes) throw new InputError(`${file}:${quotedStartLine}: a quoted field is never closed (missing ")`);
  if (field !== '' || fields.length > 0 || fieldStarted) endRow();
  return rows;
}
