/**
 * The `plan --json`, `compare --json` and `sweep --json` documents as zod schemas: the one definition of their
 * fields, from which schemas/*.schema.json are generated and against which every command's output is tested.
 * Naming follows docs/metrics.md "Field names".
 */
import { z } from 'zod';
import { SWEEP_COLUMNS, type SweepColumn } from './sweep-row.ts';

export const PLANNING_DOCUMENT_VERSION = 2;

const num = z.number();
const count = z.number().int().nonnegative();

const LatencySummarySchema = z.strictObject({
  ttftP50Ms: num,
  ttftP99Ms: num,
  itlP50Ms: num,
  itlP99Ms: num,
  tpotP50Ms: num,
  tpotP99Ms: num,
  e2eP50Ms: num,
  e2eP99Ms: num,
});

const band = z.tuple([num, num]).describe('80% band [low, high]');
const ObjectiveAtLoadSchema = z.strictObject({
  objective: z.string(),
  metric: z.string(),
  valueMs: num,
  limitMs: num,
  met: z.boolean(),
  band80Ms: band.optional(),
  probabilityMet: num.min(0).max(1).optional().describe('probability that the real value is within the limit, from the calibration band'),
});
const LatencyBandsSchema = z.strictObject(Object.fromEntries(Object.keys(LatencySummarySchema.shape).map((k) => [k, band.optional()])));
const SloProbabilitySchema = z.strictObject({
  basis: z.string(),
  byReplicas: z.array(
    z.strictObject({
      replicas: count,
      probabilityMeetsSlo: num.min(0).max(1),
      objectives: z.array(z.strictObject({ objective: z.string(), probability: num.min(0).max(1) })),
    }),
  ),
  confidence: num.optional(),
  replicasForConfidence: count.optional(),
});
const checkSchema = z.strictObject({ ratePerS: num, passed: z.boolean(), why: z.string() });

const TargetSchema = z.strictObject({
  ratePerS: num,
  headroom: num,
  estimatedReplicas: count,
  replicas: count,
  gpus: count,
  nodes: count,
  verified: z.boolean(),
  verificationAddedReplicas: count,
  verificationNote: z.string(),
  latency: LatencySummarySchema,
  latencyBand80Ms: LatencyBandsSchema.optional().describe('absent in documents written before bands existed'),
  objectives: z.array(ObjectiveAtLoadSchema),
  sloAttainment: num,
  outputTokensPerS: num,
  usdPerGpuHour: num.optional(),
  usdPerHour: num.optional(),
  usdPerMillionOutputTokens: num.optional(),
  margin: num,
  saturationUtilization: num,
  verificationSlice: z.strictObject({ replicas: count, ratePerS: num }),
  verificationChecks: z.array(z.strictObject({ replicas: count, passed: z.boolean(), why: z.string() })),
  sloProbability: SloProbabilitySchema.optional().describe('absent in documents written before bands existed'),
});

const planFields = {
  schemaVersion: z.literal(PLANNING_DOCUMENT_VERSION),
  deployment: z.strictObject({
    model: z.string(),
    hardware: z.string(),
    tp: count,
    pp: count,
    weights: z.string(),
    kvCache: z.string(),
    engine: z.string(),
    gpusPerReplica: count,
    label: z.string(),
    calibration: z.string(),
    calibrationProvenance: z.string(),
  }),
  slo: z.string(),
  seed: z.string(),
  feasible: z.boolean(),
  infeasibleReason: z.string().optional(),
  capacity: z.strictObject({
    perReplicaRatePerS: num,
    failingRatePerS: num,
    saturationRatePerS: num,
    binding: z.string().optional(),
    bindingExplanation: z.string(),
    bindingObjective: z.strictObject({ atCapacity: ObjectiveAtLoadSchema, breaks: z.strictObject({ ratePerS: num, valueMs: num }) }).optional(),
    objectives: z.array(ObjectiveAtLoadSchema),
    latencyAtCapacity: LatencySummarySchema.optional(),
    latencyAtCapacityBand80Ms: LatencyBandsSchema.optional(),
    checks: z.array(checkSchema),
  }),
  target: TargetSchema.optional(),
  simulations: count,
  notes: z.array(z.string()),
};

/** `servesim plan --json` (the CLI adds the workload it planned for) */
export const ColocatedPlanDocumentSchema = z.strictObject({ ...planFields, workload: z.string().optional() });

const PoolDeploymentSchema = z.strictObject({
  model: z.string(),
  hardware: z.string(),
  tp: count,
  pp: count,
  weights: z.string(),
  kvCache: z.string(),
  engine: z.string(),
  gpusPerInstance: count,
  kvTokensPerInstance: count,
  label: z.string(),
  calibration: z.string(),
  calibrationProvenance: z.string(),
});

const pdPoolsCheck = z.strictObject({ prefill: count, decode: count, passed: z.boolean(), why: z.string() });

