/**
 * The one output writer (src/io/write-file.ts): atomic (temp file in the same folder, then rename/link),
 * never replaces a file unasked, and names the path and the reason when it cannot write.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/diagnostics/errors.ts';
import { assertWritable, writeFileAtomic } from '../../src/io/write-file.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'servesim-write-'));
});
afterAll(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

const o = { label: '--out' };

describe('writeFileAtomic', () => {
  it('writes the content and leaves no temporary file behind', () => {
    const f = join(dir, 'a.txt');
    writeFileAtomic(f, 'hello\n', o);
    expect(readFileSync(f, 'utf8')).toBe('hello\n');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to replace an existing file without overwrite, and keeps its content', () => {
    const f = join(dir, 'keep.txt');
    writeFileSync(f, 'mine');
    expect(() => writeFileAtomic(f, 'theirs', o)).toThrow(/--out .*keep\.txt: the file already exists; pass --force/);
    expect(readFileSync(f, 'utf8')).toBe('mine');
    writeFileAtomic(f, 'theirs', { ...o, overwrite: true });
    expect(readFileSync(f, 'utf8')).toBe('theirs');
  });

  it('names the path and the reason: missing folder, a folder, a parent that is a file, a device', () => {
    expect(() => writeFileAtomic(join(dir, 'no', 'x.txt'), 'x', o)).toThrow(/--out .*x\.txt: cannot write: the folder .*no does not exist/);
    expect(() => writeFileAtomic(dir, 'x', o)).toThrow(/cannot write: is a folder, not a file/);
    writeFileSync(join(dir, 'plain'), '');
    expect(() => writeFileAtomic(join(dir, 'plain', 'x.txt'), 'x', o)).toThrow(/--out .*x\.txt: cannot write/);
    expect(() => writeFileAtomic('/dev/null', 'x', { ...o, overwrite: true })).toThrow(/not a regular file/);
    expect(() => writeFileAtomic('', 'x', o)).toThrow(/the file name is empty/);
  });

  it('creates missing folders only when asked', () => {
    const f = join(dir, 'made', 'deep', 'x.txt');
    writeFileAtomic(f, 'x', { ...o, createDirs: true });
    expect(readFileSync(f, 'utf8')).toBe('x');
  });

  it.skipIf(process.getuid?.() === 0)('a folder without write permission: EACCES named (skipped as root, who may write anywhere)', () => {
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    expect(() => assertWritable(join(ro, 'x.txt'), o)).toThrow(InputError);
    expect(() => writeFileAtomic(join(ro, 'x.txt'), 'x', o)).toThrow(/cannot write into .*ro: permission denied/);
  });
});
