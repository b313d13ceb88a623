/**
 * Open-loop session arrivals: each arrival of a Poisson / constant / rate-curve process opens a session of
 * several turns, so the process's rate is sessions per second; later turns follow the session's own
 * responses and think time, and the session ends after its last turn.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate.ts';
import type { ArrivalSpec } from '../../src/workload/arrivals.ts';
import type { Workload } from '../../src/workload/workload.ts';
import { expectedTurns } from '../../src/workload/sessions.ts';
import { tinyDeployment } from '../helpers/deployment.ts';

const SYSTEM = 64;
const I = 40;
const O = 8;

function openSessions(arrival: ArrivalSpec, turns: number, thinkTimeMeanS: number, limits: Pick<Workload, 'maxRequests' | 'maxSeconds'>): Workload {
  return {
    arrival,
    lengths: { kind: 'fixed', inputTokens: I, outputTokens: O },
    sessions: { turns: { mean: turns, min: turns, max: turns }, thinkTimeMeanS, systemPromptTokens: SYSTEM },
    ...limits,
  };
}

/** turn k (1-based) of a session sends the system prompt, k new inputs and k − 1 answers */
const turnInput = (k: number) => SYSTEM + k * I + (k - 1) * O;

describe('open-loop sessions', () => {
  it('hand-worked: one session a second, three turns each, every session done before the next opens', () => {
    const r = simulate({
      deployment: tinyDeployment({ prefixCache: 'vllm' }),
      seed: 1,
      workload: openSessions({ kind: 'constant', ratePerS: 1 }, 3, 0.05, { maxRequests: 30 }),
      recordRequests: true,
    });
    const rec = r.perRequest!;
    expect(r.requests.issued).toBe(30);
    expect(rec.inputTokens.length).toBe(30);
    // ten sessions, arriving at t = 0, 1, ..., 9, each turn 1, 2, 3 in order
    const firsts = rec.arrivalS.filter((_, i) => rec.inputTokens[i] === turnInput(1));
    expect(firsts).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const byArrival = rec.inputTokens.map((n, i) => [rec.arrivalS[i]!, n] as const).sort((a, b) => a[0] - b[0]);
    expect(byArrival.map(([, n]) => n)).toEqual(Array.from({ length: 10 }, () => [turnInput(1), turnInput(2), turnInput(3)]).flat());
    // an open-loop run: judged for saturation, and its offered rate (sessions/s) is not passed off as requests/s
    expect(r.saturation.verdict).not.toBe('closed-loop');
    expect(r.saturation.offeredRatePerS).toBeUndefined();
    // every later turn re-sends the cached conversation: hits are counted (turns 2 and 3 of every session)
    expect(r.prefixCache!.tokensSaved).toBeGreaterThan(0);
  });

  it('property: sessions open at the process rate (Poisson count within 4 standard deviations)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0.5, max: 4, noNaN: true }), fc.integer({ min: 1, max: 4 }), (seed, rate, turns) => {
        const T = 60;
        const r = simulate({
          deployment: tinyDeployment(),
          seed,
          workload: openSessions({ kind: 'poisson', ratePerS: rate }, turns, 0.5, { maxSeconds: T }),
          recordRequests: true,
        });
        const rec = r.perRequest!;
        const sessions = rec.inputTokens.filter((n) => n === turnInput(1)).length;
        expect(Math.abs(sessions - rate * T)).toBeLessThanOrEqual(4 * Math.sqrt(rate * T) + 1);
        // a session never runs more turns than it has: turn k exists only after turn k − 1
        for (let k = 2; k <= turns + 1; k++) {
          const at = (j: number) => rec.inputTokens.filter((n) => n === turnInput(j)).length;
          expect(at(k)).toBeLessThanOrEqual(at(k - 1));
        }
        expect(rec.inputTokens.some((n) => n === turnInput(turns + 1))).toBe(false);
      }),
      { numRuns: 8 },
    );
  });

  it('a rate curve opens sessions at its integral: 0 → 2 sessions/s over 40 s is about 40 sessions', () => {
    const r = simulate({
      deployment: tinyDeployment(),
      seed: 3,
      workload: openSessions({ kind: 'rate-curve', points: [{ timeS: 0, ratePerS: 0 }, { timeS: 40, ratePerS: 2 }], repeat: false }, 2, 0.2, { maxSeconds: 40 }),
      recordRequests: true,
    });
    const sessions = r.perRequest!.inputTokens.filter((n) => n === turnInput(1)).length;
    expect(Math.abs(sessions - 40)).toBeLessThanOrEqual(4 * Math.sqrt(40));
  });

  it('expectedTurns: the range mean held in its bounds, the midpoint of a uniform range', () => {
    expect(expectedTurns({ turns: { mean: 4, min: 4, max: 4 }, thinkTimeMeanS: 0 })).toBe(4);
    expect(expectedTurns({ turns: { mean: 30, stdev: 15, min: 5, max: 80 }, thinkTimeMeanS: 0 })).toBe(30);
    expect(expectedTurns({ turns: { mean: 9, min: 2, max: 4 }, thinkTimeMeanS: 0 })).toBe(3);
  });
});
