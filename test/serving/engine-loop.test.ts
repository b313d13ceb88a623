/**
 * The serving handlers driven one at a time on a hand-built state, without running a simulation: what one
 * arrival, one stream wake-up or one step end does to the state and the kernel's queue.
 */
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/serving/engine.ts';
import { type EngineObserver, type EngineState, type IssueLimits, onArrival, onStepEnd, onStream, type RequestSource } from '../../src/serving/engine-loop.ts';
import { EMPTY_REQUEST } from '../../src/serving/reject.ts';
import { BATCH_POLICIES } from '../../src/serving/policies/index.ts';
import { createRouter } from '../../src/serving/router.ts';
import { tinyDeployment } from '../helpers/deployment.ts';

const LIMITS: IssueLimits = {
  requestCap: 10,
  maxRequests: 10,
  maxSeconds: Infinity,
  warmupFraction: 0,
  cooldownFraction: 0,
  requestCapReason: 'cap',
  stopWhenBacklogged: false,
  backlogStopReason: 'backlog',
};

/** an observer that only counts what it is told */
function countingObserver() {
  const seen = { finished: 0, steps: 0, arrivals: 0, ended: 0, measuring: [] as boolean[] };
  const observer: EngineObserver = {
    tokenGaps: () => {},
    requestFinished: () => void seen.finished++,
    measuring: (counted) => void seen.measuring.push(counted),
    stepDone: () => void seen.steps++,
    stepEnded: () => {},
    openLoopArrival: () => void seen.arrivals++,
    backlogEvident: () => false,
    arrivalsEnded: () => void seen.ended++,
  };
  return { seen, observer };
}

/** fixed lengths; open-loop arrivals at the given times, then none */
function fixedSource(arrivalsS: number[], lengths = { inputTokens: 100, outputTokens: 3 }): RequestSource {
  const queue = [...arrivalsS];
  return {
    drawLengths: () => ({ ...lengths }),
    drawSharedBlocks: () => 0,
    nextArrivalS: () => queue.shift() ?? Infinity,
  };
}

function engine(source: RequestSource, limits: IssueLimits = LIMITS): { state: EngineState; seen: ReturnType<typeof countingObserver>['seen'] } {
  const { seen, observer } = countingObserver();
  const state = createEngine({
    prepared: tinyDeployment(),
    policy: BATCH_POLICIES.vllm,
    replicas: 2,
    router: createRouter('round-robin'),
    limits,
    source,
    observer,
  });
  return { state, seen };
}

describe('onArrival', () => {
  it('issues one request to the routed replica, starts its step and schedules the next arrival', () => {
    const { state, seen } = engine(fixedSource([0.5]));
    onArrival(state, 0, 0.25);
    expect(state.issued).toBe(1);
    expect(state.inSystem).toBe(1);
    expect(state.peakOutstanding).toBe(1);
    expect(seen.arrivals).toBe(1);
    expect(seen.measuring).toEqual([true]);
    // round-robin picked replica 0, which was idle: it admitted the request and started a step
    expect(state.replicas[0]!.busy).toBe(true);
    expect(state.replicas[0]!.runningCount).toBe(1);
    expect(state.replicas[1]!.busy).toBe(false);
    expect(state.admitted).toBe(1);
    // two events queued: the step end (after 0.25 s) and the next arrival at 0.5 s; the step is sooner
    expect(state.sim.nextEventS).toBeGreaterThan(0.25);
    expect(state.sim.nextEventS).toBeLessThan(0.5);
    expect(state.issuingDone).toBe(false);
  });

  it('ends issuing when the arrival process ends, and tells the observer once', () => {
    const { state, seen } = engine(fixedSource([]));
    onArrival(state, 0, 0);
    expect(state.issuingDone).toBe(true);
    expect(seen.ended).toBe(1);
  });

  it('counts a rejected request with its reason and routes nothing', () => {
    const { state } = engine(fixedSource([1], { inputTokens: 0, outputTokens: 5 }));
    onArrival(state, 0, 0);
    expect(state.rejected).toBe(1);
    expect(state.rejectReasons).toEqual({ [EMPTY_REQUEST]: 1 });
    expect(state.inSystem).toBe(0);
    expect(state.replicas.every((r) => !r.busy)).toBe(true);
  });

  it('stops at the request cap and says why when the cap cuts the run short', () => {
    const { state } = engine(fixedSource([1, 2, 3]), { ...LIMITS, requestCap: 1, maxRequests: 5 });
    onArrival(state, 0, 0);
    expect(state.issuingDone).toBe(true);
    expect(state.stoppedEarly).toEqual({ atS: 0, afterRequests: 1, reason: 'cap' });
  });
});

describe('onStream', () => {
  it('issues the stream\'s next request unless issuing is done', () => {
    const { state } = engine(fixedSource([]));
    onStream(state, 7, 0);
    expect(state.issued).toBe(1);
    state.issuingDone = true;
    onStream(state, 7, 0);
    expect(state.issued).toBe(1);
  });
});

describe('onStepEnd', () => {
  it('applies the step: a 3-token request finishes after its prefill step and two decode steps', () => {
    const { state, seen } = engine(fixedSource([]));
    onStream(state, 0, 0);
    let now = 0;
    for (let step = 0; step < 3; step++) {
      now = state.sim.nextEventS;
      expect(Number.isFinite(now)).toBe(true);
      onStepEnd(state, 0, now);
    }
    expect(seen.steps).toBe(3);
    expect(seen.finished).toBe(1);
    expect(state.inSystem).toBe(0);
    // the replica idles; the stream's next request is an event at the finish time, not issued inline
    expect(state.replicas[0]!.busy).toBe(false);
    expect(state.issued).toBe(1);
    expect(state.sim.nextEventS).toBe(now);
  });
});
