/**
 * Units, decided once for the whole code base.
 *
 * Inside servesim every quantity is a plain `number` in SI base units, and its name says which:
 *   - time ............ seconds        (`...S`, e.g. `stepTimeS`, `ttftS`)
 *   - memory .......... bytes          (`...Bytes`)
 *   - bandwidth ....... bytes / second (`...BytesPerS`)
 *   - compute ......... FLOP           (`...Flops`), FLOP / second (`...FlopsPerS`)
 *   - rates ........... per second     (`requestsPerS`, `tokensPerS`)
 * Profile files use the units of the datasheets they cite (TB/s, TFLOP/s, GB or GiB, µs); the loaders in
 * `src/profiles/` convert to SI exactly once. Reports and JSON output give latencies in milliseconds with
 * an `Ms` suffix; the conversion happens only in `metrics/` and `report/`.
 */

export const KB = 1e3;
export const MB = 1e6;
export const GB = 1e9;
export const TB = 1e12;
export const KiB = 1024;
export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;

export const TERA = 1e12;
export const GIGA = 1e9;

export const MS_PER_S = 1e3;
export const US_PER_S = 1e6;

export const msToS = (ms: number): number => ms / MS_PER_S;
export const sToMs = (s: number): number => s * MS_PER_S;
export const usToS = (us: number): number => us / US_PER_S;
export const sToUs = (s: number): number => s * US_PER_S;
export const bytesToGiB = (bytes: number): number => bytes / GiB;
export const bytesToGB = (bytes: number): number => bytes / GB;

/** Memory capacity as a datasheet states it: vendors say "GB"; some tools encode GiB. */
export type CapacityUnit = 'GB' | 'GiB';
export const capacityToBytes = (value: number, unit: CapacityUnit): number =>
  unit === 'GB' ? value * GB : value * GiB;
