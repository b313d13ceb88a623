import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate.ts';
import { StreamChunks } from '../../src/serving/stream-chunks.ts';
import { decodeShape, prefillShape, tinyDeployment } from '../helpers/deployment.ts';

const one = (input: number, output: number) => ({ arrival: { kind: 'synchronous' as const }, lengths: { kind: 'fixed' as const, inputTokens: input, outputTokens: output }, maxRequests: 1 });

describe('--stream-interval k: one streamed chunk per k tokens (SGLang)', () => {
  it('hand-worked: 11 tokens at k = 4 stream as the first token, then chunks at lengths 5, 9 and the end (gaps 4, 4, 2 steps)', () => {
    const c = new StreamChunks(4);
    const gaps: number[] = [];
    c.join(0, 7, 1, 0); // first token at t = 0, output length 1, decode step 0
    for (let t = 1; t <= 10; t++) c.stepEnded(t); // one decode step a second: lengths 2..11 at t = 1..10
    c.left(7, 10, true, (g, n) => {
      for (let i = 0; i < n; i++) gaps.push(g);
    });
    expect(gaps).toEqual([4, 4, 2]);
  });

  it('a preempted sequence keeps its last chunk time: the next chunk spans the pause', () => {
    const c = new StreamChunks(3);
    const gaps: number[] = [];
    const rec = (g: number) => gaps.push(g);
    c.join(0, 1, 1, 0);
    c.stepEnded(1);
    c.stepEnded(2);
    c.left(1, 2, false, rec); // lengths 2, 3: no chunk yet (the next is at length 4)
    c.stepEnded(3); // other sequences' steps while it waits
    c.join(5, 1, 3, 3); // resumed at t = 5 with 3 tokens
    c.stepEnded(6);
    c.stepEnded(7);
    c.left(1, 2, true, rec); // length 4 at t = 6 (a chunk: 6 − 0), length 5 at t = 7 (the end: 7 − 6)
    expect(gaps).toEqual([6, 1]);
  });

  it('in the simulator: ITL is per chunk, TPOT per token; TTFT, TPOT and E2E match streaming every token', () => {
    const k = 10;
    const w = one(100, 1 + 3 * k + 4); // first token, 3 full chunks, a 4-token remainder
    const every = simulate({ deployment: tinyDeployment({ asyncScheduling: false }), seed: 1, workload: w });
    const chunked = simulate({ deployment: tinyDeployment({ asyncScheduling: false, streamInterval: k }), seed: 1, workload: w });
    expect(every.latencyS.itl.count).toBe(34);
    expect(chunked.latencyS.itl.count).toBe(4);
    expect(chunked.latencyS.ttft.mean).toBe(every.latencyS.ttft.mean);
    expect(chunked.latencyS.tpot.mean).toBe(every.latencyS.tpot.mean);
    expect(chunked.latencyS.e2e.mean).toBe(every.latencyS.e2e.mean);
    // the chunks' gaps add up to the decode span: ITL mean × 4 chunks = TPOT × 34 tokens
    expect(chunked.latencyS.itl.mean * 4).toBeCloseTo(chunked.latencyS.tpot.mean * 34, 12);
    // and the 4 chunks span exactly the 34 decode steps of the cost model after the prefill
    const d = tinyDeployment({ asyncScheduling: false, streamInterval: k });
    let decode = 0;
    for (let i = 0; i < 34; i++) decode += d.cost.stepTimeS(decodeShape(1, 100 + i + 1));
    expect(chunked.latencyS.itl.mean * 4).toBeCloseTo(decode, 12);
    expect(chunked.latencyS.ttft.mean).toBeCloseTo(d.cost.stepTimeS(prefillShape(100)), 12);
  });

  it('is refused with speculative decoding (a chunk per verify step is modelled there)', () => {
    expect(() => tinyDeployment({ streamInterval: 4 }, {}, { speculative: { method: 'eagle3', tokens: 3, acceptanceRates: [0.5, 0.5, 0.5] } })).toThrow(/stream-interval/);
  });
});
