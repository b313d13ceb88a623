import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SpeculativeChoice } from '../../src/cost/speculative.ts';
import { simulate } from '../../src/simulate.ts';
import { decodeShape, prefillShape, tinyDeployment, tinyKvDeployment } from '../helpers/deployment.ts';

const eagle = (rates: number[]): SpeculativeChoice => ({ method: 'eagle3', tokens: rates.length, acceptanceRates: rates });
const one = (input: number, output: number) => ({ arrival: { kind: 'synchronous' as const }, lengths: { kind: 'fixed' as const, inputTokens: input, outputTokens: output }, maxRequests: 1 });

describe('speculative decoding in the simulator', () => {
  it('acceptance 1 with k drafts emits k+1 tokens per step: 1 + 5·(k+1) tokens take one prefill and 5 verify steps', () => {
    const k = 4;
    const d = tinyDeployment({ asyncScheduling: false }, {}, { speculative: eagle([1, 1, 1, 1]) });
    const r = simulate({ deployment: d, seed: 1, recordRequests: true, workload: one(100, 1 + 5 * (k + 1)) });
    expect(r.requests.completed).toBe(1);
    expect(r.engine.steps).toBe(6);
    // ITL per streamed chunk: 5 chunks; TPOT per token: the same span over the 25 tokens after the first
    expect(r.latencyS.itl.count).toBe(5);
    const span = r.perRequest!.e2eS[0]! - r.perRequest!.ttftS[0]!;
    expect(r.latencyS.tpot.mean).toBeCloseTo(span / 25, 12);
    expect(r.latencyS.itl.mean).toBeCloseTo(span / 5, 12);
    // the steps are exactly the prefill and five verify steps of the cost model (no client overhead)
    let expected = d.cost.stepTimeS(prefillShape(100));
    for (let i = 0; i < 5; i++) expected += d.cost.stepTimeS({ ...decodeShape(1, 100 + i * (k + 1) + 1), speculativeTokens: k });
    expect(r.latencyS.e2e.mean).toBeCloseTo(expected, 12);
  });

  it('acceptance 0 decodes one token per step, each step paying the verification and the drafter', () => {
    const plain = tinyDeployment({ asyncScheduling: false });
    const spec = tinyDeployment({ asyncScheduling: false }, {}, { speculative: eagle([0, 0, 0]) });
    const w = one(200, 31);
    const a = simulate({ deployment: plain, seed: 1, workload: w });
    const b = simulate({ deployment: spec, seed: 1, workload: w });
    expect(b.engine.steps).toBe(a.engine.steps);
    expect(b.latencyS.itl.count).toBe(30);
    let verify = 0;
    for (let i = 0; i < 30; i++) verify += spec.cost.stepTimeS({ ...decodeShape(1, 200 + i + 1), speculativeTokens: 3 });
    expect(b.latencyS.tpot.mean).toBeCloseTo(verify / 30, 12);
    expect(b.latencyS.tpot.mean).toBeGreaterThan(a.latencyS.tpot.mean);
  });

  it('random acceptance gives ITL variance and fewer steps; same seed, same result', () => {
    const d = tinyDeployment({}, {}, { speculative: eagle([0.8, 0.6, 0.4]) });
    const w = { arrival: { kind: 'concurrent' as const, streams: 8 }, lengths: { kind: 'fixed' as const, inputTokens: 300, outputTokens: 200 }, maxRequests: 40 };
    const r1 = simulate({ deployment: d, seed: 7, workload: w });
    const r2 = simulate({ deployment: d, seed: 7, workload: w });
    expect(JSON.stringify(r1)).toBe(JSON.stringify(r2));
    // 1 + 0.8 + 0.48 + 0.192 = 2.472 tokens per step on average
    expect(r1.latencyS.itl.count / (40 * 199)).toBeGreaterThan(1 / 2.472 - 0.03);
    expect(r1.latencyS.itl.count / (40 * 199)).toBeLessThan(1 / 2.472 + 0.03);
    expect(r1.latencyS.itl.mean).toBeGreaterThan(r1.latencyS.tpot.mean * 1.5);
  });

  it('property: KV never over capacity with lookahead, requests and tokens conserved, under every policy', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 2, max: 24 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('vllm' as const, 'sglang' as const, 'trtllm' as const),
        (k, rate, streams, seed, family) => {
          const withSpec = tinyDeploymentWithKv(k, rate, family);
          const r = simulate({
            deployment: withSpec,
            seed,
            recordRequests: true,
            workload: { arrival: { kind: 'concurrent', streams }, lengths: { kind: 'synthetic', input: { mean: 475, min: 50, max: 900 }, output: { mean: 150, min: 2, max: 300 } }, maxRequests: 60 },
          });
          const q = r.requests;
          expect(q.completed + q.rejected + q.incomplete).toBe(q.issued);
          expect(r.engine.peakKvUtilization).toBeLessThanOrEqual(1);
          for (const pt of r.timeSeries) expect(pt.kvUtilization).toBeLessThanOrEqual(1);
          const p = r.perRequest!;
          const served = p.outputTokens.reduce((s, x) => s + x, 0);
          expect(r.throughput.outputTokensPerS * r.durationS).toBeCloseTo(served, 6);
        },
      ),
      { numRuns: 15 },
    );
  });
});

function tinyDeploymentWithKv(k: number, rate: number, family: 'vllm' | 'sglang' | 'trtllm') {
  const base = tinyKvDeployment(3000, { family });
  const m = base.memory;
  // the same small cache, now shared with a drafter: size it through gpu_memory_utilization as tinyKvDeployment does
  const speculative = eagle(new Array<number>(k).fill(rate));
  const sm = tinyDeployment({ family }, {}, { speculative }).memory;
  const util = (sm.weightBytesPerGpu + sm.activationReserveBytes + (3000 + m.blockSize) * sm.kvBytesPerTokenPerGpu) / m.capacityBytes;
  return tinyDeployment({ family, gpuMemoryUtilization: util }, {}, { speculative });
}
