/** Small value helpers the importers share: describing a found value, record checks, numbers that may be infinite, weighted statistics. */

/** A short description of a value for error messages: `string "abc"`, `number 3`, `an object`... */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return 'an object';
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A finite number, or the Python/JSON spellings of infinity → Infinity; anything else → undefined. */
export function numberOrInf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isNaN(v) ? undefined : v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'inf' || t === 'infinity' || t === '+inf') return Infinity;
    if (t !== '' && /^[-+]?\d*\.?\d+(e[-+]?\d+)?$/.test(t)) return Number(t);
  }
  return undefined;
}

/** GuideLLM percentile: the first value whose cumulative weight ≥ p (no interpolation). */
export function weightedPercentile(values: readonly number[], weights: readonly number[] | undefined, p: number): number {
  const idx = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const w = (i: number): number => (weights ? weights[i]! : 1);
  const total = idx.reduce((s, i) => s + w(i), 0);
  let acc = 0;
  for (const i of idx) {
    acc += w(i);
    if (acc / total >= p - 1e-12) return values[i]!;
  }
  return values[idx[idx.length - 1]!]!;
}

export function weightedMean(values: readonly number[], weights?: readonly number[]): number {
  let s = 0;
  let w = 0;
  values.forEach((v, i) => {
    const wi = weights ? weights[i]! : 1;
    s += v * wi;
    w += wi;
  });
  return s / w;
}
