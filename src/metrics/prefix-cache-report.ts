/**
 * What the simulated prefix cache did in a run: hit rate over the run and over time, tokens whose prefill
 * it saved. Absent from the result when the cache is off, so those results stay as they were.
 */
export interface PrefixCacheReport {
  readonly mode: string;
  /** requests that looked the cache up at their first admission */
  readonly lookups: number;
  readonly promptTokens: number;
  /** prompt tokens found cached at first admission: their prefill was skipped (they still hold KV) */
  readonly tokensSaved: number;
  /** tokensSaved / promptTokens: the hit rate the workload and the KV capacity produce */
  readonly hitRate: number;
  /** tokens preempted requests found cached again when readmitted: recompute saved */
  readonly readmissionTokensSaved: number;
  /** of the tokens saved, those loaded back from an offload tier */
  readonly offloadTokensLoaded: number;
  /** of those, tokens read back from the local-disk tier; present only when a disk tier is on */
  readonly diskTokensLoaded?: number;
  readonly evictions: number;
  /** hit rate of the lookups between one point and the previous one */
  readonly overTime: readonly { readonly timeS: number; readonly hitRate: number; readonly promptTokens: number }[];
}

export interface PrefixCacheTotals {
  readonly lookups: number;
  readonly promptTokens: number;
  readonly hitTokens: number;
  readonly readmissionHitTokens: number;
  readonly offloadHitTokens: number;
  readonly diskHitTokens: number;
  readonly evictions: number;
}

/** Cumulative totals sampled over time (at most maxPoints: every other point is dropped when full). */
export class PrefixCacheSeries {
  readonly #points: { timeS: number; promptTokens: number; hitTokens: number }[] = [];
  readonly #maxPoints: number;
  constructor(maxPoints = 256) {
    this.#maxPoints = maxPoints;
  }

  add(timeS: number, totals: PrefixCacheTotals): void {
    const last = this.#points[this.#points.length - 1];
    if (last !== undefined && last.promptTokens === totals.promptTokens) return; // no lookup since
    this.#points.push({ timeS, promptTokens: totals.promptTokens, hitTokens: totals.hitTokens });
    if (this.#points.length >= this.#maxPoints) {
      let w = 0;
      for (let i = 0; i < this.#points.length; i += 2) this.#points[w++] = this.#points[i]!;
      this.#points.length = w;
    }
  }

  report(mode: string, totals: PrefixCacheTotals, diskTier = false): PrefixCacheReport {
    const overTime: { timeS: number; hitRate: number; promptTokens: number }[] = [];
    let prevPrompt = 0;
    let prevHit = 0;
    for (const p of this.#points) {
      const prompt = p.promptTokens - prevPrompt;
      if (prompt > 0) overTime.push({ timeS: p.timeS, hitRate: (p.hitTokens - prevHit) / prompt, promptTokens: prompt });
      prevPrompt = p.promptTokens;
      prevHit = p.hitTokens;
    }
    return {
      mode,
      lookups: totals.lookups,
      promptTokens: totals.promptTokens,
      tokensSaved: totals.hitTokens,
      hitRate: totals.promptTokens > 0 ? totals.hitTokens / totals.promptTokens : 0,
      readmissionTokensSaved: totals.readmissionHitTokens,
      offloadTokensLoaded: totals.offloadHitTokens,
      ...(diskTier ? { diskTokensLoaded: totals.diskHitTokens } : {}),
      evictions: totals.evictions,
      overTime,
    };
  }
}
