import { describe, expect, it } from 'vitest';
import { suggestions } from '../../src/diagnostics/errors.ts';
import { runCli } from '../helpers/cli.ts';

describe('deployment defaults', () => {
  it('explain without --tp takes the smallest TP that fits a 70B model, and says so', async () => {
    const r = await runCli(['explain', '--model', 'llama-3.1-70b', '--hardware', 'h200-sxm', '--decode', '8x1024']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\(TP2\)/);
    expect(r.stdout).toMatch(/note: no --tp given: TP 2, the smallest tensor-parallel degree at which llama-3.1-70b fits on h200-sxm/);
  });

  it('plan without --tp plans the smallest TP that fits instead of failing at TP 1', async () => {
    const r = await runCli([
      'plan', '--model', 'llama-3.1-70b', '--hardware', 'h200-sxm', '--slo', 'ttft:p99<=5s', '--data', 'prompt_tokens=256,output_tokens=32',
      '--seeds', '1', '--min-requests', '100', '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { deployment: { tp: number }; notes: string[] };
    expect(doc.deployment.tp).toBe(2);
    expect(doc.notes.some((n) => n.startsWith('no --tp given: TP 2'))).toBe(true);
  });

  it('an explicit --tp that does not fit is still refused, naming the TP that would', async () => {
    const r = await runCli(['explain', '--model', 'llama-3.1-70b', '--hardware', 'h200-sxm', '--tp', '1', '--decode', '8x1024']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/smallest TP that fits is 2/);
  });
});

describe('did you mean', () => {
  it('prefers names that extend what was typed', () => {
    expect(suggestions('h200', ['b200', 'h200-nvl', 'h200-sxm', 'h100-sxm'])).toEqual(['h200-nvl', 'h200-sxm']);
    expect(suggestions('b20', ['b200', 'gb200'])).toEqual(['b200']);
    expect(suggestions('lama-3.1-8b', ['llama-3.1-8b', 'llama-3.1-70b'])).toEqual(['llama-3.1-8b']);
  });

  it('--hardware h200 suggests h200-sxm and h200-nvl, not b200', async () => {
    const r = await runCli(['explain', '--model', 'llama-3.1-8b', '--hardware', 'h200', '--decode', '8x1024']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown hardware "h200" \(did you mean "h200-nvl" or "h200-sxm"\?\)/);
  });

  it('profiles show looks in hardware and models', async () => {
    const r = await runCli(['profiles', 'show', 'h200']);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/unknown model/);
    expect(r.stderr).toMatch(/unknown hardware or model profile "h200" \(did you mean "h200-nvl" or "h200-sxm"\?\)/);
    const ok = await runCli(['profiles', 'show', 'h200-sxm']);
    expect(ok.code).toBe(0);
  });
});
