/**
 * GuideLLM multi-turn data (`turns`, `delay`, `prefix_tokens`) replays as sessions, and --prefix-cache
 * reports what the simulated cache did.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('multi-turn data with an open-loop rate: sessions per second, reported as such', async () => {
    const r = await runCli([
      'simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--rate', '2', '--data', 'prompt_tokens=200,output_tokens=50,turns=4,delay=1',
      '--prefix-cache', 'vllm', '--max-seconds', '30', '--json',
    ]);
    expect(r.code).toBe(0);
    const out: { workload: { ratePerS: number; sessions: { turns: { mean: number } } }; saturation: { verdict: string }; prefixCache: { hitRate: number } } = JSON.parse(r.stdout);
    expect(out.workload.ratePerS).toBe(2);
    expect(out.workload.sessions.turns.mean).toBe(4);
    expect(out.saturation.verdict).toBe('stable');
    expect(out.prefixCache.hitRate).toBeGreaterThan(0.3);
    const text = await runCli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--rate', '2', '--data', 'prompt_tokens=200,output_tokens=50,turns=4', '--max-seconds', '20']);
    expect(text.stdout).toMatch(/poisson 2\.00 sessions\/s/);
  });

  it('multi-turn data with a trace or a GuideLLM sweep is refused with the fix', async () => {
    for (const profile of ['sweep', 'trace']) {
      const r = await runCli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--profile', profile, '--data', 'prompt_tokens=200,output_tokens=50,turns=4']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--profile concurrent|--rate SESSIONS_PER_S/);
    }
  });
});

describe('multi-turn presets from the CLI', () => {
  it('simulate --workload agentic-coding --rate opens sessions; the preset SLO applies', async () => {
    const r = await runCli([
      'simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--workload', 'agentic-coding', '--rate', '0.05', '--prefix-cache', 'vllm',
      '--max-seconds', '120', '--json',
    ]);
    expect(r.code).toBe(0);
    const out: { workload: { sessions: { systemPromptTokens: number } }; slo: { spec: string }; prefixCache: { hitRate: number } } = JSON.parse(r.stdout);
    expect(out.workload.sessions.systemPromptTokens).toBe(6000);
    expect(out.slo.spec).toBe('ttft:p99<=2s,tpot:p99<=50ms');
    // contexts grow turn by turn: most prompt tokens are re-sent history
    expect(out.prefixCache.hitRate).toBeGreaterThan(0.7);
  });

  it('plan --workload multiturn-chat searches the session rate', async () => {
    const r = await runCli(['plan', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--workload', 'multiturn-chat', '--prefix-cache', 'vllm', '--seeds', '1', '--tolerance', '0.2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/max rate per replica \(SLO met\)\s*│\s*[\d.]+ sessions\/s/);
    expect(r.stdout).toMatch(/rates are sessions per second/);
  });

  it('simulate --chart draws the prefix cache over time next to the engine timeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-pc-chart-'));
    const file = join(dir, 'run.vl.json');
    const r = await runCli([
      'simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--workload', 'multiturn-chat', '--rate', '1', '--prefix-cache', 'vllm',
      '--max-seconds', '60', '--chart', file,
    ]);
    expect(r.code).toBe(0);
    const chart = join(dir, 'run-prefix-cache.vl.json');
    expect(existsSync(chart)).toBe(true);
    const spec = readFileSync(chart, 'utf8');
    expect(spec).toContain('Prefix cache over time');
    expect(spec).toContain('poisson 1 sessions/s');
    expect(spec).toMatch(/"tokensSaved":\s*[1-9]/);
  });
});
