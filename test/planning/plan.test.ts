import { describe, expect, it } from 'vitest';
import { CliContext } from '../../src/cli/context.ts';
import { checkRate } from '../../src/planning/capacity.ts';
import { compareCandidates, parseCandidate, parseCandidates } from '../../src/planning/compare.ts';
import { parseHeadroom, parsePrices, planCapacity } from '../../src/planning/plan.ts';
import { parseSlo } from '../../src/metrics/slo.ts';
import { WORKLOAD_PRESETS } from '../../src/workload/presets.ts';

const ctx = new CliContext();
const chat = WORKLOAD_PRESETS['chat']!;
const small = ctx.prepare({ model: 'llama-3.2-1b', hardware: 'h100-sxm' });
// small runs keep the suite fast; the defaults (2 seeds, >= 1500 requests) are for real plans
const search = { seeds: 1, minRequests: 300, maxRequests: 600, spanS: 10, tolerance: 0.1, maxIterations: 6 };
const base = { deployment: small, shape: { lengths: chat.lengths }, slo: chat.slo, seed: 7, search };

describe('planCapacity', () => {
  it('a higher target never needs fewer replicas, and the planned count verifies', () => {
    const plans = [20, 60, 150].map((targetRatePerS) => planCapacity({ ...base, targetRatePerS, headroom: 0.2 }));
    const replicas = plans.map((p) => p.target!.replicas);
    for (let i = 1; i < replicas.length; i++) expect(replicas[i]).toBeGreaterThanOrEqual(replicas[i - 1]!);
    const p = plans[1]!;
    expect(p.feasible).toBe(true);
    expect(p.capacity.perReplicaRatePerS).toBeGreaterThan(0);
    expect(p.capacity.perReplicaRatePerS).toBeLessThanOrEqual(p.capacity.saturationRatePerS * 1.0001);
    expect(p.target!.estimatedReplicas).toBe(Math.ceil((60 * 1.2) / p.capacity.perReplicaRatePerS));
    expect(p.target!.verified).toBe(true);
    expect(p.target!.gpus).toBe(p.target!.replicas * small.deployment.gpusPerReplica);
    expect(p.target!.usdPerHour).toBeCloseTo(p.target!.gpus * small.deployment.hardware.price!.usdPerGpuHour);
    expect(p.target!.usdPerMillionOutputTokens).toBeGreaterThan(0);
    // re-check independently: the planned fleet meets every objective at the target
    const { check } = checkRate(base, 60, p.target!.replicas);
    expect(check.passed).toBe(true);
    for (const o of check.objectives) expect(o.valueS).toBeLessThanOrEqual(o.thresholdS);
    expect(['ttft', 'itl', 'e2e', 'queue', 'memory', 'compute']).toContain(p.capacity.binding);
  });

  it('reports a deployment that cannot meet the SLO at minimal load as infeasible, saying why', () => {
    const slo = parseSlo('ttft:p99<=1000ms,itl:p99<=1ms');
    const p = planCapacity({ ...base, slo, targetRatePerS: 10 });
    expect(p.feasible).toBe(false);
    expect(p.target).toBeUndefined();
    expect(p.infeasibleReason).toMatch(/minimal load/);
    expect(p.infeasibleReason).toMatch(/ITL p99 is [0-9.]+ ms against a threshold of 1\.0 ms/);
    expect(p.infeasibleReason).not.toMatch(/TTFT/);
  });

  it('rejects planning without an SLO', () => {
    expect(() => planCapacity({ ...base, slo: [] })).toThrow(/needs an SLO/);
  });
});

describe('compare', () => {
  it('parses candidates and flags', () => {
    expect(parseCandidate('llama-3.1-70b@h200-sxm:tp=4:weights=fp8:kv=fp8')).toMatchObject({
      model: 'llama-3.1-70b',
      hardware: 'h200-sxm',
      tp: 4,
      overrides: { weights: 'fp8', 'kv-cache': 'fp8' },
    });
    expect(() => parseCandidate('llama-3.1-8b')).toThrow(/model@hardware/);
    expect(() => parseCandidate('llama-3.1-8b@h100-sxm:tp=0')).toThrow(/tp must be/);
    expect(() => parseCandidate('llama-3.1-8b@h100-sxm:color=red')).toThrow(/unknown option/);
    expect(parseHeadroom('20%')).toBeCloseTo(0.2);
    expect(parseHeadroom('0.3')).toBeCloseTo(0.3);
    expect(parsePrices('h200-sxm=3.50').byHardware.get('h200-sxm')).toBe(3.5);
    expect(() => parsePrices('h200-sxm=cheap')).toThrow(/--price/);
  });

  it('enumerates fitting TPs, lists the skipped ones, and marks winners', () => {
    const r = compareCandidates(
      ctx,
      { model: '', hardware: '' },
      parseCandidates('llama-3.1-70b@h100-sxm,llama-3.2-1b@h100-sxm:tp=1'),
      { shape: { lengths: chat.lengths }, slo: chat.slo, seed: 7, search, targetRatePerS: 30 },
      parsePrices('h100-sxm=2'),
    );
    // no tp: every power-of-two TP is tried; 70B in bf16 does not fit on one H100 (skipped, with the reason)
    const tried = [...r.skipped.map((s) => s.candidate), ...r.rows.map((x) => x.candidate)].filter((c) => c.startsWith('llama-3.1-70b')).sort();
    expect(tried).toEqual([1, 2, 4, 8].map((tp) => `llama-3.1-70b@h100-sxm:tp=${tp}`));
    expect(r.skipped[0]!.candidate).toBe('llama-3.1-70b@h100-sxm:tp=1');
    expect(r.skipped[0]!.reason).toMatch(/does not fit/);
    expect(r.rows.map((x) => x.candidate)).toContain('llama-3.1-70b@h100-sxm:tp=8');
    expect(r.rows.at(-1)!.candidate).toBe('llama-3.2-1b@h100-sxm:tp=1');
    expect(r.rows[0]!.target!.usdPerGpuHour).toBe(2);
    expect(Object.keys(r.best).sort()).toEqual(['fewest GPUs', 'lowest $/Mtok', 'lowest ITL p99', 'lowest TTFT p99']);
    expect(r.best['fewest GPUs']).toBe(r.rows.reduce((a, b) => (b.target!.gpus < a.target!.gpus ? b : a)).candidate);
  });
});
