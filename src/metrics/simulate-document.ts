/**
 * The `servesim simulate --json` document as a zod schema: the one definition of its fields. toReport builds
 * z.infer of it, schemas/simulate-result.schema.json is generated from it, and `servesim report` parses
 * with it. Naming follows docs/metrics.md "Field names": camelCase, each quantity named with its unit or
 * inside a container that names it (`latencyMs.ttft.p99`).
 */
import { z } from 'zod';
import type { LatencyMetric } from './definitions.ts';

export const SIMULATE_DOCUMENT_VERSION = 2;

const num = z.number();
const count = z.number().int().nonnegative();

/** one latency distribution, in the unit of its container */
export const DistributionSchema = z.strictObject({
  count: num,
  mean: num,
  stdev: num,
  median: num,
  p90: num,
  p95: num,
  p99: num,
  p999: num,
  min: num,
  max: num,
});

const rangeSchema = z.strictObject({ mean: num, stdev: num.optional(), min: num.optional(), max: num.optional() });
const lengthsSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), inputTokens: count, outputTokens: count }),
  z.strictObject({ kind: z.literal('synthetic'), input: rangeSchema, output: rangeSchema }),
  z.strictObject({ kind: z.literal('lognormal'), input: rangeSchema, output: rangeSchema }),
  z.strictObject({ kind: z.enum(['empirical', 'sequence']), rows: count }),
]);

export const SimulateWorkloadSchema = z.strictObject({
  /** arrival profile: poisson, constant, gamma, concurrent, throughput, synchronous, rate-curve, trace */
  profile: z.string(),
  ratePerS: num.optional(),
  streams: count.optional(),
  maxConcurrency: count.optional(),
  burstiness: num.optional(),
  /** trace replay: arrivals in the trace */
  requests: count.optional(),
  lengths: lengthsSchema,
  /** multi-turn sessions: `ratePerS` is then sessions per second (open loop) and `lengths` are per turn */
  sessions: z
    .strictObject({
      turns: rangeSchema,
      thinkTimeMeanS: num,
      systemPromptTokens: count.optional(),
      toolPreambleTokens: count.optional(),
      tenants: count.optional(),
    })
    .optional(),
  maxRequests: count.nullable(),
  maxSeconds: num.nullable(),
  warmupFraction: num,
  cooldownFraction: num,
});

const trendSchema = z.strictObject({ windows: count, s: num, z: num, pValue: num, senSlopePerWindow: num, upward: z.boolean() });

const saturationSchema = z.strictObject({
  verdict: z.enum(['stable', 'backlogged', 'closed-loop']),
  reason: z.string(),
  explanation: z.string(),
  offeredRatePerS: num.optional(),
  achievedRatePerS: num,
  evidence: z
    .strictObject({
      arrivals: count,
      spanS: num,
      arrivalRatePerS: num,
      admittedRatePerS: num,
      admittedShare: num,
      outstandingTrend: trendSchema,
      queueDelayTrend: trendSchema,
      waitingAtEnd: count,
      outstandingAtEnd: count,
      replicas: count,
      confidence: num,
      minDeficit: num,
    })
    .nullable(),
  stoppedEarly: z.strictObject({ atS: num, afterRequests: count, reason: z.string() }).nullable(),
});

const sloSchema = z.strictObject({
  spec: z.string(),
  met: z.boolean(),
  attainment: num,
  goodputRequestsPerS: num,
  checks: z.array(
    z.strictObject({ metric: z.string(), percentile: z.union([num, z.literal('mean')]), thresholdMs: num, valueMs: num, met: z.boolean() }),
  ),
});

export const SimulateDeploymentSchema = z.strictObject({
  model: z.string(),
  hardware: z.string(),
  tp: count,
  pp: count,
  ep: count,
  replicas: count,
  gpus: count,
  weights: z.string(),
  activations: z.string(),
  kvCache: z.string(),
  engine: z.string(),
  policy: z.string(),
  router: z.string(),
  calibration: z.string(),
  calibrationProvenance: z.string(),
  kvTokensPerReplica: count,
});

