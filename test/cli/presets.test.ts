import { describe, expect, it } from 'vitest';
import { parseSlo } from '../../src/metrics/slo.ts';
import { WORKLOAD_PRESETS } from '../../src/workload/presets.ts';
import { runCli } from '../helpers/cli.ts';

describe('servesim presets', () => {
  it("lists every preset's length distributions and SLO", async () => {
    const r = await runCli(['presets']);
    expect(r.code).toBe(0);
    for (const name of Object.keys(WORKLOAD_PRESETS)) expect(r.stdout).toMatch(new RegExp(`│ ${name}\\s+│`));
    expect(r.stdout).toMatch(/│ chat\s+│ 512 ± 256 \(32–2048\)\s+│ 256 ± 128 \(16–1024\)\s+│ TTFT p99 ≤ 200 ms\s+│ ttft:p99<=200ms,tpot:p99<=50ms/);
    expect(r.stdout).toMatch(/E2E p99 ≤ 3 s/);
  });

  it("carries the brief's examples: an e-commerce chatbot and a RAG application", () => {
    expect(WORKLOAD_PRESETS['ecommerce-chatbot']!.slo).toEqual(parseSlo('ttft:p99<=200ms,tpot:p99<=50ms'));
    expect(WORKLOAD_PRESETS['rag']!.slo).toEqual(parseSlo('ttft:p99<=300ms,tpot:p99<=100ms,e2e:p99<=3s'));
  });

  it('--json gives each preset with its --slo text', async () => {
    const r = await runCli(['presets', '--json']);
    const doc = JSON.parse(r.stdout) as { presets: { name: string; sloText: string }[] };
    for (const p of doc.presets) expect(parseSlo(p.sloText)).toEqual(WORKLOAD_PRESETS[p.name]!.slo);
  });

  it('simulate --workload ecommerce-chatbot runs', async () => {
    const r = await runCli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--workload', 'ecommerce-chatbot', '--rate', '2', '--max-requests', '50']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/SLO: ttft:p99<=200ms,tpot:p99<=50ms/);
  });
});
