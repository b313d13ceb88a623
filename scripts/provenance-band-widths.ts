/**
 * The 80% band of a TRANSFERRED calibration (another GPU's fit moved by the transfer rule), derived from
 * the FIT half of the public measurements (`npm run validate`'s split) on GPUs that have no fit of their
 * own, and checked on the CHECK half, which the derivation never sees. Every such row is out of sample for
 * the calibration that predicts it (the donor was fitted on another GPU, or on other sources), so the
 * fit half measures the transfer's real error. Per engine × GPU group with at least MIN_ROWS fit rows of a
 * statistic, no source holding more than MAX_SOURCE_SHARE of them (other groups keep the leave-one-GPU-out widths
 * of provenance-bands.ts), per statistic family (TTFT, ITL/TPOT, E2E) and kind (mean/
 * median vs p90 and above): centre = median of log(measured/predicted), half-width = the 80th percentile
 * of the absolute deviation from it.
 *
 *   npm run build && node dist/scripts/provenance-band-widths.js [--write]
 *
 * --write replaces the generated block of src/calibration/provenance-bands.ts. Re-run after a cost-model
 * change or a new shipped calibration, then `npm run validate`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { nearestRank } from '../src/calibration/bands.ts';
import { validate, type ValidationRow } from '../src/calibration/validate.ts';
import { importMeasurements } from '../src/importers/index.ts';
import type { MeasuredBenchmark } from '../src/importers/types.ts';
import { loadShippedCalibrations } from '../src/profiles/calibrations.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import type { BandMetric, LogBand } from '../src/schema/calibration.ts';
import { provenanceWidths } from '../src/calibration/provenance-bands.ts';
import { bandsByCalibration, checkRowCoverage } from './band-coverage.ts';
import { measurementFiles } from './measurement-files.ts';

const FAMILY: Readonly<Record<string, 'ttft' | 'tpot' | 'e2e'>> = {
  ttft: 'ttft',
  e2e: 'e2e',
  itl: 'tpot',
  tpot: 'tpot',
  itl_guidellm: 'tpot',
  tpot_guidellm: 'tpot',
  tpot_guidellm_v03: 'tpot',
};
/** a GPU × engine group needs this many fit rows of a statistic to get its own band */
const MIN_ROWS = 10;
/**
 * ...and no single source may hold more than this share of them: one study (InferenceX's H200 MiniMax /
 * Qwen3.5 / GLM-5 runs, whose TTFT holds a frontend delay servesim does not model) measures that study's
 * gap, not the transfer's, and its band would move every other model's prediction on that GPU (it put
 * Llama 3.1 8B's TTFT p99 band on H200 at 3-14x the prediction). Such statistics keep the leave-one-GPU-out widths.
 */
const MAX_SOURCE_SHARE = 0.75;
const CENTRAL = new Set(['mean', 'median']);
const TAIL = new Set(['p90', 'p95', 'p99', 'p999']);

/** band metric of a row: the family's mean band for mean/median, its p99 band for tails (tpot: none) */
function bandKey(r: ValidationRow): BandMetric | undefined {
  const f = FAMILY[r.metric];
  if (!f) return undefined;
  if (CENTRAL.has(r.statistic)) return f;
  if (TAIL.has(r.statistic)) return f === 'tpot' ? undefined : `${f}_p99`;
  return undefined;
}

