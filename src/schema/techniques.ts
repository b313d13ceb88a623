import { z } from 'zod';
import { FLAG_META } from './flag-meta.ts';

/**
 * Serving techniques a deployment can turn on beyond plain TP/PP/EP (issue 16): speculative decoding and
 * attention data-parallel with expert parallelism (DEP). Prefill/decode disaggregation is two deployments
 * (serving/disaggregation.ts), not a field of one. Fields carry FLAG_META, so each is a CLI flag, scenario
 * key, sweep-grid key and compare candidate key (schema/deployment-flags.ts); cost/ resolves them.
 */
export const SPECULATIVE_METHODS = ['draft-model', 'eagle', 'eagle3', 'mtp'] as const;
export const SpeculativeMethodSchema = z.enum(SPECULATIVE_METHODS);
export type SpeculativeMethod = z.infer<typeof SpeculativeMethodSchema>;

/** How acceptance is given once resolved: per-position conditional rates, a mean acceptance length, or a fixed count. */
export type AcceptanceSpec =
  | { readonly kind: 'rates'; readonly rates: readonly number[] }
  | { readonly kind: 'length'; readonly meanTokensPerStep: number }
  | { readonly kind: 'fixed'; readonly acceptedPerStep: number };

/** "0.8,0.6,0.4" (a flag or grid value) or an array (code, YAML) */
const rateList = z.preprocess(
  (v) => (typeof v === 'number' ? [v] : typeof v === 'string' ? parseRateList(v) : v),
  // each rate's range is checked where it is used (cost/speculative.ts), naming the flag and the position
  z.array(z.number()).min(1),
);

/** "0.8,0.6,0.4" → [0.8, 0.6, 0.4]; anything else stays the string, for the schema to refuse whole */
function parseRateList(text: string): number[] | string {
  const parts = text.split(',').map((x) => x.trim());
  return parts.every((x) => x !== '' && Number.isFinite(Number(x))) ? parts.map(Number) : text;
}

export const SpeculativeChoiceSchema = z
  .strictObject({
    method: SpeculativeMethodSchema.register(FLAG_META, { name: 'spec-method', describe: 'speculative decoding: draft-model, eagle, eagle3 or mtp (the model needs MTP heads)', defaultText: 'off' }),
    tokens: z.number().int().min(1).optional().register(FLAG_META, { name: 'spec-tokens', describe: 'draft tokens verified per step, k', defaultText: '1 for mtp, else 3' }),
    acceptanceRates: rateList.optional().register(FLAG_META, { name: 'spec-acceptance', describe: 'per-position conditional acceptance rates, one per draft token, e.g. 0.8,0.6,0.4' }),
    acceptanceLength: z.number().min(1).optional().register(FLAG_META, { name: 'spec-acceptance-length', describe: 'mean tokens per step (accepted + 1), turned into one per-position rate as vLLM does' }),
    fixedAccepted: z.number().int().min(0).optional().register(FLAG_META, { name: 'spec-fixed-accepted', describe: 'every step accepts exactly this many drafts (forced acceptance)' }),
    draftModel: z.string().optional().register(FLAG_META, { name: 'spec-draft-model', describe: 'draft model profile id (with --spec-method draft-model)' }),
  })
  .superRefine((s, ctx) => {
    const given = [s.acceptanceRates, s.acceptanceLength, s.fixedAccepted].filter((x) => x !== undefined).length;
    if (given !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['acceptanceRates'],
        message: `give exactly one acceptance: --spec-acceptance 0.8,0.6,0.4, --spec-acceptance-length L or --spec-fixed-accepted N; found ${given === 0 ? 'none' : given}`,
      });
  });
export type SpeculativeChoice = z.output<typeof SpeculativeChoiceSchema>;

/** the acceptance a speculative choice states, in one form */
export function acceptanceOf(s: SpeculativeChoice): AcceptanceSpec {
  if (s.acceptanceRates !== undefined) return { kind: 'rates', rates: s.acceptanceRates };
  if (s.acceptanceLength !== undefined) return { kind: 'length', meanTokensPerStep: s.acceptanceLength };
  return { kind: 'fixed', acceptedPerStep: s.fixedAccepted ?? 0 };
}

export const AttentionDpSchema = z
  .number()
  .int()
  .min(1)
  .optional()
  .register(FLAG_META, { name: 'attention-dp', describe: 'DEP: attention data-parallel over the instance GPUs with experts sharded by EP (set --tp and --ep to the same N)', defaultText: 'off' });
