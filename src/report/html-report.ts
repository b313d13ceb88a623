/**
 * Self-contained HTML reports: one file with vega, vega-lite and vega-embed inlined from node_modules, the
 * chart specs embedded as JSON, and a little CSS. It works offline (no <script src>, no CDN) and keeps
 * vega-embed's tooltips and its "…" menu for saving a chart as SVG/PNG.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TopLevelSpec } from 'vega-lite';
import type { ReportDocument, ReportSection, ReportTable } from './chart-data.ts';

/**
 * The folder of an installed package. `require.resolve('vega/build/vega.min.js')` and `'vega/package.json'`
 * are blocked by the packages' exports maps, so resolve the main entry and walk up to its package.json.
 */
export function packageDir(name: string): string {
  let entry: string;
  try {
    entry = fileURLToPath(import.meta.resolve(name));
  } catch {
    entry = createRequire(import.meta.url).resolve(name);
  }
  let dir = dirname(entry);
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === name) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package folder of ${name} not found above ${entry}`);
    dir = parent;
  }
}

interface Library {
  readonly name: string;
  readonly version: string;
  readonly code: string;
}

const LIBRARY_FILES: ReadonlyArray<readonly [string, string]> = [
  ['vega', 'build/vega.min.js'],
  ['vega-lite', 'build/vega-lite.min.js'],
  ['vega-embed', 'build/vega-embed.min.js'],
];

let libraries: readonly Library[] | undefined;

/** vega, vega-lite and vega-embed minified bundles (UMD; they define window.vega, vegaLite, vegaEmbed). */
export function vegaLibraries(): readonly Library[] {
  if (libraries === undefined) {
    libraries = LIBRARY_FILES.map(([name, file]) => {
      const dir = packageDir(name);
      const version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
      return { name, version, code: readFileSync(join(dir, file), 'utf8') };
    });
  }
  return libraries;
}

/** Make script text safe inside <script>…</script>. */
function scriptSafe(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON that cannot close its <script> element or start an HTML comment. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #222; background: #fff; margin: 0; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 26px; margin: 0 0 6px; }
.subtitle { color: #555; margin: 0 0 28px; font-size: 15px; }
h2 { font-size: 19px; margin: 40px 0 10px; padding-bottom: 6px; border-bottom: 1px solid #ddd; }
p { line-height: 1.5; max-width: 900px; }
table { border-collapse: collapse; margin: 12px 0 20px; font-size: 13px; }
caption { text-align: left; font-weight: bold; padding-bottom: 6px; }
th, td { padding: 5px 12px; border-bottom: 1px solid #e3e3e3; }
th { text-align: left; border-bottom: 2px solid #bbb; background: #f6f6f6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart { margin: 18px 0 26px; overflow-x: auto; }
.chart-error { color: #a00; font-family: monospace; white-space: pre-wrap; }
footer { margin-top: 48px; color: #888; font-size: 12px; }
`;

function tableHtml(table: ReportTable): string {
  const numeric = table.columns.map((_, c) => table.rows.length > 0 && table.rows.every((r) => typeof r[c] === 'number'));
  const cls = (c: number): string => (numeric[c] === true ? ' class="num"' : '');
  const head = table.columns.map((h, c) => `<th${cls(c)}>${escapeHtml(h)}</th>`).join('');
  const body = table.rows
    .map(
      (r) =>
        '<tr>' +
        table.columns
          .map((_, c) => {
            const v = r[c];
            const isNum = typeof v === 'number';
            return `<td${isNum ? ' class="num"' : ''}>${escapeHtml(v === undefined ? '' : String(v))}</td>`;
          })
          .join('') +
        '</tr>',
    )
    .join('\n');
  const caption = table.caption === undefined ? '' : `<caption>${escapeHtml(table.caption)}</caption>`;
  return `<table>${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

const EMBED_SCRIPT = `
(function () {
  var specs = JSON.parse(document.getElementById('servesim-specs').textContent);
  var opts = {
    renderer: 'svg',
    tooltip: true,
    actions: { export: true, source: false, compiled: false, editor: false },
  };
  specs.forEach(function (spec, i) {
    var el = document.getElementById('chart-' + i);
    vegaEmbed(el, spec, opts).catch(function (err) {
      el.className += ' chart-error';
      el.textContent = 'This chart could not be drawn: ' + err;
      console.error(err);
    });
  });
})();
`;

function page(title: string, body: string, specs: readonly TopLevelSpec[]): string {
  const libs = vegaLibraries();
  const versions = libs.map((l) => `${l.name} ${l.version}`).join(', ');
  const scripts = libs.map((l) => `<script>/* ${l.name} ${l.version} */\n${scriptSafe(l.code)}\n</script>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="servesim (${escapeHtml(versions)})">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
${scripts}
<script type="application/json" id="servesim-specs">${jsonForScript(specs)}</script>
<script>${EMBED_SCRIPT}</script>
</body>
</html>
`;
}

/** One self-contained HTML file for a whole report. */
export function htmlReport(doc: ReportDocument): string {
  const specs: TopLevelSpec[] = [];
  const sectionHtml = (s: ReportSection): string => {
    const parts = [`<section>`, `<h2>${escapeHtml(s.heading)}</h2>`];
    if (s.text !== undefined) parts.push(paragraphs(s.text));
    if (s.table !== undefined) parts.push(tableHtml(s.table));
    for (const spec of s.charts) {
      parts.push(`<div class="chart" id="chart-${specs.length}"></div>`);
      specs.push(spec);
    }
    parts.push('</section>');
    return parts.join('\n');
  };
  const body = [
    `<h1>${escapeHtml(doc.title)}</h1>`,
    doc.subtitle === undefined ? '' : `<p class="subtitle">${escapeHtml(doc.subtitle)}</p>`,
    ...doc.sections.map(sectionHtml),
    `<footer>Generated by servesim. Charts are interactive: hover for values; use the … menu to save one as SVG or PNG.</footer>`,
  ]
    .filter((p) => p.length > 0)
    .join('\n');
  return page(doc.title, body, specs);
}

/** A self-contained page holding one chart (renderChart's 'html' format). */
export function chartHtmlPage(spec: TopLevelSpec, title: string): string {
  return page(title, `<div class="chart" id="chart-0"></div>`, [spec]);
}
