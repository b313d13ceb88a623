/**
 * The step-cost memo of recommend's evaluations changes nothing but speed: simulations with and without it
 * are identical, repeated decode shapes are answered from it, and a shape it does not know bypasses it.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepCostModel } from '../../src/cost/step-cost.ts';
import { DeploymentResolver } from '../../src/planning/deployment-resolver.ts';
import { withStepMemo } from '../../src/planning/recommend/step-memo.ts';
import { simulate } from '../../src/simulate.ts';
import { WORKLOAD_PRESETS } from '../../src/workload/presets.ts';
import type { StepShape } from '../../src/cost/step-cost.ts';

const resolver = new DeploymentResolver();
const chat = WORKLOAD_PRESETS['chat']!;
const prepared = resolver.prepare({ model: 'llama-3.1-8b', hardware: 'h100-sxm' });
const decode = (seqs: number, ctx: number): StepShape => ({ decodeSeqs: seqs, decodeContextSum: ctx, prefillSeqs: 0, prefillTokens: 0, prefillAttendedKeys: 0, prefillContextTokens: 0 });

describe('step-cost memo', () => {
  it('gives byte-identical simulations, synchronous and loaded, and hits on repeated decode shapes', () => {
    for (const arrival of [{ kind: 'synchronous' } as const, { kind: 'poisson', ratePerS: 20 } as const]) {
      const run = (p: typeof prepared) => simulate({ deployment: p, seed: '7', slo: chat.slo, workload: { lengths: chat.lengths, arrival, maxRequests: 120 } });
      const stats = { hits: 0, misses: 0 };
      expect(JSON.stringify(run(withStepMemo(prepared, stats)))).toBe(JSON.stringify(run(prepared)));
      // one request at a time: every decode step is (1 sequence, context c), and c recurs across requests
      if (arrival.kind === 'synchronous') expect(stats.hits).toBeGreaterThan(stats.misses);
    }
  });

  it('answers a repeated lone decode step with the model’s own number, and leaves every other step to the model', () => {
    const stats = { hits: 0, misses: 0 };
    const memo = withStepMemo(prepared, stats).cost;
    expect(memo.stepTimeS(decode(1, 900))).toBe(prepared.cost.stepTimeS(decode(1, 900)));
    expect(memo.stepTimeS(decode(1, 900))).toBe(prepared.cost.stepTimeS(decode(1, 900)));
    expect(stats).toEqual({ hits: 1, misses: 1 });
    // a context past the table's first size grows it, keeping what it knew
    expect(memo.stepTimeS(decode(1, 70_000))).toBe(prepared.cost.stepTimeS(decode(1, 70_000)));
    expect(memo.stepTimeS(decode(1, 900))).toBe(prepared.cost.stepTimeS(decode(1, 900)));
    expect(stats).toEqual({ hits: 2, misses: 2 });
    // loaded steps (several sequences) almost never repeat: not memoised
    expect(memo.stepTimeS(decode(3, 900))).toBe(prepared.cost.stepTimeS(decode(3, 900)));
    const mixed = { ...decode(1, 900), prefillSeqs: 1, prefillTokens: 64, prefillAttendedKeys: 2080, prefillContextTokens: 64 };
    expect(memo.stepTimeS(mixed)).toBe(prepared.cost.stepTimeS(mixed));
    expect(stats).toEqual({ hits: 2, misses: 2 });
    // the rest of the model answers as itself
    expect(memo.deployment).toBe(prepared.cost.deployment);
    expect(memo.explain(decode(2, 100)).totalS).toBe(prepared.cost.explain(decode(2, 100)).totalS);
  });

  it('turns itself off for a shape with a field its key does not cover', () => {
    const stats = { hits: 0, misses: 0 };
    const memo = withStepMemo(prepared, stats).cost;
    const odd = { ...decode(1, 500), someNewField: 1 } as StepShape;
    memo.stepTimeS(odd);
    memo.stepTimeS(odd);
    expect(stats).toEqual({ hits: 0, misses: 0 });
  });

  it('answers every public member of the cost model', () => {
    const memo = withStepMemo(prepared).cost as unknown as Record<string, unknown>;
    const names = [...Object.getOwnPropertyNames(StepCostModel.prototype).filter((n) => n !== 'constructor'), ...Object.keys(prepared.cost)];
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(name in memo, name).toBe(true);
    expect(memo['lastFlops']).toBe(prepared.cost.lastFlops);
  });

  it('keeps one hidden class for the memos and the models of different deployments (monomorphic hot path)', () => {
    // the memo used to take the model as its prototype: V8 then gave every model, and every memo, a map of its
    // own, and the step cost ran several times slower inside a search than alone
    const root = join(import.meta.dirname, '../..');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--allow-natives-syntax', join(root, 'test/helpers/memo-maps.ts')], { cwd: root, encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ memos: true, models: true });
  });
});

