/**
 * A missing price never changes a decision silently: a candidate without a price stays in the comparison,
 * is ranked apart from the priced ones (never dropped from the cost ranking, never letting another win it by
 * default without saying so), and the output says which --price would include it. The comparison chart's
 * cost axis is scaled from the priced values, not reset by the unpriced row.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliContext } from '../../src/cli/context.ts';
import { main } from '../../src/cli/main.ts';
import { compareCandidates, parseCandidates } from '../../src/planning/compare.ts';
import { parsePrices } from '../../src/planning/plan.ts';
import { plannerComparisonSpec } from '../../src/report/charts/index.ts';
import type { CandidateRow } from '../../src/report/chart-data.ts';
import { WORKLOAD_PRESETS } from '../../src/workload/presets.ts';
import { overlappingLabels, sceneFacts } from '../report/scene.ts';

const ctx = new CliContext();
const chat = WORKLOAD_PRESETS['chat']!;
const search = { seeds: 1, minRequests: 300, maxRequests: 600, spanS: 10, tolerance: 0.1, maxIterations: 6 };
// h100-sxm has a price in its profile, h200-nvl has none
const CANDIDATES = 'llama-3.2-1b@h100-sxm:tp=1,llama-3.2-1b@h200-nvl:tp=1';
const plan = { shape: { lengths: chat.lengths }, slo: chat.slo, seed: 7, search, targetRatePerS: 20 };

describe('compare with an unpriced candidate', () => {
  it('keeps it, ranks it apart from the priced ones, and names the --price that would include it', () => {
    expect(ctx.registry.getHardware('h200-nvl').price).toBeUndefined();
    const r = compareCandidates(ctx, { model: '', hardware: '' }, parseCandidates(CANDIDATES), plan);
    expect(r.rows.map((x) => x.candidate)).toEqual(CANDIDATES.split(','));
    const nvl = r.rows[1]!;
    expect(nvl.feasible).toBe(true);
    expect(nvl.target!.verified).toBe(true);
    expect(nvl.target!.usdPerHour).toBeUndefined();
    expect(r.costRanking.priced.map((p) => p.candidate)).toEqual(['llama-3.2-1b@h100-sxm:tp=1']);
    expect(r.costRanking.unpriced).toEqual([
      { candidate: 'llama-3.2-1b@h200-nvl:tp=1', hardware: 'h200-nvl', gpus: nvl.target!.gpus, hint: 'no price — pass --price h200-nvl=USD_PER_GPU_HOUR' },
    ]);
    // the cost winner is the cheapest priced candidate, and the unpriced one is still eligible for the rest
    expect(r.best['lowest $/Mtok']).toBe('llama-3.2-1b@h100-sxm:tp=1');
    // ... and the latency criteria are decided over every candidate, the unpriced one included
    const ttft = (x: (typeof r.rows)[number]) => x.target!.latency.ttftP99Ms;
    const fastest = [...r.rows].sort((a, b) => ttft(a) - ttft(b))[0]!;
    expect(r.best['lowest TTFT p99']).toBe(fastest.candidate);
    expect(ttft(nvl)).not.toBe(ttft(r.rows[0]!)); // the comparison is real, not a tie broken by order
  });

  it('with --price for it, the same candidate joins the cost ranking', () => {
    const r = compareCandidates(ctx, { model: '', hardware: '' }, parseCandidates(CANDIDATES), plan, parsePrices('h200-nvl=0.5'));
    expect(r.costRanking.unpriced).toEqual([]);
    expect(r.costRanking.priced.map((p) => p.candidate).sort()).toEqual(CANDIDATES.split(',').sort());
    expect(r.best['lowest $/Mtok']).toBe(r.costRanking.priced[0]!.candidate);
  });
});

describe('compare CLI with an unpriced candidate', () => {
  afterEach(() => vi.restoreAllMocks());

  it('says the decision is the cheapest of the priced candidates and shows the hint', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await main(['compare', '--candidates', CANDIDATES, '--workload', 'chat', '--target-rate', '20', '--seeds', '1', '--min-requests', '300', '--tolerance', '0.1']);
    vi.restoreAllMocks();
    expect(code).toBe(0);
    expect(out).toMatch(/decision: llama-3\.2-1b@h100-sxm:tp=1 \(cheapest of the priced candidates\)/);
    expect(out).toContain('not ranked by cost (llama-3.2-1b@h200-nvl:tp=1: ');
    expect(out).toContain('no price — pass --price h200-nvl=USD_PER_GPU_HOUR');
    const nvlRow = out.split('\n').find((l) => l.includes('h200-nvl') && l.includes('│'))!;
    expect(nvlRow).toContain('no price');
  });
});

describe('comparison chart with an unpriced candidate', () => {
  const row = (label: string, usdPerMillionOutputTokens: number, usdPerHour: number, gpus: number): CandidateRow => ({
    label, replicas: gpus, gpus, usdPerHour, usdPerMillionOutputTokens, ttftP99Ms: 200, itlP99Ms: 20, meetsSlo: true, winners: [],
  });

  it('scales the cost axis from the priced values and lists the unpriced row after them with its hint', () => {
    const spec = plannerComparisonSpec([
      { ...row('b200', NaN, NaN, 2), priceNote: 'no price — pass --price b200=USD_PER_GPU_HOUR' },
      row('h200', 2.54, 16, 4),
    ]) as unknown as { hconcat: Array<{ layer: Array<{ encoding: { x: { scale: { domain: number[] } } } }> }>; data: { values: Array<{ label: string; costText: string }> } };
    const domain = spec.hconcat[1]!.layer[0]!.encoding.x.scale.domain;
    expect(domain[0]).toBe(0);
    expect(domain[1]).toBeGreaterThanOrEqual(2.54);
    expect(spec.data.values.map((v) => v.label)).toEqual(['h200', 'b200']);
    expect(spec.data.values[1]!.costText).toBe('no price — pass --price b200=…');
  });

  it('draws the hint where the unpriced bar would be, inside the figure and clear of other labels', async () => {
    const f = await sceneFacts(
      plannerComparisonSpec([{ ...row('b200', NaN, NaN, 2), priceNote: 'no price — pass --price b200=USD_PER_GPU_HOUR', winners: ['ttftP99Ms'] }, row('h200', 2.54, 16, 4)]),
    );
    const hint = f.boxes.find((b) => b.text === 'no price — pass --price b200=…');
    expect(hint).toBeDefined();
    expect(hint!.x1).toBeLessThanOrEqual(f.width);
    expect(overlappingLabels(f.boxes)).toEqual([]);
  });
});
