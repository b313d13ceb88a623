import type { z } from 'zod';
import { didYouMean, InputError } from '../diagnostics/errors.ts';

/**
 * zod issues in words: "expected >= 1, found 0", with did-you-mean hints for misspelt keys. Shared by the
 * file validator (profiles/validate-file.ts, which adds file:line:col) and by `checkInput`, which checks
 * values given in code or on the command line against the same schemas.
 */

/** Validate `value` against `schema`; on failure one InputError naming each field (via `field`). */
export function checkInput<S extends z.ZodType>(schema: S, value: unknown, what: string, field: (path: readonly PropertyKey[]) => string = defaultField): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.slice(0, 100).map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const allowed = objectKeysAt(schema, issue.path);
      return issue.keys
        .map((k) => {
          const guess = didYouMean(k, allowed);
          return `${field([...issue.path, k])}: unknown field "${k}"${guess ? ` (did you mean "${guess}"?)` : ''}; allowed: ${allowed.join(', ')}`;
        })
        .join('\n');
    }
    return `${field(issue.path)}: ${describeIssue(issue, value, schema)}`;
  });
  throw new InputError(lines.length === 1 ? `${what}: ${lines[0]!}` : `${what}:\n  ${lines.join('\n  ')}`);
}

function defaultField(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join('.') : '(the whole value)';
}

export function describeIssue(issue: z.core.$ZodIssue, root: unknown, schema: z.ZodType): string {
  const found = valueAt(root, issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected === 'record' || issue.expected === 'object' ? 'a mapping of key: value' : issue.expected === 'int' ? 'a whole number' : issue.expected;
      if (found === undefined) return `expected ${expected}, found nothing (field missing)${typoHint(issue.path, root, schema)}`;
      const unitHint =
        issue.expected === 'number' && typeof found === 'string' && /^\s*[-+]?[\d.]+(e[-+]?\d+)?\s*[^\d\s.]/i.test(found)
          ? ' (write the number alone: the unit is part of the field name)'
          : '';
      return `expected ${expected}, found ${describeValue(found)}${unitHint}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, found ${describeValue(found)}`;
    case 'too_small':
      return `expected ${issue.inclusive === false ? '>' : '>='} ${String(issue.minimum)}, found ${describeValue(found)}`;
    case 'too_big':
      return `expected ${issue.inclusive === false ? '<' : '<='} ${String(issue.maximum)}, found ${describeValue(found)}`;
    default:
      return `${issue.message}${found !== undefined && issue.code !== 'custom' ? `, found ${describeValue(found)}` : ''}`;
  }
}

/** For a missing field: name a sibling unknown key that looks like a misspelling of it. */
function typoHint(path: readonly PropertyKey[], root: unknown, schema: z.ZodType): string {
  const missing = path[path.length - 1];
  if (typeof missing !== 'string') return '';
  const parentPath = path.slice(0, -1);
  const parent = valueAt(root, parentPath);
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) return '';
  const allowed = new Set(objectKeysAt(schema, parentPath));
  const typos = Object.keys(parent).filter((k) => !allowed.has(k) && didYouMean(k, [missing]) !== undefined);
  return typos.length > 0 ? `; "${typos[0]!}" looks like a misspelling of "${missing}"` : '';
}

interface SchemaDef {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  in?: unknown;
  out?: unknown;
  valueType?: unknown;
}

/** The keys an object schema allows at a field path: walks through optional/default/array/pipe wrappers. */
export function objectKeysAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let cur = unwrap(schema);
  for (const key of path) {
    const def = defOf(cur);
    if (!def) return [];
    if (def.type === 'object' && def.shape) cur = unwrap(def.shape[String(key)]);
    else if (def.type === 'array') cur = unwrap(def.element);
    else if (def.type === 'record') cur = unwrap(def.valueType);
    else return [];
  }
  const def = defOf(cur);
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

function defOf(s: unknown): SchemaDef | undefined {
  return (s as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}

function unwrap(s: unknown): unknown {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const def = defOf(cur);
    if (!def) return cur;
    if (def.innerType !== undefined) cur = def.innerType;
    // a preprocessed field (a quantity with its unit) keeps its shape on the out side of the pipe
    else if (def.type === 'pipe' && def.in !== undefined) cur = defOf(def.in)?.type === 'transform' ? def.out : def.in;
    else return cur;
  }
  return cur;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (field missing)';
  if (v === null) return 'null';
  if (typeof v === 'string') return `"${v}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return 'an object';
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let cur = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

