import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareDeployment } from '../../src/cost/prepare.ts';
import {
  acceptedMean,
  drawAccepted,
  expectedTokensPerStep,
  lookaheadBlocks,
  rateForMeanLength,
  resolveAcceptance,
  resolveSpeculative,
} from '../../src/cost/speculative.ts';
import { InfeasibleError, InputError } from '../../src/diagnostics/errors.ts';
import { createRng } from '../../src/workload/random.ts';
import { calibrationFor, decodeShape, prepared, profiles } from '../helpers/deployment.ts';

const eagle = (rates: number[]) => ({ method: 'eagle3' as const, tokens: rates.length, acceptanceRates: rates });

describe('speculative step cost', () => {
  it('verifying k drafts costs the target k+1 positions per sequence: linear layers and LM head as a batch of B(k+1)', () => {
    const plain = prepared('llama-3.1-8b', 'h100-sxm');
    const spec = prepared('llama-3.1-8b', 'h100-sxm', { speculative: eagle([0.8, 0.6, 0.4]) });
    const B = 8, ctx = 1000, k = 3;
    const verify = spec.cost.explain({ ...decodeShape(B, ctx), speculativeTokens: k });
    const wide = plain.cost.explain(decodeShape(B * (k + 1), ctx));
    const t = (b: typeof verify, op: string) => b.operators.find((o) => o.op === op)!;
    for (const op of ['attention_proj', 'mlp', 'elementwise', 'lm_head']) expect(t(verify, op).flops).toBe(t(wide, op).flops);
    // attention: query i of a sequence sees ctx + i keys (i = 0..k); the KV is read once per sequence
    const L = 32, H = 32, dims = 128 + 128;
    const attended = L * B * ((k + 1) * ctx + (k * (k + 1)) / 2);
    expect(t(verify, 'attention_decode').flops).toBe(2 * H * dims * attended);
    const kvTok = 2 * 8 * 128 * 2;
    expect(t(verify, 'attention_decode').bytes).toBe(L * B * (ctx + k) * kvTok + L * B * (k + 1) * H * dims * 2);
  });

  it("the drafter's passes are costed by its own model: an EAGLE-3 head is one dense layer; k passes per step", () => {
    const spec = prepared('llama-3.1-8b', 'h100-sxm', { speculative: eagle([0.8, 0.6, 0.4]) });
    const b = spec.cost.explain({ ...decodeShape(16, 2000), speculativeTokens: 3 });
    const draft = b.operators.find((o) => o.op === 'speculative_draft')!;
    expect(draft.timeS).toBeGreaterThan(0);
    // one dense layer + a 32k-vocabulary head is a small fraction of a 32-layer target
    expect(draft.timeS / b.totalS).toBeLessThan(0.25);
    const d = spec.deployment.speculative!;
    expect(d.drafter.layers).toBe(1);
    expect(d.drafter.vocabSize).toBe(32_000);
  });

  it('acceptance 0 still pays the verification: a speculative step costs more than a plain one', () => {
    const plain = prepared('llama-3.1-8b', 'h100-sxm');
    const spec = prepared('llama-3.1-8b', 'h100-sxm', { speculative: eagle([0, 0, 0]) });
    const sh = decodeShape(32, 1500);
    expect(spec.cost.stepTimeS({ ...sh, speculativeTokens: 3 })).toBeGreaterThan(plain.cost.stepTimeS(sh));
    // with no draft tokens the same deployment costs exactly a plain step (drafter aside)
    expect(spec.cost.explain(sh).operators.find((o) => o.op === 'attention_decode')).toEqual(plain.cost.explain(sh).operators.find((o) => o.op === 'attention_decode'));
  });

  it('the drafter takes memory: fewer KV tokens than the plain deployment', () => {
    const plain = prepared('llama-3.1-8b', 'h100-sxm');
    const spec = prepared('llama-3.1-8b', 'h100-sxm', { speculative: eagle([0.8]) });
    expect(spec.memory.weightBytesPerGpu).toBeGreaterThan(plain.memory.weightBytesPerGpu);
    expect(spec.memory.kvBytesPerTokenPerGpu).toBe(plain.memory.kvBytesPerTokenPerGpu * (33 / 32));
    expect(spec.memory.kvTokens).toBeLessThan(plain.memory.kvTokens);
  });

  it('MTP on a model without MTP heads is refused; with one it runs one target layer per draft', () => {
    const p = profiles();
    const model = p.getModel('qwen3-30b-a3b');
    const choice = { tp: 1, speculative: { method: 'mtp' as const, tokens: 1, acceptanceLength: 1.8 } };
    expect(() => prepareDeployment(model, p.getHardware('h100-sxm'), choice, calibrationFor('h100-sxm'))).toThrow(InfeasibleError);
    expect(() => prepareDeployment(model, p.getHardware('h100-sxm'), choice, calibrationFor('h100-sxm'))).toThrow(/MTP.*no|has none/);
    const withHeads = { ...model, mtpLayers: 1 };
    const d = prepareDeployment(withHeads, p.getHardware('h100-sxm'), choice, calibrationFor('h100-sxm'));
    expect(d.deployment.speculative!.drafter.layers).toBe(1);
    expect(d.deployment.speculative!.drafter.moe?.numExperts).toBe(model.moe!.numExperts);
    // the shipped profiles of checkpoints with MTP modules declare them (from their config.json)
    expect(p.getModel('deepseek-v3').mtpLayers).toBe(1);
    expect(p.getModel('glm-5').mtpLayers).toBe(1);
  });

  it('spec k < 1, a wrong number of rates and a draft model with another tokenizer are clear errors', () => {
    const m = profiles().getModel('llama-3.1-8b');
    expect(() => resolveSpeculative(m, { method: 'eagle', tokens: 0, acceptanceRates: [0.5] })).toThrow(InputError);
    expect(() => resolveSpeculative(m, eagle([0.5, 0.5]) && { ...eagle([0.5, 0.5]), tokens: 3 })).toThrow(/expected 3 per-position rates/);
    const other = profiles().getModel('llama-2-7b');
    expect(() => resolveSpeculative(m, { method: 'draft-model', tokens: 2, fixedAccepted: 1, draftModel: other.id }, other)).toThrow(/tokenizer/);
    expect(() => resolveSpeculative(m, { method: 'draft-model', tokens: 2, fixedAccepted: 1 })).toThrow(/--spec-draft-model/);
  });
});

