/**
 * Cost of a candidate at the target, applied after evaluation (records are price-free): $/hour of the fleet
 * sized for the peak, and — with a rate curve — the day's cost when the fleet follows the curve (each slice
 * of the day runs the replicas its rate needs at the verified per-replica capacity, never more than the peak
 * fleet), whose hourly average is the cost the front compares.
 */
import { existsSync } from 'node:fs';
import { InputError } from '../../diagnostics/errors.ts';
import { readTextFile } from '../../io/read-text.ts';
import { commaList } from '../comma-list.ts';

/** Request rates over one day in equal slices (24 values = hourly). */
export interface RateCurve {
  readonly ratesPerS: readonly number[];
  readonly source: string;
}

/**
 * `--rate-curve 10,8,...,50` (equal slices of a day) or a file: one rate per line, or CSV whose last column
 * is the rate (a header line is skipped).
 */
export function parseRateCurve(spec: string): RateCurve {
  const text = spec.trim();
  const fromFile = existsSync(text);
  const items = fromFile
    ? readTextFile(text, '--rate-curve file')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => l.split(',').at(-1)!.trim())
        .filter((v, i) => i > 0 || /^[0-9.]/.test(v))
    : commaList(text);
  const rates = items.map(Number);
  const bad = items.findIndex((v, i) => !(Number.isFinite(rates[i]) && rates[i]! >= 0 && v !== ''));
  if (bad >= 0) throw new InputError(`--rate-curve${fromFile ? ` ${text}` : ''}: value ${bad + 1} "${items[bad]}" is not a rate (requests/s >= 0)`);
  if (rates.length < 2) throw new InputError('--rate-curve: give at least two rates (equal slices of a day, e.g. 24 hourly rates), or a file of them');
  if (!rates.some((r) => r > 0)) throw new InputError('--rate-curve: every rate is 0; the peak must be positive');
  return { ratesPerS: rates, source: fromFile ? text : 'inline' };
}

export function peakOf(curve: RateCurve): number {
  return Math.max(...curve.ratesPerS);
}

/** Replicas a slice at `ratePerS` needs (0 when idle), capped by the verified peak fleet. */
export function sliceReplicas(ratePerS: number, headroom: number, perReplicaRatePerS: number, peakReplicas: number): number {
  if (ratePerS <= 0) return 0;
  return Math.min(peakReplicas, Math.max(1, Math.ceil((ratePerS * (1 + headroom)) / perReplicaRatePerS - 1e-9)));
}

/** Average GPUs over the day when the fleet follows the curve. */
export function dayAverageGpus(curve: RateCurve, headroom: number, perReplicaRatePerS: number, peakReplicas: number, gpusPerReplica: number): number {
  const total = curve.ratesPerS.reduce((s, r) => s + sliceReplicas(r, headroom, perReplicaRatePerS, peakReplicas), 0);
  return (total / curve.ratesPerS.length) * gpusPerReplica;
}

export interface FleetCost {
  /** GPUs of the fleet sized for the peak */
  readonly gpus: number;
  /** GPUs on average over the day (= gpus without a curve) */
  readonly averageGpus: number;
  readonly usdPerHour: number | undefined;
  /** the day's cost following the curve (undefined without a curve or a price) */
  readonly usdPerDay: number | undefined;
  /** what the front compares: average $/hour over the day, or $/hour at the peak without a curve */
  readonly frontUsdPerHour: number | undefined;
}

export function fleetCost(
  replicas: number,
  gpusPerReplica: number,
  perReplicaRatePerS: number,
  headroom: number,
  usdPerGpuHour: number | undefined,
  curve: RateCurve | undefined,
): FleetCost {
  const gpus = replicas * gpusPerReplica;
  const averageGpus = curve ? dayAverageGpus(curve, headroom, perReplicaRatePerS, replicas, gpusPerReplica) : gpus;
  const price = usdPerGpuHour;
  return {
    gpus,
    averageGpus,
    usdPerHour: price !== undefined ? gpus * price : undefined,
    usdPerDay: price !== undefined && curve ? averageGpus * price * 24 : undefined,
    frontUsdPerHour: price !== undefined ? averageGpus * price : undefined,
  };
}
