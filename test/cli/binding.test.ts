import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

// a RAG app on 8B/H200 TP4: long prompts make request latency (E2E), not TTFT or ITL, limit the rate
const RAG = ['--workload', 'rag', '--slo', 'ttft:p99<=300ms,itl:p99<=100ms,e2e:p99<=3s', '--seeds', '1', '--min-requests', '200'];

describe('the binding objective is shown with its value against its limit', () => {
  it('plan: table, JSON and chart name E2E p99 as binding', async () => {
    const chart = join(mkdtempSync(join(tmpdir(), 'servesim-binding-')), 'plan.vl.json');
    const r = await runCli(['plan', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--tp', '4', ...RAG, '--chart', chart]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/binding constraint\s+│ E2E p99: \d\.\d+ s against a limit of 3 s at capacity; \d\.\d+ s at \d+\.\d+ req\/s/);
    expect(r.stdout).toMatch(/E2E p99 \d\.\d+ s ≤ 3 s \(80%: [^)]*likely met\) \(binding\)/);
    expect(r.stdout).toMatch(/TTFT p99 [\d.]+ ms ≤ 300 ms/);
    const spec = JSON.parse(readFileSync(chart, 'utf8')) as { title: { subtitle: string[] }; hconcat: { title: { text: string } }[] };
    expect(spec.title.subtitle.join('\n')).toMatch(/binding constraint: E2E p99: \d\.\d+ s against a limit of 3 s/);
    expect(spec.hconcat.map((p) => p.title.text)).toContain('End-to-end request latency');

    const j = await runCli(['plan', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--tp', '4', ...RAG, '--json']);
    const doc = JSON.parse(j.stdout) as {
      capacity: { binding: string; bindingObjective: { atCapacity: { objective: string; valueMs: number; limitMs: number; met: boolean }; breaks: { valueMs: number } } };
    };
    expect(doc.capacity.binding).toBe('e2e');
    const b = doc.capacity.bindingObjective;
    expect(b.atCapacity).toMatchObject({ objective: 'E2E p99', limitMs: 3000, met: true });
    expect(b.atCapacity.valueMs).toBeLessThanOrEqual(3000);
    expect(b.breaks.valueMs).toBeGreaterThan(3000);
  });

  it('compare: the binding column names the objective, its value and its limit', async () => {
    const r = await runCli(['compare', '--candidates', 'llama-3.1-8b@h200-sxm:tp=4', ...RAG]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/E2E p99 \d\.\d+ s \/ 3 s/);
  });
});

describe('compare and plan agree on exit codes; reasons are never cut', () => {
  // 70B on H100 cannot meet a 3 s request latency for ~256-token answers even one request at a time
  const args = ['--workload', 'rag', '--target-rate', '20', '--seeds', '1', '--min-requests', '100'];

  it('exits 1 when no candidate meets the SLO, as plan does, with every reason in full', async () => {
    const plan = await runCli(['plan', '--model', 'llama-3.1-70b', '--hardware', 'h100-sxm', '--tp', '4', ...args]);
    const compare = await runCli(['compare', '--candidates', 'llama-3.1-70b@h100-sxm:tp=4', ...args]);
    expect(plan.code).toBe(1);
    expect(compare.code).toBe(plan.code);
    expect(compare.stdout).toMatch(/decision: no candidate meets the SLO/);
    // the whole reason, to its last figure
    expect(compare.stdout).toMatch(/infeasible llama-3\.1-70b@h100-sxm:tp=4: cannot meet the SLO even at minimal load \(one request at a time\): .*E2E p99 is \d+ ms against a threshold of 3000 ms\n/);
    expect(compare.stderr).toMatch(/no candidate meets the SLO/);
  });

  it('exits 0 when at least one candidate meets it', async () => {
    const r = await runCli(['compare', '--candidates', 'llama-3.1-70b@h100-sxm:tp=4,llama-3.1-8b@h100-sxm:tp=1', ...args]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/decision: llama-3\.1-8b@h100-sxm:tp=1/);
  });
});