describe('acceptance', () => {
  it('a mean acceptance length becomes one conditional rate p with p + … + p^k = L − 1 (vLLM, ATOM)', () => {
    const p = rateForMeanLength(2.5, 3);
    expect(p + p * p + p * p * p).toBeCloseTo(1.5, 12);
    expect(rateForMeanLength(4, 3)).toBe(1);
    expect(rateForMeanLength(1, 3)).toBeCloseTo(0, 12);
    expect(() => rateForMeanLength(5, 3)).toThrow(/\[1, 4\]/);
  });

  it('expected tokens per step: 1 + Σ Π a_j; acceptance 1 with k drafts gives k+1, acceptance 0 gives 1', () => {
    expect(acceptedMean([0.8, 0.6, 0.4])).toBeCloseTo(0.8 + 0.48 + 0.192, 12);
    expect(expectedTokensPerStep({ ...resolveAcceptance({ kind: 'rates', rates: [1, 1, 1] }, 3) })).toBe(4);
    expect(expectedTokensPerStep({ ...resolveAcceptance({ kind: 'rates', rates: [0, 0, 0] }, 3) })).toBe(1);
    expect(expectedTokensPerStep({ ...resolveAcceptance({ kind: 'fixed', acceptedPerStep: 2 }, 3) })).toBe(3);
  });

  it('drawn acceptance follows the per-position law (property: sample mean within 4σ of Σ Π a_j)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 1000 }), (rates, seed) => {
        const rng = createRng(seed, 'accept');
        const spec = resolveAcceptance({ kind: 'rates', rates }, rates.length);
        const n = 4000;
        let sum = 0;
        let sq = 0;
        let outOfRange = 0;
        for (let i = 0; i < n; i++) {
          const a = drawAccepted(spec, () => rng.next());
          if (a < 0 || a > rates.length) outOfRange++;
          sum += a;
          sq += a * a;
        }
        expect(outOfRange).toBe(0);
        const mean = sum / n;
        const sd = Math.sqrt(Math.max(sq / n - mean * mean, 1e-9) / n);
        expect(Math.abs(mean - acceptedMean(rates))).toBeLessThanOrEqual(4 * sd + 1e-3);
      }),
      { numRuns: 25 },
    );
  });

  it('lookahead: a decoding sequence holds blocks for its context plus k+1 verify positions', () => {
    expect(lookaheadBlocks(15, 0, 16)).toBe(1);
    expect(lookaheadBlocks(15, 1, 16)).toBe(2);
    expect(lookaheadBlocks(100, 4, 16)).toBe(Math.ceil(105 / 16));
  });
});
