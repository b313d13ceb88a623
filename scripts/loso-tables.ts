/**
 * The leave-one-sweep-out report's tables (markdown lines). Errors only: APE = |predicted − measured| /
 * measured, so no measured value of an unlicensed source enters the project.
 */
import { ENGINE_FAMILIES, type EngineFamilyId, type FigureMetric, type FigureStatistic, figureApe, type Sweep, type SweepFigure } from './loso-sweeps.ts';

export interface LosoRecord {
  readonly mode: 'shipped' | 'loso' | 'loso-joint' | 'in-sample' | 'transfer';
  readonly family: EngineFamilyId;
  readonly sweep: string;
  readonly hardwareId: string;
  readonly donor?: string;
  readonly donorHardwareId?: string;
  readonly figures: readonly SweepFigure[];
}

export interface TransferRow {
  readonly family: EngineFamilyId;
  readonly target: string;
  readonly basis: string;
  readonly figures: readonly SweepFigure[];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const pct = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)}%` : '—');

const ROWS: readonly [FigureMetric, FigureStatistic][] = [
  ['ttft', 'mean'],
  ['ttft', 'median'],
  ['ttft', 'p99'],
  ['itl_tpot', 'mean'],
  ['itl_tpot', 'median'],
  ['itl_tpot', 'p99'],
  ['e2e', 'mean'],
  ['e2e', 'median'],
  ['e2e', 'p99'],
  ['throughput', 'mean'],
];
const LABEL: Record<FigureMetric, string> = { ttft: 'TTFT', itl_tpot: 'ITL/TPOT', e2e: 'E2E', throughput: 'throughput' };

/** "median / mean (n)" of the APEs of the figures of these records with this metric and statistic */
/** blis_vllm has no licence: its run's lengths are read at run time, never written into the project's docs. */
function lengthsCell(s: Sweep): string {
  return s.id.startsWith('blis_vllm:') ? '— (blis_vllm: not copied)' : s.lengths;
}

function cell(records: readonly LosoRecord[], metric: FigureMetric, statistic: FigureStatistic | 'central'): string {
  const apes = figuresOf(records, metric, statistic).map(figureApe);
  return apes.length === 0 ? '—' : `${pct(median(apes))} / ${pct(mean(apes))} (${apes.length})`;
}

/** mean and median are both "central": sources that state only medians are scored on them */
function figuresOf(records: readonly { figures: readonly SweepFigure[] }[], metric: FigureMetric, statistic: FigureStatistic | 'central'): SweepFigure[] {
  return records.flatMap((r) => r.figures.filter((f) => f.metric === metric && (statistic === 'central' ? f.statistic === 'mean' || f.statistic === 'median' : f.statistic === statistic)));
}

function verdict(records: readonly LosoRecord[], metric: FigureMetric, statistic: FigureStatistic, target: number): string {
  const apes = figuresOf(records, metric, statistic).map(figureApe);
  if (apes.length === 0) return `${LABEL[metric]} ${statistic}: no data`;
  const m = median(apes);
  return `${LABEL[metric]} ${statistic} ${pct(m)} (target ≤ ${target}%: ${m <= target ? 'met' : 'missed'})`;
}

export function familyTables(records: readonly LosoRecord[]): string[] {
  const out: string[] = [];
  for (const family of ENGINE_FAMILIES) {
    const of = (mode: LosoRecord['mode']) => records.filter((r) => r.family === family && r.mode === mode);
    const loso = of('loso');
    if (of('shipped').length === 0) continue;
    const sourceOf = (id: string | undefined) => id?.split(':')[0];
    const sameSource = loso.filter((r) => sourceOf(r.donor) === sourceOf(r.sweep));
    const otherSource = loso.filter((r) => sourceOf(r.donor) !== sourceOf(r.sweep));
    out.push(`### ${family}: ${new Set(of('shipped').map((r) => r.sweep)).size} sweeps`, '');
    out.push('Median / mean APE (number of figures). (b) pools every (sweep fitted → other sweep predicted) pair, then split by whether the predicted sweep comes from the same source (same client and harness: other models, lengths, loads) or another (other clients, engine builds, GPUs — another GPU gets the fit through the transfer rule).', '');
    if (of('loso-joint').length > 0)
      out.push("(b′) is the usual leave-one-out: each blis_vllm sweep predicted by a joint fit on all the OTHER blis_vllm sweeps (same GPU), as a user calibrating from several sweeps would do.", '');
    out.push("| metric | statistic | (a) shipped | (b) LOSO, all pairs | (b) same source | (b) other sources | (b′) joint fit on the other sweeps | (c) in-sample fit |");
    out.push('|---|---|---|---|---|---|---|---|');
    for (const [metric, statistic] of ROWS) {
      const cells = [of('shipped'), loso, sameSource, otherSource, of('loso-joint'), of('in-sample')].map((rs) => cell(rs, metric, statistic));
      if (cells.every((c) => c === '—')) continue;
      out.push(`| ${LABEL[metric]} | ${statistic} | ${cells.join(' | ')} |`);
    }
    out.push('');
    out.push(
      `Targets — in-sample: ${verdict(of('in-sample'), 'ttft', 'mean', 5)}, ${verdict(of('in-sample'), 'itl_tpot', 'mean', 5)}; ` +
        `in-sample on medians: ${verdict(of('in-sample'), 'ttft', 'median', 5)}, ${verdict(of('in-sample'), 'itl_tpot', 'median', 5)}; ` +
        `LOSO (all pairs): ${verdict(loso, 'ttft', 'mean', 10)}, ${verdict(loso, 'itl_tpot', 'mean', 10)}, ${verdict(loso, 'ttft', 'median', 10)}, ${verdict(loso, 'itl_tpot', 'median', 10)}, ` +
        `${verdict(loso, 'ttft', 'p99', 20)}, ${verdict(loso, 'itl_tpot', 'p99', 20)}; ` +
        `LOSO (same source): ${verdict(sameSource, 'ttft', 'mean', 10)}, ${verdict(sameSource, 'itl_tpot', 'mean', 10)}, ${verdict(sameSource, 'ttft', 'median', 10)}, ${verdict(sameSource, 'itl_tpot', 'median', 10)}, ` +
        `${verdict(sameSource, 'ttft', 'p99', 20)}, ${verdict(sameSource, 'itl_tpot', 'p99', 20)}; ` +
        `(b′) joint: ${verdict(of('loso-joint'), 'ttft', 'mean', 10)}, ${verdict(of('loso-joint'), 'itl_tpot', 'mean', 10)}, ${verdict(of('loso-joint'), 'e2e', 'mean', 10)}, ${verdict(of('loso-joint'), 'ttft', 'p99', 20)}, ${verdict(of('loso-joint'), 'e2e', 'p99', 20)}.`,
      '',
    );
  }
  return out;
}

