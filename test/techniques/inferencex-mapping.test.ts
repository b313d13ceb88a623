import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapBenchmark, type MappedBenchmark } from '../../src/calibration/map.ts';
import { applyTechnique, techniqueDetail } from '../../src/calibration/techniques.ts';
import { importMeasurementCsv } from '../../src/importers/measurement-csv.ts';
import type { MeasuredBenchmark } from '../../src/importers/types.ts';
import { profiles } from '../helpers/deployment.ts';

/** 20 public InferenceX rows (eight runs), copied unchanged: test/fixtures/inferencex/SOURCE.md */
const file = join(import.meta.dirname, '..', 'fixtures', 'inferencex', 'rows.csv');
const runs = importMeasurementCsv(file, readFileSync(file, 'utf8'));
const byModel = (raw: string) => runs.find((b) => b.deployment.modelRaw === raw)!;

function mapped(b: MeasuredBenchmark): MappedBenchmark {
  const m = mapBenchmark(b, profiles());
  if (!m.ok) throw new Error(m.reason);
  const t = applyTechnique(m.mapped).outcome;
  if (!t.ok) throw new Error(t.reason);
  return t.mapped;
}

describe('InferenceX rows map in validate (issues 16, 17)', () => {
  it('every run of the fixture maps, to the model the name says, with its technique', () => {
    expect(runs).toHaveLength(8);
    const got = runs.map((b) => [b.deployment.modelId, b.deployment.hardwareId, techniqueDetail(b)]);
    expect(got).toEqual([
      ['glm-5', 'h200-sxm', 'mtp'],
      ['qwen3.5-397b-a17b', 'h200-sxm', 'plain'],
      ['kimi-k2.5', 'mi355x', 'eagle3'],
      ['kimi-k2.5', 'mi355x', 'eagle3'],
      ['deepseek-v3', 'b200', 'plain'],
      ['minimax-m2.5', 'h200-sxm', 'dep'],
      ['gpt-oss-120b', 'mi355x', 'pd-disagg'],
      ['minimax-m2.5', 'mi355x', 'eagle3'],
    ]);
    for (const b of runs) expect(() => mapped(b)).not.toThrow();
  });

  it('closed-loop sweeps replay N streams and the run’s own request count (10 × N)', () => {
    const m = mapped(byModel('zai-org/GLM-5-FP8'));
    expect(m.workload.arrival).toEqual({ kind: 'concurrent', streams: 4 });
    expect(m.workload.maxRequests).toBe(40);
    expect(m.workload.lengths).toEqual({ kind: 'fixed', inputTokens: 1024, outputTokens: 128 });
  });

  it('range ratio r < 1: lengths uniform in [int(L·r), L] (r = 0 → at least 1 token)', () => {
    expect(mapped(byModel('nvidia/DeepSeek-R1-0528-FP4')).workload.lengths).toEqual({
      kind: 'synthetic',
      input: { mean: 512.5, min: 1, max: 1024 },
      output: { mean: 512.5, min: 1, max: 1024 },
    });
    expect(mapped(byModel('moonshotai/Kimi-K2.5')).workload.lengths).toEqual({
      kind: 'synthetic',
      input: { mean: 921.5, min: 819, max: 1024 },
      output: { mean: 921.5, min: 819, max: 1024 },
    });
  });

  it('MTP with one stated draft token and no ITL: acceptance assumed 0.5 and said so', () => {
    const m = mapped(byModel('zai-org/GLM-5-FP8'));
    expect(m.choice.speculative).toEqual({ method: 'mtp', tokens: 1, acceptanceRates: [0.5] });
    expect(m.assumptions.join(' ')).toMatch(/acceptance not stated/);
  });

  it('Kimi-K2.5 "mtp" runs of the Eagle3 fixed-AR workflow are EAGLE-3 on the native INT4 experts; acceptance from ITL/TPOT', () => {
    const b = byModel('moonshotai/Kimi-K2.5');
    const m = mapped(b);
    const itl = b.metrics.find((x) => x.metric === 'itl' && x.statistic === 'mean')!.value;
    const tpot = b.metrics.find((x) => x.metric === 'tpot' && x.statistic === 'mean')!.value;
    expect(m.choice).toMatchObject({ tp: 8, weights: 'int4g32', speculative: { method: 'eagle3', tokens: 3, acceptanceLength: itl / tpot } });
  });

  it('"fp4" next to a name that says MXFP4 is MXFP4; TP unrecorded → the recipe default the notes name', () => {
    expect(mapped(byModel('amd/Kimi-K2.5-MXFP4')).choice).toMatchObject({ tp: 8, weights: 'mxfp4' });
    expect(mapped(byModel('openai/gpt-oss-120b')).choice.weights).toBe('mxfp4');
  });

  it('SGLang --stream-interval 10 → one chunk per 10 tokens; DEP8 → attention DP 8 + EP 8; 1P1D → one pool each', () => {
    expect(mapped(byModel('nvidia/DeepSeek-R1-0528-FP4')).choice.engine).toMatchObject({ family: 'sglang', streamInterval: 10 });
    const dep = runs.find((b) => techniqueDetail(b) === 'dep')!;
    expect(mapped(dep).choice).toMatchObject({ tp: 8, ep: 8, attentionDp: 8 });
    const pd = mapped(byModel('openai/gpt-oss-120b'));
    expect(pd).toMatchObject({ disaggregated: true, replicas: 1 });
  });

  it('server settings quoted from the recipe: SGLang max running requests, chunked prefill, fp8 KV cache', () => {
    const m = mapped(byModel('nvidia/DeepSeek-R1-0528-FP4'));
    expect(m.choice.engine).toMatchObject({ maxNumSeqs: 256, maxNumBatchedTokens: 16384 });
    expect(m.choice.kvCache).toBe('fp8');
  });

  it('a run that produced far fewer tokens than asked (output / request throughput) stopped at EOS: outputs replay that mean', () => {
    const b = byModel('nvidia/DeepSeek-R1-0528-FP4');
    const eos: MeasuredBenchmark = {
      ...b,
      metrics: [...b.metrics, { metric: 'output_throughput', statistic: 'value', value: 1000 }, { metric: 'request_throughput', statistic: 'value', value: 10 }],
    };
    const l = mapped(eos).workload.lengths;
    expect(l.kind === 'lognormal' && l.output).toEqual({ mean: 100, stdev: 100, min: 1, max: 1024 });
    expect(l.kind === 'lognormal' && l.input.mean).toBe(512.5);
    // asked 512.5 on average; 450 tokens a request is within 20%: the requested lengths stand
    const near = { ...eos, metrics: [...b.metrics, { metric: 'output_throughput' as const, statistic: 'value' as const, value: 4500 }, { metric: 'request_throughput' as const, statistic: 'value' as const, value: 10 }] };
    expect(mapped(near).workload.lengths.kind).toBe('synthetic');
  });

  it('vLLM serve on a ≥ 70 GiB GPU ran with max_num_seqs 1024 (its default there since v0.9)', () => {
    expect(mapped(byModel('Qwen/Qwen3.5-397B-A17B')).choice.engine).toMatchObject({ family: 'vllm', maxNumSeqs: 1024 });
  });

  it('what cannot map says why: unequal P/D pools, an unknown model', () => {
    const pd = byModel('openai/gpt-oss-120b');
    const twoP = { ...pd, source: { ...pd.source, notes: pd.source.notes!.replace('xP=1 yD=1', 'xP=2 yD=1') } };
    const m = mapBenchmark(twoP, profiles());
    if (!m.ok) throw new Error(m.reason);
    expect(applyTechnique(m.mapped).outcome).toEqual({ ok: false, reason: 'disaggregated 2P1D: unequal pools are not mapped' });
    const text = readFileSync(file, 'utf8').replace(/zai-org\/GLM-5-FP8/g, 'zai-org/GLM-6-FP8');
    const unknown = importMeasurementCsv(file, text)[0]!;
    expect(unknown.unmappedReason).toBe('model "zai-org/GLM-6-FP8" has no servesim profile');
  });
});
