import { extname } from 'node:path';
import { InputError } from '../diagnostics/errors.ts';
import {
  guidellmEra,
  guidellmFutureVersion,
  importGuidellmDocument,
  importGuidellmSummaryCsv,
  isGuidellmNativeCsvHeader,
  isGuidellmSummaryHeader,
  topLevel,
} from './guidellm.ts';
import { importMeasurementCsv, isMeasurementHeader } from './measurement-csv.ts';
import { parseCsv } from '../io/csv.ts';
import { parseJsonLines, parseJsonTolerant, parseStructured, readText } from './read-file.ts';
import { isRecord } from './values.ts';
import { rejectImpossibleFigure } from './figures.ts';
import type { MeasuredBenchmark, RejectedMetric } from './types.ts';
import {
  importVllmDocuments,
  importVllmMarkdown,
  importVllmSummaryRows,
  isVllmResult,
  isVllmSummaryRows,
} from './vllm-bench.ts';

export type { MeasuredBenchmark } from './types.ts';
export { DATASETS, datasetFromText } from './datasets.ts';
export { markRepeatedPrompts } from './repeated-prompts.ts';
export { HARDWARE_IDS, MODEL_IDS, normalizeEngine, normalizeGpu, normalizeModel, normalizePrecision } from './normalize.ts';

/**
 * Read one measurement file and return its benchmarks, detecting the format from the extension and the
 * content: GuideLLM reports (JSON/YAML, every schema era), vLLM serving-benchmark results (JSON, JSON Lines,
 * the nightly harness summary .json/.md), the measurement CSV schema, and the GuideLLM summary CSV.
 * Anything else is an InputError naming the file and what was found (top-level keys or the CSV header).
 */
export function importMeasurements(path: string): MeasuredBenchmark[] {
  return importAny(path).map(refuseImpossibleFigures);
}

/** Figures no importer should pass on (see importers/figures.ts), taken out of every benchmark. */
function refuseImpossibleFigures(b: MeasuredBenchmark): MeasuredBenchmark {
  const rejected = b.metrics.map((m) => rejectImpossibleFigure(m, b.id)).filter((r): r is RejectedMetric => r !== undefined);
  if (rejected.length === 0) return b;
  return { ...b, metrics: b.metrics.filter((m) => rejectImpossibleFigure(m, b.id) === undefined), rejectedMetrics: [...(b.rejectedMetrics ?? []), ...rejected] };
}

function importAny(path: string): MeasuredBenchmark[] {
  const text = readText(path);
  const ext = extname(path).toLowerCase();
  if (text.trim() === '') throw new InputError(`${path}: the file is empty`);

  if (ext === '.csv') return importCsv(path, text);
  if (ext === '.md' || ext === '.markdown') return importVllmMarkdown(path, text);
  if (ext === '.html' || ext === '.htm' || /^\s*<(!doctype|html)/i.test(text)) {
    throw new InputError(
      `${path}: an HTML file (a GuideLLM HTML report?) is not a supported measurement format; import the benchmarks.json of the same run`,
    );
  }

  let docs: unknown[];
  if (ext === '.json' || ext === '.jsonl' || /^\s*[{[]/.test(text)) {
    try {
      docs = [parseJsonTolerant(text, path)];
    } catch (e) {
      // vLLM --append-result writes one JSON object per line
      const lines = parseJsonLines(text, path);
      if (!lines) throw e;
      docs = lines;
    }
    if (docs.length === 1 && Array.isArray(docs[0]) && docs[0].length > 0 && docs[0].every(isVllmResult)) docs = docs[0];
  } else {
    docs = [parseKnownOrUnknown(text, path, ext)];
  }
  return importDocuments(docs, path);
}

function parseKnownOrUnknown(text: string, path: string, ext: string): unknown {
  if (ext === '.yaml' || ext === '.yml') return parseStructured(text, path);
  try {
    return parseStructured(text, path);
  } catch {
    const first = text.trimStart().split(/\r?\n/, 1)[0] ?? '';
    throw new InputError(
      `${path}: unknown measurement format: not JSON, YAML, CSV or a markdown table; the file starts with "${first.slice(0, 60)}"`,
    );
  }
}

function importDocuments(docs: readonly unknown[], path: string): MeasuredBenchmark[] {
  const [doc] = docs;
  if (docs.length === 1) {
    if (guidellmEra(doc) !== undefined || guidellmFutureVersion(doc) !== undefined) return importGuidellmDocument(doc, path);
    if (isVllmSummaryRows(doc)) return importVllmSummaryRows(doc, path);
  }
  if (docs.every(isVllmResult)) return importVllmDocuments(docs, path);
  if (isRecord(doc) && Array.isArray(doc.benchmarks)) {
    return importGuidellmDocument(doc, path); // throws with what was found inside
  }
  throw new InputError(
    `${path}: unknown measurement format: expected a GuideLLM report (benchmarks…), a vLLM benchmark result ` +
      `(model_id, duration, completed…) or a vLLM benchmark_results table; ${topLevel(doc)}`,
  );
}

function importCsv(path: string, text: string): MeasuredBenchmark[] {
  const firstLine = parseCsv(text.split(/\r?\n/, 1)[0] ?? '', path)[0]?.fields ?? [];
  if (isMeasurementHeader(firstLine)) return importMeasurementCsv(path, text);
  if (isGuidellmSummaryHeader(firstLine)) return importGuidellmSummaryCsv(path, text);
  if (isGuidellmNativeCsvHeader(firstLine)) {
    throw new InputError(
      `${path}: a GuideLLM CSV export is not supported (its layout changes between versions and it has no per-request data); ` +
        `import the benchmarks.json or .yaml of the same run`,
    );
  }
  const shown = firstLine.slice(0, 8).join(',');
  throw new InputError(
    `${path}:1: unknown CSV header "${shown}${firstLine.length > 8 ? ',…' : ''}"; expected the measurement CSV schema ` +
      `(source_id,gpu,num_gpus,…,measured_or_projected,notes) or the GuideLLM summary CSV (source_file,profile,rate,…)`,
  );
}
