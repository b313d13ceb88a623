/** Source: `servesim validate --json`, and in-process calibration comparisons (predicted vs measured). */
import type { ComparedMetric } from '../../calibration/predict.ts';
import type { ValidationReport } from '../../calibration/validate.ts';
import type { CalibrationPoint, ReportTable } from '../chart-data.ts';
import { calibrationSpec } from '../charts/index.ts';
import { base, f1 } from './format.ts';
import type { SourceSection } from './result-input.ts';

const METRIC_NAMES: Record<string, string> = {
  ttft: 'TTFT',
  itl: 'ITL',
  tpot: 'TPOT',
  e2e: 'E2E',
  itl_guidellm: 'ITL (GuideLLM)',
  tpot_guidellm: 'TPOT (GuideLLM)',
  output_throughput: 'Output throughput',
  request_throughput: 'Request throughput',
  total_throughput: 'Total throughput',
  input_throughput: 'Input throughput',
  total_token_throughput: 'Total token throughput',
};

/** The statistics the calibration chart keeps by default: p50 and p99 of latencies, every throughput. */
export function isKeyStatistic(metric: string, statistic: string): boolean {
  if (metric.endsWith('throughput')) return true;
  return statistic === 'median' || statistic === 'p50' || statistic === 'p99';
}

/** "TTFT p99", "Output throughput mean". */
export function calibrationMetricName(metric: string, statistic: string): string {
  const name = METRIC_NAMES[metric] ?? metric;
  if (metric.endsWith('throughput') && (statistic === 'value' || statistic === 'mean')) return name;
  return `${name} ${statistic === 'median' ? 'p50' : statistic}`;
}

function compareToPoint(c: ComparedMetric, split: 'fit' | 'check', label: string): CalibrationPoint {
  const throughput = c.metric.endsWith('throughput');
  const scale = throughput ? 1 : 1e3;
  return {
    metric: calibrationMetricName(c.metric, c.statistic),
    label,
    measured: c.measured * scale,
    predicted: c.predicted * scale,
    unit: throughput ? (c.metric === 'request_throughput' ? 'req/s' : 'tokens/s') : 'ms',
    split,
  };
}

/** Predicted-vs-measured comparisons (SI: seconds, per second) → chart points (ms); by default only p50/p99 latencies and throughputs. */
export function calibrationPointsFromCompared(compared: readonly ComparedMetric[], split: 'fit' | 'check', allStatistics = false): CalibrationPoint[] {
  return compared.filter((c) => c.measured > 0 && c.predicted > 0 && (allStatistics || isKeyStatistic(c.metric, c.statistic))).map((c) => compareToPoint(c, split, c.benchmarkId));
}

/** A `servesim validate --json` report → chart points (each row keeps its hash split fit/check). */
export function calibrationPointsFromValidation(report: Pick<ValidationReport, 'rows'>, allStatistics = false): CalibrationPoint[] {
  return report.rows
    .filter((r) => r.measured > 0 && r.predicted > 0 && (allStatistics || isKeyStatistic(r.metric, r.statistic)))
    .map((r) => compareToPoint(r, r.split, `${r.model} · ${r.hardware}${r.tp ? ` TP${r.tp}` : ''} · ${r.load} (${r.benchmarkId})`));
}

/** The report section of one validate --json file. */
export function validateSection(file: string, rep: ValidationReport): SourceSection {
  const pts = calibrationPointsFromValidation(rep);
  const table: ReportTable = {
    columns: ['metric', 'statistic', 'n', 'median APE %', 'mean APE %'],
    rows: rep.summary.map((s) => [s.metric, s.statistic, s.n, f1(s.median_ape), f1(s.mean_ape)]),
  };
  const apes = rep.rows.map((r) => r.apePct).sort((a, b) => a - b);
  const median = apes.length ? apes[Math.floor((apes.length - 1) / 2)]! : NaN;
  return {
    section: {
      heading: `Validation against measurements (${base(file)})`,
      text: `coverage: ${rep.coverage.mapped} of ${rep.coverage.rows} measured figures simulated.`,
      table,
      charts: pts.length > 0 ? [calibrationSpec(pts)] : [],
    },
    summary: [{ source: base(file), kind: 'validate', subject: `${rep.rows.length} figures`, finding: `median APE ${f1(median)}%` }],
  };
}
