/**
 * Fits the calibration profiles shipped in calibrations/: one per engine × GPU that the public
 * measurements cover with at least MIN_BENCHMARKS fit-split benchmarks (check-split benchmarks are never
 * used here; docs/validation.md reports on them). Slow (minutes): run when measurements or the cost
 * model change, then `npm run validate`.
 * Run: npm run calibrate:shipped [-- --only trtllm/h100-sxm]
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { stringify } from 'yaml';
import { fitCalibration } from '../src/calibration/fit.ts';
import { mapBenchmark, type MappedBenchmark } from '../src/calibration/map.ts';
import { splitOf, summarizeErrors } from '../src/calibration/summary.ts';
import { defaultCalibration } from '../src/cost/calibration-defaults.ts';
import { importMeasurements } from '../src/importers/index.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import type { CalibrationFile } from '../src/schema/calibration.ts';
import { measurementFiles } from './measurement-files.ts';
import { parseVersion } from '../src/calibration/choose.ts';

/** vLLM before 0.7 (V0 engine, multi-step scheduling) behaves unlike V1: its data get their own profiles */
const LEGACY_VLLM = '<0.7';
function era(engine: string, version: string | undefined): string {
  if (engine !== 'vllm' || !version) return '';
  const v = parseVersion(version);
  return v && (v[0] === 0 && v[1] < 7) ? 'legacy' : '';
}

/** fewer fit benchmarks than this identify too little: the group keeps datasheet defaults */
const MIN_BENCHMARKS = 10;
/** benchmarks per group actually fitted (a deterministic subsample keeps a fit to a few minutes) */
const MAX_FIT_BENCHMARKS = 40;
/** pull toward the datasheet fractions (see fitCalibration); weak, as these groups hold dozens of benchmarks */
const PRIOR_WEIGHT = 0.1;
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

const registry = loadProfiles();
const groups = new Map<string, MappedBenchmark[]>();
const sourcesOf = new Map<string, Set<string>>();
/**
 * blis_vllm is scored per experiment-stage by the showdown (scripts/showdown.ts), and calibrations/
 * vllm-h100-sxm.yaml is fitted on its non-eval runs by scripts/fit-vllm-v1.ts: neither is touched here.
 * MLPerf is check data only (npm run validate:mlperf): never fitted on, whatever the importer maps.
 */
const OWN_SCRIPT_SOURCES = new Set(['blis_vllm.csv', 'mlperf_inference_v4.1.csv']);
const OWN_SCRIPT_GROUPS = new Set(['vllm/h100-sxm']);
for (const file of measurementFiles()) {
  if (OWN_SCRIPT_SOURCES.has(basename(file))) continue;
  for (const b of importMeasurements(file)) {
    if (splitOf(b.id) !== 'fit') continue;
    const m = mapBenchmark(b, registry);
    if (!m.ok) continue;
    const e = era(m.mapped.engine, b.deployment.engineVersion);
    const key = `${m.mapped.engine}${e ? `-${e}` : ''}/${b.deployment.hardwareId}`;
    groups.set(key, [...(groups.get(key) ?? []), m.mapped]);
    sourcesOf.set(key, (sourcesOf.get(key) ?? new Set()).add(b.source.sourceId ?? file));
  }
}

for (const [key, all] of [...groups.entries()].sort()) {
  if (only && key !== only) continue;
  if (OWN_SCRIPT_GROUPS.has(key)) {
    process.stderr.write(`${key}: fitted by scripts/fit-vllm-v1.ts; skipped\n`);
    continue;
  }
  if (all.length < MIN_BENCHMARKS) {
    process.stderr.write(`${key}: ${all.length} fit benchmarks, fewer than ${MIN_BENCHMARKS}: not fitted\n`);
    continue;
  }
  const [engineKey, gpu] = key.split('/') as [string, string];
  const legacy = engineKey.endsWith('-legacy');
  const engine = engineKey.replace('-legacy', '') as 'vllm' | 'sglang' | 'trtllm';
  // spread the subsample over the list (sources and shapes are interleaved in import order)
  const step = Math.max(1, all.length / MAX_FIT_BENCHMARKS);
  const sample = Array.from({ length: Math.min(MAX_FIT_BENCHMARKS, all.length) }, (_, i) => all[Math.floor(i * step)]!);
  const start = defaultCalibration(registry.getHardware(gpu), engine);
  const t0 = performance.now();
  const fit = fitCalibration(sample, registry, start, { maxIterations: 8, priorWeight: PRIOR_WEIGHT });
  const summary = summarizeErrors(fit.compared);
  const file: CalibrationFile = {
    id: `${engineKey}-${gpu}`,
    hardware: gpu,
    engine,
    ...(legacy ? { engine_versions: LEGACY_VLLM } : {}),
    description: `${engine} on ${gpu}, fitted by scripts/fit-shipped-calibrations.ts to ${sample.length} fit-split benchmarks from ${[...(sourcesOf.get(key) ?? [])].join(', ')}`,
    values: Object.fromEntries(Object.entries(fit.values).map(([k, v]) => [k, Math.round(v * 1e4) / 1e4])) as CalibrationFile['values'],
    fit: {
      method: `Levenberg–Marquardt (ml-levenberg-marquardt), residual log(predicted/measured), bounded, prior weight ${PRIOR_WEIGHT} toward datasheet fractions; fit split only`,
      fitted_on: sample.map((m) => m.benchmark.id),
      held_out: [],
      fit_error: Object.fromEntries(summary.map((r) => [`${r.metric}.${r.statistic}.median_ape`, Math.round(r.medianApePct * 100) / 100])),
      check_error: {},
    },
    sources: ['../shared/measurements (see SOURCES.md)'],
  };
  writeFileSync(join(packageRoot(), 'calibrations', `${engineKey}-${gpu}.yaml`), `# servesim calibration profile — generated, do not edit by hand\n${stringify(file)}`);
  process.stderr.write(
    `${key}: ${sample.length} benchmarks, ${fit.fitted.join(', ')} in ${fit.iterations} iterations, ${((performance.now() - t0) / 1000).toFixed(0)} s; ` +
      `${summary.map((r) => `${r.metric}.${r.statistic} ${r.medianApePct.toFixed(1)}%`).join(', ')}\n`,
  );
  for (const w of fit.warnings) process.stderr.write(`  warning: ${w}\n`);
}
