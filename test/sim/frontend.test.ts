/**
 * The API frontend (src/serving/frontend.ts): a FIFO stage of `frontend_workers` servers, each prompt
 * costing frontend_prompt_token_us per token, between a request's arrival and its replica's scheduler.
 * Hand-worked cases: one request pays exactly its own frontend time on top of the engine's TTFT; requests
 * arriving together queue behind each other in arrival order; decode never waits for the frontend.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Frontend } from '../../src/serving/frontend.ts';
import { simulate } from '../../src/simulate.ts';
import { tinyDeployment } from '../helpers/deployment.ts';

describe('Frontend: FIFO over its workers', () => {
  it('two workers: the third prompt starts when the first worker frees', () => {
    const f = new Frontend(2, 100); // 100 µs per token
    expect(f.admitAtS(0, 1000)).toBeCloseTo(0.1, 12);
    expect(f.admitAtS(0, 2000)).toBeCloseTo(0.2, 12);
    expect(f.admitAtS(0.05, 500)).toBeCloseTo(0.15, 12); // waits for worker 1 (free at 0.1)
    expect(f.admitAtS(1, 10)).toBeCloseTo(1.001, 12); // idle again
  });

  it('property: no prompt reaches the engine before its own service time, and one worker serves in arrival order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 5000 })), { minLength: 1, maxLength: 40 }), (reqs) => {
        const sorted = [...reqs].sort((a, b) => a[0] - b[0]);
        const f = new Frontend(1, 50);
        let last = 0;
        for (const [t, n] of sorted) {
          const done = f.admitAtS(t, n);
          expect(done).toBeGreaterThanOrEqual(t + n * 50e-6 - 1e-12);
          expect(done).toBeGreaterThanOrEqual(last + n * 50e-6 - 1e-12);
          last = done;
        }
      }),
    );
  });
});

describe('simulate with a frontend', () => {
  const run = (frontend: { frontend_prompt_token_us: number; frontend_workers: number } | undefined, timesS: number[]) => {
    const r = simulate({
      deployment: tinyDeployment({}, frontend ?? {}),
      seed: 1,
      recordRequests: true,
      workload: { arrival: { kind: 'trace', timesS }, lengths: { kind: 'fixed', inputTokens: 2000, outputTokens: 32 }, maxRequests: timesS.length },
    });
    return r.perRequest!;
  };

  it('one request: TTFT grows by exactly its frontend time (2,000 tokens × 100 µs = 0.2 s); its decode is unchanged', () => {
    const off = run(undefined, [0]);
    const on = run({ frontend_prompt_token_us: 100, frontend_workers: 4 }, [0]);
    expect(on.ttftS[0]! - off.ttftS[0]!).toBeCloseTo(0.2, 9);
    expect(on.e2eS[0]! - on.ttftS[0]!).toBeCloseTo(off.e2eS[0]! - off.ttftS[0]!, 9);
  });

  it('three at once through one worker: the k-th waits for k−1 prompts before its own (0.2, 0.4, 0.6 s)', () => {
    const off = run(undefined, [0]);
    const on = run({ frontend_prompt_token_us: 100, frontend_workers: 1 }, [0, 0, 0]);
    const ttfts = [...on.ttftS].sort((a, b) => a - b);
    // each reaches the engine 0.2 s after the one before, then waits at most a step beside the others' decode
    ttfts.forEach((t, k) => {
      expect(t).toBeGreaterThanOrEqual(0.2 * (k + 1) + off.ttftS[0]! - 1e-9);
      expect(t).toBeLessThan(0.2 * (k + 1) + 2 * off.ttftS[0]!);
    });
  });

  it('a zero per-token cost is no frontend at all: the same run, bit for bit', () => {
    const off = run(undefined, [0, 0.01, 0.02]);
    const zero = run({ frontend_prompt_token_us: 0, frontend_workers: 8 }, [0, 0.01, 0.02]);
    expect([...zero.ttftS]).toEqual([...off.ttftS]);
    expect([...zero.e2eS]).toEqual([...off.e2eS]);
  });
});
