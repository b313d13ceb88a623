import { z } from 'zod';

/**
 * Serving techniques a deployment can turn on beyond plain TP/PP/EP (issue 16): speculative decoding and
 * attention data-parallel with expert parallelism (DEP). Prefill/decode disaggregation is two deployments
 * (planning/disaggregation), not a field of one. Checked here; resolved against the model in cost/.
 */
export const SPECULATIVE_METHODS = ['draft-model', 'eagle', 'eagle3', 'mtp'] as const;
export const SpeculativeMethodSchema = z.enum(SPECULATIVE_METHODS);
export type SpeculativeMethod = z.infer<typeof SpeculativeMethodSchema>;

const unitRate = z.number().min(0).max(1);
export const AcceptanceSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rates'), rates: z.array(unitRate).min(1).describe('per-position conditional acceptance rates') }),
  z.strictObject({ kind: z.literal('length'), meanTokensPerStep: z.number().min(1).describe('mean tokens emitted per step, bonus token included') }),
  z.strictObject({ kind: z.literal('fixed'), acceptedPerStep: z.number().int().min(0).describe('drafts accepted in every step (forced acceptance)') }),
]);
export type AcceptanceSpec = z.infer<typeof AcceptanceSpecSchema>;

const isObject = (v: unknown): v is object => v !== null && typeof v === 'object';
export const SpeculativeChoiceSchema = z.strictObject({
  method: SpeculativeMethodSchema,
  tokens: z.number().int().min(1).describe('k: draft tokens proposed per sequence per step'),
  acceptance: AcceptanceSpecSchema,
  draftModel: z
    .custom<object>((v) => isObject(v) && isObject(Reflect.get(v, 'attention')), { error: 'expected a model profile for the draft model' })
    .optional(),
});
