import { readTextFile } from '../io/read-text.ts';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { didYouMean, InputError } from '../diagnostics/errors.ts';

/**
 * Parse a YAML (or JSON, which is YAML) file and validate it against a zod schema. On failure, throws one
 * InputError listing every problem as `file:line:col  field.path: expected …, found …`, with a
 * did-you-mean for unknown keys. This is the single gate every user-supplied file passes through.
 */
export function readValidatedFile<S extends z.ZodType>(path: string, schema: S, what: string): z.infer<S> {
  return parseValidated(readTextFile(path, what, PROFILE_MAX_BYTES), path, schema, what);
}

/** Shipped profiles are a few KB; a megabyte is a generous ceiling that keeps a broken file from costing minutes. */
export const PROFILE_MAX_BYTES = 1 << 20;
/** Problems listed per file: past this, more lines help no one. */
export const MAX_REPORTED_ISSUES = 100;

export function parseValidated<S extends z.ZodType>(text: string, path: string, schema: S, what: string): z.infer<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((err) => {
      const pos = err.linePos?.[0];
      const where = pos ? `${path}:${pos.line}:${pos.col}` : path;
      const first = (err.message.split('\n')[0] ?? '').replace(/\s*at line \d+, column \d+:?\s*$/, '');
      return `${where}  YAML syntax error: ${first}`;
    });
    throw new InputError(`invalid ${what}:\n${lines.join('\n')}`);
  }
  let value: unknown;
  try {
    // the yaml package refuses documents whose aliases would expand excessively (a "billion laughs" bomb)
    value = doc.toJS();
  } catch (e) {
    throw new InputError(`invalid ${what}:\n${path}  ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;

  const located: { line: number; col: number; text: string }[] = [];
  const issues = result.error.issues;
  for (const issue of issues.slice(0, MAX_REPORTED_ISSUES)) {
    if (issue.code === 'unrecognized_keys') {
      // one line per unknown key, pointing at the key itself
      const allowed = objectKeysAt(schema, issue.path);
      for (const key of issue.keys) {
        const keyNode = keyNodeAt(doc.contents, [...issue.path, key]);
        const guess = didYouMean(key, allowed);
        const field = [...issue.path, key].join('.');
        located.push(
          at(keyNode, `${field}: unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}; allowed here: ${allowed.join(', ')}`),
        );
      }
      continue;
    }
    const node = nodeAt(doc.contents, issue.path);
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    located.push(at(node, `${field}: ${describeIssue(issue, value, schema)}`));
  }
  located.sort((a, b) => a.line - b.line || a.col - b.col);
  const lines = located.slice(0, MAX_REPORTED_ISSUES).map((l) => (l.line > 0 ? `${path}:${l.line}:${l.col}  ${l.text}` : `${path}  ${l.text}`));
  const more = Math.max(0, located.length - lines.length) + Math.max(0, issues.length - MAX_REPORTED_ISSUES);
  if (more > 0) lines.push(`${path}  … and ${more} more problems (the first ${MAX_REPORTED_ISSUES} are listed)`);
  throw new InputError(`invalid ${what}:\n${lines.join('\n')}`);

  function at(node: Node | undefined, text: string): { line: number; col: number; text: string } {
    const offset = node?.range?.[0];
    const pos = offset !== undefined ? lineCounter.linePos(offset) : undefined;
    return { line: pos?.line ?? 0, col: pos?.col ?? 0, text };
  }
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown, schema: z.ZodType): string {
  const found = valueAt(root, issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      if (found === undefined) return `expected ${issue.expected}, found nothing (field missing)${typoHint(issue.path, root, schema)}`;
      const unitHint =
        issue.expected === 'number' && typeof found === 'string' && /^\s*[-+]?[\d.]+(e[-+]?\d+)?\s*[^\d\s.]/i.test(found)
          ? ' (write the number alone: the unit is part of the field name)'
          : '';
      const expected = issue.expected === 'record' || issue.expected === 'object' ? 'a mapping of key: value' : issue.expected;
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

/**
 * The YAML node at a field path. When the path ends in a missing field, the key of the deepest existing
 * ancestor (so "memory.type missing" points at the `memory:` line), or the document itself at top level.
 */
function nodeAt(root: Node | null, path: readonly PropertyKey[]): Node | undefined {
  let cur: Node | null | undefined = root;
  let lastKey: Node | undefined = undefined;
  for (const key of path) {
    if (isMap(cur)) {
      const pair: { key: unknown; value: unknown } | undefined = cur.items.find(
        (p) => (p.key as { value?: unknown } | null)?.value === key,
      );
      if (!pair) return lastKey ?? root ?? undefined;
      lastKey = pair.key as Node;
      cur = (pair.value as Node | null) ?? lastKey;
    } else if (isSeq(cur) && typeof key === 'number') {
      const item = cur.items[key] as Node | undefined;
      if (!item) return lastKey ?? cur;
      cur = item;
    } else {
      return lastKey ?? cur ?? undefined;
    }
  }
  return cur ?? lastKey;
}

/** The key node of the last path element (for unknown keys), or the closest existing node. */
function keyNodeAt(root: Node | null, path: readonly PropertyKey[]): Node | undefined {
  const parent = nodeAt(root, path.slice(0, -1));
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last);
    if (pair) return pair.key as Node;
  }
  return parent;
}
