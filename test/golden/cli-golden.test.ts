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

const here = dirname(fileURLToPath(import.meta.url));
const hashesFile = join(here, 'cli-hashes.json');
const actualDir = join(here, '.actual');
const fixtures = join(here, '..', 'fixtures', 'importers');
const repoRoot = join(here, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'servesim-golden-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A command and, when its result goes to a file, the file whose contents are hashed instead of stdout. */
interface GoldenCase {
  readonly name: string;
  readonly args: readonly string[];
  readonly outFile?: string;
}

const small = ['--max-requests', '300'];
const planSmall = ['--seeds', '1', '--min-requests', '200', '--tolerance', '0.1'];

const CASES: readonly GoldenCase[] = [
  { name: 'simulate-default', args: ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--rate', '8', ...small, '--json'] },
  { name: 'simulate-chat-preset-h200', args: ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--workload', 'chat', '--rate', '20', ...small, '--json'] },
  { name: 'simulate-70b-tp4-trtllm', args: ['simulate', '--model', 'llama-3.1-70b', '--hardware', 'h100-sxm', '--tp', '4', '--engine', 'trtllm', '--rate', '4', '--data', 'prompt_tokens=1024,output_tokens=128', ...small, '--json'] },
  { name: 'simulate-sglang-prefix-replicas', args: ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'a100-sxm-80gb', '--engine', 'sglang', '--replicas', '2', '--router', 'round-robin', '--prefix-tokens', '512', '--prefix-hit-rate', '0.6', '--rate', '12', '--data', 'prompt_tokens=1024,output_tokens=64', ...small, '--json'] },
  { name: 'simulate-no-chunked-fp8', args: ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--weights', 'fp8', '--kv-cache', 'fp8', '--no-chunked-prefill', '--no-async-scheduling', '--max-num-seqs', '64', '--rate', '30', ...small, '--json'] },
  { name: 'simulate-concurrent-gamma', args: ['simulate', '--model', 'qwen3-14b', '--hardware', 'h100-sxm', '--profile', 'concurrent', '--concurrency', '16', ...small, '--json'] },
  { name: 'simulate-gamma-slo', args: ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'l40s', '--profile', 'gamma', '--burstiness', '0.5', '--rate', '3', '--slo', 'ttft:p99<=500ms,tpot:p99<=60ms,e2e:p99<=10s', ...small, '--json'] },
  { name: 'simulate-overloaded', args: ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--workload', 'chat', '--rate', '50', '--max-requests', '1000', '--json'] },
  { name: 'simulate-moe', args: ['simulate', '--model', 'mixtral-8x7b', '--hardware', 'h100-sxm', '--tp', '2', '--rate', '4', ...small, '--json'] },
  { name: 'simulate-requests-csv', args: ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--rate', '5', '--max-requests', '50', '--requests-csv', '@out'], outFile: 'requests.csv' },
  { name: 'simulate-text', args: ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--rate', '8', ...small] },
  { name: 'explain-json', args: ['explain', '--model', 'llama-3.1-70b', '--hardware', 'h200-sxm', '--decode', '8x1024', '--json'] },
  { name: 'plan-json', args: ['plan', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--slo', 'ttft:p99<=500ms,tpot:p99<=50ms', '--data', 'prompt_tokens=512,output_tokens=128', '--target-rate', '20', ...planSmall, '--json'] },
  { name: 'compare-json', args: ['compare', '--candidates', 'llama-3.1-8b@h100-sxm,llama-3.1-8b@h200-sxm:weights=fp8', '--slo', 'ttft:p99<=500ms,tpot:p99<=50ms', '--data', 'prompt_tokens=512,output_tokens=128', '--target-rate', '20', ...planSmall, '--json'] },
  { name: 'sweep-csv', args: ['sweep', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm,a100-sxm-80gb', '--tp', '1,2', '--rate', '2,8', '--max-requests', '120', '--workers', '1', '--out', '@out'], outFile: 'sweep.csv' },
  { name: 'sweep-json', args: ['sweep', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--weights', 'bf16,fp8', '--rate', '4', '--replicas', '1,2', '--max-requests', '120', '--workers', '1', '--json'] },
  { name: 'calibrate-guidellm', args: ['calibrate', '--measurements', join(fixtures, 'guidellm-v0.4_llama31-8b_h100_tp1_sweep.json'), '--hardware', 'h100-sxm', '--max-iterations', '3', '--json'] },
  { name: 'validate-fixture', args: ['validate', '--measurements', join(fixtures, 'measurements.excerpt.csv'), '--json'] },
  { name: 'profiles-show', args: ['profiles', 'show', 'h200-sxm', '--json'] },
  { name: 'presets-json', args: ['presets', '--json'] },
];

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
