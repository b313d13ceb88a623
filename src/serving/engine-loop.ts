/**
 * The serving engine's event handlers, as named functions over one explicit state object (vidur keeps one
 * event per handler the same way). Three events drive a run:
 *
 *   onArrival   an open-loop request arrives (or a session, whose first turn it is): issue it, schedule the next arrival
 *   onStream    a closed-loop stream (a "user", or an open-loop session's next turn) issues its next request
 *   onStepEnd   a replica's step ends: apply it, plan the next one, schedule its end
 *
 * Handlers change the state and schedule follow-up events through the kernel; they record nothing
 * themselves: what a metric needs goes out through the EngineObserver port, which simulate() wires to
 * metrics/ (serving sits below metrics and does not import it).
 */
import type { Deployment } from '../cost/deployment.ts';
import type { Simulation } from '../kernel/simulation.ts';
import type { BlockKeys } from './prefix-cache.ts';
import type { DecodePool } from './disaggregation.ts';
import type { Frontend } from './frontend.ts';
import type { Replica } from './replica.ts';
import { rejectReason } from './reject.ts';
import type { RequestPool, RequestSummary } from './request-pool.ts';
import type { Router } from './router.ts';

/** Limits on issuing requests, resolved from the workload once. */
export interface IssueLimits {
  /** issue at most this many requests; a time-limited run still stops at the per-run cap */
  readonly requestCap: number;
  /** the run's request count (Infinity for a time-limited run): the warm-up/cool-down window is a share of it */
  readonly maxRequests: number;
  readonly maxSeconds: number;
  readonly warmupFraction: number;
  readonly cooldownFraction: number;
  /** why issuing stops at requestCap before maxRequests (the per-run limit) */
  readonly requestCapReason: string;
  /** stop issuing once a backlog is evident (steady-rate open-loop runs only) */
  readonly stopWhenBacklogged: boolean;
  /** why issuing stops when the observer finds a backlog evident */
  readonly backlogStopReason: string;
}

/** Where requests come from: seeded draws, in a fixed order so runs are reproducible. */
export interface RequestSource {
  /** the next request's lengths (a closed-loop stream's own, for multi-turn sessions; -1 = open loop), and its block keys when the workload names its content */
  drawLengths(stream: number): { inputTokens: number; outputTokens: number; keys?: BlockKeys | undefined };
  /** a closed-loop stream's pause between a response and its next request (think time), seconds */
  thinkTimeS?(stream: number): number;
  /**
   * open-loop sessions: each arrival opens a session, a stream of its own (the id returned), whose later
   * turns follow its responses; undefined when arrivals are single requests
   */
  openSession?(): number;
  /** whether a stream issues again (an open-loop session ends after its last turn); undefined = always */
  streamContinues?(stream: number): boolean;
  /** prefix-cache blocks a request that passed admission shares (0 on a miss) */
  drawSharedBlocks(inputTokens: number): number;
  /** the next open-loop arrival time; Infinity when the process has ended */
  nextArrivalS(): number;
}

/** Load as an arriving request sees it: the evidence for stopping early under a backlog. */
export interface LoadView {
  readonly admitted: number;
  readonly inSystem: number;
  waitingNow(): number;
}

/** What the engine reports; simulate() implements it with metrics/. Serving never records a metric itself. */
export interface EngineObserver {
  tokenGaps(gapS: number, tokens: number): void;
  requestFinished(request: RequestSummary, nowS: number): void;
  /** whether requests issued from now on are inside the measurement window */
  measuring(counted: boolean): void;
  stepDone(replica: Replica, durationS: number, decodeSeqs: number): void;
  stepEnded(nowS: number, replicas: readonly Replica[]): void;
  openLoopArrival(nowS: number, inSystem: number, queueDelayS: number, admitted: number): void;
  backlogEvident(load: LoadView): boolean;
  /** the last request was issued: the moment the saturation verdict is judged */
  arrivalsEnded(load: LoadView): void;
}

export interface StoppedEarly {
  readonly atS: number;
  readonly afterRequests: number;
  readonly reason: string;
}

export interface EventKinds {
  readonly step: number;
  readonly stream: number;
  readonly arrival: number;
  /** a request leaves the API frontend and reaches its replica's scheduler */
  readonly admit: number;
}

