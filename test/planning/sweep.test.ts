import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/diagnostics/errors.ts';
import { inShard, resolveShard } from '../../src/planning/shard.ts';
import { buildGrid, parseRates } from '../../src/planning/sweep-grid.ts';
import { mergeResults, runSweep } from '../../src/planning/sweep-runner.ts';
import { main } from '../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-sweep-'));
// 2 models × 2 TPs × 3 rates = 12 points, one infeasible family (70b at tp=1 does not fit)
const grid = () =>
  buildGrid({ model: 'llama-3.2-1b,llama-3.1-70b', hardware: 'h100-sxm', tp: '1,4', rate: '2:6:2' }, { workload: 'chat', 'max-requests': 60 });

describe('sweep grid', () => {
  it('expands start:stop:step inclusively', () => {
    expect(parseRates('5:50:5')).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    expect(parseRates('0.1:0.3:0.1')).toEqual([0.1, 0.2, 0.3]);
    expect(grid().size).toBe(12);
  });
  it('rejects bad rate ranges with a clear message', () => {
    expect(() => parseRates('5:1:0')).toThrow(InputError);
    expect(() => parseRates('5:1:0')).toThrow(/step must be > 0/);
    expect(() => parseRates('5:1:1')).toThrow(/below the start/);
    expect(() => parseRates('5:x')).toThrow(/START:STOP:STEP/);
  });
  it('rejects malformed shards', () => {
    expect(() => resolveShard('3/2', undefined, {})).toThrow(/out of range/);
    expect(() => resolveShard('a/2', undefined, {})).toThrow(InputError);
    expect(() => resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '1' })).toThrow(/--shards/);
    expect(resolveShard(undefined, 4, { JOB_COMPLETION_INDEX: '1' })).toMatchObject({ index: 1, count: 4 });
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3' })).toMatchObject({ index: 2, count: 3 });
    expect(resolveShard(undefined, undefined, {})).toBeUndefined();
  });
  it('numbers --shard i/N from 1 like jest/vitest/playwright, job-index variables from 0', () => {
    expect(resolveShard('1/2', undefined, {})).toMatchObject({ index: 0, count: 2 });
    expect(resolveShard('2/2', undefined, {})).toMatchObject({ index: 1, count: 2 });
    expect(resolveShard('2', 3, {})).toMatchObject({ index: 1, count: 3 });
    expect(() => resolveShard('0/2', undefined, {})).toThrow(/numbered from 1.*1\.\.2/);
    expect(() => resolveShard('3/2', undefined, {})).toThrow(/expected 1\.\.2/);
    // Kubernetes Indexed Jobs and Slurm arrays count from 0
    expect(resolveShard(undefined, 2, { JOB_COMPLETION_INDEX: '0' })).toMatchObject({ index: 0, count: 2 });
    expect(() => resolveShard(undefined, 2, { JOB_COMPLETION_INDEX: '2' })).toThrow(/expected 0\.\.1/);
    // ... unless the Slurm array starts elsewhere (--array=1-4)
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' })).toMatchObject({ index: 3, count: 4 });
    // shard 1/2 and 2/2 together cover every point exactly once
    const covered = [0, 1, 2, 3, 4].map((p) => ['1/2', '2/2'].filter((s) => inShard(p, resolveShard(s, undefined, {}))).length);
    expect(covered).toEqual([1, 1, 1, 1, 1]);
  });
  it('names an unknown model in the list before running anything', async () => {
    const errors: string[] = [];
    const orig = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errors.push(s), true)) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['sweep', '--model', 'llama-3.1-8b,llama-9-8b', '--hardware', 'h100-sxm', '--rate', '5', '--workers', '1']);
    } finally {
      process.stderr.write = orig;
    }
    expect(code).toBe(2);
    expect(errors.join('')).toMatch(/unknown model "llama-9-8b"/);
  });
});

describe('sweep runs', () => {
  it('is deterministic across worker counts and shards; merge equals a single run byte for byte', async () => {
    const single = join(dir, 'single.jsonl');
    const r1 = await runSweep({ grid: grid(), profileDirs: [], workers: 1, out: single });
    expect(r1.rows).toHaveLength(12);
    expect(r1.rows.filter((r) => r.status === 'infeasible').length).toBe(3);
    expect(r1.rows.find((r) => r.status === 'infeasible')!.reason).toMatch(/does not fit/);
    const two = join(dir, 'two.jsonl');
    await runSweep({ grid: grid(), profileDirs: [], workers: 2, out: two });
    expect(readFileSync(two, 'utf8')).toBe(readFileSync(single, 'utf8'));
    const parts = [0, 1, 2].map((i) => join(dir, `part-${i}.jsonl`));
    for (const [i, p] of parts.entries()) await runSweep({ grid: grid(), profileDirs: [], workers: 1, shard: { index: i, count: 3, source: 'test' }, out: p });
    const merged = mergeResults([parts[2]!, parts[0]!, parts[1]!]);
    expect(merged.missing).toEqual([]);
    expect(merged.content).toBe(readFileSync(single, 'utf8'));
  });

  it('resumes after a killed run (partial file with a truncated last line) to the same bytes', async () => {
    const full = join(dir, 'full.csv');
    await runSweep({ grid: grid(), profileDirs: [], workers: 1, out: full });
    const text = readFileSync(full, 'utf8');
    const lines = text.split('\n');
    const partial = join(dir, 'partial.csv');
    // header + 5 rows (out of order, as parallel workers write) + half a row
    writeFileSync(partial, [lines[0], lines[3], lines[1], lines[5], lines[2], lines[4]].join('\n') + '\n' + lines[6]!.slice(0, 30));
    const r = await runSweep({ grid: grid(), profileDirs: [], workers: 1, out: partial, resume: true });
    expect(r.resumed).toBe(5);
    expect(r.ran).toBe(7);
    expect(readFileSync(partial, 'utf8')).toBe(text);
  });

  it('refuses to resume into a file from another sweep', async () => {
    const f = join(dir, 'other.jsonl');
    await runSweep({ grid: grid(), profileDirs: [], workers: 1, out: f });
    const g2 = buildGrid({ model: 'llama-3.2-1b', hardware: 'h100-sxm', rate: '3' }, { workload: 'chat', 'max-requests': 60 });
    await expect(runSweep({ grid: g2, profileDirs: [], workers: 1, out: f, resume: true })).rejects.toThrow(/not a point of this sweep/);
  });
});
