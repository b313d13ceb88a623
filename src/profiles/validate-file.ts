import { readTextFile } from '../io/read-text.ts';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { z } from 'zod';
import { didYouMean, InputError } from '../diagnostics/errors.ts';
import { describeIssue, objectKeysAt } from '../schema/issues.ts';

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
