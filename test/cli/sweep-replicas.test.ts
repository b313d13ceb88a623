import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';

describe('sweep --replicas', () => {
  it('sweeps replica counts as an axis instead of crashing', async () => {
    const r = await runCli([
      'sweep', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--rate', '5', '--replicas', '1,2', '--max-requests', '60', '--workers', '1', '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { points: number; rows: { replicas: number; gpus: number; status: string; key: string }[] };
    expect(doc.points).toBe(2);
    expect(doc.rows.map((x) => [x.status, x.replicas, x.gpus])).toEqual([['ok', 1, 1], ['ok', 2, 2]]);
    expect(doc.rows[1]!.key).toMatch(/\|replicas=2\|/);
  });

  it('refuses a replica count that is not a whole number, naming the flag', async () => {
    const bad = await runCli(['sweep', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--rate', '5', '--replicas', '1,0', '--workers', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--replicas values must be whole numbers >= 1, found "0"/);
    const sim = await runCli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--rate', '5', '--replicas', '1,2']);
    expect(sim.code).toBe(2);
    expect(sim.stderr).toMatch(/--replicas: expected a whole number >= 1, found something that is not one number \(to compare several counts, use servesim sweep/);
    expect(sim.stderr).not.toMatch(/internal error/);
  });
});