/** A request in the API frontend: what its replica's queue will hold once it gets there. */
interface InFrontend {
  readonly replica: number;
  readonly arrivalS: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly stream: number;
  readonly counted: boolean;
  readonly sharedBlocks: number;
  readonly keys: BlockKeys | undefined;
}

/** Everything the handlers read and change. Counters are plain fields: the summary reads them at the end. */
export interface EngineState extends LoadView {
  readonly sim: Simulation;
  readonly kinds: EventKinds;
  readonly pool: RequestPool;
  readonly replicas: readonly Replica[];
  readonly router: Router;
  readonly limits: IssueLimits;
  readonly source: RequestSource;
  readonly observer: EngineObserver;
  /** the engine's request limits (max_model_len, ...): a request beyond them is rejected at issue */
  readonly engine: Deployment['engine'];
  issued: number;
  rejected: number;
  readonly rejectReasons: Record<string, number>;
  /** issued, not rejected, not finished */
  inSystem: number;
  peakOutstanding: number;
  peakMaterialized: number;
  /** requests admitted to a batch for the first time */
  admitted: number;
  lastIssueS: number;
  /** every request issued, or the arrival process ended */
  issuingDone: boolean;
  stoppedEarly: StoppedEarly | undefined;
  /** P/D: the decode pool (`replicas` are then the prefill pool) */
  decodePool?: DecodePool | undefined;
  /** each replica's API frontend, when the calibration gives it a cost (frontend.ts) */
  readonly frontends?: readonly Frontend[] | undefined;
  /** requests in a frontend, by id */
  readonly inFrontend: Map<number, InFrontend>;
}

export function onStepEnd(s: EngineState, replica: number, nowS: number): void {
  s.replicas[replica]!.finishStep(nowS);
  s.observer.stepEnded(nowS, s.replicas);
  startNextStep(s, replica, nowS);
}

export function onStream(s: EngineState, stream: number, nowS: number): void {
  if (s.issuingDone || nowS >= s.limits.maxSeconds) return;
  // an open-loop session's later turns arrive at the server as its first did: load the system does not pace
  const openLoop = s.source.openSession !== undefined;
  issue(s, nowS, stream, openLoop);
  if (openLoop && s.issuingDone) s.observer.arrivalsEnded(s);
}

export function onArrival(s: EngineState, _target: number, nowS: number): void {
  // an open-loop session's later turn may have issued the last request while this arrival was pending
  if (s.issuingDone) return;
  issue(s, nowS, s.source.openSession?.() ?? -1, true);
  if (!s.issuingDone) {
    const t = s.source.nextArrivalS();
    if (t < s.limits.maxSeconds && Number.isFinite(t)) s.sim.schedule(Math.max(t, nowS), s.kinds.arrival, 0);
    else s.issuingDone = true;
  }
  // the verdict is judged as the last request arrives: what the queue looks like once arrivals stop
  if (s.issuingDone) s.observer.arrivalsEnded(s);
}

/** plan replica r's next step now and schedule its end; an idle replica waits for the next arrival */
export function startNextStep(s: EngineState, replica: number, nowS: number): void {
  const dt = s.replicas[replica]!.startStep(nowS);
  if (dt >= 0) s.sim.schedule(nowS + dt, s.kinds.step, replica);
}

/** a request finished on some replica: release its slot and let its closed-loop stream issue the next */
export function onRequestFinished(s: EngineState, slot: number, nowS: number): void {
  s.observer.requestFinished(s.pool.summary(slot), nowS);
  const stream = s.pool.stream[slot]!;
  s.pool.release(slot);
  s.inSystem--;
  if (stream >= 0 && !s.issuingDone && nowS < s.limits.maxSeconds && continues(s, stream))
    s.sim.schedule(nowS + (s.source.thinkTimeS?.(stream) ?? 0), s.kinds.stream, stream);
}

function continues(s: EngineState, stream: number): boolean {
  return s.source.streamContinues?.(stream) ?? true;
}

/** a request was admitted to a batch for the first time */
export function onAdmitted(s: EngineState): void {
  s.admitted++;
  if (s.pool.inUse > s.peakMaterialized) s.peakMaterialized = s.pool.inUse;
}

