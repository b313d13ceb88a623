/**
 * The serving engine's observer port, wired to metrics/: latency histograms, engine statistics, the time
 * series and the saturation evidence. It sits above both layers so neither imports the other.
 */
import { type MetricsCollector, TimeSeriesSampler } from './metrics/collector.ts';
import { EngineStats } from './metrics/engine-stats.ts';
import { ArrivalWindows, backlogEvident, EARLY_STOP_CONFIDENCE, type SaturationEvidence, VERDICT_CONFIDENCE } from './metrics/saturation.ts';
import { PrefixCacheSeries, type PrefixCacheTotals } from './metrics/prefix-cache-report.ts';
import type { EngineObserver, LoadView } from './serving/engine-loop.ts';
import type { Replica } from './serving/replica.ts';
import type { RequestSummary } from './serving/request-pool.ts';

/** fewest arrivals before a run may stop early for a backlog */
export const EARLY_STOP_MIN_ARRIVALS = 2000;
export const BACKLOG_STOP_REASON = `backlog evident at ${EARLY_STOP_CONFIDENCE * 100}% confidence`;

export class SimulationObserver implements EngineObserver {
  readonly metrics: MetricsCollector;
  readonly series = new TimeSeriesSampler();
  readonly engineStats = new EngineStats();
  readonly windows = new ArrivalWindows();
  /** the simulated prefix cache's totals over time (empty when it is off) */
  readonly prefixCache = new PrefixCacheSeries();
  /** the saturation evidence as the last request arrived */
  endEvidence: SaturationEvidence | undefined;
  readonly #replicas: number;

  constructor(metrics: MetricsCollector, replicas: number) {
    this.metrics = metrics;
    this.#replicas = replicas;
  }

  tokenGaps(gapS: number, tokens: number): void {
    this.metrics.tokenGaps(gapS, tokens);
  }

  requestFinished(request: RequestSummary, nowS: number): void {
    this.metrics.finished(request, nowS);
  }

  measuring(counted: boolean): void {
    this.metrics.measuringGaps = counted;
  }

  stepDone(replica: Replica, durationS: number, decodeSeqs: number): void {
    this.engineStats.step(durationS, decodeSeqs, replica.usedBlocks / Math.max(1, replica.totalBlocks));
  }

  stepEnded(nowS: number, replicas: readonly Replica[]): void {
    if (this.series.due(nowS)) this.sample(nowS, replicas);
  }

  /** a time-series point: KV use, running and waiting requests, preemptions so far, over all replicas */
  sample(nowS: number, replicas: readonly Replica[]): void {
    let used = 0;
    let total = 0;
    let running = 0;
    let waiting = 0;
    for (const r of replicas) {
      used += r.usedBlocks;
      total += r.totalBlocks;
      running += r.runningCount;
      waiting += r.waitingCount;
    }
    this.series.add({ timeS: nowS, kvUtilization: total > 0 ? used / total : 0, running, waiting, preemptions: preemptionsOf(replicas) });
    if (replicas[0]?.prefixCache !== undefined) this.prefixCache.add(nowS, prefixCacheTotals(replicas));
  }

  openLoopArrival(nowS: number, inSystem: number, queueDelayS: number, admitted: number): void {
    this.windows.add(nowS, inSystem, queueDelayS, admitted);
  }

  /** GuideLLM-style over-saturation stop, judged at a stricter confidence than the verdict */
  backlogEvident(load: LoadView): boolean {
    // a backlog needs requests waiting: the cheap counts first, the trend tests only then
    const w = this.windows;
    if (w.arrivals < EARLY_STOP_MIN_ARRIVALS || !w.windowComplete) return false;
    return load.waitingNow() > this.#replicas && backlogEvident(this.evidence(load, EARLY_STOP_CONFIDENCE));
  }

  arrivalsEnded(load: LoadView): void {
    this.endEvidence = this.evidence(load, VERDICT_CONFIDENCE);
  }

  evidence(load: LoadView, confidence: number): SaturationEvidence {
    return this.windows.evidence({
      admittedSoFar: load.admitted,
      waitingNow: load.waitingNow(),
      outstandingNow: load.inSystem,
      replicas: this.#replicas,
      confidence,
    });
  }
}

export function preemptionsOf(replicas: readonly Replica[]): number {
  return replicas.reduce((n, r) => n + r.preemptionCount, 0);
}

/** the prefix-cache counters summed over replicas */
export function prefixCacheTotals(replicas: readonly Replica[]): PrefixCacheTotals {
  let lookups = 0;
  let promptTokens = 0;
  let hitTokens = 0;
  let readmissionHitTokens = 0;
  let offloadHitTokens = 0;
  let diskHitTokens = 0;
  let evictions = 0;
  for (const r of replicas) {
    const c = r.prefixCache;
    if (c === undefined) continue;
    lookups += c.counters.lookups;
    promptTokens += c.counters.promptTokens;
    hitTokens += c.counters.hitTokens;
    readmissionHitTokens += c.counters.readmissionHitTokens;
    offloadHitTokens += c.counters.offloadHitTokens;
    diskHitTokens += c.counters.diskHitTokens;
    evictions += c.cache.evictions;
  }
  return { lookups, promptTokens, hitTokens, readmissionHitTokens, offloadHitTokens, diskHitTokens, evictions };
}
