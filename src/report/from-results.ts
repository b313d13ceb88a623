/**
 * From servesim results to report documents: a small dispatcher over one adapter per result kind in
 * sources/ (simulate, plan, compare, sweep, validate/calibration), and the public face of those adapters
 * for the CLI's `--chart` flags and notebooks. Everything here is pure: no file or console I/O.
 */
import type { ReportDocument } from './chart-data.ts';
import { validateSection } from './sources/calibration.ts';
import { compareSection } from './sources/compare.ts';
import { base } from './sources/format.ts';
import { planSection } from './sources/plan.ts';
import type { ResultInput, SourceSection } from './sources/result-input.ts';
import { simulateSection } from './sources/simulate.ts';
import { sweepSection } from './sources/sweep.ts';

export { cdfPoints } from './chart-data.ts';
export { chartFilesFor, suffixedChartFile } from './chart-files.ts';
export { calibrationMetricName, calibrationPointsFromCompared, calibrationPointsFromValidation, isKeyStatistic } from './sources/calibration.ts';
export { candidateRowsFromCompare } from './sources/compare.ts';
export { rooflineCeiling, stepBreakdownRows, stepLabel } from './sources/explain.ts';
export { ratePointsFromPlan } from './sources/plan.ts';
export { parseResultFile } from './sources/recognise.ts';
export type { ResultInput, SimulateReport, SummaryRow } from './sources/result-input.ts';
export {
  cdfFromReport,
  cdfFromSimulation,
  deploymentSeries,
  offeredRate,
  ratePointsFromReports,
  ratePointsFromSimulations,
  runLabel,
  timelineFromReport,
} from './sources/simulate.ts';
export { sloLinesFromReport, sloLinesFromText } from './sources/slo-lines.ts';
export { parseSweepFile, ratePointsFromSweepRows, sweepSeries } from './sources/sweep.ts';

/** One result file → its section and summary lines, by kind. */
function sectionOf(inp: ResultInput): SourceSection {
  switch (inp.kind) {
    case 'simulate':
      return simulateSection(inp.file, inp.runs);
    case 'compare':
      return compareSection(inp.file, inp.result);
    case 'plan':
      return planSection(inp.file, inp.result);
    case 'sweep':
      return sweepSection(inp.file, inp.rows);
    case 'validate':
      return validateSection(inp.file, inp.report);
  }
}

/** A whole report from recognised result files: a summary (decision) table first, then one section per file. */
export function reportDocumentFromResults(inputs: readonly ResultInput[], title = 'servesim capacity report'): ReportDocument {
  const parts = inputs.map(sectionOf);
  const summary = parts.flatMap((p) => p.summary);
  return {
    title,
    subtitle: `From ${inputs.map((i) => base(i.file)).join(', ')}`,
    sections: [
      {
        heading: 'Summary',
        text: 'One line per result file: what it is about and what it decides.',
        table: { columns: ['source', 'kind', 'subject', 'decision / finding'], rows: summary.map((s) => [s.source, s.kind, s.subject, s.finding]) },
        charts: [],
      },
      ...parts.map((p) => p.section),
    ],
  };
}
