import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.ts';

// a sweep that fails after its progress bar started (as a worker crash does)
vi.mock('../../src/planning/sweep-runner.ts', () => ({
  runSweep: async (o: { onStart?: (total: number, skipped: number) => void; onProgress?: (done: number) => void }) => {
    o.onStart?.(10, 0);
    o.onProgress?.(3);
    await new Promise((r) => setTimeout(r, 20));
    throw new Error('worker crashed');
  },
}));

describe('sweep progress display', () => {
  const tty = process.stderr.isTTY;
  const ci = process.env['CI'];
  afterEach(() => {
    process.stderr.isTTY = tty;
    if (ci === undefined) delete process.env['CI'];
    else process.env['CI'] = ci;
  });

  it('is torn down when the sweep fails: cursor shown again, no redraw timer left, exit code 1', async () => {
    process.stderr.isTTY = true; // the bar draws only on a terminal
    delete process.env['CI'];
    const r = await runCli(['sweep', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--rate', '5', '--workers', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('\x1b[?25l'); // the bar hid the cursor
    expect(r.stderr.lastIndexOf('\x1b[?25h')).toBeGreaterThan(r.stderr.lastIndexOf('\x1b[?25l')); // and showed it again
    expect(r.stderr).toMatch(/worker crashed/);
    // a live bar keeps a redraw timer: the process could never exit
    const timers = process.getActiveResourcesInfo().filter((t) => t === 'Timeout');
    expect(timers).toEqual([]);
  });
});

describe('progress display on Ctrl-C', () => {
  it('restores the cursor and dies of the signal', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/cli/progress-interrupted.ts'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout).toContain('\x1b[?25l');
    expect(r.stdout.lastIndexOf('\x1b[?25h')).toBeGreaterThan(r.stdout.lastIndexOf('\x1b[?25l'));
    expect(r.stdout).not.toContain('not interrupted');
    expect(r.signal).toBe('SIGINT');
  });
});
