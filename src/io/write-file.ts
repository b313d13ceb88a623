/**
 * The one way servesim writes an output file. Content goes to a temporary file in the target's folder,
 * then moves into place in one step (rename, or link when the target must not exist yet), so a crash,
 * a full disk or Ctrl-C never leaves half a file. An existing file is replaced only when the caller says
 * so (the user passed --force, or the file is one the user named for that purpose). Every failure is an
 * InputError naming the option, the path and the reason.
 */
import { accessSync, existsSync, closeSync, constants, fsyncSync, linkSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../diagnostics/errors.ts';
import { describeFsError, fsErrorCode } from './fs-error.ts';

export interface WriteOptions {
  /** what the path is, for messages: the option that named it, e.g. "--requests-csv" */
  readonly label: string;
  /** replace an existing file (the user passed --force) */
  readonly overwrite?: boolean | undefined;
  /** create missing parent folders (outputs inside a folder servesim owns, e.g. report img/) */
  readonly createDirs?: boolean | undefined;
}

/** Check, before any work, that `path` can be written: its folder exists, it is not a folder, and it does not exist unless overwriting. */
export function assertWritable(path: string, o: WriteOptions): void {
  if (path.trim() === '') throw new InputError(`${o.label}: the file name is empty`);
  const dir = dirname(resolve(path));
  let target: ReturnType<typeof statSync> | undefined;
  try {
    target = statSync(path);
  } catch (e) {
    const code = fsErrorCode(e);
    if (code !== 'ENOENT') throw fail(path, o, e);
  }
  if (target?.isDirectory()) throw new InputError(`${o.label} ${path}: cannot write: is a folder, not a file`);
  if (target && !target.isFile()) throw new InputError(`${o.label} ${path}: cannot write: not a regular file (a device, socket or pipe)`);
  if (target && !o.overwrite) throw new InputError(`${o.label} ${path}: the file already exists; pass --force to replace it`);
  if (o.createDirs) return;
  let parent: ReturnType<typeof statSync>;
  try {
    parent = statSync(dir);
  } catch (e) {
    throw new InputError(`${o.label} ${path}: cannot write: the folder ${dir} ${fsErrorCode(e) === 'ENOENT' ? 'does not exist' : `cannot be read (${describeFsError(e)})`}`);
  }
  if (!parent.isDirectory()) throw new InputError(`${o.label} ${path}: cannot write: ${dir} is a file, not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw new InputError(`${o.label} ${path}: cannot write into ${dir}: ${describeFsError(e)}`);
  }
}

/** Write `content` to `path` atomically (see the module comment). */
export function writeFileAtomic(path: string, content: string | Uint8Array, o: WriteOptions): void {
  assertWritable(path, o);
  const dir = dirname(resolve(path));
  if (o.createDirs) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw fail(dir, o, e);
    }
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Math.floor(Math.random() * 1e9)}.tmp`);
  try {
    const fd = openSync(tmp, 'wx');
    try {
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (o.overwrite) renameSync(tmp, path);
    else moveIntoPlaceNoClobber(tmp, path);
  } catch (e) {
    removeQuietly(tmp);
    if (fsErrorCode(e) === 'EEXIST') throw new InputError(`${o.label} ${path}: the file already exists; pass --force to replace it`);
    throw fail(path, o, e);
  }
}

/** link() fails with EEXIST if the file appeared meanwhile: never replace a file unasked. */
function moveIntoPlaceNoClobber(tmp: string, path: string): void {
  try {
    linkSync(tmp, path);
  } catch (e) {
    const code = fsErrorCode(e);
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
    // a file system without hard links: check, then rename (a narrow race, but still no half-written file)
    if (existsSync(path)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    renameSync(tmp, path);
    return;
  }
  unlinkSync(tmp);
}

function fail(path: string, o: WriteOptions, e: unknown): InputError {
  return new InputError(`${o.label} ${path}: cannot write: ${describeFsError(e)}`);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone (or never created)
  }
}
