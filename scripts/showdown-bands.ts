/**
 * The 80% bands of a calibration fitted on blis_vllm stages (scripts/fit-vllm-v1.ts), derived by
 * src/calibration/bands.ts from leave-one-experiment-out residuals on the FIT stages (linearised with a
 * finite-difference Jacobian at the fitted values), and their coverage on the held-out eval stages, which
 * the derivation never sees.
 *
 *   npm run build && node dist/scripts/showdown-bands.js [--write]
 *
 * --write replaces only fit.band80 and fit.band80_shift in calibrations/vllm-h100-sxm.yaml (values and
 * the rest of the fit block are kept): run it after every refit of that file (fit-vllm-v1.ts calls the
 * same function when it writes).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { bandFields, type BandRow, coverageOf, deriveBands, type DerivedBand } from '../src/calibration/bands.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import type { ProfileRegistry } from '../src/profiles/registry.ts';
import { type BandMetric, CALIBRATION_PARAMETERS, type CalibrationFile, type CalibrationParameter, type CalibrationValues } from '../src/schema/calibration.ts';
import type { BlisExperiment } from './blis-runs.ts';
import { type StageWeighting, stageWeights, WEIGHTING_PHRASE } from './model-weights.ts';
import { runShowdown, type ShowdownResult, SHOWDOWN_METRICS } from './showdown.ts';

const TAIL_KEY: Readonly<Record<string, BandMetric>> = { 'ttft.p90': 'ttft_p90', 'ttft.p99': 'ttft_p99', 'e2e.p90': 'e2e_p90', 'e2e.p99': 'e2e_p99' };

/** One row per stage × statistic: the means (fitted) and the tails (predicted, not fitted). */
export function bandRowsOf(r: ShowdownResult): Omit<BandRow, 'jacobian'>[] {
  return r.pairs.flatMap((p) => [
    ...SHOWDOWN_METRICS.map((m) => ({ group: p.experiment, metric: m as BandMetric, predictedS: p.predicted[m], measuredS: p.measured[m], fitted: true })),
    ...p.tails.map((t) => ({ group: p.experiment, metric: TAIL_KEY[t.stat]!, predictedS: t.predicted, measuredS: t.measured, fitted: false })),
  ]);
}

const span = (n: CalibrationParameter) => CALIBRATION_PARAMETERS[n].max - CALIBRATION_PARAMETERS[n].min;

export interface ShowdownBandInput {
  readonly fitSet: readonly BlisExperiment[];
  readonly registry: ProfileRegistry;
  /** the calibration file as fitted (values at the solution) */
  readonly file: CalibrationFile;
  readonly parameters: readonly CalibrationParameter[];
  /** the fit's prior weight (its residual is weight × (x − x₀) / (range / 4)) */
  readonly priorWeight: number;
  /** how the fit weighed its stages (scripts/model-weights.ts; default per stage) */
  readonly weighting?: StageWeighting;
}

/**
 * Bands of a blis_vllm fit: a forward-difference Jacobian of log(predicted) at the fitted values (step 1%
 * of each parameter's range, as the fit's own gradient), then deriveBands. Costs one showdown run of the
 * fit set per fitted parameter.
 */
export function showdownBands(input: ShowdownBandInput): Partial<Record<BandMetric, DerivedBand>> {
  const { rows, priorPrecision } = showdownBandRows(input);
  return deriveBands(rows, { priorPrecision });
}

/**
 * The fit stages' rows (means and tails, grouped by experiment, with the fit's weights) and their Jacobian at
 * the fitted values, and the prior's precision: what deriveBands needs, and what a leave-one-model-out check
 * (showdown-lomo.ts) regroups.
 */
export function showdownBandRows(input: ShowdownBandInput): { rows: BandRow[]; priorPrecision: number[] } {
  const { fitSet, registry, file, parameters } = input;
  const at = (values: CalibrationValues) => {
    const r = runShowdown(fitSet, registry, [], { ...file, values });
    // every row of a stage (its means and tails) carries the stage's weight in the fit
    const w = stageWeights(r.pairs.map((p) => p.experiment), fitSet, input.weighting ?? 'stage');
    return r.pairs.flatMap((p, i) => bandRowsOf({ pairs: [p], unmapped: [] }).map((row) => ({ ...row, weight: w[i]! })));
  };
  const base = at(file.values);
  const columns = parameters.map((name) => {
    const h = 0.01 * span(name) * (file.values[name] + 0.01 * span(name) > CALIBRATION_PARAMETERS[name].max ? -1 : 1);
    const moved = at({ ...file.values, [name]: file.values[name] + h });
    if (moved.length !== base.length) throw new Error(`moving ${name} changed which stages are predicted`);
    return moved.map((r, i) => (Math.log(r.predictedS) - Math.log(base[i]!.predictedS)) / h);
  });
  const rows: BandRow[] = base.map((r, i) => ({ ...r, jacobian: columns.map((c) => c[i]!) }));
  return { rows, priorPrecision: parameters.map((n) => (input.priorWeight / (span(n) / 4)) ** 2) };
}

