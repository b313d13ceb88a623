import { LogHistogram } from './histogram.ts';
import type { LatencyMetric } from './definitions.ts';
import { requestAttains, type SloObjective } from './slo.ts';

/** A finished request as values: what the collector needs, whatever layout the simulator keeps it in. */
export interface FinishedRequest {
  readonly id: number;
  readonly replica: number;
  /** inside the measurement window */
  readonly counted: boolean;
  readonly arrivalS: number;
  /** first admitted to a batch */
  readonly scheduledS: number;
  readonly firstTokenS: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly preemptions: number;
}

/** Optional per-request records (for CSV export and validation); bounded by `maxRecords`. */
export interface RequestRecords {
  readonly id: number[];
  readonly arrivalS: number[];
  readonly inputTokens: number[];
  readonly outputTokens: number[];
  readonly ttftS: number[];
  readonly e2eS: number[];
  readonly queueS: number[];
  readonly tpotS: number[];
  readonly preemptions: number[];
  readonly replica: number[];
}

export interface TimeSeriesPoint {
  readonly timeS: number;
  readonly kvUtilization: number;
  readonly running: number;
  readonly waiting: number;
  readonly preemptions: number;
}

/**
 * Turns request timestamps into streaming distributions as requests finish: memory stays constant however
 * many requests a run has. Each histogram is weighted the way its metric is defined (definitions.ts).
 */
export class MetricsCollector {
  readonly hist: Record<LatencyMetric, LogHistogram>;
  completed = 0;
  countedCompleted = 0;
  countedInputTokens = 0;
  countedOutputTokens = 0;
  firstCountedArrivalS = Infinity;
  lastCountedFinishS = -Infinity;
  sloAttained = 0;
  measuringGaps = false;
  readonly records: RequestRecords | undefined;
  readonly #maxRecords: number;
  readonly #clientOverheadS: number;
  readonly #slo: readonly SloObjective[];

  constructor(options: { clientOverheadS: number; slo: readonly SloObjective[]; recordRequests: boolean; maxRecords: number }) {
    const h = () => new LogHistogram();
    this.hist = {
      ttft: h(),
      e2e: h(),
      queue_time: h(),
      itl: h(),
      tpot: h(),
      itl_guidellm: h(),
      tpot_guidellm: h(),
      tpot_guidellm_v03: h(),
    };
    this.#clientOverheadS = options.clientOverheadS;
    this.#slo = options.slo;
    this.#maxRecords = options.maxRecords;
    this.records = options.recordRequests
      ? { id: [], arrivalS: [], inputTokens: [], outputTokens: [], ttftS: [], e2eS: [], queueS: [], tpotS: [], preemptions: [], replica: [] }
      : undefined;
  }

  tokenGaps(gapS: number, tokens: number): void {
    if (this.measuringGaps) this.hist.itl.record(gapS, tokens);
  }

  finished(req: FinishedRequest, nowS: number): void {
    this.completed++;
    if (!req.counted) return;
    const start = req.arrivalS;
    const first = req.firstTokenS;
    const n = req.outputTokens;
    const client = this.#clientOverheadS;
    const ttft = first - start + client;
    const e2e = nowS - start + client;
    const queue = req.scheduledS - start;
    const h = this.hist;
    h.ttft.record(ttft);
    h.e2e.record(e2e);
    h.queue_time.record(queue);
    let tpot = NaN;
    if (n > 1) {
      tpot = (nowS - first) / (n - 1);
      h.tpot.record(tpot);
      h.itl_guidellm.record(tpot, n - 1);
    }
    h.tpot_guidellm.record(e2e / n, n);
    h.tpot_guidellm_v03.record((nowS - first) / n, n);
    this.countedCompleted++;
    this.countedInputTokens += req.inputTokens;
    this.countedOutputTokens += n;
    if (start < this.firstCountedArrivalS) this.firstCountedArrivalS = start;
    if (nowS > this.lastCountedFinishS) this.lastCountedFinishS = nowS;
    if (this.#attains(ttft, tpot, e2e, queue)) this.sloAttained++;
    const r = this.records;
    if (r && r.id.length < this.#maxRecords) {
      r.id.push(req.id);
      r.arrivalS.push(start);
      r.inputTokens.push(req.inputTokens);
      r.outputTokens.push(n);
      r.ttftS.push(ttft);
      r.e2eS.push(e2e);
      r.queueS.push(queue);
      r.tpotS.push(tpot);
      r.preemptions.push(req.preemptions);
      r.replica.push(req.replica);
    }
  }

  /** per request, `itl` and `tpot` both compare the request's mean gap (GuideLLM and vLLM goodput do the same) */
  /** per-request SLO check: the one rule of metrics/slo.ts (ITL and TPOT objectives read the mean gap) */
  #attains(ttftS: number, meanGapS: number, e2eS: number, queueS: number): boolean {
    return requestAttains(this.#slo, { ttftS, meanGapS, e2eS, queueS });
  }
}

/** Keeps at most `maxPoints` evenly spaced samples: when full, halves the resolution. */
export class TimeSeriesSampler {
  readonly points: TimeSeriesPoint[] = [];
  #intervalS: number;
  #nextS = 0;
  readonly #maxPoints: number;

  constructor(initialIntervalS = 0.5, maxPoints = 1024) {
    this.#intervalS = initialIntervalS;
    this.#maxPoints = maxPoints;
  }

  due(nowS: number): boolean {
    return nowS >= this.#nextS;
  }

  add(p: TimeSeriesPoint): void {
    this.points.push(p);
    this.#nextS = p.timeS + this.#intervalS;
    if (this.points.length >= this.#maxPoints) {
      // keep every other point and double the interval
      let w = 0;
      for (let i = 0; i < this.points.length; i += 2) this.points[w++] = this.points[i]!;
      this.points.length = w;
      this.#intervalS *= 2;
    }
  }
}
