/**
 * Terminal colour for the human-readable output. Decided per stream and per call (not once at import, as
 * picocolors does), so a redirected stdout stays plain while stderr on a terminal is coloured:
 * NO_COLOR (non-empty) turns it off, FORCE_COLOR (non-empty, as picocolors reads it) turns it on, otherwise
 * only a TTY that is not TERM=dumb gets colour. Unlike picocolors, CI=1 alone does not: CI logs are files.
 * Colour is applied to finished text at the write, so formatters, tables, JSON and files never carry it.
 */
import pc from 'picocolors';

type Env = Readonly<Record<string, string | undefined>>;

export function colorEnabled(stream: { readonly isTTY?: boolean | undefined }, env: Env = process.env): boolean {
  if (env['NO_COLOR']) return false;
  if (env['FORCE_COLOR']) return true;
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

type Colors = ReturnType<typeof pc.createColors>;

// verdict words, marks and message prefixes; matched on whole words so "unstable" or ids are left alone
const RULES: ReadonlyArray<readonly [RegExp, (c: Colors, s: string) => string]> = [
  [/^(warning:|INFEASIBLE:|servesim:)/, (c, s) => c.bold(s.startsWith('warning') ? c.yellow(s) : c.red(s))],
  [/^(note:|uncertainty:)/, (c, s) => c.cyan(s)],
  [/✗( NOT verified)?/g, (c, s) => c.red(s)],
  [/✓/g, (c, s) => c.green(s)],
  [/★/g, (c, s) => c.yellow(s)],
  [/(?<![\w-])(backlogged|saturated|infeasible)(?![\w-])/g, (c, s) => c.red(s)],
  [/(?<![\w-])(stable|verified:)(?![\w-])/g, (c, s) => c.green(s)],
  [/^(plan|compare|sweep|explain|calibrate|validate|decision):/, (c, s) => c.bold(s)],
];

/** `text` with colours for a terminal (unchanged when `enabled` is false). */
export function paint(text: string, enabled: boolean): string {
  if (!enabled) return text;
  const c = pc.createColors(true);
  return text
    .split('\n')
    .map((line) => RULES.reduce((l, [re, f]) => l.replace(re, (m) => f(c, m)), line))
    .join('\n');
}
