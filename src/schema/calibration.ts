import { z } from 'zod';
import { EngineFamilySchema } from './deployment.ts';
import { quantity } from './quantity.ts';

/**
 * A calibration profile: the efficiency fractions and fixed overheads that turn datasheet peaks into
 * predicted step times, for one GPU × engine family. Defaults come from measured fractions
 * (calibrations/defaults.ts cites each); `servesim calibrate` fits them to benchmark results and writes
 * this format. Bounds are the physically sensible ranges the optimiser may search.
 */
export const CALIBRATION_PARAMETERS = {
  gemm_efficiency: { min: 0.2, max: 0.98, unit: 'fraction of dense peak', doc: 'large-GEMM efficiency' },
  lowp_gemm_relative: { min: 0.3, max: 1.2, unit: 'multiplier', doc: 'fp8/int8/fp4 GEMM efficiency relative to bf16' },
  gemm_half_tokens: { min: 1, max: 2048, unit: 'tokens', doc: 'GEMM rows at which efficiency is half of gemm_efficiency' },
  weight_bandwidth_efficiency: { min: 0.3, max: 0.98, unit: 'fraction of peak bandwidth', doc: 'weight streaming' },
  kv_bandwidth_efficiency: { min: 0.15, max: 0.98, unit: 'fraction of peak bandwidth', doc: 'paged KV-cache reads in decode attention' },
  attention_efficiency: { min: 0.1, max: 0.95, unit: 'fraction of dense peak', doc: 'prefill (flash) attention compute' },
  collective_efficiency: { min: 0.2, max: 1.5, unit: 'multiplier', doc: "scales the profile's all-reduce bus bandwidth" },
  collective_latency_relative: {
    min: 0.1,
    max: 3,
    unit: 'multiplier',
    doc: "scales the profile's all-reduce latency (an engine's custom all-reduce beats NCCL's small-message latency)",
  },
  step_overhead_ms: { min: 0, max: 50, unit: 'ms', doc: 'per scheduler step, on the CPU: scheduling, input prep, launch (hidden behind the GPU under async scheduling)' },
  step_gpu_overhead_ms: { min: 0, max: 20, unit: 'ms', doc: 'per scheduler step, on the GPU: sampling, input copies, synchronisation (never hidden)' },
  layer_overhead_us: { min: 0, max: 200, unit: 'µs', doc: 'per layer per step: kernel launches not hidden by CUDA graphs' },
  sequence_overhead_us: { min: 0, max: 500, unit: 'µs', doc: 'per sequence per step: sampling, detokenisation, bookkeeping' },
  prefill_token_overhead_us: { min: 0, max: 20, unit: 'µs', doc: 'per prefill token: tokenisation, input preparation' },
  client_overhead_ms: { min: 0, max: 200, unit: 'ms', doc: 'added to TTFT and E2E: HTTP, queueing in the API server' },
  frontend_prompt_token_us: {
    min: 0,
    max: 1000,
    unit: 'µs',
    doc: 'per prompt token, in the API frontend before the engine sees the request (tokenising the prompt text); beside the GPU, it never stalls decode',
  },
  frontend_workers: { min: 1, max: 64, unit: 'requests', doc: 'prompts the API frontend works on at once (FIFO beyond that); only matters with frontend_prompt_token_us' },
} as const;
export type CalibrationParameter = keyof typeof CALIBRATION_PARAMETERS;
export const CALIBRATION_PARAMETER_NAMES = Object.keys(CALIBRATION_PARAMETERS) as CalibrationParameter[];

const boundedNumber = (p: CalibrationParameter) =>
  z.number().min(CALIBRATION_PARAMETERS[p].min).max(CALIBRATION_PARAMETERS[p].max).describe(
    `${CALIBRATION_PARAMETERS[p].doc} (${CALIBRATION_PARAMETERS[p].unit})`,
  );
/** A time parameter (ms, µs) may also be written with its unit ("0.4 ms", "350us"): converted here, once. */
const bounded = (p: CalibrationParameter) => {
  const unit: string = CALIBRATION_PARAMETERS[p].unit;
  return unit === 'ms' || unit === 'µs' ? quantity('time', unit, boundedNumber(p)) : boundedNumber(p);
};

