/**
 * The --out JSONL checkpoint of a recommend search: one line per evaluation record (screening or verified),
 * each tagged with a hash of the settings it was computed under. Lines are appended as evaluations finish,
 * so a killed search loses at most the line being written (a truncated last line is dropped on resume);
 * at the end the file is rewritten sorted, so its bytes do not depend on worker count or finishing order.
 * Records carry no price: resuming with another --price or --available reuses every simulation.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync } from 'node:fs';
import { InputError } from '../../diagnostics/errors.ts';
import { describeFsError } from '../../io/fs-error.ts';
import { readTextFile } from '../../io/read-text.ts';
import { writeFileAtomic } from '../../io/write-file.ts';
import type { EvalRecord, EvalSettings, ScreenRecord, VerifyRecord } from './types.ts';

/** 2: screening records carry their proven bounds (ScreenBounds) */
export const CHECKPOINT_VERSION = 2;

/** A stable hash of what the evaluations depend on (the settings, not prices or inventory). */
export function settingsHash(s: EvalSettings): string {
  const { profileDirs: _dirs, ...rest } = s;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}

const recordKey = (r: EvalRecord): string => `${r.kind}|${r.candidate}`;

export class Checkpoint {
  readonly #file: string | undefined;
  readonly #hash: string;
  readonly #records = new Map<string, EvalRecord>();
  /** records read back from the file at start */
  readonly resumed: number;

  constructor(file: string | undefined, hash: string, opts: { resume: boolean; force: boolean }) {
    this.#file = file;
    this.#hash = hash;
    if (file && existsSync(file) && !opts.resume && !opts.force)
      throw new InputError(`--out ${file}: the file already exists; add --resume to continue the search it holds, or --force to replace it`);
    if (file && opts.resume && existsSync(file)) this.#read(file);
    this.resumed = this.#records.size;
    if (file) this.#rewrite();
  }

  #read(file: string): void {
    const text = readTextFile(file, 'recommend checkpoint');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    lines.forEach((line, i) => {
      let parsed: { v?: unknown; settings?: unknown; record?: EvalRecord } | undefined;
      try {
        parsed = JSON.parse(line) as { v?: unknown; settings?: unknown; record?: EvalRecord };
      } catch {
        if (i === lines.length - 1 && !text.endsWith('\n')) return; // a run killed mid-line
        throw new InputError(`${file}:${i + 1}: not a recommend checkpoint line`);
      }
      if (parsed.v !== CHECKPOINT_VERSION || typeof parsed.record !== 'object' || parsed.record === null)
        throw new InputError(`${file}:${i + 1}: not a recommend checkpoint line (version ${CHECKPOINT_VERSION})`);
      if (parsed.settings !== this.#hash)
        throw new InputError(
          `--resume: ${file}:${i + 1} was computed for other settings (workload, SLO, target, seed or search effort differ); use a new --out file, or --force to start over`,
        );
      this.#records.set(recordKey(parsed.record), parsed.record);
    });
  }

  #line(r: EvalRecord): string {
    return JSON.stringify({ v: CHECKPOINT_VERSION, settings: this.#hash, record: r });
  }

  #rewrite(): void {
    if (!this.#file) return;
    const sorted = [...this.#records.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    writeFileAtomic(this.#file, sorted.map(([, r]) => this.#line(r) + '\n').join(''), { label: '--out', overwrite: true });
  }

  screened(candidate: string): ScreenRecord | undefined {
    const r = this.#records.get(`screen|${candidate}`);
    return r?.kind === 'screen' ? r : undefined;
  }

  verified(candidate: string): VerifyRecord | undefined {
    const r = this.#records.get(`verify|${candidate}`);
    return r?.kind === 'verify' ? r : undefined;
  }

  add(r: EvalRecord): void {
    this.#records.set(recordKey(r), r);
    if (!this.#file) return;
    try {
      appendFileSync(this.#file, this.#line(r) + '\n');
    } catch (e) {
      throw new InputError(`--out ${this.#file}: cannot append a record: ${describeFsError(e)} (the records so far are kept; continue with --resume)`);
    }
  }

  /** Write the file sorted (at the end of a search). */
  finish(): void {
    this.#rewrite();
  }
}
