import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Units, decided once for the whole code base.
 *
 * Inside servesim every quantity is a plain `number` in SI base units, and its name says which:
 *   - time ............ seconds        (`...S`, e.g. `stepTimeS`, `ttftS`)
 *   - memory .......... bytes          (`...Bytes`)
 *   - bandwidth ....... bytes / second (`...BytesPerS`)
 *   - compute ......... FLOP           (`...Flops`), FLOP / second (`...FlopsPerS`)
 *   - rates ........... per second     (`requestsPerS`, `tokensPerS`)
 * Profile files use the units of the datasheets they cite (TB/s, TFLOP/s, GB or GiB, µs) and may also write
 * a quantity with its unit ("3.35 TB/s", "80 GiB", "989 TFLOPS", "16 us"): `parseQuantity` checks its
 * dimension and converts it to the field's unit once, at loading. Reports and JSON output give latencies in
 * milliseconds with an `Ms` suffix; the conversion happens only in `metrics/` and `report/`.
 */

export const GB = 1e9;
export const TB = 1e12;
export const TERA = 1e12;
export const MiB = 1024 ** 2;
export const GiB = 1024 ** 3;

export const usToS = (us: number): number => us / 1e6;

/** Memory capacity as a datasheet states it: vendors say "GB"; some tools encode GiB. */
export type CapacityUnit = 'GB' | 'GiB';
export const capacityToBytes = (value: number, unit: CapacityUnit): number => (unit === 'GB' ? value * GB : value * GiB);

/** The dimensions a quantity may have, each with an example for error messages. */
export const QUANTITY_KINDS = {
  bandwidth: { base: 'B/s', example: 'a rate such as 3.35 TB/s' },
  memory: { base: 'B', example: 'a size such as 80 GiB' },
  compute: { base: 'FLOPS', example: 'a compute rate such as 989 TFLOPS' },
  time: { base: 's', example: 'a duration such as 200ms or 0.2 s' },
} as const;
export type QuantityKind = keyof typeof QUANTITY_KINDS;

export type QuantityResult = { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

const QUANTITY = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*([^\s\d].*?)?\s*$/i;

/**
 * `text` ("3.35 TB/s", "200ms") in `unit` (a unit of `kind`, e.g. "TB/s"), or why not. A bare number is in
 * `unit` already; a number written in `unit` itself is taken as written (no conversion, no rounding).
 */
export function parseQuantity(text: string, kind: QuantityKind, unit: string): QuantityResult {
  const m = QUANTITY.exec(text);
  const fail = (): QuantityResult => ({ ok: false, message: `expected ${QUANTITY_KINDS[kind].example}, found "${text}"` });
  if (!m) return fail();
  const written = Number(m[1]);
  const given = normaliseUnit(m[2] ?? '');
  if (!Number.isFinite(written)) return fail();
  if (given === '' || given === normaliseUnit(unit)) return { ok: true, value: written };
  const units = unitMath();
  try {
    const q = units.unit(`${m[1]} ${given}`);
    if (!q.equalBase(units.unit(QUANTITY_KINDS[kind].base))) return fail();
    return { ok: true, value: q.toNumber(normaliseUnit(unit)) };
  } catch {
    return fail();
  }
}

/** "µs" → "us" (mathjs spells micro "u"); "TFLOP/s" and "TFLOPS" alike; blanks dropped. */
function normaliseUnit(u: string): string {
  return u.replace(/[µμ]/g, 'u').replace(/\s+/g, '').replace(/FLOP\/s$/i, 'FLOPS').replace(/OP\/s$/i, 'OPS');
}

type MathJs = typeof import('mathjs');
type UnitMath = Pick<MathJs, 'unit' | 'createUnit'>;
let cachedUnitMath: UnitMath | undefined;

/**
 * A units-only mathjs instance, loaded on the first quantity with a unit, so plain-number profiles and
 * `--version` never pay for it. mathjs' main entry builds every function it has (seconds on a busy machine);
 * the unit factories alone load in a fraction of that, so they are required by file, with the main entry as
 * the fallback should a mathjs release move them.
 */
function unitMath(): UnitMath {
  if (cachedUnitMath) return cachedUnitMath;
  const factories = unitFactories();
  const math = factories.create({ unitDependencies: factories.unitDependencies, createUnitDependencies: factories.createUnitDependencies });
  math.createUnit('FLOPS', { prefixes: 'short' });
  // TOPS (integer tensor ops) share the FLOP/s dimension: datasheets quote int8 throughput in TOPS
  math.createUnit('OPS', { definition: '1 FLOPS', prefixes: 'short' });
  cachedUnitMath = math;
  return math;
}

interface UnitFactories {
  readonly create: MathJs['create'];
  readonly unitDependencies: NonNullable<MathJs['unitDependencies']>;
  readonly createUnitDependencies: NonNullable<MathJs['createUnitDependencies']>;
}

function unitFactories(): UnitFactories {
  const require = createRequire(import.meta.url);
  const cjs = dirname(require.resolve('mathjs'));
  try {
    const core: Pick<MathJs, 'create'> = require(join(cjs, 'core/create.js'));
    const unit: Pick<MathJs, 'unitDependencies'> = require(join(cjs, 'entry/dependenciesAny/dependenciesUnitFunction.generated.js'));
    const createUnit: Pick<MathJs, 'createUnitDependencies'> = require(join(cjs, 'entry/dependenciesAny/dependenciesCreateUnit.generated.js'));
    if (unit.unitDependencies && createUnit.createUnitDependencies)
      return { create: core.create, unitDependencies: unit.unitDependencies, createUnitDependencies: createUnit.createUnitDependencies };
  } catch {
    // fall through to the main entry
  }
  const full: MathJs = require('mathjs');
  if (!full.unitDependencies || !full.createUnitDependencies) throw new Error('mathjs: unit factories missing');
  return { create: full.create, unitDependencies: full.unitDependencies, createUnitDependencies: full.createUnitDependencies };
}
