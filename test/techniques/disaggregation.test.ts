import { describe, expect, it } from 'vitest';
import { kvTransferTimeS } from '../../src/cost/kv-transfer.ts';
import { Simulation } from '../../src/kernel/simulation.ts';
import { type DecodePool, onDecodeStepEnd, onHandOff, onTransferDone, resolveDisaggregation } from '../../src/serving/disaggregation.ts';
import { BATCH_POLICIES } from '../../src/serving/policies/index.ts';
import { Replica } from '../../src/serving/replica.ts';
import type { ReplicaSink } from '../../src/serving/replica-sink.ts';
import { RequestPool } from '../../src/serving/request-pool.ts';
import { createRouter } from '../../src/serving/router.ts';
import { decodeShape, prepared, shape } from '../helpers/deployment.ts';

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
