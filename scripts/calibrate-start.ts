/**
 * Where should `servesim calibrate` start: from datasheet defaults, or from the calibration servesim already
 * uses for the GPU and engine? Measured on the sweeps of one engine family that NO shipped calibration was
 * fitted on (so the shipped start cannot have seen the sweeps it is scored on): each sweep is fitted once
 * from each start (the leave-one-sweep-out fit of scripts/loso-fit.ts, without the API-frontend search), then
 *   in-sample — the fit on its own sweep;
 *   (b)       — the fit predicting every OTHER sweep of the family, moved by the transfer rule when the GPU
 *               differs, split by same or other source.
 * Prints median and mean APE per metric and statistic for both starts, and the shipped calibration itself.
 *
 *   npm run build && node dist/scripts/calibrate-start.js [vllm-v1]     (about 1 min)
 *
 * Only vllm-v1 has such sweeps today (InferenceX on H200, the vLLM bench examples on A100-40GB); sglang's and
 * vllm-v0's shipped calibrations were fitted on halves of the same sources, so they would leak.
 */
import { join, resolve } from 'node:path';
import { chooseCalibration } from '../src/calibration/choose.ts';
import { mean, median } from '../src/calibration/summary.ts';
import { defaultCalibration } from '../src/cost/calibration-defaults.ts';
import { loadShippedCalibrations } from '../src/profiles/calibrations.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import type { CalibrationValues } from '../src/schema/calibration.ts';
import { fitAppliedTo } from './frontend-search.ts';
import { fitSweeps } from './loso-fit.ts';
import { type EngineFamilyId, ENGINE_FAMILIES, figureApe, measuredSweeps, type Sweep, type SweepFigure } from './loso-sweeps.ts';

const family = (process.argv[2] ?? 'vllm-v1') as EngineFamilyId;
if (!ENGINE_FAMILIES.includes(family)) throw new Error(`unknown engine family ${family}: one of ${ENGINE_FAMILIES.join(', ')}`);
if (family !== 'vllm-v1') console.warn(`warning: ${family}'s shipped calibrations were fitted on halves of these sources; the shipped start has seen them`);

const registry = loadProfiles();
const shipped = loadShippedCalibrations();
const shared = resolve(packageRoot(), '..', 'shared');
const datasheet = (s: Sweep) => defaultCalibration(registry.getHardware(s.hardwareId), s.engine);
const shippedFor = (s: Sweep) => chooseCalibration(registry.getHardware(s.hardwareId), s.engine, shipped, undefined, s.engineVersion);

// measuredSweeps leaves blis_vllm out (the shipped vLLM V1 fit's data): the other sources of the family
const sweeps = measuredSweeps(join(shared, 'measurements'), join(shared, 'examples'), registry).filter(
  (s) => s.family === family && typeof s.predict(datasheet(s)) !== 'string',
);
const STARTS = { datasheet, shipped: (s: Sweep) => shippedFor(s).values } as const;
type Start = keyof typeof STARTS;
const fits = new Map<string, CalibrationValues>();
for (const s of sweeps) for (const start of Object.keys(STARTS) as Start[]) fits.set(`${start}|${s.id}`, fitSweeps([s], STARTS[start](s), family).values);

const apes = new Map<string, number[]>();
const add = (row: string, figures: readonly SweepFigure[] | string) => {
  if (typeof figures === 'string') return;
  for (const f of figures) {
    const key = `${row}|${f.metric} ${f.statistic}`;
    apes.set(key, [...(apes.get(key) ?? []), figureApe(f)]);
  }
};
for (const s of sweeps) {
  add('shipped calibration, no fit', s.predict(shippedFor(s).values));
  for (const start of Object.keys(STARTS) as Start[]) add(`in-sample, ${start} start`, s.predict(fits.get(`${start}|${s.id}`)!));
}
for (const d of sweeps)
  for (const t of sweeps) {
    if (d === t) continue;
    for (const start of Object.keys(STARTS) as Start[]) add(`(b) ${d.source === t.source ? 'same' : 'other'} source, ${start} start`, t.predict(fitAppliedTo(fits.get(`${start}|${d.id}`)!, d.hardwareId, t, registry, d)));
  }

console.log(`${family}: ${sweeps.length} sweeps no shipped calibration was fitted on (${[...new Set(sweeps.map((s) => `${s.source} ${s.hardwareId}`))].join(', ')})`);
console.log('median APE % [mean] (figures)');
const metrics = [...new Set([...apes.keys()].map((k) => k.split('|')[1]!))].sort();
const rows = [...new Set([...apes.keys()].map((k) => k.split('|')[0]!))].sort();
for (const m of metrics) {
  console.log(`\n${m}`);
  for (const r of rows) {
    const xs = apes.get(`${r}|${m}`);
    if (xs) console.log(`  ${r.padEnd(40)} ${median(xs).toFixed(1).padStart(6)} [${mean(xs).toFixed(1)}] (${xs.length})`);
  }
}
