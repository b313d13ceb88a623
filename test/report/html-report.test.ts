/**
 * The self-contained HTML report: libraries inlined, no external scripts, specs round-trip, text escaped; and,
 * where Debian's chromium is installed (CI), it draws every chart in headless Chromium without console errors.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../src/report/chart-data.ts';
import { htmlReport, packageDir, vegaLibraries } from '../../src/report/html-report.ts';
import { sampleSpecs } from './sample-specs.ts';

const CHROMIUM = '/usr/bin/chromium';

const doc: ReportDocument = {
  title: 'Capacity plan </script><script>alert(1)</script>',
  subtitle: 'Llama-3.1-8B, chat workload & 40 req/s',
  sections: [
    {
      heading: 'Candidates',
      text: 'Two paragraphs.\n\nThe second <b>one</b>.',
      table: {
        caption: 'Sized for 40 req/s',
        columns: ['Candidate', 'Replicas', '$/Mtok'],
        rows: [
          ['H100 SXM ×1', 4, 0.53],
          ['L40S ×2 | TP2', 6, 0.61],
        ],
      },
      charts: sampleSpecs.slice(0, 5).map(([, s]) => s),
    },
    { heading: 'Cost model', charts: sampleSpecs.slice(5).map(([, s]) => s) },
  ],
};

const tmp = mkdtempSync(join(tmpdir(), 'servesim-html-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('htmlReport', () => {
  const html = htmlReport(doc);

  it('finds the library folders despite their exports maps', () => {
    for (const name of ['vega', 'vega-lite', 'vega-embed']) {
      expect(JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')).name).toBe(name);
    }
  });

  it('inlines vega, vega-lite and vega-embed and loads nothing from outside', () => {
    for (const lib of vegaLibraries()) {
      expect(lib.code.length).toBeGreaterThan(50_000);
      expect(html).toContain(`<script>/* ${lib.name} ${lib.version} */`);
      expect(html).toContain(lib.code.slice(0, 2000));
      expect(html).toContain(lib.code.slice(-2000));
    }
    expect(html).not.toMatch(/<script[^>]*\ssrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<(img|iframe)\b[^>]*(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?(https?:)?\/\//i);
    expect(html.length).toBeGreaterThan(700_000);
  });

  it('embeds the specs as JSON that round-trips', () => {
    const m = /<script type="application\/json" id="servesim-specs">([\s\S]*?)<\/script>/.exec(html);
    expect(m).not.toBeNull();
    const specs = JSON.parse(m?.[1] ?? '[]') as unknown[];
    expect(specs).toEqual(JSON.parse(JSON.stringify(sampleSpecs.map(([, s]) => s))));
    expect((html.match(/<div class="chart" id="chart-\d+"><\/div>/g) ?? []).length).toBe(sampleSpecs.length);
  });

  it('escapes text and tables', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('Capacity plan &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<p>The second &lt;b&gt;one&lt;/b&gt;.</p>');
    expect(html).toContain('<td class="num">0.53</td>');
    expect(html).toContain('<caption>Sized for 40 req/s</caption>');
    expect(html).toContain('chat workload &amp; 40 req/s');
  });

  it('draws every chart in headless Chromium without console errors', async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      ctx.skip(`${CHROMIUM} not found; CI installs the Debian "chromium" package to run this test`);
    }
    const { chromium } = await import('playwright-core');
    const file = join(tmp, 'report.html');
    writeFileSync(file, html);
    const context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const problems: string[] = [];
      await context.route('**/*', async (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        problems.push(`network request: ${url}`);
        return route.abort();
      });
      const page = await context.newPage();
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`page error: ${String(err)}`));
      await page.goto(pathToFileURL(file).href);
      // browser-side code as strings: this project compiles without the DOM lib
      await page.waitForFunction(
        `(() => {
          const charts = Array.from(document.querySelectorAll('.chart'));
          return charts.length === ${sampleSpecs.length} && charts.every((c) => c.querySelector('svg.marks .role-mark') !== null);
        })()`,
        undefined,
        { timeout: 30_000 },
      );
      const marks = (await page.evaluate(
        `Array.from(document.querySelectorAll('.chart')).map(
          (c) => c.querySelectorAll('svg.marks .role-mark path, svg.marks .role-mark text, svg.marks .role-mark line').length)`,
      )) as number[];
      expect(marks).toHaveLength(sampleSpecs.length);
      for (const n of marks) expect(n).toBeGreaterThan(5);
      expect(await page.locator('.chart-error').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
