/**
 * Run a sweep: the points of this shard not already in --out (with --resume), in parallel on piscina
 * worker threads (or inline with one worker). Each finished row is appended to --out at once (JSONL or
 * CSV), so an interrupted sweep loses nothing; at the end the file is rewritten in point-index order, so
 * its bytes do not depend on worker count or finishing order.
 */
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InfeasibleError, InputError } from '../diagnostics/errors.ts';
import { describeFsError } from '../io/fs-error.ts';
import { readTextFile } from '../io/read-text.ts';
import { writeFileAtomic } from '../io/write-file.ts';
import { inShard, shardLabel, type Shard } from './shard.ts';
import { allPoints, type SweepGrid, type SweepPoint } from './sweep-grid.ts';
import { CSV_HEADER, ROW_COLUMNS, rowFromCsvLine, rowFromJsonLine, serializeRow, type OutFormat, type SweepRow } from './sweep-row.ts';
import { runPoint, type SweepTask } from './sweep-worker.ts';

export function formatFor(file: string): OutFormat {
  return file.toLowerCase().endsWith('.csv') ? 'csv' : 'jsonl';
}

/** A stored line: its point index and key (read back without re-serialising, so bytes are kept). */
export interface StoredLine {
  readonly index: number;
  readonly key: string;
  /** the sweep's point count the row was written with */
  readonly points: number;
  readonly text: string;
}

/** One stored line of a results file, checked column by column against the row table. */
function storedLine(line: string, format: OutFormat, where: string): StoredLine {
  const row = format === 'csv' ? rowFromCsvLine(line, ROW_COLUMNS, where, 'strict') : rowFromJsonLine(line, where, 'strict');
  return { index: row.index, key: row.key, points: row.points, text: line };
}

/**
 * Parse a results file. A truncated last line (a run killed mid-write) is dropped; a bad line elsewhere
 * is an error.
 */
export function readResults(file: string): { format: OutFormat; lines: StoredLine[]; dropped: number } {
  const format = formatFor(file);
  const text = readTextFile(file, 'sweep result file');
  const raw = text.split('\n');
  const complete = text.endsWith('\n');
  if (raw[raw.length - 1] === '') raw.pop();
  const lines: StoredLine[] = [];
  let dropped = 0;
  raw.forEach((line, i) => {
    const last = i === raw.length - 1;
    if (format === 'csv' && i === 0) {
      if (line !== CSV_HEADER) {
        if (last && !complete && CSV_HEADER.startsWith(line)) return;
        throw new InputError(`${file}: not a servesim sweep CSV (the header differs)`);
      }
      return;
    }
    if (last && !complete) {
      dropped++;
      return;
    }
    try {
      lines.push(storedLine(line, format, `${file}:${i + 1}`));
    } catch (e) {
      if (last) dropped++;
      else {
        const where = `${file}:${i + 1}`;
        const detail = e instanceof Error ? e.message.replace(`${where}: `, '') : String(e);
        throw new InputError(`${where}: not a sweep result row (${detail})`);
      }
    }
  });
  return { format, lines, dropped };
}

/** The file a run with these rows produces: header (CSV), then rows in index order. */
export function renderResults(lines: readonly StoredLine[], format: OutFormat): string {
  const sorted = [...lines].sort((a, b) => a.index - b.index);
  return (format === 'csv' ? CSV_HEADER + '\n' : '') + sorted.map((l) => l.text + '\n').join('');
}

/** Rewrite a sweep's own --out file (after the start-up check below decided it may be replaced). */
function writeAtomic(file: string, content: string): void {
  writeFileAtomic(file, content, { label: '--out', overwrite: true });
}

/** Merge result files (shards, or several runs) into the file one unsharded run would write. */
export function mergeResults(parts: readonly string[]): { content: string; rows: number; expected: number | undefined; missing: number[] } {
  if (parts.length === 0) throw new InputError('merge: name at least one part file');
  const formats = new Set(parts.map(formatFor));
  if (formats.size > 1) throw new InputError('merge: parts mix CSV and JSONL; convert them to one format first');
  const format = formatFor(parts[0]!);
  const byIndex = new Map<number, StoredLine & { file: string }>();
  let expected: number | undefined;
  for (const p of parts) {
    if (!existsSync(p)) throw new InputError(`merge: ${p} does not exist`);
    if (statSync(p).isDirectory()) throw new InputError(`merge: ${p} is a folder; name the part files (e.g. ${p}/part-*.jsonl)`);
    const { lines, dropped } = readResults(p);
    if (dropped > 0) throw new InputError(`merge: ${p} ends in a truncated line (an interrupted run): finish it with --resume first`);
    for (const l of lines) {
      const prev = byIndex.get(l.index);
      if (prev && prev.text !== l.text)
        throw new InputError(`merge: point ${l.index} differs between ${prev.file} and ${p} (${prev.key} vs ${l.key}): parts of different sweeps?`);
      byIndex.set(l.index, { ...l, file: p });
      // as before the row table: only JSON lines state the expected point count to merge
      if (format === 'jsonl') expected = Math.max(expected ?? 0, l.points);
    }
  }
  const lines = [...byIndex.values()];
  const missing: number[] = [];
  if (expected !== undefined) for (let i = 0; i < expected; i++) if (!byIndex.has(i)) missing.push(i);
  return { content: renderResults(lines, format), rows: lines.length, expected, missing };
}

