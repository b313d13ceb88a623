/**
 * Markdown reports: the text and tables as GitHub-flavoured markdown, each chart as a PNG image written next
 * to the .md file (for wikis, pull requests and tools that do not run scripts). `markdownReport` is pure and
 * returns the markdown plus the list of images to render; `writeMarkdownReport` writes everything.
 */
import { dirname, join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { ReportDocument, ReportTable } from './chart-data.ts';
import { type ChartFileOptions, chartTitle, writeChart, type RenderOptions } from './render.ts';
import { writeFileAtomic } from '../io/write-file.ts';

export interface MarkdownImage {
  /** Path of the PNG relative to the markdown file (forward slashes). */
  readonly file: string;
  readonly spec: TopLevelSpec;
  readonly alt: string;
}

export interface MarkdownReport {
  readonly markdown: string;
  readonly images: readonly MarkdownImage[];
}

export interface MarkdownReportOptions {
  /** Folder for the images, relative to the markdown file; '' (default) puts them beside it. */
  readonly imageDir?: string | undefined;
  /** File-name prefix of the images (default 'chart'). */
  readonly imagePrefix?: string | undefined;
}

/** "Latency vs offered load" → "latency-vs-offered-load" */
export function slug(s: string): string {
  const out = s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
  return out.length > 0 ? out : 'chart';
}

function cell(v: string | number | undefined): string {
  return (v === undefined ? '' : String(v)).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function markdownTable(table: ReportTable): string {
  const numeric = table.columns.map((_, c) => table.rows.length > 0 && table.rows.every((r) => typeof r[c] === 'number'));
  const lines: string[] = [];
  if (table.caption !== undefined) lines.push(`**${cell(table.caption)}**`, '');
  lines.push(`| ${table.columns.map(cell).join(' | ')} |`);
  lines.push(`|${numeric.map((n) => (n ? ' ---: ' : ' --- ')).join('|')}|`);
  for (const r of table.rows) lines.push(`| ${table.columns.map((_, c) => cell(r[c])).join(' | ')} |`);
  return lines.join('\n');
}

export function markdownReport(doc: ReportDocument, options: MarkdownReportOptions = {}): MarkdownReport {
  const dir = (options.imageDir ?? '').replace(/\\/g, '/').replace(/\/+$/, '');
  const prefix = options.imagePrefix ?? 'chart';
  const images: MarkdownImage[] = [];
  const parts: string[] = [`# ${doc.title}`];
  if (doc.subtitle !== undefined) parts.push(`_${doc.subtitle}_`);
  for (const section of doc.sections) {
    parts.push(`## ${section.heading}`);
    if (section.text !== undefined && section.text.trim().length > 0) parts.push(section.text.trim());
    if (section.table !== undefined) parts.push(markdownTable(section.table));
    for (const spec of section.charts) {
      const alt = chartTitle(spec);
      const n = String(images.length + 1).padStart(2, '0');
      const name = `${prefix}-${n}-${slug(alt)}.png`;
      const file = dir.length > 0 ? `${dir}/${name}` : name;
      images.push({ file, spec, alt });
      parts.push(`![${alt.replace(/[[\]]/g, '')}](${encodeURI(file)})`);
    }
  }
  return { markdown: parts.join('\n\n') + '\n', images };
}

/**
 * Write `markdownFile` and render its images (PNG) next to it. Returns the paths written. Charts are rendered
 * one after another: each takes 0.1–0.3 s and ~250 MB of RSS is the floor for vega, so parallelism buys little.
 */
export async function writeMarkdownReport(
  doc: ReportDocument,
  markdownFile: string,
  options: MarkdownReportOptions & RenderOptions & ChartFileOptions = {},
): Promise<{ markdownFile: string; imageFiles: string[] }> {
  const report = markdownReport(doc, options);
  const base = dirname(markdownFile);
  const imageFiles: string[] = [];
  for (const img of report.images) {
    const file = join(base, ...img.file.split('/'));
    await writeChart(img.spec, file, { ...options, label: '--out', createDirs: true });
    imageFiles.push(file);
  }
  writeFileAtomic(markdownFile, report.markdown, { label: '--out', overwrite: options.overwrite, createDirs: true });
  return { markdownFile, imageFiles };
}
