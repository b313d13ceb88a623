/** The servesim chart catalogue: each function maps plain display-unit rows (../chart-data.ts) to a vega-lite spec. */
export { latencyVsRateSpec, type LatencyVsRateOptions } from './latency-vs-rate.ts';
export { throughputVsRateSpec, type ThroughputVsRateOptions } from './throughput-vs-rate.ts';
export { sloAttainmentSpec, type SloAttainmentOptions } from './slo-attainment.ts';
export { latencyCdfSpec, type LatencyCdfOptions } from './latency-cdf.ts';
export { plannerComparisonSpec, type PlannerComparisonOptions } from './planner-comparison.ts';
export { stepBreakdownSpec, type StepBreakdownOptions } from './step-breakdown.ts';
export { rooflineSpec, type RooflineOptions } from './roofline.ts';
export { engineTimelineSpec, type EngineTimelineOptions } from './engine-timeline.ts';
export { calibrationSpec, type CalibrationOptions } from './calibration.ts';
export { prefixCacheSpec, type PrefixCacheOptions } from './prefix-cache.ts';
export { chartConfig, FONT_FAMILY, PALETTE, BOUND_COLORS, type ChartTextOptions } from './theme.ts';