/**
 * Issue request number `issued` now, from a stream (>= 0: a closed-loop user or an open-loop session) or
 * the open-loop process (-1); `arrival` marks an open-loop arrival (any turn of an open-loop session), the
 * saturation verdict's evidence.
 */
function issue(s: EngineState, nowS: number, stream: number, arrival: boolean): void {
  const id = s.issued++;
  s.lastIssueS = nowS;
  if (s.issued >= s.limits.requestCap) {
    s.issuingDone = true;
    if (s.issued < s.limits.maxRequests) s.stoppedEarly = { atS: nowS, afterRequests: s.issued, reason: s.limits.requestCapReason };
  }
  const { inputTokens, outputTokens, keys } = s.source.drawLengths(stream);
  const decode = s.decodePool?.replicas[0];
  const reason =
    rejectReason(s.engine, s.replicas[0]!, inputTokens, outputTokens) ??
    (decode ? rejectReason(s.decodePool!.disaggregation.decode.deployment.engine, decode, inputTokens, outputTokens) : undefined);
  if (reason) {
    s.rejected++;
    s.rejectReasons[reason] = (s.rejectReasons[reason] ?? 0) + 1;
    if (stream >= 0 && !s.issuingDone && continues(s, stream)) s.sim.schedule(nowS, s.kinds.stream, stream);
    return;
  }
  const counted = inMeasurementWindow(s.limits, id, nowS);
  s.observer.measuring(counted);
  const sharedBlocks = s.source.drawSharedBlocks(inputTokens);
  const r = s.router.pick(s.replicas, keys, keys === undefined ? 0 : Math.ceil(inputTokens / s.engine.blockSize));
  const rep = s.replicas[r]!;
  if (arrival) {
    // open loop: the evidence for the saturation verdict, as this arrival finds the system
    const oldest = rep.oldestWaitingArrivalS;
    s.observer.openLoopArrival(nowS, s.inSystem, Number.isFinite(oldest) ? nowS - oldest : 0, s.admitted);
  }
  s.inSystem++;
  if (s.inSystem > s.peakOutstanding) s.peakOutstanding = s.inSystem;
  const frontend = s.frontends?.[r];
  if (frontend) {
    s.inFrontend.set(id, { replica: r, arrivalS: nowS, inputTokens, outputTokens, stream, counted, sharedBlocks, keys });
    s.sim.schedule(frontend.admitAtS(nowS, inputTokens), s.kinds.admit, id);
  } else {
    rep.enqueue(id, nowS, inputTokens, outputTokens, stream, counted, sharedBlocks, keys);
    afterEnqueue(s, r, nowS);
  }
  if (arrival && s.limits.stopWhenBacklogged && !s.issuingDone && s.observer.backlogEvident(s)) {
    // GuideLLM-style over-saturation stop: more arrivals only lengthen the queue; the issued requests
    // still finish so latencies stay comparable
    s.issuingDone = true;
    s.stoppedEarly = { atS: nowS, afterRequests: s.issued, reason: s.limits.backlogStopReason };
  }
}

/** request `id` leaves its replica's API frontend: it joins the scheduler's queue, stamped with its arrival */
export function onAdmit(s: EngineState, id: number, nowS: number): void {
  const q = s.inFrontend.get(id)!;
  s.inFrontend.delete(id);
  const rep = s.replicas[q.replica]!;
  rep.enqueue(id, q.arrivalS, q.inputTokens, q.outputTokens, q.stream, q.counted, q.sharedBlocks, q.keys);
  afterEnqueue(s, q.replica, nowS);
}

/** a request has joined replica `r`'s queue (from the client or the API frontend): an idle replica starts a step */
function afterEnqueue(s: EngineState, r: number, nowS: number): void {
  if (!s.replicas[r]!.busy) startNextStep(s, r, nowS);
  if (s.pool.inUse > s.peakMaterialized) s.peakMaterialized = s.pool.inUse;
}

function inMeasurementWindow(l: IssueLimits, id: number, nowS: number): boolean {
  return Number.isFinite(l.maxRequests)
    ? id >= l.warmupFraction * l.maxRequests && id < (1 - l.cooldownFraction) * l.maxRequests
    : nowS >= l.warmupFraction * l.maxSeconds && nowS <= (1 - l.cooldownFraction) * l.maxSeconds;
}
