import { z } from 'zod';
import { DeploymentChoiceSchema, type DeploymentChoice } from './deployment.ts';
import { ENGINE_DEFAULTS, ENGINE_FAMILIES, type EngineDefaults } from './engines.ts';
import { FLAG_META } from './flag-meta.ts';
import { checkInput } from './issues.ts';

/**
 * The deployment choice in flag vocabulary (CLI flags, SERVESIM_* variables, scenario keys, sweep-grid keys,
 * compare candidate keys), generated from DeploymentChoiceSchema, and `choiceFromFlags`, its one parser.
 */
export interface ChoiceFlag {
  /** option name, e.g. "max-num-seqs" */
  readonly name: string;
  /** where the value goes in a DeploymentChoice, e.g. ["engine", "maxNumSeqs"] */
  readonly path: readonly string[];
  readonly kind: 'number' | 'string' | 'boolean';
  readonly choices: readonly string[] | undefined;
  /** help text with its default */
  readonly describe: string;
}

/**
 * A deployment in flag vocabulary: the profiles to use. The object may carry any of CHOICE_FLAG_NAMES
 * besides (yargs' argv, a sweep point, a candidate's overrides); `choiceFromFlags` reads and checks them.
 */
export interface DeploymentFlags {
  model: string;
  hardware: string;
  calibration?: string | undefined;
  profiles?: string[] | undefined;
}

/** Choice flag values as an edge gives them (strings from candidate strings and sweep grids). */
export type ChoiceFlagValues = Readonly<Record<string, unknown>>;

export const CHOICE_FLAGS: readonly ChoiceFlag[] = flagsOf(DeploymentChoiceSchema, []);
export const CHOICE_FLAG_NAMES: readonly string[] = CHOICE_FLAGS.map((f) => f.name);

/**
 * Parse the choice flags among `flags` into a DeploymentChoice. Values may be typed (yargs, YAML) or
 * strings (candidate strings, sweep grids): strings are read as the field's type first. A bad value is an
 * InputError naming the flag ("invalid deployment: --block-size: expected >= 1, found 0").
 */
export function choiceFromFlags(flags: object): DeploymentChoice {
  const given = new Map<string, unknown>(Object.entries(flags));
  const raw: Record<string, unknown> = { engine: {} };
  for (const f of CHOICE_FLAGS) {
    const value = given.get(f.name);
    if (value !== undefined) setAt(raw, f.path, readFlagValue(f, value));
  }
  return checkInput(DeploymentChoiceSchema, raw, 'invalid deployment', flagOfPath);
}

/** A string as the flag's type ("8" → 8, "false" → false); anything else unchanged, for the schema to judge. */
export function readFlagValue(f: ChoiceFlag, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (f.kind === 'number') {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? n : value;
  }
  if (f.kind === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function flagOfPath(path: readonly PropertyKey[]): string {
  const key = path.map(String).join('.');
  const f = CHOICE_FLAGS.find((c) => c.path.join('.') === key);
  return f ? `--${f.name}` : key;
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = target;
  for (const key of path.slice(0, -1)) {
    const next = cur[key];
    const child: Record<string, unknown> = isRecord(next) ? next : {};
    cur[key] = child;
    cur = child;
  }
  cur[path[path.length - 1]!] = value;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every registered leaf of an object schema, depth first in declaration order. */
function flagsOf(schema: z.ZodObject, path: readonly string[]): ChoiceFlag[] {
  const out: ChoiceFlag[] = [];
  for (const [key, field] of Object.entries(schema.shape)) {
    const inner = unwrap(field);
    if (inner instanceof z.ZodObject) {
      out.push(...flagsOf(inner, [...path, key]));
      continue;
    }
    const meta = FLAG_META.get(field);
    if (!meta) continue;
    const name = meta.name ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const kind = inner instanceof z.ZodNumber ? 'number' : inner instanceof z.ZodBoolean ? 'boolean' : 'string';
    const choices = inner instanceof z.ZodEnum ? inner.options.map(String) : undefined;
    const shown = meta.defaultText ?? engineDefaultText(path, key);
    const noFlag = kind === 'boolean' && shown?.includes('on') ? `; --no-${name}` : '';
    const describe = `${meta.describe}${shown !== undefined ? ` (default: ${shown}${noFlag})` : ''}`;
    out.push({ name, path: [...path, key], kind, choices, describe });
  }
  return out;
}

function unwrap(field: z.core.$ZodType): z.core.$ZodType {
  let cur = field;
  while (cur instanceof z.ZodOptional || cur instanceof z.ZodDefault) cur = cur.unwrap();
  return cur;
}

/** "16", or per family when they differ: "on for vllm and sglang, off for trtllm" (from engines.ts). */
function engineDefaultText(path: readonly string[], key: string): string | undefined {
  if (path.join('.') !== 'engine' || !isEngineDefaultKey(key)) return undefined;
  const words = (v: number | boolean) => (typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v));
  const byValue = new Map<string, string[]>();
  for (const family of ENGINE_FAMILIES) {
    const w = words(ENGINE_DEFAULTS[family].deployment[key]);
    byValue.set(w, [...(byValue.get(w) ?? []), family]);
  }
  if (byValue.size === 1) return [...byValue.keys()][0];
  return [...byValue].map(([w, families]) => `${w} for ${families.join(' and ')}`).join(', ');
}

function isEngineDefaultKey(key: string): key is keyof EngineDefaults {
  return key in ENGINE_DEFAULTS.vllm.deployment;
}
