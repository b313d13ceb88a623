/**
 * GuideLLM multi-turn data (`turns`, `delay`, `prefix_tokens`) replays as sessions, and --prefix-cache
 * reports what the simulated cache did.
 */
import { describe, expect, it } from 'vitest';
import { parseDataSpec } from '../../src/workload/synthetic-spec.ts';
import { runCli } from '../helpers/cli.ts';

describe('GuideLLM multi-turn data', () => {
  it('turns and delay become sessions; the prefix is the system prompt, sent once', () => {
    const d = parseDataSpec('prompt_tokens=200,output_tokens=50,turns=4,delay=1.5,prefix_tokens=1000');
    expect(d.sessions).toEqual({ turns: { mean: 4, min: 4, max: 4 }, thinkTimeMeanS: 1.5, systemPromptTokens: 1000 });
    expect(d.lengths).toEqual({ kind: 'fixed', inputTokens: 200, outputTokens: 50 });
    expect(d.sharedPrefixTokens).toBeUndefined();
    expect(parseDataSpec('prompt_tokens=200,output_tokens=50,turns=1').sessions).toBeUndefined();
    expect(() => parseDataSpec('prompt_tokens=200,output_tokens=50,turns=0.5')).toThrow(/turns must be a whole number/);
  });

  it('simulate --prefix-cache reports the hit rate the conversations produce', async () => {
    const r = await runCli([
      'simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--profile', 'concurrent', '--concurrency', '8',
      '--data', 'prompt_tokens=200,output_tokens=50,turns=4,delay=1,prefix_tokens=1000', '--prefix-cache', 'vllm', '--max-requests', '64', '--json',
    ]);
    expect(r.code).toBe(0);
    const out: { prefixCache: { hitRate: number; lookups: number } } = JSON.parse(r.stdout);
    expect(out.prefixCache.lookups).toBe(64);
    expect(out.prefixCache.hitRate).toBeGreaterThan(0.6);
  });

  it('multi-turn data without closed-loop users is refused with the fix', async () => {
    const r = await runCli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--rate', '2', '--data', 'prompt_tokens=200,output_tokens=50,turns=4']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--profile concurrent/);
  });
});
