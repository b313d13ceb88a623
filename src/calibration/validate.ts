import type { MeasuredBenchmark } from '../importers/types.ts';
import type { ProfileRegistry } from '../profiles/registry.ts';
import type { CalibrationFile } from '../schema/calibration.ts';
import { calibrationFor, mapBenchmark } from './map.ts';
import { applyTechnique, type TechniqueOptions } from './techniques.ts';
import { type ComparedMetric, predictBenchmark } from './predict.ts';
import { type ErrorSummaryRow, splitOf, summarizeErrors } from './summary.ts';

/** `servesim validate`: every benchmark it can map, simulated and compared; coverage for the rest. */
export interface ValidationRow extends ComparedMetric {
  readonly source: string;
  readonly model: string;
  readonly hardware: string;
  readonly tp: number | undefined;
  readonly engine: string;
  readonly load: string;
  readonly calibration: string;
  readonly split: 'fit' | 'check';
}

export interface ValidationReport {
  readonly rows: ValidationRow[];
  readonly summary: ErrorSummaryRow[];
  readonly coverage: { readonly rows: number; readonly mapped: number; readonly unmappedReasons: Record<string, number> };
}

export interface ValidateOptions {
  readonly explicit?: CalibrationFile;
  readonly shipped: readonly CalibrationFile[];
  /** only benchmarks in this split (default all) */
  readonly split?: 'fit' | 'check' | 'all';
  readonly onProgress?: (done: number, total: number) => void;
  /** fill in what a file does not state (e.g. vLLM result JSON has no GPU) */
  readonly assume?: { readonly hardwareId?: string; readonly tp?: number };
  /** how serving techniques are mapped (an assumed acceptance where a run states none) */
  readonly technique?: TechniqueOptions;
}

export function withAssumptions(b: MeasuredBenchmark, assume: ValidateOptions['assume']): MeasuredBenchmark {
  if (!assume) return b;
  const dep = { ...b.deployment };
  let changed = false;
  if (assume.hardwareId && !dep.hardwareId) {
    (dep as { hardwareId?: string }).hardwareId = assume.hardwareId;
    changed = true;
  }
  if (assume.tp && dep.tp === undefined) {
    (dep as { tp?: number }).tp = assume.tp;
    changed = true;
  }
  if (!changed) return b;
  const { unmappedReason, ...rest } = b;
  const stillUnmapped = unmappedReason && !/GPU|hardware/i.test(unmappedReason) ? { unmappedReason } : {};
  return { ...rest, deployment: dep, ...stillUnmapped };
}

export function validate(benchmarks: readonly MeasuredBenchmark[], registry: ProfileRegistry, options: ValidateOptions): ValidationReport {
  const rows: ValidationRow[] = [];
  const reasons: Record<string, number> = {};
  let total = 0;
  let mapped = 0;
  const count = (reason: string, n: number) => {
    reasons[reason] = (reasons[reason] ?? 0) + n;
  };
  benchmarks.forEach((raw, i) => {
    const b = withAssumptions(raw, options.assume);
    options.onProgress?.(i, benchmarks.length);
    const split = splitOf(b.id);
    const figures = Math.max(1, b.metrics.length);
    if (options.split && options.split !== 'all' && split !== options.split) return;
    for (const r of b.rejectedMetrics ?? []) {
      total += 1;
      count(`rejected at import: ${r.where}: ${r.reason}`, 1);
    }
    if (b.metrics.length === 0 && (b.rejectedMetrics?.length ?? 0) > 0) return;
    total += figures;
    const plain = mapBenchmark(b, registry);
    if (!plain.ok) return count(plain.reason, figures);
    const m = applyTechnique(plain.mapped, options.technique).outcome;
    if (!m.ok) return count(m.reason, figures);
    const cal = calibrationFor(m.mapped, registry, options.shipped, options.explicit);
    const pred = predictBenchmark(m.mapped, registry, cal);
    if (!pred.ok) return count(pred.reason, figures);
    mapped += pred.compared.length;
    if (pred.compared.length < figures) count('metric the simulator does not predict', figures - pred.compared.length);
    for (const c of pred.compared)
      rows.push({
        ...c,
        source: b.source.sourceId ?? b.source.file,
        model: b.deployment.modelId ?? '',
        hardware: b.deployment.hardwareId ?? '',
        tp: m.mapped.choice.tp,
        engine: m.mapped.engine,
        load: b.workload.load === 'poisson' || b.workload.load === 'constant' ? `${b.workload.load} ${b.workload.rate}` : (b.workload.load ?? '?'),
        calibration: cal.id,
        split,
      });
  });
  return { rows, summary: summarizeErrors(rows), coverage: { rows: total, mapped, unmappedReasons: reasons } };
}
