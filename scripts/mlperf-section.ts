/**
 * The MLPerf section of docs/validation.md, as Markdown lines, from a validateMlperf result. Kept apart from
 * the runner (mlperf-validation.ts) so the tables can be tested on a handful of runs.
 */
import { median, mean } from '../src/calibration/summary.ts';
import type { MlperfHeadline, MlperfValidation } from '../src/calibration/mlperf-validate.ts';

export const MLPERF_BEGIN = '<!-- mlperf:begin (written by npm run validate:mlperf; npm run validate keeps it) -->';
export const MLPERF_END = '<!-- mlperf:end -->';

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
const family = (benchmark: string) => benchmark.replace(/-99(\.9)?$/, '');

/** One headline per distinct measurement: the 99 / 99.9 twins of a system repeat the same run. */
export function distinctHeadlines(hs: readonly MlperfHeadline[]): MlperfHeadline[] {
  const seen = new Set<string>();
  return hs.filter((h) => {
    const r = h.mapping.run;
    const k = [r.submitter, r.system, r.gpuRaw, r.numGpus, family(r.benchmark), r.scenario, h.measured].join('|');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

/** GPT-J's beam search is simulated by a stand-in (mlperf-map.ts); the other benchmarks replay their own datasets. */
const replayed = (h: MlperfHeadline) => !/^gptj/.test(h.mapping.run.benchmark);

function targetRows(closed: readonly MlperfHeadline[]): string[] {
  const lines = ['| scenario | figure | runs | target median APE | n (distinct runs) | median APE % | mean APE % | signed median | verdict |', '|---|---|---|---|---|---|---|---|---|'];
  const sets = [
    ['all benchmarks', closed],
    ['llama2-70b and mixtral-8x7b only (GPT-J is a beam-search stand-in)', closed.filter(replayed)],
  ] as const;
  for (const [scenario, label, target] of [['Server', 'max Poisson rate (queries/s)', 15], ['Offline', 'throughput (tokens/s)', 10]] as const)
    for (const [which, set] of sets) lines.push(targetRow(set.filter((h) => h.scenario === scenario), scenario, label, which, target));
  return lines;
}

function targetRow(hs: readonly MlperfHeadline[], scenario: string, label: string, which: string, target: number): string {
  const med = median(hs.map((h) => h.apePct));
  const verdict = hs.length === 0 ? 'no data' : med <= target ? 'met' : `missed by ${(med - target).toFixed(1)} points`;
  return `| ${scenario} | ${label} | ${which} | ≤ ${target}% | ${hs.length} | ${f1(med)} | ${f1(mean(hs.map((h) => h.apePct)))} | ${signed(median(hs.map((h) => h.signedPct)))} | ${verdict} |`;
}

function perAcceleratorRows(closed: readonly MlperfHeadline[]): string[] {
  const lines = ['| scenario | accelerator (profile) | benchmarks | n | median APE % | mean APE % | signed median |', '|---|---|---|---|---|---|---|'];
  for (const [k, hs] of groupBy(closed, (h) => `${h.scenario}|${h.mapping.hardwareId}`)) {
    const [scenario, hw] = k.split('|');
    const benches = [...new Set(hs.map((h) => family(h.mapping.run.benchmark)))].sort().join(', ');
    lines.push(`| ${scenario} | ${hw} | ${benches} | ${hs.length} | ${f1(median(hs.map((h) => h.apePct)))} | ${f1(mean(hs.map((h) => h.apePct)))} | ${signed(median(hs.map((h) => h.signedPct)))} |`);
  }
  return lines;
}

function perBenchmarkRows(closed: readonly MlperfHeadline[]): string[] {
  const lines = ['| scenario | benchmark | n | median APE % | mean APE % | signed median |', '|---|---|---|---|---|---|'];
  for (const [k, hs] of groupBy(closed, (h) => `${h.scenario}|${family(h.mapping.run.benchmark)}`)) {
    const [scenario, bench] = k.split('|');
    lines.push(`| ${scenario} | ${bench} | ${hs.length} | ${f1(median(hs.map((h) => h.apePct)))} | ${f1(mean(hs.map((h) => h.apePct)))} | ${signed(median(hs.map((h) => h.signedPct)))} |`);
  }
  return lines;
}

function worstRows(closed: readonly MlperfHeadline[]): string[] {
  const lines: string[] = [];
  for (const scenario of ['Server', 'Offline'] as const) {
    lines.push('', `Worst five ${scenario} runs:`, '', '| run (results folder) | GPUs | TP × replicas | measured | predicted | error | why |', '|---|---|---|---|---|---|---|');
    const worst = [...closed.filter((h) => h.scenario === scenario)].sort((a, b) => b.apePct - a.apePct).slice(0, 5);
    for (const h of worst) {
      const m = h.mapping;
      const unit = scenario === 'Server' ? 'q/s' : 'tok/s';
      const why = `${h.limitedBy}; ${m.notes.filter((n) => !/^parallelism/.test(n)).join('; ')}`.replace(/\|/g, '/');
      lines.push(`| \`${m.run.location}\` | ${m.run.numGpus}× ${m.hardwareId} | TP${m.tp} × ${m.replicas} | ${h.measured.toFixed(1)} ${unit} | ${h.predicted.toFixed(1)} ${unit} | ${signed(h.signedPct)} | ${why} |`);
    }
  }
  return lines;
}

function otherFigureRows(v: MlperfValidation): string[] {
  const lines = ['| metric | statistic | n | median APE % | mean APE % | compared with |', '|---|---|---|---|---|---|'];
  for (const [k, fs] of groupBy(v.figures, (f) => `${f.metric}|${f.statistic}`)) {
    const [metric, statistic] = k.split('|');
    const how = metric === 'request_throughput' || metric === 'output_throughput' ? 'prediction at the predicted max rate (Server) / Offline' : 'simulation at the submitted rate';
    const apes = fs.map((f) => f.apePct);
    lines.push(`| ${metric} | ${statistic} | ${fs.length} | ${f1(median(apes))} | ${f1(mean(apes))} | ${how} |`);
  }
  return lines;
}

function coverageRows(v: MlperfValidation): string[] {
  const c = v.coverage;
  const lines = [
    `Figures in the file: ${c.figures}; on accelerators with a profile: ${c.onProfiledAccelerators}; compared: **${c.mapped}** ` +
      `(${f1((100 * c.mapped) / Math.max(1, c.onProfiledAccelerators))}% of those on profiled accelerators).`,
    '',
    '| not compared: reason | runs | figures |',
    '|---|---|---|',
  ];
  for (const [reason, us] of groupBy(v.unmapped, (u) => u.reason).sort((a, b) => b[1].length - a[1].length))
    lines.push(`| ${reason.replace(/\|/g, '/')} | ${us.length} | ${us.reduce((s, u) => s + u.run.figures.length, 0)} |`);
  return lines;
}

export function mlperfSection(v: MlperfValidation, seconds: number, analysis: readonly string[]): string[] {
  const distinct = distinctHeadlines(v.headlines);
  const closed = distinct.filter((h) => h.mapping.run.division === 'closed');
  const open = distinct.filter((h) => h.mapping.run.division === 'open');
  return [
    MLPERF_BEGIN,
    '## MLPerf Inference v4.1: the planner\'s maximum rate and Offline throughput (check data)',
    '',
    '`mlperf_inference_v4.1.csv`, every result whose accelerator has a profile. **MLPerf is check data only: no calibration is fitted to it** ' +
      '(the shipped calibrations come from the other sources; `calibrate:shipped` never reads this file). Server runs compare the submitted ' +
      'Poisson rate (`target_qps`, the scenario\'s metric) with servesim\'s highest rate whose LoadGen run is valid — p99 TTFT and p99 TPOT strictly ' +
      'under the limits *and* early stopping passing, latency from each query\'s scheduled arrival, TPOT = (latency − TTFT)/(tokens − 1), ' +
      '≥ 600 s of simulated schedule in whole equal-issue passes over the dataset (src/metrics/loadgen.ts) — times the replicas. Offline runs ' +
      'compare output tokens/s with all queries at t = 0 (tokens ÷ time to the last completion). Lengths are the MLPerf datasets replayed per ' +
      'sample (`--dataset`, datasets/mlperf/README.md). Parallelism and runtime precision are not in the results: each run\'s assumptions are ' +
      'in its notes (smallest TP that fits × data-parallel replicas; FP8 on Hopper/Ada and FP4 on Blackwell for NVIDIA\'s TensorRT-LLM harness, FP8 for AMD). ' +
      'Reproduce: `npm run validate:mlperf`.',
    '',
    ...coverageRows(v),
    '',
    '### Targets (closed division, distinct runs: the 99 / 99.9 twins counted once)',
    '',
    ...targetRows(closed),
    '',
    '### Per scenario and accelerator (closed division)',
    '',
    ...perAcceleratorRows(closed),
    '',
    '### Per scenario and benchmark (closed division)',
    '',
    ...perBenchmarkRows(closed),
    ...worstRows(closed),
    '',
    `Open division (models may be pruned or re-quantised; not in the targets): n = ${open.length}, median APE ${f1(median(open.map((h) => h.apePct)))}%.`,
    '',
    '### Every compared figure (all divisions, twins included)',
    '',
    ...otherFigureRows(v),
    '',
    '![MLPerf v4.1: predicted vs measured](img/mlperf-predicted-vs-measured.svg)',
    '',
    '### What dominates the error',
    '',
    ...analysis.map((a) => `- ${a}`),
    '',
    `_${v.headlines.length} runs compared, ${v.simulations} simulations, in ${seconds.toFixed(0)} s._`,
    MLPERF_END,
  ];
}
