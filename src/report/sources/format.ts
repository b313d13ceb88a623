/** Display helpers shared by the report sources: rounding, '—' for missing values, money, shares. */

export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const f1 = (x: number | undefined | null): string | number => (x === undefined || x === null || !Number.isFinite(x) ? '—' : roundTo(x, 1));
export const f2 = (x: number | undefined | null): string | number => (x === undefined || x === null || !Number.isFinite(x) ? '—' : roundTo(x, 2));
export const usd = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : `$${x.toFixed(2)}`);
export const pct = (x: number | undefined | null): string => (x === undefined || x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(1)}%`);
export const base = (file: string): string => file.split(/[\\/]/).pop() ?? file;
