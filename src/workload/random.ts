import seedrandom from 'seedrandom';

/**
 * Seeded random streams. Every random draw in a simulation comes from an Rng built here from the run's
 * seed and a stream name, so adding a new random quantity never shifts the draws of another.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
}

export function createRng(seed: string | number, stream: string): Rng {
  const prng = seedrandom(`${seed}/${stream}`);
  return { next: () => prng.double() };
}

export function exponential(rng: Rng, rate: number): number {
  return -Math.log(1 - rng.next()) / rate;
}

/** standard normal by Box–Muller (one value per call; simplicity over speed) */
export function standardNormal(rng: Rng): number {
  let u = rng.next();
  while (u <= 0) u = rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, scale) by Marsaglia–Tsang; shape < 1 via the boost Gamma(a+1)·U^(1/a) */
export function gamma(rng: Rng, shape: number, scale: number): number {
  if (shape < 1) {
    let u = rng.next();
    while (u <= 0) u = rng.next();
    return gamma(rng, shape + 1, scale) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
  }
}
