/**
 * Issue 14's size limits, enforced: no function in src/ over 80 lines (declarative chart-spec literals excepted)
 * and no file over 500 lines. KNOWN_DEBT lists what was over the limits when the rule was introduced; it may
 * only shrink — an entry that now fits fails the test until it is deleted, so the list stays true.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_FILE_LINES, MAX_FUNCTION_LINES, measureFiles, measureFunctions, measureSource } from '../../scripts/code-size.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `file:name` of functions and `file` of files still over the limits. */
const KNOWN_DEBT: readonly string[] = [
  'src/calibration/library.ts:calibrate',
  'src/cli/commands/calibration.ts:calibrateCommand',
  'src/cli/commands/explain.ts:explainCommand',
  'src/cli/commands/profiles.ts:profilesCommand',
  'src/cli/commands/sweep.ts:sweepCommand',
  'src/cost/step-cost.ts:#evaluate',
  'src/importers/guidellm.ts',
  'src/importers/guidellm.ts:(anonymous)',
  'src/importers/guidellm.ts:importBenchmark',
  'src/importers/guidellm.ts:importV01',
  'src/importers/guidellm.ts:summaryRow',
  'src/importers/measurement-csv.ts:buildRecord',
  'src/importers/normalize.ts',
  'src/importers/vllm-bench.ts:importResult',
  'src/planning/capacity.ts:findCapacity',
  'src/planning/plan.ts:planCapacity',
  'src/profiles/import-hf.ts',
  'src/profiles/import-hf.ts:buildDraft',
  'src/profiles/import-hf.ts:importHfConfig',
  'src/report/charts/calibration.ts:calibrationSpec',
  'src/report/charts/engine-timeline.ts:engineTimelineSpec',
  'src/report/charts/latency-cdf.ts:latencyCdfSpec',
  'src/report/charts/latency-vs-rate.ts:latencyVsRateSpec',
  'src/report/charts/planner-comparison.ts:plannerComparisonSpec',
  'src/report/charts/roofline.ts:rooflineSpec',
  'src/report/charts/step-breakdown.ts:stepBreakdownSpec',
  'src/report/charts/throughput-vs-rate.ts:throughputVsRateSpec',
];

describe('code size limits (issue 14)', () => {
  const functions = measureFunctions(root).filter((f) => f.lines > MAX_FUNCTION_LINES && !f.declarativeSpec);
  const files = measureFiles(root).filter((f) => f.lines > MAX_FILE_LINES);
  const over = [...functions.map((f) => `${f.file}:${f.name}`), ...files.map((f) => f.file)];

  it(`no function over ${MAX_FUNCTION_LINES} lines and no file over ${MAX_FILE_LINES} lines beyond the known debt`, () => {
    const fresh = over.filter((k) => !KNOWN_DEBT.includes(k));
    expect(fresh, 'split these (npx tsx scripts/code-size.ts lists them)').toEqual([]);
  });

  it('the known-debt list names only what is still over the limits', () => {
    const paid = KNOWN_DEBT.filter((k) => !over.includes(k));
    expect(paid, 'delete these from KNOWN_DEBT: they fit now').toEqual([]);
  });

  it('counts a function from its first to its last line, nested functions separately', () => {
    const text = ['function outer(a: number) {', '  const inner = (b: number) =>', '    b + 1;', '  return inner(a);', '}', ''].join('\n');
    const sizes = measureSource('src/x.ts', text).map((f) => [f.name, f.line, f.lines]);
    expect(sizes).toEqual([['outer', 1, 5], ['inner', 2, 2]]);
  });

  it('exempts only chart-spec builders that return one object literal', () => {
    const spec = 'export function s() {\n  const x = 1;\n  return { mark: "bar", x };\n}\n';
    expect(measureSource('src/report/charts/a.ts', spec)[0]?.declarativeSpec).toBe(true);
    expect(measureSource('src/planning/a.ts', spec)[0]?.declarativeSpec).toBe(false);
  });
});
