/**
 * Output paths are checked before any work starts, so a typo in a folder name fails in a millisecond
 * rather than after a long sweep. The writers check again when they write (io/write-file.ts).
 *
 * Overwrite rules (docs/cli.md "Output files"): an existing file is never replaced unless --force is
 * given. `sweep --out FILE` continues FILE with --resume; `report --out DIR` writes into DIR (created),
 * and replaces a report already there only with --force.
 */
import { statSync } from 'node:fs';
import { InputError } from '../diagnostics/errors.ts';
import { assertWritable } from '../io/write-file.ts';

/** options that name one output file, by command ('*' = every command that has the option) */
const FILE_OPTIONS: readonly (readonly [command: string, option: string])[] = [
  ['*', 'requests-csv'],
  ['*', 'out-guidellm'],
  ['*', 'chart'],
  ['calibrate', 'out'],
  ['models', 'out'],
  ['merge', 'out'],
];

export function preflightOutputs(argv: Record<string, unknown>): void {
  const command = String((argv['_'] as unknown[] | undefined)?.[0] ?? '');
  const force = argv['force'] === true;
  for (const [cmd, option] of FILE_OPTIONS) {
    if (cmd !== '*' && cmd !== command) continue;
    const path = argv[option];
    if (path === undefined) continue;
    if (typeof path !== 'string') throw new InputError(`--${option}: expected one file name, found ${Array.isArray(path) ? `${path.length} values` : String(path)}`);
    assertWritable(path, { label: `--${option}`, overwrite: force });
  }
  const out = argv['out'];
  if (command === 'sweep' && typeof out === 'string') {
    if (argv['resume'] === true) {
      if (isFolder(out)) throw new InputError(`--out ${out}: is a folder, not a file`);
    } else if (exists(out) && !force && !isFolder(out)) {
      throw new InputError(`--out ${out}: the file already exists; add --resume to continue it, or --force to replace it`);
    } else assertWritable(out, { label: '--out', overwrite: force });
  }
  if (command === 'report' && typeof out === 'string' && exists(out) && !isFolder(out))
    throw new InputError(`--out ${out}: is a file; report --out names a folder (it is created)`);
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
