/**
 * Mooncake-style traces replay from the CLI: `--trace FILE` detects `hash_ids`, reads timestamps as
 * milliseconds and hands the block hashes to the simulated prefix cache; bad rows name file, line and field.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace } from '../../src/workload/files.ts';
import { runCli } from '../helpers/cli.ts';

const FIXTURE = 'test/fixtures/workload/mooncake-small.jsonl';

interface Doc {
  workload: { profile: string; requests: number };
  prefixCache: { promptTokens: number; tokensSaved: number; lookups: number; overTime: { timeS: number; hitRate: number }[] };
}

describe('--trace with a Mooncake-style file', () => {
  it('reads timestamps as milliseconds and keeps the hashes', () => {
    const t = readTrace(FIXTURE);
    expect(t.timesS.slice(0, 3)).toEqual([0, 0.4, 0.8]);
    expect(t.inputTokens[0]).toBe(3 * 512 - 100);
    expect(t.blockHashes!.blockTokens).toBe(512);
    expect(t.blockHashes!.hashIds[3]).toEqual([0, 1, 2, 3, 8]);
  });

  it('hand-worked hits: requests 4 s apart, every earlier turn released before the next', async () => {
    const r = await runCli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--trace', FIXTURE, '--time-scale', '10', '--prefix-cache', 'vllm', '--json']);
    expect(r.code).toBe(0);
    const d: Doc = JSON.parse(r.stdout);
    expect(d.workload.requests).toBe(15);
    // 3 conversations × 5 turns; turn k sends 3 + 2k trace blocks of 512 tokens, less 100
    expect(d.prefixCache.promptTokens).toBe(3 * (512 * (3 + 5 + 7 + 9 + 11) - 5 * 100));
    // turn 0 of conversations 2 and 3 find the shared system blocks (1024 tokens) of conversation 1; turn
    // k ≥ 1 finds its previous turn's computed KV, 512(2k+1) − 100 + 64 − 1 tokens, in whole 16-token
    // blocks: 16·⌊(512(2k+1) − 37)/16⌋ = 512(2k+1) − 48
    let saved = 2 * 1024;
    for (let k = 1; k <= 4; k++) saved += 3 * (512 * (2 * k + 1) - 48);
    expect(d.prefixCache.tokensSaved).toBe(saved);
    expect(d.prefixCache.overTime[0]!.hitRate).toBe(0);
    expect(d.prefixCache.overTime[1]!.hitRate).toBeCloseTo(1024 / 1436, 12);
  });

  it('a bad row names the file, the line and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-mooncake-'));
    const cases: [string, RegExp][] = [
      ['{"timestamp": 0, "input_length": 600, "output_length": 5, "hash_ids": [0, 1]}\n{"timestamp": 5, "input_length": 600, "output_length": 5, "hash_ids": [0, -1]}', /bad\.jsonl:2: hash_ids must be a list of non-negative whole numbers/],
      ['{"timestamp": 0, "input_length": 600, "output_length": 5, "hash_ids": [0]}\n# a comment\n{"timestamp": 5, "input_length": "x", "output_length": 5, "hash_ids": [0]}', /bad\.jsonl:3: input_length must be a number >= 1, found "x"/],
      ['{"timestamp": 9, "input_length": 600, "output_length": 5, "hash_ids": [0]}\n{"timestamp": 5, "input_length": 600, "output_length": 5, "hash_ids": [0]}', /bad\.jsonl:2: timestamp must not decrease/],
      ['{"timestamp": 0, "input_length": 600, "output_length": 5, "hash_ids": [0]}\n{"timestamp": 5, "input_length": 600', /bad\.jsonl:2: not valid JSON/],
    ];
    for (const [text, message] of cases) {
      const file = join(dir, 'bad.jsonl');
      writeFileSync(file, text);
      const r = await runCli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--trace', file, '--prefix-cache', 'vllm']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
