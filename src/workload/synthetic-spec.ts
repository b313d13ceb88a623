import { InputError } from '../diagnostics/errors.ts';
import type { IntegerRange, LengthDistribution } from './lengths.ts';

/**
 * GuideLLM's synthetic data string: `prompt_tokens=512,prompt_tokens_stdev=128,prompt_tokens_min=..,
 * prompt_tokens_max=..,output_tokens=256,...` (also accepts the JSON object form). Only the two means
 * are required. Fixed lengths when no stdev/min/max is given.
 */
export function parseSyntheticData(text: string, where = '--data'): LengthDistribution {
  let pairs: Record<string, string>;
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      pairs = Object.fromEntries(Object.entries(JSON.parse(trimmed) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    } catch {
      throw new InputError(`${where}: not valid JSON: ${trimmed.slice(0, 80)}`);
    }
  } else {
    pairs = {};
    for (const part of trimmed.split(',').map((s) => s.trim()).filter(Boolean)) {
      const eq = part.indexOf('=');
      if (eq < 0) throw new InputError(`${where}: expected key=value, found "${part}" (e.g. prompt_tokens=512,output_tokens=256)`);
      pairs[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
    }
  }
  const known = new Set(['prompt_tokens', 'output_tokens', 'prefix_tokens', 'samples', 'source'].flatMap((k) => [k, `${k}_stdev`, `${k}_min`, `${k}_max`]));
  for (const k of Object.keys(pairs))
    if (!known.has(k)) throw new InputError(`${where}: unknown key "${k}"; expected prompt_tokens[_stdev|_min|_max], output_tokens[_stdev|_min|_max]`);
  const num = (k: string): number | undefined => {
    const v = pairs[k];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new InputError(`${where}: ${k} must be a non-negative number, found "${v}"`);
    return n;
  };
  const range = (p: string): IntegerRange => {
    const mean = num(p);
    if (mean === undefined || mean < 1) throw new InputError(`${where}: ${p} is required and must be >= 1`);
    const r: { mean: number; stdev?: number; min?: number; max?: number } = { mean };
    const sd = num(`${p}_stdev`);
    const mn = num(`${p}_min`);
    const mx = num(`${p}_max`);
    if (sd !== undefined) r.stdev = sd;
    if (mn !== undefined) r.min = mn;
    if (mx !== undefined) r.max = mx;
    if (mn !== undefined && mx !== undefined && mn > mx) throw new InputError(`${where}: ${p}_min (${mn}) exceeds ${p}_max (${mx})`);
    return r;
  };
  const input = range('prompt_tokens');
  const output = range('output_tokens');
  const isFixed = (r: IntegerRange) => !r.stdev && r.min === undefined && r.max === undefined;
  if (isFixed(input) && isFixed(output)) return { kind: 'fixed', inputTokens: input.mean, outputTokens: output.mean };
  return { kind: 'synthetic', input, output };
}
