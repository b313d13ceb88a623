/**
 * Charts fit a document page whatever the number of series: at most 1,600 px wide at 1×, and no two
 * labels overlap (boxes read from the vega scenegraph, the same layout the SVG and PNG are drawn from).
 * Every chart is built with 1, 5 and 40 series with long, realistic deployment labels.
 */
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import type { CalibrationPoint, CandidateRow, CdfPoint, RatePoint, StepBreakdownRow, TimeSeriesPoint } from '../../src/report/chart-data.ts';
import {
  calibrationSpec,
  engineTimelineSpec,
  latencyCdfSpec,
  latencyVsRateSpec,
  plannerComparisonSpec,
  rooflineSpec,
  sloAttainmentSpec,
  stepBreakdownSpec,
  throughputVsRateSpec,
} from '../../src/report/charts/index.ts';
import { labelsOnPoints, overlappingLabels, sceneFacts } from './scene.ts';

const MAX_WIDTH_PX = 1600;
const MODELS = ['llama-3.1-8b', 'llama-3.1-70b', 'qwen2.5-72b-instruct', 'mixtral-8x7b'];
const GPUS = ['h200-sxm', 'h100-sxm', 'b200', 'a100-sxm-80gb', 'mi300x'];

/** Long labels like a sweep's: model@hardware:tp=N:weights=W:kv=K. */
function label(i: number): string {
  return `${MODELS[i % 4]}@${GPUS[i % 5]}:tp=${2 ** (i % 4)}:weights=${i % 2 ? 'fp8' : 'bf16'}:kv=${i % 3 ? 'bf16' : 'fp8'}#${i}`;
}

function ratePoints(n: number): RatePoint[] {
  const out: RatePoint[] = [];
  for (let s = 0; s < n; s++) {
    const cap = 5 + ((s * 7) % 31);
    for (const rate of [2, 5, 10, 20, 30, 40]) {
      const rho = rate / cap;
      const sat = rho >= 1;
      const q = sat ? 25 + 10 * rho : 1 / (1 - rho);
      out.push({
        series: label(s),
        requestRatePerS: rate,
        ttftP50Ms: 40 * q,
        ttftP99Ms: 90 * q,
        itlP50Ms: 10 + 5 * rho,
        itlP99Ms: 14 + 9 * rho,
        e2eP50Ms: 3000 * q,
        e2eP99Ms: 5000 * q,
        outputTokensPerS: Math.min(rate, cap) * 256,
        requestsPerS: Math.min(rate, cap),
        goodputPerS: Math.min(rate, cap) * (sat ? 0.2 : 0.99),
        sloAttainment: sat ? 0.2 : 0.99,
        saturated: sat,
      });
    }
  }
  return out;
}

function cdf(n: number): CdfPoint[] {
  const out: CdfPoint[] = [];
  for (let s = 0; s < n; s++)
    for (const metric of ['ttft', 'itl'] as const)
      for (let k = 1; k <= 20; k++) out.push({ series: label(s), metric, valueMs: (metric === 'ttft' ? 50 : 8) * (1 + s / 10) * (1 + k / 5), cumulativeFraction: k / 20 });
  return out;
}

function candidates(n: number): CandidateRow[] {
  return Array.from({ length: n }, (_, i) => ({
    label: label(i),
    replicas: 1 + (i % 9),
    gpus: (1 + (i % 9)) * 2 ** (i % 4),
    usdPerHour: (1 + (i % 9)) * 3.1,
    usdPerMillionOutputTokens: 0.2 + (i % 11) / 10,
    ttftP99Ms: 100 + 17 * i,
    itlP99Ms: 10 + i,
    meetsSlo: i % 3 !== 2,
    winners: i === 0 ? ['usdPerMillionOutputTokens', 'gpus', 'ttftP99Ms', 'itlP99Ms'] : i === 3 ? ['ttftP99Ms'] : [],
    // every 4th candidate has no price (its GPU has none)
    ...(i % 4 === 3 ? { usdPerHour: NaN, usdPerMillionOutputTokens: NaN, priceNote: `no price — pass --price ${GPUS[i % 5]}=USD_PER_GPU_HOUR` } : {}),
  }));
}

const OPS: Array<[string, StepBreakdownRow['bound'], number, number]> = [
  ['QKV projection', 'memory', 0.12, 2e11],
  ['attention (decode)', 'memory', 0.3, 4e10],
  ['attention output', 'memory', 0.08, 1e11],
  ['MLP up+gate', 'compute', 0.9, 9e12],
  ['MLP down', 'compute', 0.45, 4.5e12],
  ['all-reduce', 'communication', 0.25, 0],
  ['sampling + scheduler', 'overhead', 0.2, 0],
  ['embedding', 'memory', 0.02, 1e9],
  ['LM head', 'compute', 0.15, 1e12],
];

