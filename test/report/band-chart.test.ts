import { describe, expect, it } from 'vitest';
import type { RatePoint } from '../../src/report/chart-data.ts';
import { latencyVsRateSpec } from '../../src/report/charts/index.ts';

const point = (rate: number, band?: readonly [number, number]): RatePoint => ({
  series: 'a',
  requestRatePerS: rate,
  ttftP50Ms: 20,
  ttftP99Ms: 40 + rate,
  itlP50Ms: 5,
  itlP99Ms: 9,
  outputTokensPerS: 100,
  requestsPerS: rate,
  saturated: false,
  ...(band ? { p99Band80Ms: { ttft: band } } : {}),
});

/** every layer of every panel, flattened */
const layers = (spec: unknown): Record<string, unknown>[] => ((spec as { hconcat: { layer: Record<string, unknown>[] }[] }).hconcat ?? []).flatMap((p) => p.layer);

describe('latency vs rate draws the p99 bands', () => {
  it('a shaded area from the band’s low to high end where points carry one, and the y scale includes the band', () => {
    const spec = latencyVsRateSpec([point(2, [30, 90]), point(4, [35, 120])], { metrics: ['ttft'] });
    const area = layers(spec).find((l) => (l['mark'] as { type?: string }).type === 'area');
    expect(area).toBeDefined();
    expect((area!['encoding'] as Record<string, { field?: string }>)['y']!.field).toBe('bandLowMs');
    expect((area!['encoding'] as Record<string, { field?: string }>)['y2']!.field).toBe('bandHighMs');
    const rows = (spec as unknown as { hconcat: { data: { values: Record<string, number>[] } }[] }).hconcat[0]!.data.values;
    expect(rows.filter((r) => r['bandHighMs'] !== undefined).map((r) => r['bandHighMs'])).toEqual([90, 120]);
    expect(JSON.stringify(spec)).toContain('Shaded: 80% band of the p99');
  });

  it('no band, no area (charts of documents written before bands are unchanged)', () => {
    const spec = latencyVsRateSpec([point(2), point(4)], { metrics: ['ttft'] });
    expect(layers(spec).some((l) => (l['mark'] as { type?: string }).type === 'area')).toBe(false);
  });
});
