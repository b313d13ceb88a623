/**
 * No stray debug prints in the library or CLI: output goes through the CLI's printers (process.stdout /
 * process.stderr helpers), so a console.log/console.debug or a `debugger` statement left in src/ is a defect.
 * Comments are ignored (the library's JSDoc examples show console.log on purpose).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|mts|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** "line: text" of every debug print in `code`, comments blanked first (line numbers kept). */
export function debugPrints(code: string): string[] {
  const blanked = code
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const out: string[] = [];
  blanked.split('\n').forEach((line, i) => {
    if (/\bconsole\s*\.\s*(log|debug|info|trace|dir)\s*\(|(^|[;{}\s])debugger\s*;?\s*$/.test(line)) out.push(`${i + 1}: ${line.trim()}`);
  });
  return out;
}

describe('no debug prints in src/', () => {
  it('the detector finds console.log, console.debug and debugger, and skips comments', () => {
    expect(debugPrints('const a = 1;\nconsole.log(a);\n  debugger;\nconsole.debug ("x")')).toEqual(['2: console.log(a);', '3: debugger;', '4: console.debug ("x")']);
    expect(debugPrints('/**\n * console.log(p.capacity)\n */\n// console.log(x)\nconst u = "http://x"; // debugger')).toEqual([]);
  });
  it('src/ has none', () => {
    const found = sourceFiles(join(ROOT, 'src')).flatMap((f) => debugPrints(readFileSync(f, 'utf8')).map((d) => `${relative(ROOT, f)}:${d}`));
    expect(found).toEqual([]);
  });
});
