/**
 * A fit-set-only check of how scripts/fit-vllm-v1.ts weighs its stages: the leave-one-MODEL-out error of a
 * blis_vllm fit on its own fit stages (linearised case deletion, src/calibration/bands.ts, groups = models),
 * with the calibration's own weighting. The showdown eval stages are not read.
 *
 *   npm run build && node dist/scripts/showdown-lomo.js [calibration.yaml]
 *
 * Compare a per-model fit (the shipped file) with a per-stage one (`node dist/scripts/fit-vllm-v1.js
 * --weight-by stage --write`, then this script, then restore the file with git).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { crossValidatedLogRatios } from '../src/calibration/bands.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import type { CalibrationFile } from '../src/schema/calibration.ts';
import { readBlisExperiments } from './blis-runs.ts';
import { WEIGHTING_PHRASE } from './model-weights.ts';
import { fitSettingsOf, showdownBandRows } from './showdown-bands.ts';
import { median, SHOWDOWN_METRICS } from './showdown.ts';

const path = process.argv[2] ?? join(packageRoot(), 'calibrations', 'vllm-h100-sxm.yaml');
const file = parse(readFileSync(path, 'utf8')) as CalibrationFile;
const { parameters, priorWeight, weighting } = fitSettingsOf(file);
const fitSet = readBlisExperiments(join(packageRoot(), '..', 'shared', 'measurements', 'blis_vllm.csv')).filter((e) => e.hardwareId === file.hardware && !e.overloaded && !e.eval);
const modelOf = new Map(fitSet.map((e) => [e.id, e.modelId ?? e.modelRaw]));
// the band's rows (grouped by experiment) regrouped by model: each model is left out whole
const { rows: byExperiment, priorPrecision } = showdownBandRows({ fitSet, registry: loadProfiles(), file, parameters, priorWeight, weighting });
const rows = byExperiment.map((r) => ({ ...r, group: modelOf.get(r.group)! }));
const cv = crossValidatedLogRatios(rows, priorPrecision);
const stages = rows.filter((r) => r.metric === 'e2e').length;
console.log(`${file.id} (${WEIGHTING_PHRASE[weighting]}): leave-one-model-out APE on ${stages} fit stages of ${new Set(modelOf.values()).size} models`);
for (const m of SHOWDOWN_METRICS) {
  const apes = rows.flatMap((r, i) => (r.metric === m ? [{ model: r.group, ape: Math.abs(Math.exp(cv[i]!) - 1) * 100 }] : []));
  const byModel = [...new Set(apes.map((a) => a.model))].map((model) => median(apes.filter((a) => a.model === model).map((a) => a.ape)));
  console.log(`  ${m.padEnd(5)} median over stages ${median(apes.map((a) => a.ape)).toFixed(1)}%, median over models ${median(byModel).toFixed(1)}%`);
}
