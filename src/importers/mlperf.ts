import { InputError } from '../diagnostics/errors.ts';
import { parseCsv } from '../io/csv.ts';
import { readText } from './normalize.ts';

/**
 * MLPerf Inference results in the shared measurement-CSV schema (source_id mlperf_inference_*), read as
 * runs: one run per results folder (`location=` in notes) — a system × benchmark × scenario — with its
 * figures (one CSV row each). Nothing is interpreted here beyond the columns; mlperf-map.ts decides
 * how a run is simulated.
 */
export type MlperfScenario = 'Server' | 'Interactive' | 'Offline';

export interface MlperfFigure {
  readonly line: number;
  readonly metric: string;
  readonly statistic: string;
  readonly value: number;
  readonly unit: string;
}

export interface MlperfRun {
  readonly id: string;
  readonly location: string;
  readonly division: 'closed' | 'open';
  readonly submitter: string;
  readonly system: string;
  readonly gpuRaw: string;
  readonly numGpus: number;
  /** e.g. llama2-70b-99, llama2-70b-99.9, mixtral-8x7b, gptj-99 */
  readonly benchmark: string;
  readonly scenario: MlperfScenario;
  readonly precisionRaw: string;
  readonly engineRaw: string;
  readonly engineVersion: string;
  /** Server/Interactive: the Poisson target_qps (load_value) */
  readonly targetQps: number | undefined;
  readonly figures: readonly MlperfFigure[];
}

const field = (notes: string, key: string): string | undefined => new RegExp(`(?:^|;\\s*)${key}=([^;]+)`).exec(notes)?.[1]?.trim();

export function importMlperfCsv(path: string, text: string = readText(path)): MlperfRun[] {
  const rows = parseCsv(text, path);
  const header = rows[0]?.fields.map((f) => f.trim()) ?? [];
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new InputError(`${path}: no "${name}" column; expected the measurement CSV schema (SOURCES.md)`);
    return i;
  };
  const c = Object.fromEntries(
    ['source_id', 'gpu', 'num_gpus', 'model', 'precision', 'engine', 'engine_version', 'load_kind', 'load_value', 'metric', 'statistic', 'value', 'unit', 'notes'].map((n) => [n, col(n)]),
  );
  const runs = new Map<string, { run: Omit<MlperfRun, 'figures'>; figures: MlperfFigure[] }>();
  for (const r of rows.slice(1)) {
    const f = (name: string) => (r.fields[c[name]!] ?? '').trim();
    if (!/^mlperf/i.test(f('source_id'))) continue;
    const notes = f('notes');
    const location = field(notes, 'location');
    const scenario = field(notes, 'scenario');
    if (!location || (scenario !== 'Server' && scenario !== 'Offline' && scenario !== 'Interactive'))
      throw new InputError(`${path}:${r.line}: column "notes": expected "location=…" and "scenario=Server|Interactive|Offline", found "${notes.slice(0, 80)}"`);
    const value = Number(f('value'));
    if (!Number.isFinite(value)) throw new InputError(`${path}:${r.line}: column "value": expected a number, found "${f('value')}"`);
    let entry = runs.get(location);
    if (!entry) {
      const qps = Number(f('load_value'));
      entry = {
        run: {
          id: `${f('source_id')}#${r.line}`,
          location,
          division: /^open/i.test(notes) ? 'open' : 'closed',
          submitter: field(notes, 'submitter') ?? '?',
          system: field(notes, 'system') ?? '?',
          gpuRaw: f('gpu'),
          numGpus: Number(f('num_gpus')) || 1,
          benchmark: f('model'),
          scenario,
          precisionRaw: f('precision'),
          engineRaw: f('engine'),
          engineVersion: f('engine_version'),
          targetQps: scenario !== 'Offline' && qps > 0 ? qps : undefined,
        },
        figures: [],
      };
      runs.set(location, entry);
    }
    entry.figures.push({ line: r.line, metric: f('metric'), statistic: f('statistic'), value, unit: f('unit') });
  }
  return [...runs.values()].map((e) => ({ ...e.run, figures: e.figures }));
}
