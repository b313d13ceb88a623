/** `servesim recommend` flags: bad input is refused with exit 2 and a message naming the flag. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

const SMALL = ['recommend', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--tp', '1', '--weights', 'fp8', '--kv-cache', 'bf16', '--engine', 'vllm', '--max-num-seqs', '256', '--max-num-batched-tokens', '8192', '--workload', 'chat', '--seeds', '1', '--min-requests', '300'];

describe('servesim recommend: bad flags', () => {
  it.each([
    [['--available', 'h100-sxn=16', '--target-rate', '5'], /unknown hardware "h100-sxn" \(did you mean "h100-sxm"/],
    [['--available', 'h100-sxm=lots', '--target-rate', '5'], /--available: cannot read "h100-sxm=lots"/],
    [['--target-rate', '5', '--rate-curve', '1,2,3'], /not both/],
    [[], /--target-rate/],
    [['--target-rate', '5', '--rate-curve', '1,x'], /--rate-curve/],
    [['--target-rate', '5', '--tp', 'two'], /--tp: expected whole numbers/],
    [['--target-rate', '5', '--chunked-prefill', 'maybe'], /--chunked-prefill/],
    [['--target-rate', '5', '--screen-margin', '2'], /--screen-margin/],
    [['--target-rate', '5', '--resume'], /--resume needs --out/],
  ])('%j exits 2', async (extra, message) => {
    const r = await runCli([...SMALL, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('an unknown model gets a did-you-mean', async () => {
    const r = await runCli(['recommend', '--model', 'llama-3.1-8bb', '--target-rate', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did you mean "llama-3.1-8b"/);
  });
});

describe('servesim recommend: output', () => {
  it('prints the front, writes the chart, and --json carries every candidate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-rec-cli-'));
    const chart = join(dir, 'front.vl.json');
    const text = await runCli([...SMALL, '--target-rate', '5', '--workers', '1', '--chart', chart, '--all']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Pareto front over \$\/hour, TTFT p99, ITL p99 and tokens\/s per user/);
    expect(text.stdout).toMatch(/decision \(cost\): llama-3\.1-8b@h100-sxm:tp=1:weights=fp8/);
    const spec = JSON.parse(readFileSync(chart, 'utf8')) as { hconcat: unknown[] };
    expect(spec.hconcat).toHaveLength(2);
    const json = await runCli([...SMALL, '--target-rate', '5', '--workers', '1', '--json']);
    const doc = JSON.parse(json.stdout) as { kind: string; candidates: unknown[]; front: unknown[] };
    expect(doc.kind).toBe('recommend');
    expect(doc.candidates).toHaveLength(1);
    expect(doc.front).toHaveLength(1);
  }, 120_000);
});
