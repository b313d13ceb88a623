/**
 * Golden vega-lite specs for every chart (test/golden/charts/*.vl.json), compiled without warnings, with
 * units in every quantitative axis title and only finite numbers. Regenerate the goldens after an intended
 * change with:  UPDATE_GOLDEN=1 npx vitest run test/report
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { cdfPoints } from '../../src/report/chart-data.ts';
import {
  calibrationSpec,
  engineTimelineSpec,
  latencyCdfSpec,
  latencyVsRateSpec,
  plannerComparisonSpec,
  prefixCacheSpec,
  rooflineSpec,
  sloAttainmentSpec,
  stepBreakdownSpec,
  throughputVsRateSpec,
} from '../../src/report/charts/index.ts';
import { errorSummary } from '../../src/report/charts/calibration.ts';
import { highestRateMeeting } from '../../src/report/charts/slo-attainment.ts';
import { fmtNum, logTicks, niceLinearMax, niceLogDomain, textWidth } from '../../src/report/charts/theme.ts';
import { compileChart, renderChart } from '../../src/report/render.ts';
import * as f from './fixtures.ts';
import { sampleSpecs } from './sample-specs.ts';

const GOLDEN_DIR = fileURLToPath(new URL('../golden/charts/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Every object in a JSON-like tree. */
function* walk(node: unknown, path = '$'): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* walk(node[i], `${path}[${i}]`);
  } else if (node !== null && typeof node === 'object') {
    yield [path, node as Record<string, unknown>];
    for (const [k, v] of Object.entries(node)) yield* walk(v, `${path}.${k}`);
  }
}

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object') {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

describe('chart specs', () => {
  it('the sample list covers every chart function', () => {
    expect(sampleSpecs.map(([n]) => n)).toEqual([
      'latency-vs-rate',
      'latency-vs-rate-linear',
      'throughput-vs-rate',
      'slo-attainment',
      'latency-cdf',
      'planner-comparison',
      'step-breakdown',
      'roofline',
      'engine-timeline',
      'calibration',
      'prefix-cache',
    ]);
  });

  for (const [name, spec] of sampleSpecs) {
    describe(name, () => {
      it('matches its golden spec', async () => {
        const text = await renderChart(spec, 'vl.json');
        const file = join(GOLDEN_DIR, `${name}.vl.json`);
        if (UPDATE) {
          mkdirSync(GOLDEN_DIR, { recursive: true });
          writeFileSync(file, text);
        }
        expect(existsSync(file), `missing ${file}; run UPDATE_GOLDEN=1 npx vitest run test/report`).toBe(true);
        expect(text).toBe(readFileSync(file, 'utf8'));
      });

      it('compiles with vega-lite without warnings', () => {
        expect(compileChart(spec).warnings).toEqual([]);
      });

      it('has units in every quantitative axis title, a title, the theme font and only finite numbers', () => {
        const s = spec as unknown as Record<string, unknown>;
        expect(typeof (s.title as { text?: unknown }).text).toBe('string');
        expect((s.config as { font?: string }).font).toMatch(/^DejaVu Sans/);
        let checked = 0;
        for (const [path, obj] of walk(spec)) {
          if (obj.type === 'quantitative' && typeof obj.title === 'string' && /\.encoding\.(x|y)$/.test(path)) {
            // a unit in parentheses, or a count whose noun is the unit ("Replicas", "Requests in batch")
            expect(obj.title, path).toMatch(/\(.+\)|^(Replicas|Requests)\b/);
            checked++;
          }
          for (const [k, v] of Object.entries(obj)) {
            if (typeof v === 'number') expect(Number.isFinite(v), `${path}.${k}`).toBe(true);
          }
        }
        expect(checked).toBeGreaterThan(0);
      });
    });
  }

  it('spec functions are pure: frozen inputs, same output twice', () => {
    const frozen = deepFreeze(structuredClone(f));
    const build = (): TopLevelSpec[] => [
      latencyVsRateSpec(frozen.ratePoints, { slo: frozen.slo }),
      throughputVsRateSpec(frozen.ratePoints),
      sloAttainmentSpec(frozen.ratePoints),
      latencyCdfSpec(frozen.cdf, { slo: frozen.slo }),
      plannerComparisonSpec(frozen.candidates),
      stepBreakdownSpec(frozen.stepBreakdown),
      rooflineSpec(frozen.stepBreakdown, frozen.roofline),
      engineTimelineSpec(frozen.timeSeries),
      calibrationSpec(frozen.calibration),
      prefixCacheSpec(frozen.prefixCache),
    ];
    expect(JSON.stringify(build())).toBe(JSON.stringify(build()));
  });

  it('empty inputs still give specs that compile', () => {
    const specs = [
      latencyVsRateSpec([]),
      throughputVsRateSpec([]),
      sloAttainmentSpec([]),
      latencyCdfSpec([]),
      plannerComparisonSpec([]),
      stepBreakdownSpec([]),
      rooflineSpec([], f.roofline),
      engineTimelineSpec([]),
      calibrationSpec([]),
      prefixCacheSpec([]),
    ];
    for (const spec of specs) expect(() => compileChart(spec)).not.toThrow();
  });

  it('options change what they say: log axis, SLO rules, metrics', () => {
    const lin = JSON.stringify(latencyVsRateSpec(f.ratePoints, { logY: false }));
    const log = JSON.stringify(latencyVsRateSpec(f.ratePoints, { logY: true }));
    expect(lin).not.toContain('"type":"log"');
    expect(log).toContain('"type":"log"');
    expect(JSON.stringify(latencyVsRateSpec(f.ratePoints, { slo: f.slo }))).toContain('p99 SLO 500 ms');
    const e2e = latencyVsRateSpec(f.ratePoints, { metrics: ['e2e'] }) as { hconcat: unknown[] };
    expect(e2e.hconcat).toHaveLength(1);
  });

  it('latency vs rate puts a TPOT panel next to ITL only when the points carry TPOT (issue 12)', () => {
    type Panel = { title: { text: string }; data: { values: { latencyMs: number }[] } };
    const titles = (points: typeof f.ratePoints, slo = f.slo): { panels: string[]; spec: string } => {
      const spec = latencyVsRateSpec(points, { slo }) as unknown as { hconcat: Panel[] };
      return { panels: spec.hconcat.map((p) => p.title.text), spec: JSON.stringify(spec) };
    };
    const withTpot = titles(f.ratePoints);
    expect(withTpot.panels).toEqual(['Time to first token (TTFT)', 'Inter-token latency (ITL)', 'Time per output token (TPOT)']);
    const tpotPanel = (latencyVsRateSpec(f.ratePoints) as unknown as { hconcat: Panel[] }).hconcat[2]!;
    const first = f.ratePoints[0]!;
    expect(tpotPanel.data.values.slice(0, 2).map((r) => r.latencyMs)).toEqual([first.tpotP50Ms, first.tpotP99Ms]);
    // a TPOT objective is drawn in its panel, so the subtitle no longer lists it as undrawn
    const tpotSlo = [...f.slo, { metric: 'tpot' as const, percentile: 'p99', thresholdMs: 30 }];
    expect(titles(f.ratePoints, tpotSlo).spec).not.toContain('SLO not drawn');
    const withoutTpot = f.ratePoints.map(({ tpotP50Ms: _p50, tpotP99Ms: _p99, ...rest }) => rest);
    expect(titles(withoutTpot).panels).toEqual(['Time to first token (TTFT)', 'Inter-token latency (ITL)']);
    expect(titles(withoutTpot, tpotSlo).spec).toContain('SLO not drawn (no panel for it): TPOT p99');
  });
});

