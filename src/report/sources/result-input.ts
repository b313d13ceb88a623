/** The result files `servesim report` recognises, and what each source adds to a report. */
import type { ValidationReport } from '../../calibration/validate.ts';
import type { toReport } from '../../metrics/report.ts';
import type { CompareResult } from '../../planning/compare.ts';
import type { PlanResult } from '../../planning/plan.ts';
import type { SweepRow } from '../../planning/sweep-row.ts';
import type { ReportSection } from '../chart-data.ts';

/** The `servesim simulate --json` document of one run. */
export type SimulateReport = ReturnType<typeof toReport>;

export type ResultInput =
  | { readonly kind: 'simulate'; readonly file: string; readonly runs: readonly SimulateReport[] }
  | { readonly kind: 'compare'; readonly file: string; readonly result: CompareResult & { workload?: string; scenario?: string } }
  | { readonly kind: 'plan'; readonly file: string; readonly result: PlanResult & { workload?: string } }
  | { readonly kind: 'sweep'; readonly file: string; readonly rows: readonly SweepRow[] }
  | { readonly kind: 'validate'; readonly file: string; readonly report: ValidationReport };

/** One row of the summary ("decision") table at the top of a report. */
export interface SummaryRow {
  readonly source: string;
  readonly kind: string;
  readonly subject: string;
  readonly finding: string;
}

/** A source's part of a report: its section and its lines of the summary table. */
export interface SourceSection {
  readonly section: ReportSection;
  readonly summary: SummaryRow[];
}
