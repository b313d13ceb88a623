/**
 * A flag value as a list of items: "a,b" or ["a,b", "c"] (repeated flags) → ["a", "b", "c"], trimmed,
 * empty items dropped; undefined and null give []. Every comma-separated planning flag reads through it.
 */
export function commaList(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value])
    .flatMap((s: unknown) => (s === undefined || s === null ? [] : String(s).split(',')))
    .map((s) => s.trim())
    .filter(Boolean);
}