export interface SweepRunOptions {
  readonly grid: SweepGrid;
  readonly profileDirs: readonly string[];
  readonly workers: number;
  readonly shard?: Shard | undefined;
  readonly out?: string | undefined;
  readonly resume?: boolean;
  /** replace an existing --out file when not resuming (without it, an existing file is refused) */
  readonly force?: boolean;
  readonly onProgress?: (done: number, total: number) => void;
  readonly onStart?: (total: number, skipped: number) => void;
}

export interface SweepRunResult {
  readonly rows: SweepRow[];
  readonly ran: number;
  readonly resumed: number;
  readonly total: number;
  /** the final file's content (also written to --out) */
  readonly content: string;
}

export function workerFile(): { filename: string; execArgv: string[] } {
  const js = new URL('./sweep-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { filename: js.href, execArgv: [] };
  // running from source (tsx / vitest): load the .ts through tsx's loader
  return { filename: new URL('./sweep-worker.ts', import.meta.url).href, execArgv: ['--import', 'tsx'] };
}

export async function runSweep(o: SweepRunOptions): Promise<SweepRunResult> {
  const format = o.out ? formatFor(o.out) : 'jsonl';
  const points = allPoints(o.grid).filter((p) => inShard(p.index, o.shard));
  const wanted = new Map(points.map((p) => [p.index, p]));
  let done: StoredLine[] = [];
  if (o.out && !o.resume && !o.force && existsSync(o.out))
    throw new InputError(`--out ${o.out}: the file already exists; add --resume to continue it, or --force to replace it`);
  if (o.out && o.resume && existsSync(o.out)) {
    const { lines } = readResults(o.out);
    for (const l of lines) {
      const p = wanted.get(l.index);
      if (!p || p.key !== l.key)
        throw new InputError(
          `--resume: ${o.out} holds row ${l.index} (${l.key}) that is not a point of this sweep${o.shard ? ` shard ${shardLabel(o.shard)}` : ''}; ` +
            'use a new --out file, or drop --resume to start over',
        );
    }
    const seen = new Set<number>();
    done = lines.filter((l) => (seen.has(l.index) ? false : (seen.add(l.index), true)));
  }
  const finished = new Set(done.map((l) => l.index));
  const todo: SweepPoint[] = points.filter((p) => !finished.has(p.index));
  if (o.out) writeAtomic(o.out, renderResults(done, format)); // drops a truncated tail; header for CSV
  o.onStart?.(points.length, done.length);

  const newLines: StoredLine[] = [];
  const rows: SweepRow[] = [];
  let count = done.length;
  const record = (row: SweepRow) => {
    const text = serializeRow(row, format);
    if (o.out) {
      try {
        appendFileSync(o.out, text + '\n');
      } catch (e) {
        throw new InputError(`--out ${o.out}: cannot append a row: ${describeFsError(e)} (the rows so far are kept; continue with --resume)`);
      }
    }
    newLines.push({ index: row.index, key: row.key, points: row.points, text });
    rows.push(row);
    o.onProgress?.(++count, points.length);
  };
  const task = (point: SweepPoint): SweepTask => ({ point, points: o.grid.size, fixed: o.grid.fixed, profileDirs: o.profileDirs });

  if (o.workers <= 1 || todo.length <= 1) {
    for (const p of todo) {
      record(runPoint(task(p)));
      // let the event loop breathe (progress bar redraws, signals)
      if (p.index % 16 === 0) await new Promise((r) => setImmediate(r));
    }
  } else {
    const { Piscina } = await import('piscina');
    const { filename, execArgv } = workerFile();
    const threads = Math.min(o.workers, todo.length);
    const pool = new Piscina({ filename, minThreads: threads, maxThreads: threads, execArgv, idleTimeout: 1000 });
    try {
      await Promise.all(
        todo.map((p) =>
          (pool.run(task(p)) as Promise<SweepRow | { error: string; input: boolean }>).then((r) => {
            if ('error' in r) throw r.input ? new InputError(r.error) : new InfeasibleError(r.error);
            record(r);
          }),
        ),
      );
    } finally {
      await pool.destroy();
    }
  }
  const content = renderResults([...done, ...newLines], format);
  if (o.out) writeAtomic(o.out, content);
  rows.sort((a, b) => a.index - b.index);
  return { rows, ran: todo.length, resumed: done.length, total: points.length, content };
}