/** `n` steps, each with every operator (roofline: n × 9 points; breakdown: n panels). */
function steps(n: number): StepBreakdownRow[] {
  const out: StepBreakdownRow[] = [];
  for (let s = 0; s < n; s++) {
    const step = n === 1 ? undefined : `decode, batch ${8 * (s + 1)}`;
    const total = OPS.reduce((a, o) => a + o[2] * (1 + s / 8), 0);
    for (const [operator, bound, t, flops] of OPS) {
      const timeMs = t * (1 + s / 8);
      const bytes = flops > 0 ? flops / (20 + 40 * s + 300 * (bound === 'compute' ? 1 : 0)) : 0;
      out.push({ ...(step ? { step } : {}), operator, timeMs, share: timeMs / total, bound, flops: flops * (1 + s / 8), bytes, arithmeticIntensity: bytes > 0 ? flops / bytes : 0 });
    }
  }
  return out;
}

function timeline(n: number): TimeSeriesPoint[] {
  const out: TimeSeriesPoint[] = [];
  for (let s = 0; s < n; s++)
    for (let t = 0; t <= 60; t += 5) out.push({ timeS: t, kvUtilization: Math.min(1, t / 60 + s / 100), batchSize: 10 + t + s, queueLength: t > 30 ? t - 30 + s : 0, ...(n > 1 ? { series: label(s) } : {}) });
  return out;
}

function calibration(n: number): CalibrationPoint[] {
  const metrics = ['TTFT p50', 'TTFT p99', 'ITL p50', 'ITL p99', 'E2E p50', 'Output throughput'];
  const out: CalibrationPoint[] = [];
  for (let s = 0; s < n; s++)
    for (const m of metrics.slice(0, Math.min(metrics.length, Math.max(1, Math.ceil(n / 7)) + 1))) {
      const measured = m === 'Output throughput' ? 1000 + 50 * s : 20 + 3 * s;
      out.push({ metric: m, label: label(s), measured, predicted: measured * (1 + ((s % 7) - 3) / 30), unit: m === 'Output throughput' ? 'tokens/s' : 'ms', split: s % 2 ? 'check' : 'fit' });
    }
  return out;
}

const SLO = [
  { metric: 'ttft' as const, percentile: 'p99', thresholdMs: 500 },
  { metric: 'itl' as const, percentile: 'p99', thresholdMs: 40 },
];

const CHARTS: ReadonlyArray<readonly [string, (n: number) => TopLevelSpec]> = [
  ['latency vs rate', (n) => latencyVsRateSpec(ratePoints(n), { slo: SLO, metrics: ['ttft', 'itl', 'e2e'] })],
  ['throughput vs rate', (n) => throughputVsRateSpec(ratePoints(n))],
  ['SLO attainment', (n) => sloAttainmentSpec(ratePoints(n), { target: 0.99, sloDescription: 'TTFT p99 ≤ 500 ms and ITL p99 ≤ 40 ms' })],
  ['latency CDF', (n) => latencyCdfSpec(cdf(n), { slo: SLO })],
  ['planner comparison', (n) => plannerComparisonSpec(candidates(n), { targetDescription: '50 req/s, chat workload' })],
  ['step breakdown', (n) => stepBreakdownSpec(steps(n))],
  ['roofline', (n) => rooflineSpec(steps(n), { gpu: 'H200 SXM, BF16 dense', peakTflopsPerS: 989, memoryBandwidthTBPerS: 4.8 })],
  ['engine timeline', (n) => engineTimelineSpec(timeline(n))],
  ['calibration', (n) => calibrationSpec(calibration(n))],
];

describe('charts fit a document page', () => {
  for (const [name, build] of CHARTS)
    for (const n of [1, 5, 40])
      it(`${name}, ${n} series: at most ${MAX_WIDTH_PX} px wide, no overlapping labels`, async () => {
        const f = await sceneFacts(build(n));
        expect(f.width).toBeGreaterThan(200);
        expect(f.width).toBeLessThanOrEqual(MAX_WIDTH_PX);
        expect(overlappingLabels(f.boxes)).toEqual([]);
        expect(labelsOnPoints(f.boxes)).toEqual([]);
      });
});
