import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../diagnostics/errors.ts';
import { describeFsError } from './fs-error.ts';

/**
 * Read a user's text file (scenario, profile, trace...) or throw an InputError naming it: missing, a
 * folder, unreadable, larger than `maxBytes`, or binary (a NUL byte or bytes that are not UTF-8).
 */
export function readTextFile(path: string, what: string, maxBytes = Infinity): string {
  let buf: Buffer;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(`${path}: cannot read ${what}: is a folder, not a file`);
    if (st.size > maxBytes)
      throw new InputError(`${path}: ${what} is ${st.size} bytes, above the ${maxBytes}-byte limit; no valid ${what} is this large`);
    buf = readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: cannot read ${what}: ${describeFsError(e)}`);
  }
  const nul = buf.indexOf(0);
  if (nul >= 0) throw new InputError(`${path}: ${what} is not a text file (a NUL byte at offset ${nul})`);
  const text = buf.toString('utf8');
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0 && !buf.includes(Buffer.from('\uFFFD'))) throw new InputError(`${path}: ${what} is not UTF-8 text (an invalid byte near character ${bad})`);
  return text;
}