/** One row per sweep: central TTFT and ITL/TPOT median APE under (a), (b) pooled over donors, (c). */
export function perSweepTable(records: readonly LosoRecord[], sweeps: readonly Sweep[]): string[] {
  const out = ['### Per sweep', '', 'Median APE of the central statistics (mean, or median where only medians are measured); (b) pools the fits of every other sweep of the family.', ''];
  out.push('| family | sweep | GPU | model | TP | lengths | loads | TTFT (a) / (b) / (c) | ITL/TPOT (a) / (b) / (c) |');
  out.push('|---|---|---|---|---|---|---|---|---|');
  for (const s of sweeps) {
    const mine = records.filter((r) => r.sweep === s.id);
    const by = (mode: LosoRecord['mode']) => mine.filter((r) => r.mode === mode);
    if (by('shipped').length === 0) {
      out.push(`| ${s.family} | ${s.id} | ${s.hardwareId} | ${s.modelId} | ${s.tp} | ${lengthsCell(s)} | — | not simulated | — |`);
      continue;
    }
    const loads = new Set(by('shipped')[0]!.figures.map((f) => f.load)).size;
    const trio = (metric: FigureMetric) => (['shipped', 'loso', 'in-sample'] as const).map((m) => pct(median(figuresOf(by(m), metric, 'central').map(figureApe)))).join(' / ');
    out.push(`| ${s.family} | ${s.id} | ${s.hardwareId} | ${s.modelId} | ${s.tp} | ${lengthsCell(s)} | ${loads} | ${trio('ttft')} | ${trio('itl_tpot')} |`);
  }
  out.push('');
  return out;
}

export function transferTable(rows: readonly TransferRow[]): string[] {
  if (rows.length === 0) return [];
  const out = ['### Transfer rule, leave-one-GPU-out', ''];
  out.push("Each GPU's sweeps scored with: its own joint fit (in sample), another GPU's fit moved by the engine's transfer rule (`transferByRule`: vLLM's engine overheads on the target's datasheet efficiencies; other engines' efficiencies scaled by datasheet ratios, overheads copied), and datasheet defaults. Median APE of the central statistics.", '');
  out.push('| family | scored on | calibration | TTFT | ITL/TPOT | E2E | all latency figures |');
  out.push('|---|---|---|---|---|---|---|');
  for (const r of rows) {
    const m = (metric: FigureMetric) => pct(median(figuresOf([r], metric, 'central').map(figureApe)));
    const all = pct(median(r.figures.filter((f) => f.metric !== 'throughput').map(figureApe)));
    out.push(`| ${r.family} | ${r.target} | ${r.basis} | ${m('ttft')} | ${m('itl_tpot')} | ${m('e2e')} | ${all} |`);
  }
  out.push('');
  return out;
}
