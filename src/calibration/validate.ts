import type { MeasuredBenchmark, MeasuredDeployment } from '../importers/types.ts';
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
  /** what the user states for benchmarks whose file does not (vLLM result JSON has no GPU): GPU, TP, model, weight and KV-cache formats */
  readonly assume?: Assumptions;
  /** how serving techniques are mapped (an assumed acceptance where a run states none) */
  readonly technique?: TechniqueOptions;
}

export interface Assumptions {
  readonly hardwareId?: string;
  readonly tp?: number;
  /** a servesim model id, for benchmarks that name no model, or one servesim has no profile of */
  readonly modelId?: string;
  readonly weights?: MeasuredDeployment['weights'];
  readonly kvCache?: MeasuredDeployment['kvCache'];
}

/**
 * Fill in what a benchmark's file leaves unsaid from the user's flags; what the file states wins. An
 * unmapped reason the filled field answers (a missing GPU, an unknown model) is dropped.
 */
export function withAssumptions(b: MeasuredBenchmark, assume: ValidateOptions['assume']): MeasuredBenchmark {
  if (!assume) return b;
  const dep: { -readonly [K in keyof MeasuredDeployment]: MeasuredDeployment[K] } = { ...b.deployment };
  const answered: RegExp[] = [];
  if (assume.hardwareId && !dep.hardwareId) {
    dep.hardwareId = assume.hardwareId;
    answered.push(/GPU|hardware/i);
  }
  if (assume.tp && dep.tp === undefined) dep.tp = assume.tp;
  if (assume.modelId && !dep.modelId) {
    dep.modelId = assume.modelId;
    answered.push(/model/i);
  }
  if (assume.weights && !dep.weights) dep.weights = assume.weights;
  if (assume.kvCache && !dep.kvCache) dep.kvCache = assume.kvCache;
  const changed = (Object.keys(dep) as (keyof MeasuredDeployment)[]).some((k) => dep[k] !== b.deployment[k]);
  if (!changed) return b;
  const { unmappedReason, ...rest } = b;
  const stillUnmapped = unmappedReason && !answered.some((r) => r.test(unmappedReason)) ? { unmappedReason } : {};
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
