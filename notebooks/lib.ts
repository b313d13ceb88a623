/**
 * Display helpers shared by the notebooks (Deno Jupyter kernel). Each chart is shown as ONE output with two
 * representations: the vega-lite spec (interactive in JupyterLab / VS Code) and an SVG from servesim's own
 * headless renderer (shown by viewers and static exports that ignore the vega-lite MIME type).
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../src/report/render.ts';
import { markdownTable } from '../src/report/markdown-report.ts';
import type { ReportTable } from '../src/report/chart-data.ts';

export async function showChart(spec: TopLevelSpec): Promise<void> {
  const svg = await renderSvg(spec);
  // the spec declares the vega-lite v6 schema; the notebook MIME type is v5: drop $schema so v5 renderers accept it
  const { $schema: _schema, ...vl } = spec as TopLevelSpec & { $schema?: string };
  await Deno.jupyter.display({ 'application/vnd.vegalite.v5+json': vl, 'image/svg+xml': svg, 'text/plain': `[chart] ${svg.length} bytes of SVG` }, { raw: true });
}

export async function showTable(table: ReportTable): Promise<void> {
  await Deno.jupyter.display({ 'text/markdown': markdownTable(table), 'text/plain': JSON.stringify(table.rows) }, { raw: true });
}

export const r1 = (x: number | undefined): number | string => (x === undefined || !Number.isFinite(x) ? '—' : Math.round(x * 10) / 10);
export const r2 = (x: number | undefined): number | string => (x === undefined || !Number.isFinite(x) ? '—' : Math.round(x * 100) / 100);
