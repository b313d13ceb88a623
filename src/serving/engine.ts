/**
 * Builds the serving engine (replicas, request pool, the three event handlers on a kernel) and runs it:
 * start the arrivals, run the kernel, drain. The handlers themselves are in engine-loop.ts.
 */
import type { PreparedDeployment } from '../cost/prepare.ts';
import { Simulation } from '../kernel/simulation.ts';
import {
  type EngineObserver,
  type EngineState,
  type IssueLimits,
  onAdmit,
  onAdmitted,
  onArrival,
  onRequestFinished,
  onStepEnd,
  onStream,
  type RequestSource,
} from './engine-loop.ts';
import { type DecodePool, type Disaggregation, onDecodeStepEnd, onHandOff, onTransferDone } from './disaggregation.ts';
import type { BatchPolicy } from './policies/batch-policy.ts';
import { BATCH_POLICIES } from './policies/index.ts';
import { frontendsFor } from './frontend.ts';
import { Replica } from './replica.ts';
import type { ReplicaSink } from './replica-sink.ts';
import { RequestPool } from './request-pool.ts';
import { createRouter, type Router } from './router.ts';

export interface EngineSetup {
  readonly prepared: PreparedDeployment;
  readonly policy: BatchPolicy;
  readonly replicas: number;
  readonly router: Router;
  readonly limits: IssueLimits;
  readonly source: RequestSource;
  readonly observer: EngineObserver;
  /** speculative decoding: replica i's seeded [0, 1) stream of acceptance draws */
  readonly acceptanceStream?: ((replica: number) => () => number) | undefined;
  /** P/D: the replicas above are the prefill pool; this is the decode pool */
  readonly disaggregation?: Disaggregation | undefined;
}

export function createEngine(setup: EngineSetup): EngineState {
  const sim = new Simulation();
  const replicas: Replica[] = [];
  const state: EngineState = {
    sim,
    // the kernel numbers event kinds as they are registered; the handlers close over nothing but the state
    kinds: {
      step: sim.on((r, now) => onStepEnd(state, r, now)),
      stream: sim.on((stream, now) => onStream(state, stream, now)),
      arrival: sim.on((t, now) => onArrival(state, t, now)),
      admit: sim.on((id, now) => onAdmit(state, id, now)),
    },
    pool: new RequestPool(),
    replicas,
    router: setup.router,
    limits: setup.limits,
    source: setup.source,
    observer: setup.observer,
    engine: setup.prepared.deployment.engine,
    issued: 0,
    rejected: 0,
    rejectReasons: {},
    inSystem: 0,
    peakOutstanding: 0,
    peakMaterialized: 0,
    admitted: 0,
    lastIssueS: 0,
    issuingDone: false,
    stoppedEarly: undefined,
    // a prompt still in the API frontend waits as surely as one in a scheduler's queue
    waitingNow: () => replicas.reduce((n, r) => n + r.waitingCount, 0) + state.inFrontend.size,
    frontends: frontendsFor(setup.replicas, setup.prepared.deployment.calibration.values),
    inFrontend: new Map(),
  };
  const sink: ReplicaSink = {
    tokenGaps: (gapS, tokens) => setup.observer.tokenGaps(gapS, tokens),
    admitted: () => onAdmitted(state),
    finished: (slot, nowS) => onRequestFinished(state, slot, nowS),
    stepDone: (r, dtS, decodeSeqs) => setup.observer.stepDone(replicas[r]!, dtS, decodeSeqs),
    handOff: (slot, nowS) => onHandOff(state.decodePool!, slot, nowS),
  };
  const role = setup.disaggregation ? 'prefill' : 'mixed';
  for (let i = 0; i < setup.replicas; i++)
    replicas.push(new Replica(i, setup.prepared, setup.policy, state.pool, sink, { role, uniform: setup.acceptanceStream?.(i) }));
  if (setup.disaggregation) state.decodePool = createDecodePool(state, setup, setup.disaggregation);
  return state;
}

/** the decode pool of a P/D engine: its replicas (own deployment), its router, its two event kinds */
function createDecodePool(state: EngineState, setup: EngineSetup, dis: Disaggregation): DecodePool {
  const decode: Replica[] = [];
  const dp: DecodePool = {
    sim: state.sim,
    pool: state.pool,
    replicas: decode,
    router: createRouter('least-outstanding'),
    disaggregation: dis,
    transferKind: state.sim.on((slot, now) => onTransferDone(dp, slot, now)),
    stepKind: state.sim.on((r, now) => {
      onDecodeStepEnd(dp, r, now);
      state.observer.stepEnded(now, allReplicas(state));
    }),
    handedOff: 0,
    transferred: 0,
    transferTimeSumS: 0,
  };
  const sink: ReplicaSink = {
    tokenGaps: (gapS, tokens) => setup.observer.tokenGaps(gapS, tokens),
    admitted: () => onAdmitted(state),
    finished: (slot, nowS) => onRequestFinished(state, slot, nowS),
    stepDone: (r, dtS, decodeSeqs) => setup.observer.stepDone(decode[r]!, dtS, decodeSeqs),
  };
  const policy = BATCH_POLICIES[dis.decode.deployment.engine.family];
  for (let j = 0; j < dis.decodeReplicas; j++)
    decode.push(new Replica(j, dis.decode, policy, state.pool, sink, { role: 'decode', uniform: setup.acceptanceStream?.(setup.replicas + j) }));
  return dp;
}

/** every replica of the engine: the (prefill) pool, then the decode pool under P/D */
export function allReplicas(s: EngineState): readonly Replica[] {
  return s.decodePool ? [...s.replicas, ...s.decodePool.replicas] : s.replicas;
}

/** Schedule the first events: every closed-loop stream at t=0, or the first open-loop arrival. */
export function startArrivals(s: EngineState, closedLoopStreams: number | undefined): void {
  const { maxRequests, maxSeconds } = s.limits;
  if (closedLoopStreams !== undefined) {
    const n = Math.min(closedLoopStreams, Number.isFinite(maxRequests) ? maxRequests : closedLoopStreams);
    for (let stream = 0; stream < n; stream++) s.sim.schedule(0, s.kinds.stream, stream);
  } else {
    const t0 = s.source.nextArrivalS();
    if (Number.isFinite(t0) && t0 < maxSeconds) s.sim.schedule(t0, s.kinds.arrival, 0);
  }
}

/**
 * Run the kernel until every issued request finished, or until `drainLimitS` simulated seconds after the
 * last arrival (then the unfinished ones count as incomplete).
 */
export function runToCompletion(s: EngineState, drainLimitS: number): void {
  const sim = s.sim;
  const maxSeconds = s.limits.maxSeconds;
  if (Number.isFinite(maxSeconds)) {
    const stop = sim.run({ untilS: maxSeconds });
    if (stop === 'time-limit' || stop === 'drained') sim.run({ untilS: maxSeconds + drainLimitS });
  } else if (Number.isFinite(drainLimitS)) {
    // the last issue time is not known in advance: advance in drain-limit slices until every request is
    // issued (no slice overshoots it by more than the limit), then run to last issue + limit
    let horizon = 0;
    while (!s.issuingDone && sim.run({ untilS: horizon }) === 'time-limit') horizon = Math.max(horizon + drainLimitS, sim.nextEventS);
    sim.run({ untilS: Math.max(sim.now, s.lastIssueS + drainLimitS) });
  } else {
    sim.run();
  }
}
