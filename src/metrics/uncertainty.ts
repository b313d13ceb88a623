import type { Deployment } from '../cost/deployment.ts';

/**
 * How sure a prediction is: an 80% band around the mean TTFT, TPOT and E2E, from the calibration's
 * residual spread on the runs it was fitted to (its `fit.band80`), whose coverage was checked on held-out
 * runs (docs/validation.md). Only fitted calibrations carry one: a transferred or datasheet-only
 * calibration says so instead of inventing a width. The bands describe stage means under steady load;
 * applied to percentiles or to other workloads they are a guide, not a guarantee.
 */
export interface PredictionUncertainty {
  /** what the band rests on, or why there is none */
  readonly basis: string;
  /** [low, high] seconds, 80% band, per mean metric; absent without a validated band */
  readonly band80?: Readonly<Partial<Record<'ttftMeanS' | 'tpotMeanS' | 'e2eMeanS', readonly [number, number]>>>;
}

const METRIC_KEYS = { ttft: 'ttftMeanS', tpot: 'tpotMeanS', e2e: 'e2eMeanS' } as const;

export function predictionUncertainty(d: Deployment, means: Readonly<Record<'ttft' | 'tpot' | 'e2e', number>>): PredictionUncertainty {
  const c = d.calibration;
  const widths = c.band80;
  if (!widths || Object.keys(widths).length === 0) {
    const why =
      c.provenance === 'transferred'
        ? `calibration ${c.id} was transferred from another GPU: no band validated for this GPU`
        : c.provenance === 'datasheet only'
          ? `calibration ${c.id} is datasheet-only (never fitted): expect errors of 20–30% (docs/validation.md)`
          : `calibration ${c.id} carries no validated band`;
    return { basis: why };
  }
  const band80: Partial<Record<'ttftMeanS' | 'tpotMeanS' | 'e2eMeanS', readonly [number, number]>> = {};
  for (const m of ['ttft', 'tpot', 'e2e'] as const) {
    const w = widths[m];
    const v = means[m];
    if (w !== undefined && Number.isFinite(v) && v > 0) band80[METRIC_KEYS[m]] = [v * Math.exp(-w), v * Math.exp(w)];
  }
  return { basis: `80% band of calibration ${c.id} (fitted; residual spread on its fit runs, coverage checked on held-out runs)`, band80 };
}
