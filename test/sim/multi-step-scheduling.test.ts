/**
 * Multi-step scheduling (vLLM V0's --num-scheduler-steps k): a decode-only step opens a round of k decode
 * steps that admits nobody; a step with prefill work is a round of its own. Hand-worked case, synchronous
 * scheduling: request A arrives at t = 0 to an idle engine, B half-way through A's first decode step D1.
 *   k = 1: [A prefill] [D1] [A decode + B prefill]                    → B waits the rest of D1
 *   k = 4: [A prefill] [D1 D2 D3 D4] [A decode + B prefill]           → B waits the rest of D1, then D2..D4
 * so B's TTFT grows by three decode steps, (k − 1) D, and A's does not change.
 */
import { describe, expect, it } from 'vitest';
import { decodeShape, prefillShape, tinyDeployment } from '../helpers/deployment.ts';
import { simulate } from '../../src/simulate.ts';
import { resolveDeployment } from '../../src/cost/deployment.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';

const PROMPT = 512;

function run(schedulerSteps: number) {
  const deployment = tinyDeployment({ asyncScheduling: false, schedulerSteps });
  const prefillS = deployment.cost.stepTimeS(prefillShape(PROMPT));
  const decodeS = deployment.cost.stepTimeS(decodeShape(1, PROMPT + 1));
  const bArrivalS = prefillS + decodeS / 2;
  const r = simulate({
    deployment,
    seed: 1,
    recordRequests: true,
    workload: { arrival: { kind: 'trace', timesS: [0, bArrivalS] }, lengths: { kind: 'fixed', inputTokens: PROMPT, outputTokens: 64 }, maxRequests: 2 },
  });
  const rec = r.perRequest!;
  return { a: rec.ttftS[rec.arrivalS.indexOf(0)]!, b: rec.ttftS[rec.arrivalS.indexOf(bArrivalS)]!, decodeS, deployment };
}

describe('multi-step scheduling admits new requests only between rounds', () => {
  it('a request arriving in the first step of a 4-step round waits for the round to end: TTFT grows by 3 decode steps', () => {
    const one = run(1);
    const four = run(4);
    expect(four.a).toBeCloseTo(one.a, 12); // an idle engine admits at once
    // to 10 µs: A's context grows by a token each step, so D2..D4 are a hair longer than D1
    expect(four.b - one.b).toBeCloseTo(3 * one.decodeS, 5);
  });

  it('a round streams its tokens as one chunk unless a stream interval is stated', () => {
    expect(run(4).deployment.deployment.engine.streamInterval).toBe(4);
    expect(run(1).deployment.deployment.engine.streamInterval).toBeUndefined();
    const registry = loadProfiles();
    const stated = resolveDeployment(registry.getModel('llama-3.1-8b'), registry.getHardware('h100-sxm'), { engine: { schedulerSteps: 8, streamInterval: 1 } }, { id: 'x', values: tinyDeployment().deployment.calibration.values });
    expect(stated.engine.streamInterval).toBeUndefined();
    expect(stated.engine.schedulerSteps).toBe(8);
  });

  it('is refused with speculative decoding, which vLLM never combined with it', () => {
    const registry = loadProfiles();
    expect(() =>
      resolveDeployment(
        registry.getModel('llama-3.1-8b'),
        registry.getHardware('h100-sxm'),
        { engine: { schedulerSteps: 8 }, speculative: { method: 'eagle3', tokens: 3 } },
        { id: 'x', values: tinyDeployment().deployment.calibration.values },
      ),
    ).toThrow(/--scheduler-steps with speculative decoding is not modelled/);
  });
});
