/**
 * Golden check of whole CLI outputs (issue 14): a fixed set of commands, each `--json` (or CSV/Markdown) output
 * hashed and compared with test/golden/cli-hashes.json. Refactors must keep every hash; a change of output that
 * is meant must update the file on purpose:
 *   GOLDEN_UPDATE=1 npx vitest run test/golden/cli-golden.test.ts
 * On a mismatch the actual output is written to test/golden/.actual/<name>.out (git-ignored) so that it can be
 * diffed against a saved copy (GOLDEN_SAVE=1 writes every output there, e.g. before a refactor).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { CASES, fixtures } from './cases.ts';

const here = dirname(fileURLToPath(import.meta.url));
const hashesFile = join(here, 'cli-hashes.json');
const actualDir = join(here, '.actual');
const repoRoot = join(here, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'servesim-golden-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const expected: Record<string, string> = (() => {
  try {
    return JSON.parse(readFileSync(hashesFile, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
})();
const actual: Record<string, string> = {};
const update = process.env.GOLDEN_UPDATE === '1';

describe('golden CLI outputs (byte-identical across refactors)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const out = c.outFile === undefined ? undefined : join(scratch, c.name + '-' + c.outFile);
      const args = c.args.map((a) => (a === '@out' && out !== undefined ? out : a));
      const r = await runCli([...args]);
      const body = out === undefined ? r.stdout : readFileSync(out, 'utf8');
      // Paths differ between checkouts; hash what the tool says, not where the files are.
      const text = `exit ${r.code}\n${body.split(fixtures).join('<fixtures>').split(repoRoot).join('<checkout>')}`;
      actual[c.name] = sha256(text);
      if (process.env.GOLDEN_SAVE === '1' || (!update && expected[c.name] !== actual[c.name])) {
        mkdirSync(actualDir, { recursive: true });
        writeFileSync(join(actualDir, c.name + '.out'), text);
      }
      if (!update) expect(actual[c.name], `${c.name}: output changed (see test/golden/.actual/${c.name}.out)`).toBe(expected[c.name]);
    });
  }
  afterAll(() => {
    if (update) writeFileSync(hashesFile, JSON.stringify(Object.fromEntries(Object.entries(actual).sort()), null, 2) + '\n');
  });
});