const PdTargetSchema = z.strictObject({
  ratePerS: num,
  headroom: num,
  sizedRatePerS: num,
  estimated: z.strictObject({ prefill: count, decode: count }),
  prefillInstances: count,
  decodeInstances: count,
  ratio: z.string(),
  prefillGpus: count,
  decodeGpus: count,
  gpus: count,
  nodes: count,
  verified: z.boolean(),
  binding: ObjectiveAtLoadSchema.optional(),
  fewerPrefill: z.string(),
  fewerDecode: z.string(),
  latency: LatencySummarySchema,
  objectives: z.array(ObjectiveAtLoadSchema),
  sloAttainment: num,
  outputTokensPerS: num,
  usdPerGpuHour: z.strictObject({ prefill: num.optional(), decode: num.optional() }),
  usdPerHour: num.optional(),
  usdPerMillionOutputTokens: num.optional(),
  verificationSlice: z.strictObject({ prefill: count, decode: count, ratePerS: num }),
  checks: z.array(pdPoolsCheck),
});

const PdUnitSchema = z.strictObject({
  prefill: count,
  decode: count,
  ratio: z.string(),
  gpus: count,
  ratePerS: num,
  ratePerGpuPerS: num,
  saturationRatePerS: num,
  binding: z.string(),
  bindingExplanation: z.string(),
  objectives: z.array(ObjectiveAtLoadSchema),
  latency: LatencySummarySchema,
  candidates: z.array(
    z.strictObject({ prefill: count, decode: count, gpus: count, feasible: z.boolean(), ratePerS: num, ratePerGpuPerS: num, explanation: z.string() }),
  ),
});

const pdPlanFields = {
  schemaVersion: z.literal(PLANNING_DOCUMENT_VERSION),
  kind: z.literal('disaggregated'),
  prefill: PoolDeploymentSchema,
  decode: PoolDeploymentSchema,
  kvTransfer: z.strictObject({ link: z.string(), meanPromptMs: num }),
  slo: z.string(),
  seed: z.string(),
  feasible: z.boolean(),
  infeasibleReason: z.string().optional(),
  estimate: z.strictObject({
    prefillTimeS: num,
    prefillRatePerInstancePerS: num,
    decodeBatch: count,
    decodeBatchLimit: z.enum(['itl', 'kv-cache', 'max-num-seqs']),
    decodeStepS: num,
    decodeRatePerInstancePerS: num,
    decodePerPrefill: num,
  }),
  unit: PdUnitSchema.optional(),
  target: PdTargetSchema.optional(),
  simulations: count,
  notes: z.array(z.string()),
};

/** `servesim plan --disaggregate --json`: prefill and decode pools (xPyD) */
export const PdPlanDocumentSchema = z.strictObject({ ...pdPlanFields, workload: z.string().optional() });

/** `servesim plan --json`: one colocated pool, or with --disaggregate a prefill and a decode pool (`kind: 'disaggregated'`) */
export const PlanDocumentSchema = z.union([ColocatedPlanDocumentSchema, PdPlanDocumentSchema]);

/** compare --disaggregate: each candidate split into pools */
const PdCompareRowSchema = z.strictObject({
  candidate: z.string(),
  colocatedGpus: count.optional(),
  colocatedUsdPerHour: num.optional(),
  disaggregated: z.strictObject(pdPlanFields).optional(),
  error: z.string().optional(),
  gpuDelta: z.number().int().optional(),
  verdict: z.string(),
});

const CompareRowSchema = z.strictObject({ ...planFields, candidate: z.string(), best: z.array(z.string()) });

/** `servesim compare --json`; `best` is keyed by criterion label (a vocabulary value, as shown in the table) */
export const CompareDocumentSchema = z.strictObject({
  schemaVersion: z.literal(PLANNING_DOCUMENT_VERSION),
  targetRatePerS: num.optional(),
  headroom: num,
  slo: z.string(),
  rows: z.array(CompareRowSchema),
  skipped: z.array(z.strictObject({ candidate: z.string(), reason: z.string() })),
  best: z.record(z.string(), z.string()),
  costRanking: z.strictObject({
    priced: z.array(z.strictObject({ candidate: z.string(), usdPerMillionOutputTokens: num, usdPerHour: num })),
    unpriced: z.array(z.strictObject({ candidate: z.string(), hardware: z.string(), gpus: count.optional(), hint: z.string() })),
  }),
  simulations: count,
  workload: z.string().optional(),
  scenario: z.string().optional(),
  /** with --disaggregate */
  disaggregated: z.array(PdCompareRowSchema).optional(),
});

function cellSchema(c: SweepColumn): z.ZodType {
  const base =
    c.kind === 'integer' ? z.number().int() : c.kind === 'number' ? z.number() : c.kind === 'boolean' ? z.boolean() : c.values ? z.enum(c.values) : z.string();
  const described = base.describe(c.unit ? `${c.name} (${c.unit})` : c.name);
  return c.nullable ? described.nullable() : described;
}

/** one sweep row, generated from the row table (sweep-row.ts) that every sweep reader and writer uses */
export const SweepRowSchema = z.strictObject(Object.fromEntries(SWEEP_COLUMNS.map((c) => [c.name, cellSchema(c)])));

/** `servesim sweep --json` */
export const SweepDocumentSchema = z.strictObject({
  schemaVersion: z.literal(PLANNING_DOCUMENT_VERSION),
  points: count,
  shard: z.string().optional(),
  rows: z.array(SweepRowSchema),
});
