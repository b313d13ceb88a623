import { z } from 'zod';
import { parseQuantity, type QuantityKind } from '../units.ts';

/**
 * A number field of a file format that also takes a quantity with its unit ("3.35 TB/s" for a TB/s field):
 * the text is checked for its dimension and converted to `unit` here, once, before `inner` judges the number.
 * A plain number means what it always meant: a value in `unit`.
 */
export function quantity(kind: QuantityKind, unit: string, inner: z.ZodNumber) {
  const accepting = z.preprocess((value, ctx) => {
    if (typeof value !== 'string') return value;
    const parsed = parseQuantity(value, kind, unit);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: parsed.message, input: value });
    return z.NEVER;
  }, inner);
  return inner.description !== undefined ? accepting.describe(inner.description) : accepting;
}
