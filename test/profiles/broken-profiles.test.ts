import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/diagnostics/errors.ts';
import { readValidatedFile } from '../../src/profiles/validate-file.ts';
import { HardwareFileSchema } from '../../src/schema/hardware.ts';
import { ModelFileSchema } from '../../src/schema/model.ts';

/**
 * Each file in test/fixtures/broken-profiles/ is wrong in one way. The error a user sees must say where
 * (file:line:col), which field, what was expected and what was found, and suggest the right key for typos.
 */

const dir = fileURLToPath(new URL('../fixtures/broken-profiles/', import.meta.url));

interface BrokenCase {
  /** fragments that must all appear in the message */
  readonly fragments: readonly string[];
  /** fragments that must not appear */
  readonly absent?: readonly string[];
}

const CASES: Record<string, BrokenCase> = {
  'missing-field.yaml': {
    // a missing top-level field points at the document's first key
    fragments: ['invalid hardware profile', 'missing-field.yaml:2:1  tdp_w: expected number, found nothing (field missing)'],
  },
  'wrong-unit.yaml': {
    fragments: ['wrong-unit.yaml:9:18  memory.capacity_unit: expected one of "GB", "GiB", found "TB"'],
  },
  'negative-bandwidth.yaml': {
    fragments: ['negative-bandwidth.yaml:11:23  memory.bandwidth_tb_per_s: expected >= 0.001, found -3.35'],
  },
  'unknown-dtype.yaml': {
    fragments: [
      'unknown-dtype.yaml:16:3  dense_tflops.bf8: unknown key "bf8" (did you mean "bf16"?)',
      'allowed here: fp32, tf32, bf16, fp16, fp8, int8, fp4',
    ],
  },
  'sparse-flops.yaml': {
    fragments: [
      'sparse-flops.yaml:14:9  dense_tflops.bf16: bf16 = 1979 TFLOP/s is 4.0x tf32 (494.5)',
      'looks like the sparse (2:4) datasheet value: use 989.5',
    ],
  },
  'yaml-syntax.yaml': {
    fragments: ['invalid hardware profile', 'yaml-syntax.yaml:12:', 'YAML syntax error:'],
    absent: ['at line 12, column'], // the position is given once, in file:line:col form
  },
  'typo-memroy.yaml': {
    fragments: [
      'typo-memroy.yaml:7:1  memroy: unknown key "memroy" (did you mean "memory"?)',
      'typo-memroy.yaml:2:1  memory: expected a mapping of key: value, found nothing (field missing); "memroy" looks like a misspelling of "memory"',
    ],
  },
  'typo-bandwith.yaml': {
    fragments: [
      'typo-bandwith.yaml:11:3  memory.bandwith_tb_per_s: unknown key "bandwith_tb_per_s" (did you mean "bandwidth_tb_per_s"?)',
      // the missing field points at its parent's key line
      'typo-bandwith.yaml:7:1  memory.bandwidth_tb_per_s: expected number, found nothing (field missing); "bandwith_tb_per_s" looks like a misspelling of "bandwidth_tb_per_s"',
    ],
  },
  'string-number.yaml': {
    fragments: [
      'string-number.yaml:8:13  memory.capacity: expected a size such as 80 GiB, found "80GB/s"',
    ],
  },
  'model-num-head.yaml': {
    fragments: [
      'invalid model profile',
      'model-num-head.yaml:13:3  attention.num_head: unknown key "num_head" (did you mean "num_heads"?)',
      'model-num-head.yaml:12:1  attention.num_heads: expected number, found nothing (field missing); "num_head" looks like a misspelling of "num_heads"',
    ],
  },
};

function errorFor(file: string): InputError {
  const isModel = file.startsWith('model-');
  try {
    readValidatedFile(join(dir, file), isModel ? ModelFileSchema : HardwareFileSchema, isModel ? 'model profile' : 'hardware profile');
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error(`${file} validated, but it is broken on purpose`);
}

describe('broken profiles give precise errors', () => {
  it('every fixture has a case', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [file, c] of Object.entries(CASES)) {
    it(file, () => {
      const err = errorFor(file);
      expect(err.exitCode).toBe(2);
      const message = err.message.replaceAll(dir, '');
      for (const fragment of c.fragments) expect(message).toContain(fragment);
      for (const fragment of c.absent ?? []) expect(message).not.toContain(fragment);
      // every problem line starts with the file name and a line number
      for (const line of message.split('\n').slice(1)) expect(line).toMatch(new RegExp(`^${file.replace('.', '\\.')}:\\d+:\\d+  `));
    });
  }

  it('errors are listed in file order', () => {
    const lines = errorFor('typo-memroy.yaml').message.split('\n').slice(1);
    const lineNumbers = lines.map((l) => Number(/:(\d+):/.exec(l)?.[1]));
    expect(lineNumbers).toEqual([...lineNumbers].sort((a, b) => a - b));
  });
});