export function coverageLine(bands: Partial<Record<BandMetric, { shiftLog: number; halfWidthLog: number }>>, held: ShowdownResult): string {
  const cov = coverageOf(bandRowsOf(held), bands);
  return (Object.entries(cov) as [BandMetric, { inside: number; n: number }][])
    .map(([m, c]) => `${m} ${c.inside}/${c.n} (${((100 * c.inside) / c.n).toFixed(0)}%)`)
    .join(', ');
}

/** Replace the band fields of a calibration file on disk, keeping its header comment and everything else. */
export function writeBandFields(path: string, bands: Partial<Record<BandMetric, DerivedBand>>): void {
  const text = readFileSync(path, 'utf8');
  const header = text.split('\n').filter((l) => l.startsWith('#')).join('\n');
  const doc = parse(text) as CalibrationFile;
  const fields = bandFields(bands);
  const fit = { ...doc.fit!, band80: fields.band80, band80_shift: fields.band80_shift };
  writeFileSync(path, `${header}\n${stringify({ ...doc, fit })}`);
}

/**
 * The fitted parameters and prior weight, as fit-vllm-v1.ts records them in fit.method
 * ("…; a, b, c fitted, the rest datasheet defaults; prior weight 0.1"), so a refit with other parameters
 * needs no second list here.
 */
export function fitSettingsOf(file: CalibrationFile): { parameters: CalibrationParameter[]; priorWeight: number; weighting: StageWeighting } {
  const method = file.fit?.method ?? '';
  const names = /;\s*([a-z_,\s]+?)\s+fitted/.exec(method)?.[1];
  const weight = /prior weight ([0-9.]+)/.exec(method)?.[1];
  const parameters = (names ?? '').split(',').map((n) => n.trim()).filter((n): n is CalibrationParameter => n in CALIBRATION_PARAMETERS);
  if (parameters.length === 0 || weight === undefined) throw new Error(`${file.id}: fit.method does not list the fitted parameters and prior weight: "${method}"`);
  return { parameters, priorWeight: Number(weight), weighting: method.includes(WEIGHTING_PHRASE.model) ? 'model' : 'stage' };
}

const isMain = process.argv[1]?.endsWith('showdown-bands.js');
if (isMain) {
  const { loadProfiles } = await import('../src/profiles/registry.ts');
  const { readBlisExperiments } = await import('./blis-runs.ts');
  const registry = loadProfiles();
  const path = join(packageRoot(), 'calibrations', 'vllm-h100-sxm.yaml');
  const file = parse(readFileSync(path, 'utf8')) as CalibrationFile;
  const { parameters, priorWeight, weighting } = fitSettingsOf(file);
  const all = readBlisExperiments(join(packageRoot(), '..', 'shared', 'measurements', 'blis_vllm.csv')).filter((e) => e.hardwareId === file.hardware && !e.overloaded);
  const fitSet = all.filter((e) => !e.eval);
  const bands = showdownBands({ fitSet, registry, file, parameters, priorWeight, weighting });
  for (const [m, b] of Object.entries(bands))
    console.log(
      `${m.padEnd(9)} n=${b.n}\tcentre ${b.shiftLog.toFixed(4)}\thalf-width ${b.halfWidthLog.toFixed(4)} (cross-validated ${b.crossValidatedHalfWidthLog.toFixed(4)}, parameter sd ${b.parameterSdLog.toFixed(4)})`,
    );
  const inSample = bandRowsOf(runShowdown(fitSet, registry, [], file));
  const naive = deriveBands(inSample, { priorPrecision: [] });
  const held = runShowdown(all.filter((e) => e.eval), registry, [], file);
  console.log(`coverage on the held-out eval stages (${held.pairs.length}): ${coverageLine(bands, held)}`);
  console.log(`  for comparison, in-sample residual quantiles (no leave-out): ${coverageLine(naive, held)}`);
  if (process.argv.includes('--write')) {
    writeBandFields(path, bands);
    console.log(`wrote band80 and band80_shift to ${path}`);
  }
}
