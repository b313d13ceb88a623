/**
 * Every `--json` document the CLI prints, by the name of its published JSON Schema (schemas/<name>.schema.json).
 * The simulate, plan, compare, sweep and presets schemas pin every field; explain, calibrate, validate and
 * profiles pin their top-level fields and leave the nested profile/calibration objects (whose own file
 * formats have schemas) open.
 */
import { z } from 'zod';
import { SimulateDocumentSchema } from '../metrics/simulate-document.ts';
import { CompareDocumentSchema, PlanDocumentSchema, SweepDocumentSchema } from '../planning/documents.ts';

const VERSION = z.literal(2);
const num = z.number();
const open = z.record(z.string(), z.unknown());

const rangeSchema = z.strictObject({ mean: num, stdev: num.optional(), min: num.optional(), max: num.optional() });

export const PresetsDocumentSchema = z.strictObject({
  schemaVersion: VERSION,
  presets: z.array(
    z.strictObject({
      name: z.string(),
      description: z.string(),
      lengths: z.strictObject({ kind: z.string(), input: rangeSchema, output: rangeSchema }),
      slo: z.array(z.strictObject({ metric: z.string(), percentile: z.union([num, z.literal('mean')]), thresholdS: num })),
      source: z.string(),
      sloText: z.string(),
      /** multi-turn presets: the sessions each turn belongs to (--rate is then sessions per second) */
      sessions: z
        .strictObject({
          turns: rangeSchema,
          thinkTimeMeanS: num,
          systemPromptTokens: num.optional(),
          toolPreambleTokens: num.optional(),
          tenants: num.optional(),
        })
        .optional(),
    }),
  ),
});

const errorSummary = z.strictObject({ metric: z.string(), statistic: z.string(), n: z.number().int(), medianApePct: num, meanApePct: num });

export const ValidateDocumentSchema = z.strictObject({
  schemaVersion: VERSION,
  rows: z.array(open),
  summary: z.array(errorSummary),
  coverage: z.strictObject({ rows: z.number().int(), mapped: z.number().int(), unmappedReasons: z.record(z.string(), z.number().int()) }),
});

export const CalibrateDocumentSchema = z.strictObject({
  schemaVersion: VERSION,
  /** the calibration file written (its own format: schemas of calibrations, snake_case parameters) */
  calibration: open,
  /** what the fit started from: the shipped calibration (fitted or transferred), datasheet defaults, or a file */
  startFrom: z.string(),
  before: z.array(errorSummary),
  fit: z.array(errorSummary),
  check: z.array(errorSummary),
  skipped: z.array(z.unknown()),
  unmapped: open,
  uncertainty: open,
  warnings: z.array(z.string()),
});

export const ExplainDocumentSchema = z.strictObject({
  schemaVersion: VERSION,
  deployment: open,
  memory: open,
  shape: open,
  step: z.strictObject({ totalMs: num, operators: z.array(z.looseObject({ timeMs: num, timeS: num, share: num })) }),
  ridgeFlopPerByte: num,
});

/** `profiles show NAME --json`: the resolved profile (schemas/hardware-profile, model-profile describe the files) */
export const ProfileDocumentSchema = z.looseObject({ schemaVersion: VERSION, kind: z.enum(['hardware', 'model']), id: z.string() });

export const DOCUMENT_SCHEMAS = {
  'simulate-result': SimulateDocumentSchema,
  'plan-result': PlanDocumentSchema,
  'compare-result': CompareDocumentSchema,
  'sweep-result': SweepDocumentSchema,
  'presets-result': PresetsDocumentSchema,
  'explain-result': ExplainDocumentSchema,
  'calibrate-result': CalibrateDocumentSchema,
  'validate-result': ValidateDocumentSchema,
  'profile-result': ProfileDocumentSchema,
} as const;

export type DocumentName = keyof typeof DOCUMENT_SCHEMAS;

/** JSON Schemas of the result documents, keyed by the file name they are written to under schemas/. */
export function documentJsonSchemas(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(DOCUMENT_SCHEMAS).map(([name, schema]) => [name, z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' })]));
}
