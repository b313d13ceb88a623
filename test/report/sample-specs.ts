/** Every chart from the fixed fixture data: the golden specs and the sample renders use this list. */
import type { TopLevelSpec } from 'vega-lite';
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
import * as f from './fixtures.ts';

export const sampleSpecs: ReadonlyArray<readonly [name: string, spec: TopLevelSpec]> = [
  ['latency-vs-rate', latencyVsRateSpec(f.ratePoints, { slo: f.slo })],
  ['latency-vs-rate-linear', latencyVsRateSpec(f.ratePoints, { slo: f.slo, logY: false, metrics: ['ttft', 'itl', 'e2e'] })],
  ['throughput-vs-rate', throughputVsRateSpec(f.ratePoints)],
  [
    'slo-attainment',
    sloAttainmentSpec(f.ratePoints, { target: 0.99, sloDescription: 'TTFT p99 ≤ 500 ms and ITL p99 ≤ 40 ms' }),
  ],
  ['latency-cdf', latencyCdfSpec(f.cdf, { slo: f.slo, subtitle: 'At 4 requests/s, 400 requests per deployment.' })],
  [
    'planner-comparison',
    plannerComparisonSpec(f.candidates, { targetDescription: '40 requests/s of chat traffic (TTFT p99 ≤ 500 ms, ITL p99 ≤ 40 ms)' }),
  ],
  ['step-breakdown', stepBreakdownSpec(f.stepBreakdown, { subtitle: 'Llama-3.1-8B on H100 SXM, BF16.' })],
  ['roofline', rooflineSpec(f.stepBreakdown, f.roofline)],
  ['engine-timeline', engineTimelineSpec(f.timeSeries, { subtitle: 'Llama-3.1-8B · 1×H100 SXM, load ramps to 115% of capacity, then falls to 80%.' })],
  ['calibration', calibrationSpec(f.calibration)],
  ['prefix-cache', prefixCacheSpec(f.prefixCache, { subtitle: 'Llama-3.1-8B · 1×H100 SXM · multi-turn sessions, vllm cache.' })],
];
