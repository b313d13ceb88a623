/**
 * P/D pool sizing (planDisaggregated): the analytic first guess against a hand-worked cost, a
 * prefill-bound workload whose search must add prefill instances, the search's invariants as properties
 * (more load never needs fewer GPUs; the found fleet passes when simulated again; one fewer instance in
 * either pool fails), determinism, and the setups no pool sizes can fix.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliContext } from '../../src/cli/context.ts';
import { InputError } from '../../src/diagnostics/errors.ts';
import { parseSlo } from '../../src/metrics/slo.ts';
import { planDisaggregated, type PdPlanInput } from '../../src/planning/disaggregated-plan.ts';
import { checkPools, sliceOf, type PdContext } from '../../src/planning/pd-check.ts';
import { poolToGrow } from '../../src/planning/pd-search.ts';
import { unitCandidates } from '../../src/planning/pd-unit.ts';
import type { RateCheck } from '../../src/planning/capacity.ts';
import { DOCUMENT_SCHEMAS } from '../../src/cli/document-schemas.ts';
import { runCli } from '../helpers/cli.ts';

const ctx = new CliContext();
// one 8000-token prompt is one chunk: the prefill time is one step of the cost model
const h100 = ctx.prepare({ model: 'llama-3.1-8b', hardware: 'h100-sxm', tp: 1, 'max-num-batched-tokens': 8192 } as never);
const search = { seeds: 1, minRequests: 400, maxRequests: 1500, spanS: 20 };
const longPrompts = { lengths: { kind: 'fixed' as const, inputTokens: 8000, outputTokens: 64 } };
const slo = parseSlo('ttft:p99<=3s,itl:p99<=100ms');
const input = (targetRatePerS: number | undefined, over: Partial<PdPlanInput> = {}): PdPlanInput => ({
  prefill: h100,
  decode: h100,
  shape: longPrompts,
  slo,
  seed: 7,
  search,
  headroom: 0.2,
  ...(targetRatePerS !== undefined ? { targetRatePerS } : {}),
  ...over,
});

describe('P/D sizing: a prefill-bound workload (8000-token prompts, 64-token answers)', () => {
  const r = planDisaggregated(input(12));
  const t = r.target!;

  it('the first guess is the cost model: one prefill step of 8000 tokens, causal keys n(n+1)/2', () => {
    const step = h100.cost.stepTimeS({ decodeSeqs: 0, decodeContextSum: 0, prefillSeqs: 1, prefillTokens: 8000, prefillAttendedKeys: (8000 * 8001) / 2, prefillContextTokens: 8000 });
    expect(r.estimate.prefillTimeS).toBeCloseTo(step, 12);
    expect(r.estimate.prefillRatePerInstancePerS).toBeCloseTo(1 / step, 9);
    // a decode instance out-carries a prefill instance many times over on these lengths
    expect(r.estimate.decodePerPrefill).toBeLessThan(0.5);
  });

  it('adds prefill instances, not decode ones: prefill is the bottleneck', () => {
    expect(t.verified).toBe(true);
    expect(t.prefillInstances).toBeGreaterThan(t.decodeInstances);
    // a prefill instance cannot carry more than one prompt per prefill time: the pool must cover the sized rate
    expect(t.prefillInstances).toBeGreaterThanOrEqual(Math.ceil(t.sizedRatePerS * r.estimate.prefillTimeS));
    expect(t.decodeInstances).toBe(1);
    expect(t.gpus).toBe(t.prefillInstances + t.decodeInstances);
    expect(t.ratio).toBe(`${t.prefillInstances}P${t.decodeInstances}D`);
  });

  it('one fewer prefill instance fails, on TTFT or a backlog', () => {
    expect(t.fewerPrefill).toMatch(new RegExp(`^${t.prefillInstances - 1}P1D fails: .*(TTFT|backlogged)`));
    expect(t.fewerDecode).toBe('one decode instance is the least a pool can have');
  });

  it('prices both pools: GPUs × $/GPU-h', () => {
    const price = h100.deployment.hardware.price!.usdPerGpuHour;
    expect(t.usdPerHour).toBeCloseTo(t.gpus * price, 9);
  });

  it('is deterministic: the same inputs give the same document', () => {
    expect(JSON.stringify(planDisaggregated(input(12)))).toBe(JSON.stringify(r));
  });
});

describe('P/D sizing: properties of the search', () => {
  const chatLike = { lengths: { kind: 'fixed' as const, inputTokens: 1500, outputTokens: 200 } };
  const chatSlo = parseSlo('ttft:p99<=600ms,itl:p99<=40ms');
  const plan = (rate: number) => planDisaggregated(input(rate, { shape: chatLike, slo: chatSlo, headroom: 0 }));
  const pdCtx: PdContext = { prefill: h100, decode: h100, sameNode: false, shape: chatLike, slo: chatSlo, seed: '7', router: undefined, search, sliceInstances: 16 };

  it('more load never needs fewer GPUs; the fleet found passes again and one fewer in either pool fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 60 }), fc.integer({ min: 5, max: 40 }), (base, extra) => {
        const lo = plan(base);
        const hi = plan(base + extra);
        expect(hi.target!.gpus).toBeGreaterThanOrEqual(lo.target!.gpus);
        for (const p of [lo, hi]) {
          const t = p.target!;
          expect(t.verified).toBe(true);
          const sizes = { prefill: t.prefillInstances, decode: t.decodeInstances };
          expect(checkPools(pdCtx, sizes, t.sizedRatePerS).check.passed).toBe(true);
          const fewer = t.checks.filter((c) => (c.prefill === sizes.prefill - 1 && c.decode === sizes.decode) || (c.prefill === sizes.prefill && c.decode === sizes.decode - 1));
          expect(fewer.length).toBe((sizes.prefill > 1 ? 1 : 0) + (sizes.decode > 1 ? 1 : 0));
          for (const f of fewer) expect(f.passed).toBe(false);
        }
      }),
      { numRuns: 3, seed: 16 },
    );
  });

  it('a slice never carries less load per instance than the fleet', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 60 }), fc.double({ min: 0.1, max: 500, noNaN: true }), (x, y, rate) => {
        const { slice, ratePerS } = sliceOf({ prefill: x, decode: y }, rate, 16);
        expect(slice.prefill + slice.decode).toBeLessThanOrEqual(Math.max(16, 2) + 1);
        expect(ratePerS / slice.prefill).toBeGreaterThanOrEqual((rate / x) * (1 - 1e-12));
        expect(ratePerS / slice.decode).toBeGreaterThanOrEqual((rate / y) * (1 - 1e-12));
      }),
    );
  });
});

describe('P/D sizing: which pool a failing check grows', () => {
  const check = (metrics: ('ttft' | 'itl' | 'e2e')[], over: Partial<RateCheck> = {}) =>
    ({ objectives: metrics.map((metric) => ({ objective: metric, metric, valueS: 2, thresholdS: 1, met: false })), preemptions: 0, backlogged: false, incomplete: 0, ...over }) as unknown as RateCheck;
  it('TTFT alone → prefill; ITL alone or preemptions → decode; E2E or a backlog → both', () => {
    expect(poolToGrow(check(['ttft']))).toBe('prefill');
    expect(poolToGrow(check(['itl']))).toBe('decode');
    expect(poolToGrow(check([], { preemptions: 3 }))).toBe('decode');
    expect(poolToGrow(check(['e2e']))).toBe('both');
    expect(poolToGrow(check(['ttft'], { backlogged: true }))).toBe('both');
  });
});

describe('P/D capacity without a target: units around the balance', () => {
  it('proposes nP1D around the balance when prefill is slower, 1PnD when decode is', () => {
    const e = (decodePerPrefill: number) => ({ decodePerPrefill }) as Parameters<typeof unitCandidates>[0];
    expect(unitCandidates(e(0.3), () => true)).toEqual([{ prefill: 1, decode: 1 }, { prefill: 3, decode: 1 }, { prefill: 4, decode: 1 }]);
    expect(unitCandidates(e(2.5), () => true)).toEqual([{ prefill: 1, decode: 1 }, { prefill: 1, decode: 2 }, { prefill: 1, decode: 3 }]);
    expect(unitCandidates(e(2.5), (u) => u.decode < 3)).toEqual([{ prefill: 1, decode: 1 }, { prefill: 1, decode: 2 }]);
  });

  it('reports the unit that carries the most SLO-meeting load per GPU', () => {
    const r = planDisaggregated(input(undefined));
    const u = r.unit!;
    expect(r.target).toBeUndefined();
    expect(u.ratePerGpuPerS).toBeCloseTo(u.ratePerS / u.gpus, 12);
    for (const c of u.candidates) if (c.feasible) expect(c.ratePerGpuPerS).toBeLessThanOrEqual(u.ratePerGpuPerS);
    expect(u.prefill).toBeGreaterThanOrEqual(u.decode);
  });
});

describe('P/D sizing: setups no pool sizes can fix', () => {
  it('a decode instance that cannot hold one request', () => {
    const huge = { lengths: { kind: 'fixed' as const, inputTokens: 500_000, outputTokens: 64 } };
    expect(() => planDisaggregated(input(1, { shape: huge }))).toThrow(InputError);
    expect(() => planDisaggregated(input(1, { shape: huge }))).toThrow(/decode pool .* holds \d+ KV tokens per instance, but the longest request needs 500064/);
  });

  it('one prefill + one decode instance over the GPU budget (disaggregation on one GPU)', () => {
    expect(() => planDisaggregated(input(1, { maxGpus: 1 }))).toThrow(/P\/D needs at least one prefill instance \(1 GPU\) and one decode instance \(1 GPU\): 2 GPUs, but --max-gpus is 1/);
  });

  it('the CLI: exit 2 with the reason, no stack trace; decode flags without --disaggregate', async () => {
    const base = ['plan', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--tp', '1', '--data', 'prompt_tokens=8000,output_tokens=64', '--slo', 'ttft:p99<=3s', '--target-rate', '2'];
    const one = await runCli([...base, '--disaggregate', '--max-gpus', '1']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/2 GPUs, but --max-gpus is 1/);
    expect(one.stderr).not.toMatch(/\n\s+at /);
    const stray = await runCli([...base, '--decode-tp', '2']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--decode-tp describes a disaggregated fleet: add --disaggregate/);
  });
});

describe('plan / compare --disaggregate --json', () => {
  const common = ['--data', 'prompt_tokens=8000,output_tokens=64', '--slo', 'ttft:p99<=3s,itl:p99<=100ms', '--seeds', '1', '--min-requests', '300', '--json'];

  it('plan prints a disaggregated plan document that its published schema accepts', async () => {
    const r = await runCli(['plan', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--tp', '1', '--target-rate', '6', '--disaggregate', ...common]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(DOCUMENT_SCHEMAS['plan-result'].safeParse(doc).success).toBe(true);
    expect(doc.kind).toBe('disaggregated');
    expect(doc.prefill.calibrationProvenance).toBe('fitted');
    expect(doc.target.prefillInstances).toBeGreaterThan(doc.target.decodeInstances);
  });

  it('compare puts the colocated candidate and its P/D split side by side', async () => {
    const r = await runCli(['compare', '--candidates', 'llama-3.1-8b@h100-sxm:tp=1', '--target-rate', '6', '--disaggregate', ...common]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(DOCUMENT_SCHEMAS['compare-result'].safeParse(doc).success).toBe(true);
    const [row] = doc.disaggregated;
    expect(row.candidate).toBe('llama-3.1-8b@h100-sxm:tp=1');
    expect(row.colocatedGpus).toBe(doc.rows[0].target.gpus);
    expect(row.gpuDelta).toBe(row.disaggregated.target.gpus - row.colocatedGpus);
  });
});

describe('sweep: decode-replicas as an axis', () => {
  it('runs xPyD points with the decode pool from the decode-* settings; colocated points keep their keys', async () => {
    const args = ['sweep', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--tp', '1', '--rate', '2', '--workload', 'chat', '--max-requests', '120', '--workers', '1', '--json'];
    const pd = await runCli([...args, '--replicas', '2', '--decode-replicas', '1,3', '--decode-tp', '2']);
    expect(pd.code).toBe(0);
    const rows = JSON.parse(pd.stdout).rows as { key: string; decodeReplicas: number | null; gpus: number; status: string }[];
    expect(rows.map((r) => [r.decodeReplicas, r.gpus, r.status])).toEqual([
      [1, 2 * 1 + 1 * 2, 'ok'],
      [3, 2 * 1 + 3 * 2, 'ok'],
    ]);
    expect(rows[0]!.key).toMatch(/\|replicas=2\|decode=1\|rate=2\|/);
    const colocated = await runCli(args);
    const [row] = JSON.parse(colocated.stdout).rows as { key: string; decodeReplicas: number | null }[];
    expect(row!.decodeReplicas).toBeNull();
    expect(row!.key).not.toMatch(/decode=/);
  });
});
