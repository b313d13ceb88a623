import { InputError } from '../diagnostics/errors.ts';
import { simulate, type SimulationConfig, type SimulationResult, type Workload } from '../simulate.ts';

/**
 * GuideLLM's `sweep` profile (guidellm-format.md §2.6): a synchronous run gives sync_rps, a throughput
 * run gives thr_rps, then sweep_size − 2 constant-rate (or Poisson) runs at
 * linspace(sync_rps, thr_rps, sweep_size − 1)[1:]. Returns every run in that order.
 */
/** most runs in one sweep: each is a full simulation, and GuideLLM's default is 10 */
export const MAX_SWEEP_SIZE = 100;

export function simulateGuidellmSweep(
  base: Omit<SimulationConfig, 'workload'>,
  workload: Omit<Workload, 'arrival'>,
  sweepSize = 10,
  strategy: 'constant' | 'poisson' = 'constant',
): SimulationResult[] {
  // a synchronous and a throughput run are the least a sweep is made of
  if (!(Number.isInteger(sweepSize) && sweepSize >= 2)) throw new InputError(`sweep size must be a whole number >= 2 (a synchronous and a throughput run), found ${sweepSize}`);
  if (!(sweepSize <= MAX_SWEEP_SIZE))
    throw new InputError(
      `sweep size (--sweep-size) must be at most ${MAX_SWEEP_SIZE} runs, found ${sweepSize}: every run is a full simulation; ` +
        `for a finer grid over a narrower range pass explicit rates (--rate R1 R2 ...)`,
    );
  if (strategy !== 'constant' && strategy !== 'poisson') throw new InputError(`sweep strategy must be constant or poisson, found ${String(strategy)}`);
  const run = (arrival: Workload['arrival']) => simulate({ ...base, workload: { ...workload, arrival } });
  const sync = run({ kind: 'synchronous' });
  const thr = run({ kind: 'throughput' });
  const results = [sync, thr];
  const lo = sync.throughput.requestsPerS;
  const hi = thr.throughput.requestsPerS;
  for (const ratePerS of sweepRates(lo, hi, sweepSize)) results.push(run({ kind: strategy, ratePerS }));
  return results;
}

/** linspace(lo, hi, n − 1) without its first point: the n − 2 rates of a GuideLLM sweep */
export function sweepRates(lo: number, hi: number, sweepSize: number): number[] {
  const k = sweepSize - 1;
  const rates: number[] = [];
  for (let i = 1; i < k; i++) rates.push(lo + ((hi - lo) * i) / (k - 1));
  return rates;
}