/** keyed by metric id (docs/metrics.md): ids are vocabulary, not field names, and keep their spelling */
const LatencyMsSchema = z.strictObject({
  ttft: DistributionSchema,
  e2e: DistributionSchema,
  queue_time: DistributionSchema,
  itl: DistributionSchema,
  tpot: DistributionSchema,
  itl_guidellm: DistributionSchema,
  tpot_guidellm: DistributionSchema,
  tpot_guidellm_v03: DistributionSchema,
});
// every metric id has a distribution, and nothing else does: fails to compile when LATENCY_METRICS changes
type SameKeys<A, B> = [Exclude<keyof A, B>, Exclude<B, keyof A>] extends [never, never] ? true : false;
export const LATENCY_KEYS_MATCH: SameKeys<z.infer<typeof LatencyMsSchema>, LatencyMetric> = true;

export const SimulateRunSchema = z.strictObject({
  schemaVersion: z.literal(SIMULATE_DOCUMENT_VERSION),
  seed: z.string(),
  deployment: SimulateDeploymentSchema,
  workload: SimulateWorkloadSchema,
  requests: z.strictObject({
    issued: count,
    completed: count,
    counted: count,
    rejected: count,
    rejectReasons: z.record(z.string(), count),
    incomplete: count,
    peakOutstanding: count,
    peakMaterialized: count,
  }),
  durationS: num,
  simulatedTimeS: num,
  throughput: z.strictObject({ requestsPerS: num, outputTokensPerS: num, inputTokensPerS: num, totalTokensPerS: num }),
  latencyMs: LatencyMsSchema,
  slo: sloSchema.nullable(),
  saturation: saturationSchema,
  engine: z.strictObject({
    steps: count,
    events: count,
    preemptions: count,
    meanDecodeBatch: num,
    busyFraction: num,
    meanKvUtilization: num,
    peakKvUtilization: num,
  }),
  timeSeries: z.array(z.strictObject({ timeS: num, kvUtilization: num, running: count, waiting: count, preemptions: count })),
  warnings: z.array(z.string()),
  /** how sure: 80% bands of the means and p99s (calibration band and seed variance), and P(meets SLO) with an SLO */
  uncertainty: z
    .strictObject({
    basis: z.string(),
    band80Ms: z.strictObject(
      Object.fromEntries(
        ['ttftMeanMs', 'tpotMeanMs', 'e2eMeanMs', 'itlMeanMs', 'ttftP99Ms', 'tpotP99Ms', 'e2eP99Ms', 'itlP99Ms'].map((k) => [k, z.tuple([num, num]).optional()]),
      ),
    ),
    probabilityMeetsSlo: num.min(0).max(1).optional(),
  })
    .optional()
    .describe('absent in documents written before bands existed'),
  /** only when the simulated prefix cache is on (--prefix-cache vllm|radix) */
  prefixCache: z
    .strictObject({
      mode: z.string(),
      lookups: count,
      promptTokens: count,
      tokensSaved: count,
      hitRate: num,
      readmissionTokensSaved: count,
      offloadTokensLoaded: count,
      diskTokensLoaded: count.optional(),
      evictions: count,
      overTime: z.array(z.strictObject({ timeS: num, hitRate: num, promptTokens: count })),
    })
    .optional(),
});

/** `simulate --json` with several runs (several seeds or rates) */
export const SimulateRunsSchema = z.strictObject({ schemaVersion: z.literal(SIMULATE_DOCUMENT_VERSION), runs: z.array(SimulateRunSchema) });

export const SimulateDocumentSchema = z.union([SimulateRunSchema, SimulateRunsSchema]);

export type SimulateRun = z.infer<typeof SimulateRunSchema>;
export type SimulateWorkload = z.infer<typeof SimulateWorkloadSchema>;
