/**
 * Fits the shipped SGLang calibrations (calibrations/sglang-<gpu>.yaml) on every GPU with public SGLang
 * latency-under-load data, and scores each on held-out data it never saw. Fit and check are the halves of
 * the measurement benchmarks by the hash of their id (src/calibration/summary.ts splitOf), the split
 * `npm run validate` reports its check rows on, so validate's check rows stay out of sample:
 *   - b200: InferenceX DeepSeek-R1-0528 FP4 TP8 EP8, SGLang dev (2026), concurrency 16–256; the two repeats
 *     of each concurrency fall one in each half; ITL (per 10-token chunk: --stream-interval 10) is not used;
 *   - h100-sxm: sglang_bench_vllm060, SGLang 0.3.0, Llama-3.1-70B TP4, Poisson 4 req/s (fit) and 8 (check);
 *   - a100-sxm-80gb: same source, Llama-3.1-8B TP1, 8 req/s (fit) and 4 (check).
 * Only h100-sxm is written (--write): its check half improves on every metric. Not written here:
 *   - b200: fitting TTFT ends with gemm_efficiency at its minimum and client_overhead_ms at its maximum — the
 *     measured TTFT (25–50 decode steps) needs a mechanism servesim lacks. scripts/fit-engine-gpus.ts ships
 *     calibrations/sglang-b200.yaml instead, fitted on median TPOT only;
 *   - a100-sxm-80gb: its check half gets worse on TTFT and E2E (better on TPOT), so datasheet defaults stay.
 * The fit is scripts/loso-fit.ts's (the leave-one-sweep-out validation's), so the LOSO report measures
 * exactly this procedure.
 *
 *   npm run build && node dist/scripts/fit-sglang.js [--write]
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { splitOf } from '../src/calibration/summary.ts';
import { defaultCalibration } from '../src/cost/calibration-defaults.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import type { CalibrationFile, CalibrationValues } from '../src/schema/calibration.ts';
import { DEFAULT_FIT_SETTINGS, FIT_PARAMETERS, fitSweeps } from './loso-fit.ts';
import { measuredSweeps, type Sweep, type SweepFigure } from './loso-sweeps.ts';

const GPUS = ['b200', 'h100-sxm', 'a100-sxm-80gb'] as const;
const SHIPPED: ReadonlySet<string> = new Set(['h100-sxm']);
const registry = loadProfiles();
const shared = resolve(packageRoot(), '..', 'shared');
const round = (x: number) => Math.round(x * 1e4) / 1e4;

const sweepsOf = (gpu: string, split: 'fit' | 'check'): Sweep[] =>
  measuredSweeps(join(shared, 'measurements'), join(shared, 'examples'), registry, (b) => b.deployment.engine === 'sglang' && b.deployment.hardwareId === gpu && splitOf(b.id) === split);

/** median APE % of the central statistics (mean, or median where only medians are measured) per metric */
function errors(sweeps: readonly Sweep[], values: CalibrationValues): Record<string, number> {
  const figures: SweepFigure[] = sweeps.flatMap((s) => {
    const f = s.predict(values);
    return typeof f === 'string' ? [] : f;
  });
  const out: Record<string, number> = {};
  for (const metric of ['ttft', 'itl_tpot', 'e2e'] as const)
    for (const statistic of ['central', 'p99'] as const) {
      const apes = figures
        .filter((f) => f.metric === metric && (statistic === 'p99' ? f.statistic === 'p99' : f.statistic === 'mean' || f.statistic === 'median'))
        .map((f) => (Math.abs(f.predicted - f.measured) / f.measured) * 100)
        .sort((a, b) => a - b);
      if (apes.length === 0) continue;
      const n = apes.length;
      out[`${metric}.${statistic}.median_ape`] = round(n % 2 ? apes[(n - 1) / 2]! : (apes[n / 2 - 1]! + apes[n / 2]!) / 2);
    }
  return out;
}

const ids = (sweeps: readonly Sweep[]) => sweeps.flatMap((s) => s.runs);

for (const gpu of GPUS) {
  const fitSet = sweepsOf(gpu, 'fit');
  const checkSet = sweepsOf(gpu, 'check');
  if (fitSet.length === 0) continue;
  const start = defaultCalibration(registry.getHardware(gpu), 'sglang');
  const fit = fitSweeps(fitSet, start, 'sglang');
  const result = { fit: errors(fitSet, fit.values), check: errors(checkSet, fit.values) };
  const before = { fit: errors(fitSet, start), check: errors(checkSet, start) };
  console.log(`${gpu}: fitted in ${fit.iterations} iterations (${fit.evaluations} evaluations)`);
  console.log('  datasheet  fit', before.fit, 'check', before.check);
  console.log('  fitted     fit', result.fit, 'check', result.check);
  if (!process.argv.includes('--write') || !SHIPPED.has(gpu)) continue;
  const file: CalibrationFile = {
    id: `sglang-${gpu}`,
    hardware: gpu,
    engine: 'sglang',
    description:
      `SGLang on ${gpu}, fitted by scripts/fit-sglang.ts on the fit half (by id hash) of ${[...new Set(fitSet.map((s) => s.source))].join(', ')} ` +
      `(${fitSet.map((s) => s.id.replace(/#\d+$/, '')).join('; ')}: ${ids(fitSet).join(', ')}); checked on the other half (${ids(checkSet).join(', ')}), never used in the fit` +
      (gpu === 'b200' ? '. SGLang dev (2026), DeepSeek-R1 FP4 TP8 EP8' : '. SGLang 0.3.0 (2024, ShareGPT, radix cache off), simulated with the overlap scheduler on: an effective calibration from the only public SGLang latency-under-load data on this GPU'),
    values: Object.fromEntries(Object.entries(fit.values).map(([k, v]) => [k, round(v)])) as CalibrationValues,
    fit: {
      method: `Levenberg–Marquardt (scripts/loso-fit.ts) on the soft-L1 log ratio of every latency figure, metric families weighted alike; ${FIT_PARAMETERS.sglang.join(', ')} fitted, the rest datasheet defaults; prior weight ${DEFAULT_FIT_SETTINGS.priorWeight}, ${DEFAULT_FIT_SETTINGS.maxIterations} iterations`,
      fitted_on: ids(fitSet),
      held_out: ids(checkSet),
      fit_error: result.fit,
      check_error: result.check,
    },
    sources: [...new Set([...fitSet, ...checkSet].map((s) => `../shared/measurements/${s.source}.csv (SOURCES.md, ${s.source})`))],
  };
  const path = join(packageRoot(), 'calibrations', `sglang-${gpu}.yaml`);
  writeFileSync(path, `# servesim calibration profile — generated by scripts/fit-sglang.ts, do not edit by hand\n${stringify(file)}`);
  console.log(`  wrote ${path}`);
}