export const CalibrationValuesSchema = z.strictObject({
  gemm_efficiency: bounded('gemm_efficiency'),
  lowp_gemm_relative: bounded('lowp_gemm_relative'),
  gemm_half_tokens: bounded('gemm_half_tokens'),
  weight_bandwidth_efficiency: bounded('weight_bandwidth_efficiency'),
  kv_bandwidth_efficiency: bounded('kv_bandwidth_efficiency'),
  attention_efficiency: bounded('attention_efficiency'),
  collective_efficiency: bounded('collective_efficiency'),
  collective_latency_relative: bounded('collective_latency_relative').default(1),
  step_overhead_ms: bounded('step_overhead_ms'),
  // added in wave 2: files written before it have none, which is what they were fitted with
  step_gpu_overhead_ms: bounded('step_gpu_overhead_ms').default(0),
  layer_overhead_us: bounded('layer_overhead_us'),
  sequence_overhead_us: bounded('sequence_overhead_us'),
  prefill_token_overhead_us: bounded('prefill_token_overhead_us'),
  client_overhead_ms: bounded('client_overhead_ms'),
  // added in wave 5: files written before it have no frontend stage, which is what they were fitted with
  frontend_prompt_token_us: bounded('frontend_prompt_token_us').default(0),
  frontend_workers: bounded('frontend_workers').default(1),
});
export type CalibrationValues = z.infer<typeof CalibrationValuesSchema>;

/**
 * The statistics an 80% band is derived for: stage means, and the tails that measurements state (p90/p99
 * of TTFT and E2E). Other percentiles borrow the nearest (bandFor in src/metrics/uncertainty.ts).
 */
export const BAND_METRICS = ['ttft', 'tpot', 'e2e', 'ttft_p90', 'ttft_p99', 'e2e_p90', 'e2e_p99'] as const;
export const BandMetricSchema = z.enum(BAND_METRICS);
export type BandMetric = (typeof BAND_METRICS)[number];

/** One metric's 80% band, in log ratio: the measured value lies in predicted × exp(shiftLog ± halfWidthLog). */
export interface LogBand {
  readonly shiftLog: number;
  readonly halfWidthLog: number;
}

/** The 80% bands a resolved calibration carries, and what they rest on (fit, transfer, datasheet). */
export interface CalibrationBands {
  readonly basis: string;
  readonly byMetric: Readonly<Partial<Record<BandMetric, LogBand>>>;
}

export const CalibrationFileSchema = z.strictObject({
  id: z.string(),
  hardware: z.string().describe('hardware profile id, or "*" for any'),
  engine: EngineFamilySchema,
  engine_versions: z
    .string()
    .regex(/^<\d+\.\d+$/, 'a range like "<0.7"')
    .optional()
    .describe('only for benchmarks of these engine versions (e.g. "<0.7"); such profiles are never picked for planning new deployments'),
  description: z.string(),
  values: CalibrationValuesSchema,
  fit: z
    .strictObject({
      method: z.string(),
      fitted_on: z.array(z.string()),
      held_out: z.array(z.string()).default([]),
      fit_error: z.record(z.string(), z.number()).default({}),
      check_error: z.record(z.string(), z.number()).default({}),
      band80: z
        .partialRecord(BandMetricSchema, z.number().nonnegative())
        .optional()
        .describe(
          'half-width of an 80% prediction band per metric, as a log ratio: the measured value lies in predicted × exp(shift ± w) ' +
            'with about 80% probability (src/calibration/bands.ts: cross-validated residual quantiles and parameter uncertainty; coverage checked on held-out data)',
        ),
      band80_shift: z
        .partialRecord(BandMetricSchema, z.number())
        .optional()
        .describe('centre of the 80% band per metric, as a log ratio log(measured/predicted): the median cross-validated bias (0 when absent)'),
      date: z.string().optional(),
    })
    .optional(),
  sources: z.array(z.string()).default([]),
});
export type CalibrationFile = z.infer<typeof CalibrationFileSchema>;
