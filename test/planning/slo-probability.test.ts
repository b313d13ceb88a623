import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RateCheck } from '../../src/planning/capacity.ts';
import { formatReplicaOdds, oddsAround, parseConfidence, probabilityOfCheck } from '../../src/planning/slo-probability.ts';
import type { CalibrationBands } from '../../src/schema/calibration.ts';

const bands: CalibrationBands = { basis: 'test', byMetric: { ttft: { shiftLog: 0, halfWidthLog: 0.2 }, ttft_p99: { shiftLog: 0, halfWidthLog: 0.3 }, tpot: { shiftLog: 0, halfWidthLog: 0.1 } } };

/** an SLO check whose TTFT p99 and TPOT p99 are the given values (seconds) */
function check(ttftP99S: number, tpotP99S: number, over: Partial<RateCheck> = {}): RateCheck {
  const lat = { p50: 0, p99: 0 };
  return {
    ratePerS: 1,
    replicas: 1,
    passed: ttftP99S <= 0.2 && tpotP99S <= 0.05,
    requests: 100,
    objectives: [
      { objective: 'TTFT p99', metric: 'ttft', percentile: 0.99, seedSdLog: 0, valueS: ttftP99S, thresholdS: 0.2, met: ttftP99S <= 0.2 },
      { objective: 'TPOT p99', metric: 'tpot', percentile: 0.99, seedSdLog: 0, valueS: tpotP99S, thresholdS: 0.05, met: tpotP99S <= 0.05 },
    ],
    backlogged: false,
    incomplete: 0,
    preemptions: 0,
    peakKvUtilization: 0,
    ttft: lat,
    itl: lat,
    tpot: lat,
    e2e: lat,
    achievedRatePerS: 1,
    outputTokensPerS: 1,
    sloAttainment: 1,
    why: '',
    ...over,
  };
}

describe('P(meets SLO) of one check', () => {
  it('hand-computed: objectives independent, each log-normal with its statistic’s band', () => {
    // TTFT p99 at the limit: 0.5; TPOT p99 far below its limit: ≈1
    const { probability, objectives } = probabilityOfCheck(check(0.2, 0.001), bands.byMetric);
    expect(objectives[0]!.probability).toBeCloseTo(0.5, 7);
    expect(objectives[1]!.probability).toBeCloseTo(1, 7);
    expect(probability).toBeCloseTo(0.5, 6);
  });

  it('a backlogged queue or unfinished requests meet nothing', () => {
    expect(probabilityOfCheck(check(0.01, 0.001, { backlogged: true }), bands.byMetric).probability).toBe(0);
    expect(probabilityOfCheck(check(0.01, 0.001, { incomplete: 3 }), bands.byMetric).probability).toBe(0);
  });
});

describe('odds around the answer', () => {
  /** a fleet whose latency falls as replicas are added: value(n) = base / n^k */
  const fleet = (base: number, k: number) => (n: number) => check(base / n ** k, (base / 4) / n ** k);

  it('property: P(meets) never falls as replicas are added (latency falls with replicas)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 2, noNaN: true }), fc.double({ min: 0.1, max: 2, noNaN: true }), fc.integer({ min: 1, max: 6 }), fc.double({ min: 0.5, max: 0.99, noNaN: true }), (base, k, n, c) => {
        const odds = oddsAround(n, fleet(base, k), bands, c, n + 12);
        const ps = odds.byReplicas.map((r) => r.probabilityMeetsSlo);
        for (let i = 1; i < ps.length; i++) expect(ps[i]!).toBeGreaterThanOrEqual(ps[i - 1]!);
        const reached = odds.byReplicas.find((r) => r.replicas >= n && r.probabilityMeetsSlo >= c);
        expect(odds.replicasForConfidence).toBe(reached?.replicas);
      }),
    );
  });

  it('tries one fewer, the answer and one more; with a confidence, goes up until it is reached', () => {
    const probe = fleet(0.4, 1); // TTFT p99 at n replicas: 0.4 / n s against 0.2 s
    expect(oddsAround(3, probe, bands, undefined, 10).byReplicas.map((r) => r.replicas)).toEqual([2, 3, 4]);
    const o = oddsAround(2, probe, bands, 0.99, 10);
    expect(o.replicasForConfidence).toBeGreaterThan(2);
    expect(o.byReplicas[o.byReplicas.length - 1]!.replicas).toBe(o.replicasForConfidence);
    expect(oddsAround(2, probe, bands, 0.99, 2).replicasForConfidence).toBeUndefined();
  });

  it('without neighbours, probes only the answer (recommend reads nothing else)', () => {
    const probed: number[] = [];
    const base = fleet(0.4, 1);
    const probe = (n: number) => {
      probed.push(n);
      return base(n);
    };
    const o = oddsAround(3, probe, bands, undefined, 10, false);
    expect(o.byReplicas.map((r) => r.replicas)).toEqual([3]);
    expect(probed).toEqual([3]);
    expect(o.byReplicas[0]).toEqual(oddsAround(3, base, bands, undefined, 10).byReplicas[1]);
  });

  it('prints "2 replicas: 85% likely; 3: 99%"', () => {
    const rows = [
      { replicas: 2, probabilityMeetsSlo: 0.851, objectives: [] },
      { replicas: 3, probabilityMeetsSlo: 0.99, objectives: [] },
      { replicas: 4, probabilityMeetsSlo: 0.9996, objectives: [] },
    ];
    expect(formatReplicaOdds(rows)).toBe('2 replicas: 85% likely; 3: 99%; 4: >99%');
  });

  it('--confidence reads 0.9 and 90%, and refuses what is not a probability', () => {
    expect(parseConfidence('0.9')).toBe(0.9);
    expect(parseConfidence('90%')).toBe(0.9);
    expect(parseConfidence(undefined)).toBeUndefined();
    expect(() => parseConfidence('1')).toThrow(/--confidence/);
    expect(() => parseConfidence('abc')).toThrow(/--confidence/);
  });
});
