/**
 * The "Serving techniques on InferenceX" section of docs/validation.md, as Markdown lines (issues 16 and 17).
 * Pure: rows in, lines out, so the tables can be tested on a handful of rows. The runner is
 * scripts/technique-validation.ts.
 */
import { mean, median } from '../src/calibration/summary.ts';
import type { ValidationRow } from '../src/calibration/validate.ts';

export const TECHNIQUES_BEGIN = '<!-- techniques:begin (written by npm run validate:techniques; npm run validate keeps it) -->';
export const TECHNIQUES_END = '<!-- techniques:end -->';

/** a compared figure with what the section groups it by */
export interface TechniqueRow extends ValidationRow {
  readonly technique: string;
  /** same model, GPU, lengths and concurrency → same twin key (a plain run and its technique runs) */
  readonly twinKey: string;
}

const CENTRAL = new Set(['median', 'mean', 'value']);
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—');

function groupBy<T>(xs: readonly T[], key: (x: T) => string): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const x of xs) m.set(key(x), [...(m.get(key(x)) ?? []), x]);
  return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
}

const central = (rows: readonly TechniqueRow[], metric: string) => rows.filter((r) => r.metric === metric && CENTRAL.has(r.statistic));
const p99 = (rows: readonly TechniqueRow[], metric: string) => rows.filter((r) => r.metric === metric && r.statistic === 'p99');
/** "median / mean (n)" of the APEs */
function apeCell(rows: readonly TechniqueRow[]): string {
  if (rows.length === 0) return '—';
  const a = rows.map((r) => r.apePct);
  return `${f1(median(a))} / ${f1(mean(a))} (${rows.length})`;
}
/** per-user tokens/s = 1 / TPOT per token: its APE is |m − p| / p of the TPOT figures */
function perUserCell(rows: readonly TechniqueRow[]): string {
  if (rows.length === 0) return '—';
  const a = rows.map((r) => (Math.abs(r.measured - r.predicted) / r.predicted) * 100);
  return `${f1(median(a))} / ${f1(mean(a))}`;
}
const ratio = (rows: readonly TechniqueRow[]) => median(rows.map((r) => r.predicted / r.measured));

export const TECHNIQUE_ORDER = ['plain', 'mtp', 'eagle3', 'pd-disagg', 'dep'];
const order = (t: string) => TECHNIQUE_ORDER.indexOf(t);

/** Table 1: error per technique × model × GPU. */
export function errorTable(rows: readonly TechniqueRow[]): string[] {
  const out = [
    '| technique | model | GPU | runs | calibration | TTFT | TPOT | per-user tok/s | output throughput | ITL (per chunk) | TTFT p99 | TPOT p99 | signed pred/meas TTFT · TPOT · throughput |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const groups = groupBy(rows, (r) => `${order(r.technique)}|${r.model}|${r.hardware}`);
  for (const [, g] of groups) {
    const r0 = g[0]!;
    const runs = new Set(g.map((r) => r.benchmarkId)).size;
    const cal = [...new Set(g.map((r) => r.calibration))].join(', ');
    const ttft = central(g, 'ttft');
    const tpot = central(g, 'tpot');
    const thr = central(g, 'output_throughput');
    out.push(
      `| ${r0.technique} | ${r0.model} | ${r0.hardware} | ${runs} | ${cal} | ${apeCell(ttft)} | ${apeCell(tpot)} | ${perUserCell(tpot)} | ${apeCell(thr)} | ` +
        `${apeCell(central(g, 'itl'))} | ${apeCell(p99(g, 'ttft'))} | ${apeCell(p99(g, 'tpot'))} | ${f2(ratio(ttft))} · ${f2(ratio(tpot))} · ${f2(ratio(thr))} |`,
    );
  }
  return out;
}

/**
 * Table 2: how much of a technique's error is the model and how much the technique. Each technique run is
 * paired with the plain run of the same model, GPU, lengths and concurrency (same calibration); the plain
 * run's APE is "the model", the technique run's extra APE (and its extra signed factor) is "the technique".
 */
export function attributionTable(rows: readonly TechniqueRow[]): string[] {
  const plainBy = new Map<string, TechniqueRow[]>();
  for (const r of rows) if (r.technique === 'plain') plainBy.set(r.twinKey, [...(plainBy.get(r.twinKey) ?? []), r]);
  const plainModels = new Set(rows.filter((r) => r.technique === 'plain').map((r) => `${r.model}|${r.hardware}`));
  const out = [
    '| technique | model | GPU | paired runs | metric | model error (plain twin median APE) | technique run median APE | technique share (difference) | signed factor technique / plain |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const groups = groupBy(
    rows.filter((r) => r.technique !== 'plain'),
    (r) => `${order(r.technique)}|${r.model}|${r.hardware}`,
  );
  for (const [, g] of groups) {
    const r0 = g[0]!;
    const paired = g.filter((r) => plainBy.get(r.twinKey)?.some((p) => p.metric === r.metric && p.statistic === r.statistic));
    if (paired.length === 0) {
      const why = plainModels.has(`${r0.model}|${r0.hardware}`)
        ? 'plain runs of this model and GPU exist, but none at the same lengths and concurrency'
        : 'no plain runs of this model on this GPU in the file: the split cannot be measured';
      out.push(`| ${r0.technique} | ${r0.model} | ${r0.hardware} | 0 | — | ${why} | — | — | — |`);
      continue;
    }
    const runs = new Set(paired.map((r) => r.benchmarkId)).size;
    for (const metric of ['ttft', 'tpot', 'output_throughput']) {
      const tech = central(paired, metric);
      const twins = tech.map((r) => plainBy.get(r.twinKey)!.find((p) => p.metric === r.metric && p.statistic === r.statistic)!);
      if (tech.length === 0) continue;
      const mPlain = median(twins.map((p) => p.apePct));
      const mTech = median(tech.map((r) => r.apePct));
      const factor = median(tech.map((r, i) => r.predicted / r.measured / (twins[i]!.predicted / twins[i]!.measured)));
      out.push(`| ${r0.technique} | ${r0.model} | ${r0.hardware} | ${runs} | ${metric} | ${f1(mPlain)} | ${f1(mTech)} | ${mTech >= mPlain ? '+' : ''}${f1(mTech - mPlain)} | ${f2(factor)} |`);
    }
  }
  return out;
}

export interface BracketRow {
  readonly benchmarkId: string;
  readonly model: string;
  readonly hardware: string;
  readonly measured: number;
  /** predicted median TPOT with every draft rejected / accepted */
  readonly atZero: number;
  readonly atOne: number;
}

/** Table 3: speculative runs with an unstated acceptance, predicted at acceptance 0 and 1. */
export function bracketTable(rows: readonly BracketRow[]): string[] {
  const out = [
    '| model | GPU | runs | measured TPOT median inside [pred at acceptance 1, pred at 0] | median measured / pred(acceptance 0) | median measured / pred(acceptance 1) |',
    '|---|---|---|---|---|---|',
  ];
  for (const [, g] of groupBy(rows, (r) => `${r.model}|${r.hardware}`)) {
    const inside = g.filter((r) => r.measured >= Math.min(r.atOne, r.atZero) && r.measured <= Math.max(r.atOne, r.atZero)).length;
    out.push(
      `| ${g[0]!.model} | ${g[0]!.hardware} | ${g.length} | ${inside} of ${g.length} | ${f2(median(g.map((r) => r.measured / r.atZero)))} | ${f2(median(g.map((r) => r.measured / r.atOne)))} |`,
    );
  }
  return out;
}
