/**
 * The step cost model keeps per-operator figures in a scratch it no longer clears on every step (only the
 * slots a step may leave unwritten are zeroed): a model that has costed any sequence of earlier steps must
 * answer exactly as a fresh one, and stepTimeS must equal explain's total, on every kind of deployment whose
 * operators depend on the step (prefill or not, decode or not, speculative drafts, MoE with EP, DEP, hybrids).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StepShape } from '../../src/cost/step-cost.ts';
import { causalKeyCount } from '../../src/cost/step-cost.ts';
import { prepared } from '../helpers/deployment.ts';

const eagle = { method: 'eagle3' as const, tokens: 3, acceptanceRates: [0.8, 0.6, 0.4] };
const deployments = {
  'llama-3.1-8b h100': () => prepared('llama-3.1-8b', 'h100-sxm'),
  'llama-3.1-70b tp4 pp2 h100': () => prepared('llama-3.1-70b', 'h100-sxm', { tp: 4, pp: 2 }),
  'llama-3.1-8b speculative': () => prepared('llama-3.1-8b', 'h100-sxm', { speculative: eagle }),
  'qwen3-30b-a3b tp4 (MoE)': () => prepared('qwen3-30b-a3b', 'h100-sxm', { tp: 4 }),
  'minimax-m2.5 tp8 ep8 (EP)': () => prepared('minimax-m2.5', 'h200-sxm', { tp: 8, ep: 8 }),
  'minimax-m2.5 DEP8': () => prepared('minimax-m2.5', 'h200-sxm', { tp: 8, ep: 8, attentionDp: 8 }),
  'qwen3.5-397b-a17b (hybrid)': () => prepared('qwen3.5-397b-a17b', 'b200', { tp: 8 }),
};

const shapeArb = fc
  .record({
    decodeSeqs: fc.integer({ min: 0, max: 300 }),
    ctx: fc.integer({ min: 1, max: 9000 }),
    prefillSeqs: fc.integer({ min: 0, max: 3 }),
    chunk: fc.integer({ min: 1, max: 4096 }),
    prior: fc.integer({ min: 0, max: 4000 }),
    speculative: fc.boolean(),
  })
  .map(
    (r): StepShape => ({
      decodeSeqs: r.decodeSeqs,
      decodeContextSum: r.decodeSeqs * r.ctx,
      prefillSeqs: r.prefillSeqs,
      prefillTokens: r.prefillSeqs * r.chunk,
      prefillAttendedKeys: r.prefillSeqs * causalKeyCount(r.chunk, r.prior),
      prefillContextTokens: r.prefillSeqs * (r.prior + r.chunk),
      speculativeTokens: r.speculative ? 3 : 0,
    }),
  );

describe('step cost scratch', () => {
  for (const [name, make] of Object.entries(deployments)) {
    it(`${name}: after any earlier steps, the same figures as a fresh model; stepTimeS = explain total`, () => {
      const used = make().cost;
      const speculative = name.includes('speculative');
      fc.assert(
        fc.property(fc.array(shapeArb, { minLength: 1, maxLength: 6 }), (shapes) => {
          for (const raw of shapes) {
            const sh = speculative ? raw : { ...raw, speculativeTokens: 0 };
            const t = used.stepTimeS(sh);
            const fresh = make().cost;
            expect(used.explain(sh)).toEqual(fresh.explain(sh));
            expect(t).toBe(fresh.stepTimeS(sh));
            expect(t).toBe(fresh.explain(sh).totalS);
          }
        }),
        { numRuns: 25, seed: 18 },
      );
    });
  }

  it('an empty step after a full one explains as empty', () => {
    const m = prepared('llama-3.1-8b', 'h100-sxm').cost;
    m.stepTimeS({ decodeSeqs: 8, decodeContextSum: 8000, prefillSeqs: 1, prefillTokens: 512, prefillAttendedKeys: causalKeyCount(512, 0), prefillContextTokens: 512 });
    const empty = m.explain({ decodeSeqs: 0, decodeContextSum: 0, prefillSeqs: 0, prefillTokens: 0, prefillAttendedKeys: 0, prefillContextTokens: 0 });
    expect(empty.totalS).toBe(0);
    expect(empty.operators).toEqual([]);
  });
});
