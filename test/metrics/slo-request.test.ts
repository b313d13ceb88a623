import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSlo, requestAttains, SLO_METRICS, type SloObjective } from '../../src/metrics/slo.ts';

const req = { ttftS: 0.1, meanGapS: 0.03, e2eS: 2, queueS: 0.01 };

describe('per-request SLO attainment (the ITL-vs-TPOT rule, written once)', () => {
  it('itl and tpot both compare the request mean gap', () => {
    expect(requestAttains(parseSlo('itl:p99<=40ms'), req)).toBe(true);
    expect(requestAttains(parseSlo('tpot:p99<=40ms'), req)).toBe(true);
    expect(requestAttains(parseSlo('itl:p99<=20ms'), req)).toBe(false);
    expect(requestAttains(parseSlo('tpot:p99<=20ms'), req)).toBe(false);
  });
  it('every objective must hold; a one-token request (no gap) is judged on the others only', () => {
    expect(requestAttains(parseSlo('ttft:p99<=200ms,e2e:p99<=1s'), req)).toBe(false);
    expect(requestAttains(parseSlo('ttft:p99<=200ms,queue:p99<=5ms'), req)).toBe(false);
    expect(requestAttains(parseSlo('ttft:p99<=200ms,itl:p99<=1ms'), { ...req, meanGapS: NaN })).toBe(true);
    expect(requestAttains([], req)).toBe(true);
  });
  it('agrees with the nested-ternary rule it replaces (metrics/collector.ts) on any request', () => {
    const previous = (slo: readonly SloObjective[], r: typeof req): boolean => {
      for (const o of slo) {
        const gap = o.metric === 'itl' || o.metric === 'tpot';
        const v = o.metric === 'ttft' ? r.ttftS : gap ? r.meanGapS : o.metric === 'e2e' ? r.e2eS : r.queueS;
        if (gap && Number.isNaN(v)) continue;
        if (v > o.thresholdS) return false;
      }
      return true;
    };
    const s = fc.double({ min: 0, max: 10, noNaN: true });
    const objective = fc.record({ metric: fc.constantFrom(...SLO_METRICS), percentile: fc.constant(0.99), thresholdS: s });
    fc.assert(
      fc.property(fc.array(objective, { maxLength: 5 }), s, fc.option(s, { nil: NaN }), s, s, (slo, ttftS, meanGapS, e2eS, queueS) => {
        const r = { ttftS, meanGapS, e2eS, queueS };
        expect(requestAttains(slo, r)).toBe(previous(slo, r));
      }),
      { seed: 14 },
    );
  });
});
