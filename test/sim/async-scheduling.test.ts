/**
 * Async scheduling (vLLM V1, SGLang's overlap scheduler): step N+1 is planned while step N runs, so a
 * request that arrives during step N is admitted at step N+2 at the earliest; an idle engine admits at
 * once; and each step's CPU work (here 2 ms + 15 µs per sampled sequence) hides behind the GPU.
 * Hand-worked case: request A arrives at t = 0 to an idle engine, B 1 ms later while A's prefill step runs.
 *   synchronous: [A prefill] [A decode + B prefill]                 → B's first token after 2 steps
 *   async:       [A prefill] [A decode] [A decode + B prefill]      → one more step, A's first decode
 * Every async step is shorter by its CPU time: A prefill by 2.015 ms (1 sequence samples), the mixed step
 * by 2.030 ms (2 sequences), so TTFT(B) grows by D − 4.045 ms, D = A's decode step under async scheduling.
 */
import { describe, expect, it } from 'vitest';
import { decodeShape, tinyDeployment } from '../helpers/deployment.ts';
import { simulate } from '../../src/simulate.ts';

const run = (asyncScheduling: boolean) => {
  const deployment = tinyDeployment({ asyncScheduling });
  const r = simulate({
    deployment,
    seed: 1,
    recordRequests: true,
    workload: { arrival: { kind: 'trace', timesS: [0, 0.001] }, lengths: { kind: 'fixed', inputTokens: 512, outputTokens: 64 }, maxRequests: 2 },
  });
  const rec = r.perRequest!;
  const ttftOf = (arrival: number) => rec.ttftS[rec.arrivalS.indexOf(arrival)]!;
  return { a: ttftOf(0), b: ttftOf(0.001), decodeStepS: deployment.cost.stepTimeS(decodeShape(1, 513)) };
};

describe('async scheduling admits a request into the step after the one already planned', () => {
  it('an idle engine admits at once: the first request only gains the hidden CPU time of its step', () => {
    expect(run(false).a - run(true).a).toBeCloseTo(2.015e-3, 9);
  });

  it('a request arriving mid-step waits one more step: TTFT grows by about one decode step', () => {
    const sync = run(false);
    const overlapped = run(true);
    const extra = overlapped.b - sync.b;
    expect(extra).toBeCloseTo(overlapped.decodeStepS - 4.045e-3, 5); // to 10 µs: A's context grows by a token a step
    expect(extra).toBeGreaterThan(1e-3);
  });
});
