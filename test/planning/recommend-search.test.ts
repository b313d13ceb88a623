/**
 * recommend on small real spaces: the front matches exhaustive verified evaluation, answers do not depend
 * on worker counts, shards or a killed-and-resumed checkpoint, and unpriced / uncalibrated / impossible
 * candidates are marked, never dropped or promoted.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeploymentResolver } from '../../src/planning/deployment-resolver.ts';
import { paretoFront } from '../../src/planning/recommend/pareto.ts';
import { recommend, type RecommendRequest } from '../../src/planning/recommend/request.ts';
import { enumerateSpace } from '../../src/planning/recommend/space.ts';
import { screenCandidate, verifyCandidate } from '../../src/planning/recommend/evaluate.ts';
import { SCREEN_SEARCH } from '../../src/planning/recommend/request.ts';
import { HIGHEST_PROBE } from '../../src/planning/recommend/select.ts';
import { WORKLOAD_PRESETS } from '../../src/workload/presets.ts';

const resolver = new DeploymentResolver();
// cheap enough for CI: one seed, short runs (the soundness claim is about the selection, at any effort)
const search = { seeds: 1, minRequests: 300, maxRequests: 600, spanS: 20, tolerance: 0.08, maxIterations: 6 };
const SMALL: RecommendRequest = {
  resolver,
  models: 'llama-3.1-8b',
  hardware: 'h100-sxm,a100-sxm-80gb,l40s',
  tp: [1, 2],
  pp: [1],
  kvCache: ['bf16'],
  engines: ['vllm'],
  maxNumSeqs: [128, 256],
  maxNumBatchedTokens: [4096],
  workload: 'chat',
  targetRatePerS: 12,
  search,
};

const fronts = (r: Awaited<ReturnType<typeof recommend>>) => r.front.map((c) => c.candidate);
const scratch = () => mkdtempSync(join(tmpdir(), 'servesim-recommend-'));

describe('recommend on a small real space', () => {
  it('finds the front exhaustive verification of every candidate finds', async () => {
    const r = await recommend(SMALL);
    expect(r.search.candidates).toBeGreaterThan(8);
    expect(r.search.verified).toBeLessThan(r.search.candidates); // pruning and screening did spare work
    const chat = WORKLOAD_PRESETS['chat']!;
    const settings = {
      shape: { lengths: chat.lengths },
      slo: chat.slo,
      seed: '42',
      targetRatePerS: 12,
      headroom: 0.2,
      search,
      screenSearch: {},
      base: {},
      profileDirs: [],
    };
    const all = enumerateSpace(resolver.registry, { models: ['llama-3.1-8b'], hardware: ['h100-sxm', 'a100-sxm-80gb', 'l40s'], tp: [1, 2], pp: [1], kvCache: ['bf16'], engines: ['vllm'], maxNumSeqs: [128, 256], maxNumBatchedTokens: [4096] });
    const full = all.map((c) => ({ c, v: verifyCandidate(resolver, c, settings) }));
    const ok = full.filter((x) => x.v.feasible);
    const price = (hw: string) => resolver.registry.getHardware(hw).price!.usdPerGpuHour;
    const vectors = ok.map(({ c, v }) => (v.feasible ? [v.replicas * v.gpusPerReplica * price(c.hardware), v.ttftP99Ms, v.itlP99Ms, -v.tokensPerSPerUser] : []));
    const exhaustive = paretoFront(vectors).map((i) => ok[i]!.c.label);
    expect([...fronts(r)].sort()).toEqual([...exhaustive].sort());
    // what screening claims as proven holds against the verified evaluation of every candidate
    for (const [i, { c, v }] of ok.entries()) {
      const sr = screenCandidate(resolver, c, { ...settings, screenSearch: SCREEN_SEARCH });
      if (!v.feasible) continue;
      expect(sr.ceilingRatePerS).toBe(v.saturationRatePerS); // plan's very ceiling run
      // ... which verification reuses: the same record, one simulation fewer
      if (i < 3) expect(verifyCandidate(resolver, c, settings, sr.throughputRunRatePerS)).toEqual({ ...v, simulations: v.simulations - 1 });
      expect(v.perReplicaRatePerS).toBeLessThanOrEqual(HIGHEST_PROBE * v.saturationRatePerS);
      expect(sr.ttftFloorMs!).toBeLessThanOrEqual(v.ttftP99Ms);
      expect(sr.gapFloorMs!).toBeLessThanOrEqual(v.itlP99Ms);
      expect(1000 / sr.gapFloorMs!).toBeGreaterThanOrEqual(v.tokensPerSPerUser);
    }
  }, 240_000);

  it('gives the same answer with 1 or 2 workers, and sharded then combined', async () => {
    const one = await recommend({ ...SMALL, workers: 1 });
    const two = await recommend({ ...SMALL, workers: 2 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    const dir = scratch();
    const parts = [1, 2].map((i) => join(dir, `part-${i}.jsonl`));
    const shardResults = [];
    for (const [i, out] of parts.entries()) shardResults.push(await recommend({ ...SMALL, shard: `${i + 1}/2`, out }));
    expect(shardResults[0]!.search.candidates + shardResults[1]!.search.candidates).toBe(one.search.candidates);
    const combined = join(dir, 'all.jsonl');
    writeFileSync(combined, parts.map((p) => readFileSync(p, 'utf8')).join(''));
    const merged = await recommend({ ...SMALL, out: combined, resume: true });
    expect(JSON.stringify(merged)).toBe(JSON.stringify(one));
  }, 300_000);

  it('a killed search resumes from its checkpoint to the identical answer and file', async () => {
    const dir = scratch();
    const out = join(dir, 'run.jsonl');
    const whole = await recommend({ ...SMALL, out });
    const file = readFileSync(out, 'utf8');
    const lines = file.trimEnd().split('\n');
    // killed part-way: a third of the records, and half a line being written
    writeFileSync(out, lines.slice(0, Math.floor(lines.length / 3)).join('\n') + '\n' + lines[lines.length - 1]!.slice(0, 40));
    const resumed = await recommend({ ...SMALL, out, resume: true });
    expect(JSON.stringify(resumed)).toBe(JSON.stringify(whole));
    expect(readFileSync(out, 'utf8')).toBe(file);
    // records are price-free: another price re-ranks the same evaluations
    const repriced = await recommend({ ...SMALL, out, resume: true, price: 'a100-sxm-80gb=0.5' });
    expect(repriced.front[0]!.hardware).toBe('a100-sxm-80gb');
  }, 300_000);

  it('refuses a checkpoint computed for other settings', async () => {
    const out = join(scratch(), 'run.jsonl');
    await recommend({ ...SMALL, hardware: 'h100-sxm', tp: [1], maxNumSeqs: [256], out });
    await expect(recommend({ ...SMALL, hardware: 'h100-sxm', tp: [1], maxNumSeqs: [256], out, resume: true, targetRatePerS: 30 })).rejects.toThrow(/other settings/);
  }, 120_000);
});

describe('marking: unpriced, uncalibrated, impossible', () => {
  it('ranks an unpriced GPU apart, marks calibration provenance, and says why a candidate cannot exist', async () => {
    const r = await recommend({ ...SMALL, models: 'llama-3.1-8b,llama-3.1-70b', hardware: 'h100-sxm,a100-sxm-40gb', tp: [1], weights: ['bf16'], maxNumSeqs: [256], targetRatePerS: 4 });
    const byLabel = new Map(r.candidates.map((c) => [c.candidate, c]));
    const tp1 = byLabel.get('llama-3.1-70b@h100-sxm:tp=1:weights=bf16:kv=bf16:engine=vllm:seqs=256:mbt=4096')!;
    expect(tp1.status).toBe('pruned');
    expect(tp1.stage).toBe('bounds');
    expect(tp1.reason).toMatch(/does not fit/);
    // a100-sxm-40gb has no price: never on the priced front, but on the unpriced one when it meets the SLO
    expect(r.front.every((c) => c.usdPerGpuHour !== null)).toBe(true);
    expect(r.unpricedFront.map((c) => c.candidate)).toEqual(['llama-3.1-8b@a100-sxm-40gb:tp=1:weights=bf16:kv=bf16:engine=vllm:seqs=256:mbt=4096']);
    expect(r.front.map((c) => c.hardware)).toEqual(['h100-sxm']);
    expect(r.notes.some((n) => n.includes('no price for a100-sxm-40gb'))).toBe(true);
    for (const c of r.candidates) expect(c.calibrated).toBe(c.calibrationProvenance === 'fitted' || c.calibrationProvenance === 'user file');
    expect(r.candidates.every((c) => c.reason !== '' || c.status === 'front')).toBe(true);
  }, 240_000);
});
