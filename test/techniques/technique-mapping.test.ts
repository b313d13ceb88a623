import { describe, expect, it } from 'vitest';
import { mapBenchmark } from '../../src/calibration/map.ts';
import { applyTechnique, techniqueOf } from '../../src/calibration/techniques.ts';
import type { MeasuredBenchmark } from '../../src/importers/types.ts';
import { profiles } from '../helpers/deployment.ts';

/** a made-up InferenceX-style run of MiniMax-M2.5 on 8 H200s (figures invented, notes in InferenceX's vocabulary) */
function run(notes: string, metrics: MeasuredBenchmark['metrics'] = [{ metric: 'ttft', statistic: 'median', value: 0.5 }]): MeasuredBenchmark {
  return {
    id: 'made-up#1',
    source: { file: 'x.csv', tool: 'measurement-csv', format: 'inferencex', sourceId: 'inferencex', notes },
    deployment: { modelId: 'minimax-m2.5', hardwareId: 'h200-sxm', tp: 8, ep: 8, numGpus: 8, engine: 'vllm' },
    workload: { load: 'concurrent', concurrency: 8, requests: 80, lengths: { kind: 'fixed', inputTokens: 2048, outputTokens: 128 } },
    metrics,
  };
}

describe('InferenceX techniques in validate', () => {
  it('reads the technique from the run notes', () => {
    expect(techniqueOf(run('spec_decode=none; disagg=no; dp_attention=false'))).toBe('plain');
    expect(techniqueOf(run('spec_decode=none; disagg=no; dp_attention=true'))).toBe('dep');
    expect(techniqueOf(run('spec_decode=mtp (1 speculative token); disagg=no'))).toBe('spec-decode');
    expect(techniqueOf(run('spec_decode=none; disagg=yes; dp_attention=false'))).toBe('pd-disagg');
  });

  it('DEP maps to attention data-parallel over the instance with EP = GPUs', () => {
    const m = mapBenchmark(run('spec_decode=none; disagg=no; dp_attention=true'), profiles());
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    const t = applyTechnique(m.mapped);
    expect(t.outcome.ok && t.outcome.mapped.choice).toMatchObject({ tp: 8, ep: 8, attentionDp: 8 });
  });

  it('speculative runs take their acceptance from the mean chunk size ITL/TPOT, else an assumed one said as such', () => {
    const withFigures = run('spec_decode=mtp (1 speculative token); disagg=no', [
      { metric: 'itl', statistic: 'mean', value: 0.03 },
      { metric: 'tpot', statistic: 'mean', value: 0.02 },
    ]);
    const m = mapBenchmark(withFigures, profiles());
    if (!m.ok) throw new Error(m.reason);
    const t = applyTechnique(m.mapped);
    expect(t.outcome.ok && t.outcome.mapped.choice.speculative).toEqual({ method: 'mtp', tokens: 1, acceptanceLength: 1.5 });
    // no acceptance and no mean ITL: an assumed 0.5 per draft (default k = 3 for EAGLE-3), said in the assumptions
    const bare = mapBenchmark(run('spec_decode=eagle3; disagg=no'), profiles());
    if (!bare.ok) throw new Error(bare.reason);
    const u = applyTechnique(bare.mapped);
    expect(u.outcome.ok && u.outcome.mapped.choice.speculative).toEqual({ method: 'eagle3', tokens: 3, acceptanceRates: [0.5, 0.5, 0.5] });
    expect(u.outcome.ok && u.outcome.mapped.assumptions.join(' ')).toMatch(/acceptance not stated/);
    const bracket = applyTechnique(bare.mapped, { unstatedAcceptance: 0 });
    expect(bracket.outcome.ok && bracket.outcome.mapped.choice.speculative).toEqual({ method: 'eagle3', tokens: 3, acceptanceRates: [0, 0, 0] });
    const unknown = mapBenchmark(run('spec_decode=medusa; disagg=no'), profiles());
    if (!unknown.ok) throw new Error(unknown.reason);
    expect(applyTechnique(unknown.mapped).outcome).toEqual({ ok: false, reason: 'speculative decoding of an unrecognised method' });
  });
});