describe('chart helpers', () => {
  it('cdfPoints down-samples in rank and keeps min and max', () => {
    const pts = cdfPoints({ series: 's', metric: 'ttft', valuesMs: [5, 1, 4, 2, 3] }, 3);
    expect(pts.map((p) => [p.valueMs, p.cumulativeFraction])).toEqual([
      [1, 0.2],
      [3, 0.6],
      [5, 1],
    ]);
    expect(cdfPoints({ series: 's', metric: 'itl', valuesMs: [] })).toEqual([]);
  });

  it('log and linear axis helpers give 1-2-5 values', () => {
    expect(niceLogDomain([42, 7000])).toEqual([20, 10000]);
    expect(logTicks([20, 10000])).toEqual([20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]);
    expect(niceLinearMax(540)).toBe(600);
    expect(fmtNum(2816)).toBe('2,816');
    expect(fmtNum(6)).toBe('6');
    expect(fmtNum(0.5312)).toBe('0.531');
  });

  it('highest rate meeting the attainment target stops at the first miss', () => {
    const h = highestRateMeeting(f.ratePoints, 0.99);
    expect(h.map((x) => x.ratePerS)).toEqual([6, 4]);
  });

  it('calibration error summary', () => {
    const s = errorSummary([
      { metric: 'm', label: 'a', measured: 100, predicted: 105, unit: 'ms', split: 'check' },
      { metric: 'm', label: 'b', measured: 100, predicted: 80, unit: 'ms', split: 'check' },
      { metric: 'm', label: 'c', measured: 100, predicted: 130, unit: 'ms', split: 'check' },
    ]);
    expect(s?.n).toBe(3);
    expect(s?.medianAbsError).toBeCloseTo(0.2, 12);
    expect(s?.within10).toBeCloseTo(1 / 3, 12);
    expect(s?.within25).toBeCloseTo(2 / 3, 12);
  });

  it('the layout width table matches DejaVu Sans', () => {
    // 'Offered load' in DejaVu Sans at 1000 units/em: O787 f352 f352 e615 r411 e615 d635 space318 l278 o612 a613 d635
    expect(textWidth('Offered load', 10)).toBeCloseTo(62.23, 2);
  });
});
