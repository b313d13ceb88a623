import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { didYouMean, InputError } from '../diagnostics/errors.ts';

/**
 * Parse a YAML (or JSON, which is YAML) file and validate it against a zod schema. On failure, throws one
 * InputError listing every problem as `file:line:col  field.path: expected …, found …`, with a
 * did-you-mean for unknown keys. This is the single gate every user-supplied file passes through.
 */
export function readValidatedFile<S extends z.ZodType>(path: string, schema: S, what: string): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseValidated(text, path, schema, what);
}

export function parseValidated<S extends z.ZodType>(text: string, path: string, schema: S, what: string): z.infer<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((err) => {
      const pos = err.linePos?.[0];
      const where = pos ? `${path}:${pos.line}:${pos.col}` : path;
      return `${where}  YAML syntax error: ${err.message.split('\n')[0]}`;
    });
    throw new InputError(`invalid ${what}:\n${lines.join('\n')}`);
  }
  const value: unknown = doc.toJS();
  const result = schema.safeParse(value);
  if (result.success) return result.data;

  const lines = result.error.issues.map((issue) => {
    const node = nodeAt(doc.contents, issue.path);
    const offset = node?.range?.[0];
    const pos = offset !== undefined ? lineCounter.linePos(offset) : undefined;
    const where = pos ? `${path}:${pos.line}:${pos.col}` : path;
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `${where}  ${field}: ${describeIssue(issue, valueAt(value, issue.path), schema)}`;
  });
  throw new InputError(`invalid ${what}:\n${lines.join('\n')}`);
}

function describeIssue(issue: z.core.$ZodIssue, found: unknown, schema: z.ZodType): string {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = objectKeysAt(schema, issue.path);
      return issue.keys
        .map((k) => {
          const guess = didYouMean(k, allowed);
          return `unknown key "${k}"${guess ? ` (did you mean "${guess}"?)` : ''}`;
        })
        .join('; ');
    }
    case 'invalid_type':
      return `expected ${issue.expected}, found ${describeValue(found)}`;
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

interface SchemaDef {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  in?: unknown;
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
    else if (def.type === 'pipe' && def.in !== undefined) cur = def.in;
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

/** The YAML node at a field path, or the deepest existing ancestor (so a missing field points at its parent). */
function nodeAt(root: Node | null, path: readonly PropertyKey[]): Node | undefined {
  let cur: Node | null | undefined = root;
  let last: Node | undefined = root ?? undefined;
  for (const key of path) {
    if (isMap(cur)) {
      const pair: { key: unknown; value: unknown } | undefined = cur.items.find(
        (p) => (p.key as { value?: unknown } | null)?.value === key,
      );
      if (!pair) return last;
      cur = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(cur) && typeof key === 'number') {
      cur = cur.items[key] as Node | undefined;
    } else {
      return last;
    }
    if (cur) last = cur;
  }
  return last;
}