export function widthsFrom(rows: readonly ValidationRow[]): Partial<Record<BandMetric, LogBand & { n: number }>> {
  const by = new Map<BandMetric, number[]>();
  for (const r of rows) {
    const k = bandKey(r);
    if (k && r.measured > 0 && r.predicted > 0) by.set(k, [...(by.get(k) ?? []), Math.log(r.measured / r.predicted)]);
  }
  const out: Partial<Record<BandMetric, LogBand & { n: number }>> = {};
  for (const [k, xs] of [...by.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const s = [...xs].sort((a, b) => a - b);
    const n = s.length;
    const shiftLog = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
    const halfWidthLog = nearestRank(xs.map((x) => Math.abs(x - shiftLog)).sort((a, b) => a - b), 0.8);
    out[k] = { shiftLog, halfWidthLog, n };
  }
  return out;
}

const isMain = process.argv[1]?.endsWith('provenance-band-widths.js');
if (isMain) {
  const registry = loadProfiles();
  const shipped = loadShippedCalibrations();
  const OWN_SECTIONS = ['blis_vllm.csv', 'mlperf_inference_v4.1.csv'];
  const benchmarks: MeasuredBenchmark[] = [];
  const rows: ValidationRow[] = [];
  for (const file of measurementFiles().filter((f) => !OWN_SECTIONS.includes(basename(f)))) {
    const b = importMeasurements(file);
    benchmarks.push(...b);
    rows.push(...validate(b, registry, { shipped }).rows);
  }
  const byCal = bandsByCalibration(benchmarks, registry, shipped);
  const transferred = (r: ValidationRow) => byCal.get(r.calibration)?.provenance === 'transferred';
  const fitRows = rows.filter((r) => r.split === 'fit' && transferred(r));
  const groupOf = (r: ValidationRow) => `${r.engine}/${r.hardware}`;
  const groups = new Map<string, Partial<Record<BandMetric, LogBand & { n: number }>>>();
  for (const g of [...new Set(fitRows.map(groupOf))].sort()) {
    const inGroup = fitRows.filter((r) => groupOf(r) === g);
    const dominated = (k: string) => {
      const sources = inGroup.filter((r) => bandKey(r) === k).map((r) => r.source);
      return Math.max(...[...new Set(sources)].map((x) => sources.filter((y) => y === x).length)) > MAX_SOURCE_SHARE * sources.length;
    };
    const all = Object.entries(widthsFrom(inGroup)).filter(([, b]) => b.n >= MIN_ROWS);
    const w = Object.fromEntries(all.filter(([k]) => !dominated(k)));
    const skipped = all.filter(([k]) => dominated(k)).map(([k]) => k);
    console.log(
      `  ${g}: ${Object.entries(w).map(([k, b]) => `${k} n=${b.n} centre ${b.shiftLog.toFixed(2)} w ${b.halfWidthLog.toFixed(2)}`).join('; ') || "no band of its own"}` +
        (skipped.length > 0 ? ` (one source holds over ${MAX_SOURCE_SHARE * 100}% of ${skipped.join(', ')}: leave-one-GPU-out widths)` : ''),
    );
    if (Object.keys(w).length > 0) groups.set(g, w);
  }
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const body = [...groups.entries()]
    .map(([g, w]) => `  '${g}': {\n${Object.entries(w).map(([k, b]) => `    ${k}: { shiftLog: ${round(b.shiftLog)}, halfWidthLog: ${round(b.halfWidthLog)} }, // n=${b.n}`).join('\n')}\n  },`)
    .join('\n');
  // coverage on the check half with these widths (LOSO widths where a group has none), before writing them
  const check = rows.filter((r) => r.split === 'check' && transferred(r));
  const loso = provenanceWidths('transferred');
  const covered = new Map<string, { inside: number; n: number }>();
  for (const r of check) {
    const own = groups.get(groupOf(r));
    const byMetric = { ttft: { shiftLog: 0, halfWidthLog: loso.ttft }, tpot: { shiftLog: 0, halfWidthLog: loso.tpot }, e2e: { shiftLog: 0, halfWidthLog: loso.e2e }, ...own };
    const one = new Map([[r.calibration, { provenance: 'transferred', bands: { basis: '', byMetric } }]]);
    for (const [key, t] of checkRowCoverage([r], one)) {
      const k = `${key}|${own ? 'own group' : 'LOSO widths'}`;
      const c = covered.get(k) ?? { inside: 0, n: 0 };
      covered.set(k, { inside: c.inside + t.inside, n: c.n + t.n });
    }
  }
  for (const [key, t] of [...covered.entries()].sort()) console.log(`check rows ${key}: ${t.inside}/${t.n} (${((100 * t.inside) / t.n).toFixed(0)}%) inside`);
  if (process.argv.includes('--write')) {
    const path = join(packageRoot(), 'src', 'calibration', 'provenance-bands.ts');
    const text = readFileSync(path, 'utf8');
    const begin = text.indexOf('// generated: begin');
    const end = text.indexOf('// generated: end');
    if (begin < 0 || end < 0) throw new Error(`${path}: generated block markers not found`);
    const block = `// generated: begin (scripts/provenance-band-widths.ts --write; do not edit by hand)\nexport const TRANSFERRED_BANDS: Readonly<Record<string, Readonly<Partial<Record<BandMetric, LogBand>>>>> = {\n${body}\n};\n`;
    writeFileSync(path, text.slice(0, begin) + block + text.slice(end));
    console.log(`wrote ${path}`);
  }
}
