/**
 * The hostile-input corpus (cases.ts) through the real CLI, in-process: each case exits with its code and
 * a message naming the file or field, never "internal error", and never changes a file it must not touch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as lib from '../../src/index.ts';
import { CLI_CASES, LIB_CASES, makeFixtures } from './cases.ts';
import { runCli } from './run-in-process.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'servesim-hostile-'));
  makeFixtures(dir, root);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hostile CLI inputs (test/hostile/cases.ts)', () => {
  for (const c of CLI_CASES) {
    it(`${c.section}: ${c.name} → exit ${c.exit}`, async () => {
      c.setup?.(dir);
      const r = await runCli(c.args(dir), c.env);
      expect(r.stderr).not.toMatch(/internal error/);
      expect({ code: r.code, stderr: r.stderr.slice(0, 600) }).toMatchObject({ code: c.exit });
      expect(c.exit === 0 ? r.stdout : r.stderr).toMatch(c.message);
      expect(c.after?.(dir)).toBeUndefined();
    });
  }
});

describe('hostile library calls (test/hostile/cases.ts)', () => {
  const registry = lib.loadProfiles();
  const model = registry.getModel('llama-3.1-8b');
  const hardware = registry.getHardware('h200-sxm');
  const prepared = lib.prepareDeployment(model, hardware, {}, lib.chooseCalibration(hardware, 'vllm', lib.loadShippedCalibrations()));
  for (const c of LIB_CASES) {
    it(`${c.section}: ${c.name} → ${c.error}`, () => {
      let thrown: unknown;
      try {
        c.call(lib, prepared);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(c.error === 'InputError' ? lib.InputError : lib.InfeasibleError);
      expect((thrown as Error).message).toMatch(c.message);
    });
  }
});
