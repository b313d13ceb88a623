import { describe, expect, it } from 'vitest';
import { kvTransferTimeS } from '../../src/cost/kv-transfer.ts';
import { Simulation } from '../../src/kernel/simulation.ts';
import { type DecodePool, onDecodeStepEnd, onHandOff, onTransferDone, resolveDisaggregation } from '../../src/serving/disaggregation.ts';
import { BATCH_POLICIES } from '../../src/serving/policies/index.ts';
import { Replica } from '../../src/serving/replica.ts';
import type { ReplicaSink } from '../../src/serving/replica-sink.ts';
import { RequestPool } from '../../src/serving/request-pool.ts';
import { createRouter } from '../../src/serving/router.ts';
import { simulate } from '../../src/simulate.ts';
import { decodeShape, prepared, profiles, shape, tinyDeployment, tinyKvDeployment } from '../helpers/deployment.ts';
import { expectInvariants } from '../helpers/invariants.ts';

/** One prefill replica and one decode replica on a bare kernel, driven by the P/D handlers. */
function onePOneD(input: number, output: number) {
  const p = prepared('llama-3.1-8b', 'h100-sxm', { engine: { asyncScheduling: false, maxModelLen: 8192 } }, { client_overhead_ms: 0 });
  const d = prepared('llama-3.1-8b', 'h100-sxm', { engine: { asyncScheduling: false, maxModelLen: 8192 } }, { client_overhead_ms: 0 });
  const sim = new Simulation();
  const pool = new RequestPool();
  const finished: number[] = [];
  let dp: DecodePool | undefined;
  const sink: ReplicaSink = {
    tokenGaps: () => {},
    finished: (slot, now) => {
      finished.push(now);
      pool.release(slot);
    },
    admitted: () => {},
    stepDone: () => {},
    handOff: (slot, now) => onHandOff(dp!, slot, now),
  };
  const policy = BATCH_POLICIES.vllm;
  const prefillRep = new Replica(0, p, policy, pool, sink, { role: 'prefill' });
  const decodeRep = new Replica(0, d, policy, pool, sink, { role: 'decode' });
  const prefillStep = sim.on((_r, now) => {
    prefillRep.finishStep(now);
    const dt = prefillRep.startStep(now);
    if (dt >= 0) sim.schedule(now + dt, prefillStep, 0);
  });
  dp = {
    sim,
    pool,
    replicas: [decodeRep],
    router: createRouter('least-outstanding'),
    disaggregation: resolveDisaggregation(p, 1, { decode: d, decodeReplicas: 1 }),
    transferKind: sim.on((slot, now) => onTransferDone(dp!, slot, now)),
    stepKind: sim.on((r, now) => onDecodeStepEnd(dp!, r, now)),
    handedOff: 0,
    transferred: 0,
    transferTimeSumS: 0,
  };
  prefillRep.enqueue(0, 0, input, output, -1, true, 0);
  sim.schedule(prefillRep.startStep(0), prefillStep, 0);
  sim.run();
  return { p, d, dp, pool, finished, prefillRep, decodeRep };
}

describe('prefill/decode disaggregation', () => {
  it('hand-worked TTFT = prefill + KV transfer + the decode instance\'s first step', () => {
    const input = 2000;
    const { p, d, dp, finished } = onePOneD(input, 1);
    // prefill: the whole prompt in one step (budget 8192) on the prefill instance
    const prefillS = p.cost.stepTimeS(shape({ prefillSeqs: 1, prefillTokens: input, prefillAttendedKeys: (input * (input + 1)) / 2, prefillContextTokens: input }));
    // transfer: Llama 3.1 8B KV is 32 layers × 2 × 8 heads × 128 × 2 B = 131,072 B per token over a 50 GB/s NIC
    const link = dp.disaggregation.link;
    expect(dp.disaggregation.bytesPerTokenPerGpu).toBe(131_072);
    const transferS = link.latencyS + (input * 131_072) / 50e9;
    expect(kvTransferTimeS(input, 131_072, link)).toBeCloseTo(transferS, 15);
    // first step on the decode instance: the last prompt token, attending to all 2000 keys
    const firstS = d.cost.stepTimeS(shape({ prefillSeqs: 1, prefillTokens: 1, prefillAttendedKeys: input, prefillContextTokens: input }));
    expect(finished).toHaveLength(1);
    expect(finished[0]).toBeCloseTo(prefillS + transferS + firstS, 12);
    expect(dp.handedOff).toBe(1);
    expect(dp.transferred).toBe(1);
  });

  it('the decode instance then decodes the rest: one plain decode step per further token', () => {
    const input = 500;
    const a = onePOneD(input, 1);
    const b = onePOneD(input, 4);
    let decodes = 0;
    for (let i = 1; i < 4; i++) decodes += b.d.cost.stepTimeS(decodeShape(1, input + i));
    expect(b.finished[0]! - a.finished[0]!).toBeCloseTo(decodes, 12);
  });

  it('every hand-off arrives and frees the prefill KV; the decode instance ends empty', () => {
    const { dp, prefillRep, decodeRep } = onePOneD(3000, 50);
    expect(dp.handedOff).toBe(dp.transferred);
    expect(prefillRep.usedBlocks).toBe(0);
    expect(decodeRep.usedBlocks).toBe(0);
    expect(prefillRep.outstanding + decodeRep.outstanding).toBe(0);
  });
});

