/**
 * Choosing the API frontend's two parameters (src/serving/frontend.ts) for sweeps whose TTFT holds it:
 * frontend_workers on a grid (a count has no gradient), frontend_prompt_token_us by golden section at each
 * count, on the median APE of TTFT (central statistic and p99 alike: the queue shows in the tail). The rest
 * of the calibration is kept. Used by scripts/frontend-fit.ts and the InferenceX fits of scripts/loso.ts.
 */
import { transferByRule } from '../src/calibration/choose.ts';
import type { ProfileRegistry } from '../src/profiles/registry.ts';
import type { CalibrationValues } from '../src/schema/calibration.ts';
import { median } from '../src/calibration/summary.ts';
import { figureApe, type Sweep } from './loso-sweeps.ts';

/** sources whose measured TTFT holds a frontend delay (docs/validation-loso.md, "Why targets are missed") */
export const FRONTEND_SOURCES: ReadonlySet<string> = new Set(['inferencex']);
export const FRONTEND_WORKERS = [1, 2, 3, 4, 5, 6, 8, 12, 16, 32, 64] as const;
const MAX_TOKEN_US = 1000;
const GOLDEN_STEPS = 14;

export interface FrontendFit {
  readonly workers: number;
  readonly tokenUs: number;
  /** the objective at the choice: mean of the TTFT central and p99 median APE, % */
  readonly objective: number;
}


/** mean of the central-TTFT and p99-TTFT median APE over the sweeps' figures (the p99 term only where measured) */
export function ttftObjective(sweeps: readonly Sweep[], values: CalibrationValues): number {
  const central: number[] = [];
  const tail: number[] = [];
  for (const s of sweeps) {
    const f = s.predict(values);
    if (typeof f === 'string') continue;
    for (const x of f) {
      if (x.metric !== 'ttft') continue;
      if (x.statistic === 'p99') tail.push(figureApe(x));
      else if (x.statistic === 'median' || x.statistic === 'mean') central.push(figureApe(x));
    }
  }
  return tail.length > 0 ? (median(central) + median(tail)) / 2 : median(central);
}

export const withFrontend = (values: CalibrationValues, fit: Pick<FrontendFit, 'workers' | 'tokenUs'>): CalibrationValues => ({
  ...values,
  frontend_workers: fit.workers,
  frontend_prompt_token_us: fit.tokenUs,
});
export const withoutFrontend = (values: CalibrationValues): CalibrationValues => withFrontend(values, { workers: 1, tokenUs: 0 });

/**
 * A fit of sweep(s) on `donorHardware`, as it applies to sweep `t`: itself on that GPU, moved by the transfer
 * rule elsewhere. A fitted API frontend is how one client's prompts tokenise on one model: it goes only to
 * sweeps of the donor's source and model (without a donor sweep, it goes along).
 */
export function fitAppliedTo(fit: CalibrationValues, donorHardware: string, t: Sweep, registry: ProfileRegistry, donor?: Pick<Sweep, 'source' | 'modelId'>): CalibrationValues {
  const own = donor === undefined || (donor.source === t.source && donor.modelId === t.modelId) ? fit : withoutFrontend(fit);
  if (t.hardwareId === donorHardware) return own;
  return transferByRule({ id: 'donor', hardware: donorHardware, engine: t.engine, description: 'donor', values: own, sources: [] }, registry.getHardware(t.hardwareId), t.engine).values;
}

export function fitFrontend(sweeps: readonly Sweep[], base: CalibrationValues, onCount?: (fit: FrontendFit) => void): FrontendFit {
  let best: FrontendFit = { workers: 1, tokenUs: 0, objective: ttftObjective(sweeps, withoutFrontend(base)) };
  for (const workers of FRONTEND_WORKERS) {
    const f = (tokenUs: number) => ttftObjective(sweeps, withFrontend(base, { workers, tokenUs }));
    const g = (Math.sqrt(5) - 1) / 2;
    let [a, b] = [0, MAX_TOKEN_US];
    let [c, d] = [b - g * (b - a), a + g * (b - a)];
    let [fc, fd] = [f(c), f(d)];
    for (let i = 0; i < GOLDEN_STEPS; i++) {
      if (fc < fd) {
        [b, d, fd] = [d, c, fc];
        c = b - g * (b - a);
        fc = f(c);
      } else {
        [a, c, fc] = [c, d, fd];
        d = a + g * (b - a);
        fd = f(d);
      }
    }
    const tokenUs = Math.round((a + b) / 2);
    const at: FrontendFit = { workers, tokenUs, objective: f(tokenUs) };
    onCount?.(at);
    if (at.objective < best.objective) best = at;
  }
  return best;
}
