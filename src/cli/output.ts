import Table from 'cli-table3';
import { colorEnabled, paint } from './color.ts';
import { msFromS } from '../units.ts';

/** Results go to stdout, diagnostics to stderr. Tables carry no ANSI codes of their own. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, jsonReplacer, 2) + '\n');
}

/** NaN and Infinity are not JSON: write null so consumers never meet a parse error. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

export function table(head: string[], rows: (string | number)[][], align?: ('left' | 'right')[]): string {
  const t = new Table({
    head,
    style: { head: [], border: [] },
    colAligns: align ?? head.map((_, i) => (i === 0 ? 'left' : 'right')),
  });
  for (const r of rows) t.push(r.map((c) => (typeof c === 'number' ? String(c) : c)));
  return t.toString();
}

export const fmt = {
  ms: (s: number) => (Number.isFinite(s) ? (msFromS(s) >= 100 ? msFromS(s).toFixed(0) : msFromS(s).toFixed(1)) : '—'),
  num: (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—'),
  int: (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—'),
  pct: (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—'),
  gib: (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GiB`,
  usd: (x: number) => (Number.isFinite(x) ? `$${x >= 100 ? x.toFixed(0) : x.toFixed(2)}` : '—'),
};

export function warn(msg: string): void {
  printErr(`warning: ${msg}\n`);
}

/** Human-readable results on stdout, coloured only on a terminal (see color.ts). */
export function printText(text: string): void {
  process.stdout.write(paint(text, colorEnabled(process.stdout)));
}

/** A diagnostic line on stderr, coloured only on a terminal. */
export function printErr(text: string): void {
  process.stderr.write(paint(text, colorEnabled(process.stderr)));
}
