/**
 * No message is printed twice: the main commands, run with small settings, never repeat a line or the same
 * sentence under another prefix (e.g. a reason in the report on stdout and again after "servesim:" on stderr).
 * Table borders and blank lines are ignored.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const BORDER = /^[\s┌┐└┘├┤┬┴┼─│]*$/;

/** The message of a line: its text after a leading "servesim:", "note:", "note (<id>):", "INFEASIBLE:" or "<id>:" prefix. */
export function messageOf(line: string): string {
  let m = line.trim();
  for (let i = 0; i < 2; i++) m = m.replace(/^(\S+|\w+ \([^)]*\)): /, '');
  return m;
}

/** Lines (and messages of 25+ characters) that appear more than once in a command's stdout + stderr. */
export function repeated(stdout: string, stderr: string): string[] {
  const lines = `${stdout}\n${stderr}`.replace(ANSI, '').split('\n').filter((l) => !BORDER.test(l));
  const seen = new Map<string, number>();
  for (const l of lines) {
    for (const key of new Set([l.trim(), messageOf(l)])) if (key.length >= 25 || key === l.trim()) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n > 1).map(([k]) => k);
}

const SMALL = ['--seeds', '1', '--min-requests', '100'];

describe('no message printed twice', () => {
  it('the detector finds a reason repeated under another prefix', () => {
    expect(repeated('INFEASIBLE: cannot meet the SLO at all, ever\n', 'servesim: m@h:tp=2: cannot meet the SLO at all, ever\n')).toHaveLength(1);
    expect(repeated('note (a@h): no price for h: pass --price h=USD\nnote (b@h): no price for h: pass --price h=USD\n', '')).toEqual(['no price for h: pass --price h=USD']);
    expect(repeated('┌──┐\n│ a │\n└──┘\n\n│ a │\n', '')).toEqual(['│ a │']);
  });

  const runs: Array<[string, string[]]> = [
    ['simulate, sweep profile on two replicas', ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--profile', 'sweep', '--rate', '4', '--replicas', '2', '--max-requests', '150']],
    ['plan with a target', ['plan', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--target-rate', '20', ...SMALL]],
    ['plan, infeasible', ['plan', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--slo', 'ttft:p99<=1ms', ...SMALL]],
    ['compare with an infeasible and a skipped candidate', ['compare', '--candidates', 'llama-3.1-8b@h200-sxm:tp=1,llama-3.1-70b@h100-sxm:tp=4,llama-3.1-70b@h200-sxm:tp=1', '--slo', 'ttft:p99<=300ms,e2e:p99<=3s', ...SMALL]],
    ['compare, two candidates on an unpriced GPU (one note each)', ['compare', '--candidates', 'llama-3.1-8b@h100-nvl:tp=1,llama-3.1-8b@h100-nvl:tp=2', '--target-rate', '10', ...SMALL]],
    ['compare, none meets the SLO', ['compare', '--candidates', 'llama-3.1-8b@h200-sxm:tp=1', '--slo', 'ttft:p99<=1ms', ...SMALL]],
    ['explain', ['explain', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--prefill', '512', '--decode', '32x1024']],
  ];
  for (const [name, args] of runs) {
    it(name, async () => {
      const r = await runCli(args);
      expect(r.code, r.stderr).toBeLessThanOrEqual(1);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(repeated(r.stdout, r.stderr)).toEqual([]);
    });
  }

  it('sweep, small', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'servesim-dup-')), 'sweep.csv');
    const r = await runCli(['sweep', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm,h100-sxm', '--rate', '5,30', '--max-requests', '100', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(repeated(r.stdout, r.stderr)).toEqual([]);
  });
});