describe('P/D in simulate', () => {
  const w = (n: number, streams: number) => ({
    arrival: { kind: 'concurrent' as const, streams },
    lengths: { kind: 'synthetic' as const, input: { mean: 1500, min: 200, max: 3000 }, output: { mean: 200, min: 1, max: 400 } },
    maxRequests: n,
  });

  it('requests and tokens are conserved across the pools; every hand-off is transferred and decoded', () => {
    const p = tinyDeployment();
    const r = simulate({ deployment: p, replicas: 2, seed: 5, recordRequests: true, workload: w(200, 24), disaggregation: { decode: tinyDeployment(), decodeReplicas: 3 } });
    expectInvariants(r);
    const t = r.deployment.techniques!.disaggregation!;
    expect(t.prefillReplicas).toBe(2);
    expect(t.decodeReplicas).toBe(3);
    expect(t.transfers).toBe(r.requests.completed);
    expect(r.deployment.gpus).toBe(5);
    expect(t.meanTransferMs).toBeGreaterThan(0);
  });

  it('TTFT includes the transfer: a slower link raises every TTFT, and a one-request run matches the hand-worked sum', () => {
    const one = { arrival: { kind: 'synchronous' as const }, lengths: { kind: 'fixed' as const, inputTokens: 4000, outputTokens: 2 }, maxRequests: 1 };
    const local = simulate({ deployment: tinyDeployment(), seed: 1, workload: one, disaggregation: { decode: tinyDeployment(), decodeReplicas: 1, sameNode: true } });
    const remote = simulate({ deployment: tinyDeployment(), seed: 1, workload: one, disaggregation: { decode: tinyDeployment(), decodeReplicas: 1 } });
    // 4000 tokens × 131,072 B: over 450 GB/s NVLink vs a 50 GB/s NIC per GPU
    const nvlink = profiles().getHardware('h100-sxm').interconnect.allreduceLatencyS / 2 + (4000 * 131_072) / 450e9;
    const nic = 10e-6 + (4000 * 131_072) / 50e9;
    expect(remote.latencyS.ttft.mean - local.latencyS.ttft.mean).toBeCloseTo(nic - nvlink, 9);
  });

  it("the decode pool's KV bounds its concurrency: a small decode cache holds fewer sequences and queues the rest", () => {
    const big = simulate({ deployment: tinyDeployment(), seed: 2, workload: w(150, 64), disaggregation: { decode: tinyDeployment(), decodeReplicas: 1 } });
    const small = simulate({ deployment: tinyDeployment(), seed: 2, workload: w(150, 64), disaggregation: { decode: tinyKvDeployment(6000), decodeReplicas: 1 } });
    expect(small.engine.peakKvUtilization).toBeLessThanOrEqual(1);
    expect(small.latencyS.e2e.mean).toBeGreaterThan(big.latencyS.e2e.mean);
    expect(small.requests.completed).toBe(150);
  });

  it('impossible pairs are refused: a different model in the decode pool, no decode instance, more GPUs than one node for --pd-same-node', () => {
    const p = tinyDeployment();
    expect(() => simulate({ deployment: p, seed: 1, workload: w(10, 2), disaggregation: { decode: prepared('qwen3-8b', 'h100-sxm'), decodeReplicas: 1 } })).toThrow(/same model/);
    expect(() => simulate({ deployment: p, seed: 1, workload: w(10, 2), disaggregation: { decode: tinyDeployment(), decodeReplicas: 0 } })).toThrow(/decode instances >= 1/);
    expect(() => simulate({ deployment: p, replicas: 4, seed: 1, workload: w(10, 2), disaggregation: { decode: tinyDeployment(), decodeReplicas: 5, sameNode: true } })).toThrow(/more than the 8/);
  });
});
