import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../src/report/chart-data.ts';
import { markdownReport, slug, writeMarkdownReport } from '../../src/report/markdown-report.ts';
import { sampleSpecs } from './sample-specs.ts';

const spec = (name: string) => sampleSpecs.find(([n]) => n === name)?.[1] ?? (() => { throw new Error(name); })();

const doc: ReportDocument = {
  title: 'Capacity plan',
  subtitle: 'Llama-3.1-8B at 40 req/s',
  sections: [
    {
      heading: 'Candidates',
      text: 'Cheapest first.',
      table: {
        columns: ['Candidate', 'Replicas', '$/Mtok'],
        rows: [
          ['H100 SXM ×1', 4, 0.53],
          ['L40S ×2 | TP2', 6, 0.61],
        ],
      },
      charts: [spec('planner-comparison')],
    },
    { heading: 'Load', charts: [spec('latency-vs-rate'), spec('slo-attainment')] },
  ],
};

const tmp = mkdtempSync(join(tmpdir(), 'servesim-md-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('markdownReport', () => {
  it('writes headings, tables with right-aligned numbers and image links', () => {
    const r = markdownReport(doc, { imageDir: 'img' });
    expect(r.images.map((i) => i.file)).toEqual([
      'img/chart-01-deployment-candidates-size-and-cost.png',
      'img/chart-02-latency-vs-offered-load.png',
      'img/chart-03-slo-attainment-vs-offered-load.png',
    ]);
    expect(r.markdown).toContain('# Capacity plan\n\n_Llama-3.1-8B at 40 req/s_\n\n## Candidates\n\nCheapest first.');
    expect(r.markdown).toContain('| Candidate | Replicas | $/Mtok |\n| --- | ---: | ---: |\n| H100 SXM ×1 | 4 | 0.53 |');
    expect(r.markdown).toContain('| L40S ×2 \\| TP2 | 6 | 0.61 |');
    expect(r.markdown).toContain('![Latency vs offered load](img/chart-02-latency-vs-offered-load.png)');
    expect(r.images[0]?.spec).toBe(spec('planner-comparison'));
  });

  it('slugs are file-name safe', () => {
    expect(slug('SLO attainment vs offered load')).toBe('slo-attainment-vs-offered-load');
    expect(slug('Roofline: operators against the GPU limits')).toBe('roofline-operators-against-the-gpu-limits');
    expect(slug('★')).toBe('chart');
  });

  it('writeMarkdownReport writes the markdown and the PNGs beside it', async () => {
    const small: ReportDocument = { title: 'T', sections: [{ heading: 'H', charts: [spec('slo-attainment')] }] };
    const out = await writeMarkdownReport(small, join(tmp, 'report', 'plan.md'));
    expect(readFileSync(out.markdownFile, 'utf8')).toContain('](chart-01-slo-attainment-vs-offered-load.png)');
    expect(out.imageFiles).toEqual([join(tmp, 'report', 'chart-01-slo-attainment-vs-offered-load.png')]);
    for (const f of out.imageFiles) {
      expect(existsSync(f)).toBe(true);
      expect(readFileSync(f).subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  });
});
