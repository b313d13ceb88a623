import { InputError } from '../diagnostics/errors.ts';
import type { IntegerRange, LengthDistribution } from './lengths.ts';

/** What servesim takes from a GuideLLM synthetic data string. */
export interface DataSpec {
  /** prompt lengths include the shared prefix (GuideLLM prepends prefix_tokens to every prompt) */
  readonly lengths: LengthDistribution;
  /** prefix_tokens: one prefix shared by every request, for the deployment's prefix cache; undefined when none */
  readonly sharedPrefixTokens: number | undefined;
}

/**
 * GuideLLM's synthetic data string: `prompt_tokens=512,prompt_tokens_stdev=128,prompt_tokens_min=..,
 * prompt_tokens_max=..,output_tokens=256,prefix_tokens=..` (also accepts the JSON object form). Only the two
 * means are required. Fixed lengths when no stdev/min/max is given. `samples` and `source` (how GuideLLM
 * generates prompt text) change nothing servesim models and are refused rather than silently ignored.
 */
export function parseDataSpec(text: string, where = '--data'): DataSpec {
  const pairs = dataPairs(text, where);
  checkKeys(Object.keys(pairs), where);
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
  const prefix = num('prefix_tokens');
  if (prefix !== undefined && !Number.isInteger(prefix)) throw new InputError(`${where}: prefix_tokens must be a whole number, found ${prefix}`);
  const input = withPrefix(range('prompt_tokens'), prefix ?? 0);
  const output = range('output_tokens');
  const sharedPrefixTokens = prefix !== undefined && prefix > 0 ? prefix : undefined;
  const isFixed = (r: IntegerRange) => !r.stdev && r.min === undefined && r.max === undefined;
  if (isFixed(input) && isFixed(output)) return { lengths: { kind: 'fixed', inputTokens: input.mean, outputTokens: output.mean }, sharedPrefixTokens };
  return { lengths: { kind: 'synthetic', input, output }, sharedPrefixTokens };
}

/** The key=value pairs of the string (or JSON object) form. */
function dataPairs(text: string, where: string): Record<string, string> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    } catch {
      throw new InputError(`${where}: not valid JSON: ${trimmed.slice(0, 80)}`);
    }
  }
  const pairs: Record<string, string> = {};
  for (const part of trimmed.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new InputError(`${where}: expected key=value, found "${part}" (e.g. prompt_tokens=512,output_tokens=256)`);
    pairs[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return pairs;
}

const KNOWN_KEYS = new Set(['prompt_tokens', 'output_tokens'].flatMap((k) => [k, `${k}_stdev`, `${k}_min`, `${k}_max`]).concat('prefix_tokens'));

function checkKeys(keys: readonly string[], where: string): void {
  for (const k of keys) {
    if (k === 'samples' || k === 'source')
      throw new InputError(`${where}: "${k}" only changes how GuideLLM generates prompt text, which servesim does not model; remove it (lengths come from prompt_tokens and output_tokens)`);
    if (/^prefix_tokens_(stdev|min|max)$/.test(k))
      throw new InputError(`${where}: "${k}": servesim models one prefix shared by every request; give prefix_tokens alone`);
    if (!KNOWN_KEYS.has(k)) throw new InputError(`${where}: unknown key "${k}"; expected prompt_tokens[_stdev|_min|_max], output_tokens[_stdev|_min|_max], prefix_tokens`);
  }
}

/** GuideLLM prepends the shared prefix to every prompt: the prompt's length distribution shifts by it. */
function withPrefix(r: IntegerRange, prefix: number): IntegerRange {
  if (prefix === 0) return r;
  return {
    mean: r.mean + prefix,
    ...(r.stdev !== undefined ? { stdev: r.stdev } : {}),
    ...(r.min !== undefined ? { min: r.min + prefix } : {}),
    ...(r.max !== undefined ? { max: r.max + prefix } : {}),
  };
}
