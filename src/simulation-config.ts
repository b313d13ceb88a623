/**
 * The schema of simulate()'s input. Library callers get the same checks as the CLI's flags (which are
 * turned into this shape by planning/workload-flags.ts): a bad value is an InputError naming the field
 * ("workload.arrival.ratePerS: expected > 0, found -1"), never a TypeError or NaN latencies.
 */
import { z } from 'zod';
import { SLO_METRICS } from './metrics/slo.ts';
import { InputError } from './diagnostics/errors.ts';
import { checkInput } from './schema/issues.ts';
import { SCHEDULER_POLICY_NAMES } from './serving/policy.ts';
import { ROUTERS } from './serving/router.ts';

/** z.number() refuses NaN and ±Infinity */
const positive = z.number().positive();
const count = z.number().int().min(1);
const tokens = z.number().int().min(0);
const fraction = z.number().min(0).lt(1);
// shared with the workload flags (planning/workload-flag-schema.ts): one bound, one message
export const RatePerSSchema = positive;
export const RequestCountSchema = count;
export const ShareSchema = fraction;

export const ArrivalSpecSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('synchronous') }),
    z.strictObject({ kind: z.literal('concurrent'), streams: count }),
    z.strictObject({ kind: z.literal('throughput'), maxConcurrency: count.optional() }),
    z.strictObject({ kind: z.literal('constant'), ratePerS: positive }),
    z.strictObject({ kind: z.literal('poisson'), ratePerS: positive }),
    z.strictObject({ kind: z.literal('gamma'), ratePerS: positive, burstiness: positive }),
    z.strictObject({
      kind: z.literal('rate-curve'),
      points: z.array(z.strictObject({ timeS: z.number().min(0), ratePerS: z.number().min(0) })).min(2),
      repeat: z.boolean().optional(),
    }),
    z.strictObject({ kind: z.literal('trace'), timesS: z.array(z.number().min(0)).min(1), timeScale: positive.optional() }),
  ],
  { error: 'expected kind: synchronous, concurrent, throughput, constant, poisson, gamma, rate-curve or trace' },
);

const IntegerRangeSchema = z.strictObject({ mean: z.number().min(1), stdev: z.number().min(0).optional(), min: tokens.optional(), max: tokens.optional() });
const LognormalSchema = z.strictObject({ mean: positive, stdev: z.number().min(0), min: tokens.optional(), max: tokens.optional() });
const tokenList = z.array(tokens).min(1);

export const LengthDistributionSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('fixed'), inputTokens: tokens, outputTokens: tokens }),
    z.strictObject({ kind: z.literal('synthetic'), input: IntegerRangeSchema, output: IntegerRangeSchema }),
    z.strictObject({ kind: z.literal('lognormal'), input: LognormalSchema, output: LognormalSchema }),
    z.strictObject({ kind: z.literal('empirical'), inputTokens: tokenList, outputTokens: tokenList, name: z.string().optional() }),
    z.strictObject({ kind: z.literal('sequence'), inputTokens: tokenList, outputTokens: tokenList }),
  ],
  { error: 'expected kind: fixed, synthetic, lognormal, empirical or sequence' },
);

/** multi-turn sessions (workload/sessions.ts): `lengths` gives each turn's new input and output */
export const SessionSpecSchema = z.strictObject({
  turns: IntegerRangeSchema,
  thinkTimeMeanS: z.number().min(0),
  systemPromptTokens: tokens.optional(),
  toolPreambleTokens: tokens.optional(),
  tenants: count.optional(),
});

/** a trace's block hashes (Mooncake `hash_ids`, workload/trace-blocks.ts) */
export const TraceBlockHashesSchema = z.strictObject({
  blockTokens: count,
  hashIds: z.array(z.array(z.number().int().min(0))).min(1),
});

export const WorkloadSchema = z.strictObject({
  arrival: ArrivalSpecSchema,
  lengths: LengthDistributionSchema,
  maxRequests: count.optional(),
  maxSeconds: positive.optional(),
  warmupFraction: fraction.optional(),
  cooldownFraction: fraction.optional(),
  sessions: SessionSpecSchema.optional(),
  blockHashes: TraceBlockHashesSchema.optional(),
});

export const SloObjectiveSchema = z.strictObject({
  metric: z.enum(SLO_METRICS),
  percentile: z.union([z.number().gt(0).max(1), z.literal('mean')], { error: "expected a quantile in (0, 1] or 'mean'" }),
  thresholdS: positive,
});

/** A PreparedDeployment comes from prepareDeployment(); check its shape, not its every field. */
const PreparedDeploymentShape = z.custom<object>(
  (v) => {
    if (v === null || typeof v !== 'object') return false;
    const d: unknown = Reflect.get(v, 'deployment');
    const memory: unknown = Reflect.get(v, 'memory');
    const cost: unknown = Reflect.get(v, 'cost');
    return d !== null && typeof d === 'object' && memory !== null && typeof memory === 'object' && cost !== null && typeof cost === 'object';
  },
  { error: 'expected a prepared deployment (from prepareDeployment(model, hardware, choice, calibration))' },
);

export const SimulationConfigSchema = z.strictObject({
  deployment: PreparedDeploymentShape,
  workload: WorkloadSchema,
  seed: z.union([z.string(), z.number().refine(Number.isFinite)], { error: 'expected a string or a finite number' }),
  replicas: count.optional(),
  router: z.enum(ROUTERS).optional(),
  policy: z.enum(SCHEDULER_POLICY_NAMES).optional(),
  slo: z.array(SloObjectiveSchema).optional(),
  recordRequests: z.boolean().optional(),
  maxRecords: count.optional(),
  drainLimitS: z.number().min(0).optional(),
  stopWhenBacklogged: z.boolean().optional(),
  disaggregation: z
    .strictObject({ decode: PreparedDeploymentShape, decodeReplicas: z.number(), sameNode: z.boolean().optional() })
    .optional(),
});

/** Throws InputError naming every bad field of a simulate() config. */
export function checkSimulationConfig(config: unknown): void {
  if (config === undefined || config === null || typeof config !== 'object')
    throw new InputError(`simulate(config): expected a config object { deployment, workload, seed, ... }, found ${config === undefined ? 'nothing' : String(config)}`);
  checkInput(SimulationConfigSchema, config, 'simulate(config)');
}
