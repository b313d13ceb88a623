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
import { crossValidatedLogRatios, type BandRow } from '../src/calibration/bands.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import { CALIBRATION_PARAMETERS, type CalibrationFile, type CalibrationParameter } from '../src/schema/calibration.ts';
import { readBlisExperiments } from './blis-runs.ts';
import { stageWeights } from './model-weights.ts';
import { fitSettingsOf } from './showdown-bands.ts';
import { runShowdown, SHOWDOWN_METRICS } from './showdown.ts';

const path = process.argv[2] ?? join(packageRoot(), 'calibrations', 'vllm-h100-sxm.yaml');
const file = parse(readFileSync(path, 'utf8')) as CalibrationFile;
const { parameters, priorWeight, weighting } = fitSettingsOf(file);
const registry = loadProfiles();
const fitSet = readBlisExperiments(join(packageRoot(), '..', 'shared', 'measurements', 'blis_vllm.csv')).filter((e) => e.hardwareId === file.hardware && !e.overloaded && !e.eval);
const modelOf = new Map(fitSet.map((e) => [e.id, e.modelId ?? e.modelRaw]));
const span = (n: CalibrationParameter) => CALIBRATION_PARAMETERS[n].max - CALIBRATION_PARAMETERS[n].min;
const at = (values: CalibrationFile['values']) => runShowdown(fitSet, registry, [], { ...file, values });
const base = at(file.values);
const logs = (r: ReturnType<typeof at>) => r.pairs.flatMap((p) => SHOWDOWN_METRICS.map((m) => Math.log(p.predicted[m])));
const baseLogs = logs(base);
const columns = parameters.map((n) => {
  const h = 0.01 * span(n);
  return logs(at({ ...file.values, [n]: file.values[n] + h })).map((x, i) => (x - baseLogs[i]!) / h);
});
const weights = stageWeights(base.pairs.map((p) => p.experiment), fitSet, weighting);
const rows: BandRow[] = base.pairs.flatMap((p, i) =>
  SHOWDOWN_METRICS.map((m, k) => ({ group: modelOf.get(p.experiment)!, metric: m, predictedS: p.predicted[m], measuredS: p.measured[m], fitted: true, weight: weights[i]!, jacobian: columns.map((c) => c[i * SHOWDOWN_METRICS.length + k]!) })),
);
const cv = crossValidatedLogRatios(rows, parameters.map((n) => (priorWeight / (span(n) / 4)) ** 2));
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
console.log(`${file.id} (${weighting === 'model' ? 'each model weighted alike' : 'each stage weighted alike'}): leave-one-model-out APE on ${base.pairs.length} fit stages of ${new Set(modelOf.values()).size} models`);
for (const m of SHOWDOWN_METRICS) {
  const apes = rows.flatMap((r, i) => (r.metric === m ? [{ model: r.group, ape: Math.abs(Math.exp(cv[i]!) - 1) * 100 }] : []));
  const byModel = [...new Set(apes.map((a) => a.model))].map((model) => median(apes.filter((a) => a.model === model).map((a) => a.ape)));
  console.log(`  ${m.padEnd(5)} median over stages ${median(apes.map((a) => a.ape)).toFixed(1)}%, median over models ${median(byModel).toFixed(1)}%`);
}
