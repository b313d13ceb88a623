import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { InputError } from '../diagnostics/errors.ts';

/** Reading a measurement file: its text, and JSON (tolerant of Python's NaN/Infinity), YAML or JSON Lines with errors that name file, line and column. */

export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      `${path}: cannot read the measurement file (${code === 'ENOENT' ? 'no such file' : (code ?? String(e))})`,
    );
  }
}

/**
 * JSON.parse that also accepts the bare `NaN`, `Infinity` and `-Infinity` tokens Python's json module
 * writes (vLLM result files may contain them): they become the strings "NaN", "Infinity", "-Infinity",
 * which the importers treat as absent or infinite. Errors name the file, line and column.
 */
export function parseJsonTolerant(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (first) {
    const patched = replacePythonTokens(text);
    if (patched !== text) {
      try {
        return JSON.parse(patched);
      } catch {
        // fall through to report the original error
      }
    }
    throw jsonError(text, file, first);
  }
}

/** JSON when the text starts with { or [, else YAML (GuideLLM writes both with the same keys). */
export function parseStructured(text: string, file: string): unknown {
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) return parseJsonTolerant(text, file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    throw new InputError(`${pos ? `${file}:${pos.line}:${pos.col}` : file}: not valid YAML (${err.message.split('\n')[0]})`);
  }
  return doc.toJS({ maxAliasCount: -1 });
}

/** JSON Lines (vLLM `--append-result`): one object per non-blank line; undefined when the text is not that. */
export function parseJsonLines(text: string, file: string): unknown[] | undefined {
  const lines = text.split(/\r?\n/).map((l, i) => ({ l: l.trim(), n: i + 1 })).filter((x) => x.l !== '');
  if (lines.length < 2 || !lines.every((x) => x.l.startsWith('{') && x.l.endsWith('}'))) return undefined;
  return lines.map((x) => {
    try {
      return parseJsonTolerant(x.l, file);
    } catch {
      throw new InputError(`${file}:${x.n}: not valid JSON on this line of a JSON Lines file`);
    }
  });
}

function replacePythonTokens(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      i++;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i++;
      continue;
    }
    const rest = text.slice(i, i + 9);
    const tok = rest.startsWith('-Infinity') ? '-Infinity' : rest.startsWith('Infinity') ? 'Infinity' : rest.startsWith('NaN') ? 'NaN' : undefined;
    if (tok) {
      out += `"${tok}"`;
      i += tok.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function jsonError(text: string, file: string, e: unknown): InputError {
  const msg = e instanceof Error ? e.message : String(e);
  const pos = /position (\d+)/.exec(msg);
  let where = file;
  if (pos) {
    const offset = Number(pos[1]);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const col = offset - before.lastIndexOf('\n');
    where = `${file}:${line}:${col}`;
  }
  const truncated = /end of (json )?input|unterminated|unexpected end/i.test(msg);
  const clean = msg.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/, '');
  return new InputError(
    `${where}: not valid JSON (${clean})${truncated ? '; the file ends early: it looks truncated' : ''}`,
  );
}
