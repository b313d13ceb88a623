/** A day's rate curve sizes for its peak and costs the day; `report` turns recommend --json into a section. */
import { describe, expect, it } from 'vitest';
import { DeploymentResolver } from '../../src/planning/deployment-resolver.ts';
import { recommend, type RecommendRequest } from '../../src/planning/recommend/request.ts';
import { markdownReport } from '../../src/report/markdown-report.ts';
import { parseResultFile, reportDocumentFromResults } from '../../src/report/from-results.ts';

const ONE: RecommendRequest = {
  resolver: new DeploymentResolver(),
  models: 'llama-3.1-8b',
  hardware: 'h100-sxm',
  tp: [1],
  pp: [1],
  weights: ['fp8'],
  kvCache: ['bf16'],
  engines: ['vllm'],
  maxNumSeqs: [256],
  maxNumBatchedTokens: [8192],
  workload: 'chat',
  search: { seeds: 1, minRequests: 300, maxRequests: 600, spanS: 20, tolerance: 0.08, maxIterations: 6 },
};

describe('recommend with a rate curve, and in a report', () => {
  it('sizes for the peak and costs a day that follows the curve', async () => {
    const r = await recommend({ ...ONE, rateCurve: '2,4,8,40' });
    expect(r.targetRatePerS).toBe(40);
    const v = r.front[0]!.verified!;
    // quiet slices need fewer replicas than the peak: the day costs less than 24 peak hours
    expect(v.usdPerDay).not.toBeNull();
    expect(v.usdPerDay!).toBeLessThan(v.usdPerHour! * 24);
    expect(v.usdPerDay!).toBeGreaterThanOrEqual((v.usdPerHour! / v.replicas) * 24 - 1e-9); // every slice runs at least one replica
  }, 120_000);

  it('report recognises recommend --json and writes its front and chart', async () => {
    const r = await recommend({ ...ONE, targetRatePerS: 10 });
    const input = parseResultFile('rec.json', JSON.stringify(r));
    expect(input.kind).toBe('recommend');
    const doc = reportDocumentFromResults([input]);
    const section = doc.sections.find((s) => s.heading.startsWith('Recommendation'))!;
    expect(section.table!.rows).toHaveLength(1);
    expect(section.charts).toHaveLength(1);
    expect(markdownReport(doc).markdown).toMatch(/Pareto front \(verified\)/);
  }, 120_000);
});
