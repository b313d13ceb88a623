import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSlo, parseSlo, SLO_METRICS, type SloObjective } from '../../src/metrics/slo.ts';
import { simulate } from '../../src/simulate.ts';
import { WORKLOAD_PRESETS } from '../../src/workload/presets.ts';
import { prepared } from '../helpers/deployment.ts';

const ms = (x: number) => x / 1000;

describe('SLO text', () => {
  it('reads every metric, including e2e, in ms and s (the README example)', () => {
    expect(parseSlo('ttft:p99<=300ms,itl:p99<=100ms,e2e:p99<=3s')).toEqual([
      { metric: 'ttft', percentile: 0.99, thresholdS: 0.3 },
      { metric: 'itl', percentile: 0.99, thresholdS: 0.1 },
      { metric: 'e2e', percentile: 0.99, thresholdS: 3 },
    ]);
    expect(parseSlo('tpot:p90<=40ms,queue:mean<=1s,e2el:median<=2500')).toEqual([
      { metric: 'tpot', percentile: 0.9, thresholdS: 0.04 },
      { metric: 'queue', percentile: 'mean', thresholdS: 1 },
      { metric: 'e2e', percentile: 0.5, thresholdS: 2.5 },
    ]);
    expect(parseSlo('ttft:p999<=1s')[0]!.percentile).toBe(parseSlo('ttft:p99.9<=1s')[0]!.percentile);
  });

  it('keeps itl and tpot apart', () => {
    expect(parseSlo('itl:p99<=50ms')[0]!.metric).toBe('itl');
    expect(parseSlo('tpot:p99<=50ms')[0]!.metric).toBe('tpot');
  });

  it('prints a threshold of whole seconds in seconds', () => {
    expect(formatSlo(parseSlo('e2e:p99<=3000ms'))).toBe('e2e:p99<=3s');
    expect(formatSlo(WORKLOAD_PRESETS['rag']!.slo)).toBe('ttft:p99<=300ms,tpot:p99<=100ms,e2e:p99<=3s');
  });

  it('explains what it cannot read', () => {
    expect(() => parseSlo('latency:p99<=3s')).toThrow(/unknown metric "latency".*ttft, itl, tpot, e2e, queue/);
    expect(() => parseSlo('ttft:p0<=3s')).toThrow(/above p0/);
    expect(() => parseSlo('ttft:p99<=0ms')).toThrow(/positive/);
    expect(() => parseSlo('ttft<=3s')).toThrow(/METRIC:STATISTIC<=VALUE/);
  });

  // every SLO the tool prints must read back as the same objectives
  it('round-trips over every metric, statistic and unit (property)', () => {
    const metric = fc.constantFrom(...SLO_METRICS, 'e2el', 'queue_time');
    const statistic = fc.oneof(
      fc.constantFrom('mean', 'median', 'p999', 'p100'),
      fc.integer({ min: 1, max: 100 }).map((n) => `p${n}`),
      fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 9999 })).map(([a, b]) => `p${a}.${b}`),
    );
    const value = fc.oneof(
      fc.integer({ min: 1, max: 100_000 }).map(String),
      fc.double({ min: 1e-6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((x) => String(x)),
    );
    const unit = fc.constantFrom('ms', 's', 'us', '');
    const objective = fc.tuple(metric, statistic, value, unit).map(([m, s, v, u]) => `${m}:${s}<=${v}${u}`);
    fc.assert(
      fc.property(fc.array(objective, { minLength: 1, maxLength: 5 }), (parts) => {
        const text = parts.join(',');
        let parsed: SloObjective[];
        try {
          parsed = parseSlo(text);
        } catch {
          return true; // e.g. p0.5 rounds to a valid quantile; p100.5 is refused: refusals are tested above
        }
        const printed = formatSlo(parsed);
        expect(parseSlo(printed)).toEqual(parsed);
        expect(formatSlo(parseSlo(printed))).toBe(printed);
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips every preset', () => {
    for (const p of Object.values(WORKLOAD_PRESETS)) expect(parseSlo(formatSlo(p.slo))).toEqual(p.slo);
  });
});

describe('GuideLLM SLO JSON', () => {
  it('maps ttft_ms, tpot_ms (compared with inter-token latency) and e2el_ms', () => {
    expect(parseSlo('{"ttft_ms":200,"tpot_ms":50,"e2el_ms":3000}')).toEqual([
      { metric: 'ttft', percentile: 0.99, thresholdS: ms(200) },
      { metric: 'itl', percentile: 0.99, thresholdS: ms(50) },
      { metric: 'e2e', percentile: 0.99, thresholdS: 3 },
    ]);
    expect(parseSlo('{"ttft_ms":200,"tpot_ms":null,"percentile":95}')).toEqual([{ metric: 'ttft', percentile: 0.95, thresholdS: ms(200) }]);
  });

  it('names the key it cannot use', () => {
    expect(() => parseSlo('{"ttft":200}')).toThrow(/unknown JSON objective "ttft"/);
    expect(() => parseSlo('{"ttft_ms":"fast"}')).toThrow(/"ttft_ms" must be a positive number of milliseconds/);
    expect(() => parseSlo('{"ttft_ms":')).toThrow(/cannot read the JSON objectives/);
  });
});

describe('SLO checks in a simulation', () => {
  // a mixed prefill/decode workload: prefill chunks stall decode steps, so the per-gap ITL tail is longer
  // than the per-request mean (TPOT) tail; each objective must be checked against its own distribution
  const run = (slo: string) =>
    simulate({
      deployment: prepared('llama-3.1-8b', 'h200-sxm'),
      seed: 1,
      slo: parseSlo(slo),
      workload: {
        arrival: { kind: 'poisson', ratePerS: 20 },
        lengths: { kind: 'synthetic', input: { mean: 2048, stdev: 512, min: 256, max: 4096 }, output: { mean: 128, stdev: 32, min: 16, max: 256 } },
        maxRequests: 300,
      },
    });

  it('checks itl against the per-gap ITL and tpot against the per-request TPOT', () => {
    const r = run('itl:p99<=10s,tpot:p99<=10s');
    const [itl, tpot] = r.slo!.checks;
    expect(itl!.valueS).toBe(r.latencyS.itl.p99);
    expect(tpot!.valueS).toBe(r.latencyS.tpot.p99);
    expect(r.latencyS.itl.p99).not.toBe(r.latencyS.tpot.p99);
  });
});
