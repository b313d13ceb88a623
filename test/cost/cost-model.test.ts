import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveDeployment } from '../../src/cost/deployment.ts';
import { kvBytesPerTokenPerLayer, planMemory } from '../../src/cost/memory-plan.ts';
import { prepareDeployment } from '../../src/cost/prepare.ts';
import { allreduceVolumeBytes, causalKeyCount, type StepBreakdown } from '../../src/cost/step-cost.ts';
import { InfeasibleError } from '../../src/diagnostics/errors.ts';
import { calibrationFor, decodeShape, prefillShape, prepared, profiles, shape } from '../helpers/deployment.ts';

const op = (b: StepBreakdown, name: string) => b.operators.find((o) => o.op === name);

describe('hand-computed cases', () => {
  it('Llama 3.1 8B bf16 decode at batch 1 on H100 ≈ weight bytes / (bandwidth × efficiency) + overheads', () => {
    const p = prepared('llama-3.1-8b', 'h100-sxm', { engine: { asyncScheduling: false } });
    const c = p.deployment.calibration.values;
    // Llama 3.1 8B: 32 layers, hidden 4096, 32 query heads / 8 KV heads of 128, FFN 14336 (gated), vocab 128256
    const L = 32, d = 4096, q = 32 * 128, kv = 8 * 128, ffn = 14336, vocab = 128256;
    const attn = d * (q + 2 * kv) + q * d; // 41,943,040
    const mlp = 3 * d * ffn; // 176,160,768
    const lmHead = vocab * d; // 525,336,576 (the input embedding is a row lookup: not streamed)
    const weightBytes = 2 * (L * (attn + mlp) + lmHead); // 15,009,316,864 B
    expect(weightBytes).toBe(15_009_316_864);
    const bw = 3.35e12; // h100-sxm.yaml bandwidth_tb_per_s
    expect(c.weight_bandwidth_efficiency).toBe(0.8);
    const streaming = weightBytes / (bw * c.weight_bandwidth_efficiency); // 5.601 ms
    // step 2 ms + 32 layers × 4 µs (CUDA graphs on for decode) + 1 sequence × 15 µs
    const overhead = c.step_overhead_ms * 1e-3 + L * c.layer_overhead_us * 1e-6 + c.sequence_overhead_us * 1e-6;
    expect(overhead).toBeCloseTo(2.143e-3, 9);
    const expected = streaming + overhead; // ≈ 7.744 ms
    const actual = p.cost.stepTimeS(decodeShape(1, 1));
    // what is left: activations, the elementwise pass and one token of KV — well under 1%
    expect(Math.abs(actual - expected) / expected).toBeLessThan(0.01);
    expect(actual).toBeGreaterThanOrEqual(expected);
    const b = p.cost.explain(decodeShape(1, 1));
    for (const o of ['attention_proj', 'mlp', 'lm_head']) expect(op(b, o)!.bound).toBe('memory');
  });

  it('async scheduling hides the CPU work behind the GPU: step = max(GPU, CPU), not their sum', () => {
    const sync = prepared('llama-3.1-8b', 'h100-sxm', { engine: { asyncScheduling: false } });
    const overlapped = prepared('llama-3.1-8b', 'h100-sxm'); // vllm: on by default
    expect(overlapped.deployment.engine.asyncScheduling).toBe(true);
    const c = sync.deployment.calibration.values;
    const cpu = c.step_overhead_ms * 1e-3 + c.sequence_overhead_us * 1e-6; // 2.015 ms, under the ~5.7 ms GPU step
    const s = decodeShape(1, 1);
    expect(sync.cost.stepTimeS(s) - overlapped.cost.stepTimeS(s)).toBeCloseTo(cpu, 12);
    // a CPU step longer than the GPU's (50 ms scheduling): the step lasts as long as the CPU work
    const slowCpu = prepared('llama-3.1-8b', 'h100-sxm', {}, { step_overhead_ms: 50 });
    expect(slowCpu.cost.stepTimeS(s)).toBeCloseTo(50e-3 + c.sequence_overhead_us * 1e-6, 12);
    const t = slowCpu.cost.explain(s);
    expect(t.totalS).toBeCloseTo(slowCpu.cost.stepTimeS(s), 12);
    // TensorRT-LLM keeps additive overheads (its shipped calibrations were fitted that way)
    expect(prepared('llama-3.1-8b', 'h100-sxm', { engine: { family: 'trtllm' } }).deployment.engine.asyncScheduling).toBe(false);
  });

  it('Llama 3.1 8B prefill of 8192 tokens: GEMM part = 2 × params × tokens / (peak × gemm efficiency)', () => {
    const p = prepared('llama-3.1-8b', 'h100-sxm');
    const c = p.deployment.calibration.values;
    const T = 8192;
    const layerParams = 32 * (4096 * (4096 + 2 * 1024) + 4096 * 4096 + 3 * 4096 * 14336); // 6,979,321,856
    const peak = 989e12; // dense bf16
    // the efficiency ramps with tokens in the step: gemm_efficiency × T / (T + gemm_half_tokens)
    const eff = c.gemm_efficiency * (T / (T + c.gemm_half_tokens));
    const expected = (2 * layerParams * T) / (peak * eff); // ≈ 140.2 ms
    const b = p.cost.explain(prefillShape(T));
    const gemm = op(b, 'attention_proj')!.timeS + op(b, 'mlp')!.timeS;
    expect(op(b, 'attention_proj')!.bound).toBe('compute');
    expect(op(b, 'mlp')!.bound).toBe('compute');
    expect(gemm).toBeCloseTo(expected, 12);
    expect(expected).toBeGreaterThan(0.13);
    expect(expected).toBeLessThan(0.15);
    expect(b.totalS).toBeGreaterThan(gemm);
  });

  it("vLLM custom all-reduce: one-shot volume (n−1)·msg below its thresholds, the ring's 2(n−1)/n·msg above", () => {
    const KiB = 1024;
    // 2 GPUs always run cross_device_reduce_1stage: one peer buffer read, the same as the ring's 2·1/2
    expect(allreduceVolumeBytes(100 * KiB, 2, true)).toBe(100 * KiB);
    expect(allreduceVolumeBytes(4096 * KiB, 2, true)).toBe(4096 * KiB);
    // 4 GPUs below 512 KiB: read 3 peers; at 512 KiB: two-shot, 2·3/4
    expect(allreduceVolumeBytes(256 * KiB, 4, true)).toBe(3 * 256 * KiB);
    expect(allreduceVolumeBytes(512 * KiB, 4, true)).toBe(1.5 * 512 * KiB);
    // 8 GPUs: one-shot only below 256 KiB
    expect(allreduceVolumeBytes(200 * KiB, 8, true)).toBe(7 * 200 * KiB);
    expect(allreduceVolumeBytes(300 * KiB, 8, true)).toBe(1.75 * 300 * KiB);
    // NCCL (no custom all-reduce): always the ring volume; no all-reduce at TP 1
    expect(allreduceVolumeBytes(200 * KiB, 8, false)).toBe(1.75 * 200 * KiB);
    expect(allreduceVolumeBytes(200 * KiB, 1, true)).toBe(0);
  });

  it("vLLM on NVSwitch: a TP all-reduce's latency is the profile's 8-GPU latency × (n−1)/7", () => {
    // Llama 3.1 8B decode at batch 1: message 4096 × 2 B = 8 KiB, 64 all-reduces per step
    const d = decodeShape(1, 1);
    const msg = 4096 * 2;
    const latency8S = 15.5e-6; // h100-sxm.yaml allreduce_latency_us, datasheet collective_latency_relative 1
    for (const tp of [2, 4, 8]) {
      const p = prepared('llama-3.1-8b', 'h100-sxm', { tp });
      const c = p.deployment.calibration.values;
      expect(c.collective_latency_relative).toBe(1);
      const busBw = 450e9 * 0.82 * c.collective_efficiency;
      const perCall = (latency8S * (tp - 1)) / 7 + ((tp - 1) * msg) / busBw;
      expect(op(p.cost.explain(d), 'tp_allreduce')!.timeS).toBeCloseTo(64 * perCall, 12);
    }
    // SGLang keeps the NCCL model: the full profile latency and the ring volume at every TP
    const sg = prepared('llama-3.1-8b', 'h100-sxm', { tp: 2, engine: { family: 'sglang' } });
    const c = sg.deployment.calibration.values;
    const ring = latency8S * c.collective_latency_relative + msg / (450e9 * 0.82 * c.collective_efficiency);
    expect(op(sg.cost.explain(d), 'tp_allreduce')!.timeS).toBeCloseTo(64 * ring, 12);
  });

  it('KV bytes per token of Llama 3.1 70B = 2 × 80 × 8 × 128 × 2 = 327,680 B; split over TP', () => {
    const p = prepared('llama-3.1-70b', 'h100-sxm', { tp: 4 });
    expect(p.memory.kvBytesPerTokenModel).toBe(2 * 80 * 8 * 128 * 2);
    expect(p.memory.kvBytesPerTokenModel).toBe(327_680);
    expect(p.memory.kvBytesPerTokenPerGpu).toBe(327_680 / 4);
  });

  it('TP beyond the KV heads replicates them (Qwen3-30B-A3B: 4 KV heads of 128)', () => {
    const m = profiles().getModel('qwen3-30b-a3b');
    expect(m.attention.numKvHeads).toBe(4);
    expect(kvBytesPerTokenPerLayer(m, 2, 1)).toBe(2 * 4 * 128 * 2);
    expect(kvBytesPerTokenPerLayer(m, 2, 2)).toBe(2 * 2 * 128 * 2);
    expect(kvBytesPerTokenPerLayer(m, 2, 4)).toBe(2 * 1 * 128 * 2);
    expect(kvBytesPerTokenPerLayer(m, 2, 8)).toBe(2 * 1 * 128 * 2); // one head per GPU, not half a head
    const p8 = prepared('qwen3-30b-a3b', 'h100-sxm', { tp: 8 });
    expect(p8.memory.kvBytesPerTokenPerGpu).toBe(m.layers * 512);
    // so TP 8 holds the same KV tokens per GPU-byte as TP 4: per-GPU KV per token does not shrink
    const p4 = prepared('qwen3-30b-a3b', 'h100-sxm', { tp: 4 });
    expect(p8.memory.kvBytesPerTokenPerGpu).toBe(p4.memory.kvBytesPerTokenPerGpu);
  });

  it('DeepSeek-V3 MLA KV per token = 61 × (512 + 64) × 2 = 70,272 B, not divided by TP', () => {
    const reg = profiles();
    const m = reg.getModel('deepseek-v3');
    const hw = reg.getHardware('h200-sxm');
    for (const tp of [1, 8]) {
      const d = resolveDeployment(m, hw, { tp }, calibrationFor('h200-sxm'));
      const plan = planMemory(d);
      expect(plan.kvBytesPerTokenModel).toBe(61 * 576 * 2);
      expect(plan.kvBytesPerTokenModel).toBe(70_272);
      expect(plan.kvBytesPerTokenPerGpu).toBe(70_272); // the latent is replicated on every TP rank
    }
  });
});

describe('properties', () => {
  // dense GQA, MoE, MLA + MoE, sliding window + MoE + mxfp4, sliding-window dense
  const cases: [string, string, number][] = [
    ['llama-3.1-8b', 'h100-sxm', 1],
    ['llama-3.1-70b', 'h100-sxm', 4],
    ['mixtral-8x7b', 'a100-sxm-80gb', 2],
    ['deepseek-v3', 'h200-sxm', 8],
    ['gpt-oss-20b', 'h100-sxm', 1],
    ['mistral-7b', 'l40s', 1],
  ];
  const models = cases.map(([m, h, tp]) => prepared(m, h, { tp }));
  const pick = fc.integer({ min: 0, max: models.length - 1 });

  it('step time is monotone non-decreasing in decode batch, context and prefill tokens', () => {
    fc.assert(
      fc.property(
        pick,
        fc.integer({ min: 1, max: 512 }),
        fc.integer({ min: 0, max: 256 }),
        fc.integer({ min: 1, max: 32_768 }),
        fc.integer({ min: 0, max: 8192 }),
        fc.integer({ min: 0, max: 8192 }),
        (i, batch, moreBatch, ctx, moreCtx, prefill) => {
          const cost = models[i]!.cost;
          const t = (s: ReturnType<typeof shape>) => {
            const v = cost.stepTimeS(s);
            expect(Number.isFinite(v) && v > 0).toBe(true);
            return v;
          };
          const eps = 1e-12;
          expect(t(decodeShape(batch + moreBatch, ctx))).toBeGreaterThanOrEqual(t(decodeShape(batch, ctx)) - eps);
          expect(t(decodeShape(batch, ctx + moreCtx))).toBeGreaterThanOrEqual(t(decodeShape(batch, ctx)) - eps);
          const p1 = prefill + 1;
          const p2 = p1 + moreCtx + 1;
          expect(t(prefillShape(p2))).toBeGreaterThanOrEqual(t(prefillShape(p1)) - eps);
          // a prefill chunk added to a decode batch never makes the step shorter (graphs off counts too)
          const mixed = { ...prefillShape(p1), decodeSeqs: batch, decodeContextSum: batch * ctx };
          expect(t(mixed)).toBeGreaterThanOrEqual(t(decodeShape(batch, ctx)) - eps);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('TP never increases per-GPU weight bytes', () => {
    const reg = profiles();
    const hw = reg.getHardware('h100-sxm');
    for (const m of reg.models.values()) {
      let prev = Infinity;
      for (const tp of [1, 2, 4, 8]) {
        let d;
        try {
          d = resolveDeployment(m, hw, { tp }, calibrationFor('h100-sxm'));
        } catch (e) {
          expect(e).toBeInstanceOf(InfeasibleError); // TP does not divide the heads
          continue;
        }
        const w = planMemory(d).weightBytesPerGpu;
        expect(w, `${m.id} TP=${tp}`).toBeLessThanOrEqual(prev);
        prev = w;
      }
    }
  });

  it('fp8 weights halve the weight traffic of attention_proj and mlp vs bf16 (H100)', () => {
    const bf16 = prepared('llama-3.1-8b', 'h100-sxm', { weights: 'bf16' });
    const fp8 = prepared('llama-3.1-8b', 'h100-sxm', { weights: 'fp8' });
    // bytes = weights + T × activation bytes: two batch sizes separate the two parts
    const weightBytes = (p: typeof bf16, o: string) => {
      const b1 = op(p.cost.explain(decodeShape(1, 100)), o)!.bytes;
      const b2 = op(p.cost.explain(decodeShape(2, 100)), o)!.bytes;
      return b1 - (b2 - b1);
    };
    for (const o of ['attention_proj', 'mlp']) {
      expect(weightBytes(fp8, o)).toBeCloseTo(weightBytes(bf16, o) / 2, 0);
      expect(weightBytes(bf16, o)).toBeGreaterThan(1e9);
    }
    expect(bf16.cost.stepTimeS(decodeShape(1, 100))).toBeGreaterThan(fp8.cost.stepTimeS(decodeShape(1, 100)));
  });

  it('causalKeyCount matches a brute-force sum, with and without a sliding window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
        (chunk, prior, window) => {
          let brute = 0;
          for (let i = 1; i <= chunk; i++) brute += Math.min(prior + i, window ?? Infinity);
          expect(causalKeyCount(chunk, prior, window)).toBe(brute);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('every model × GPU × TP either prepares or is refused with a reason', () => {
  it('never NaN, never another exception', () => {
    const reg = profiles();
    let ok = 0;
    let refused = 0;
    for (const m of reg.models.values()) {
      for (const hw of reg.hardware.values()) {
        for (const tp of [1, 2, 4, 8]) {
          const where = `${m.id} on ${tp}x ${hw.id}`;
          let p;
          try {
            p = prepareDeployment(m, hw, { tp }, calibrationFor(hw.id));
          } catch (e) {
            expect(e, where).toBeInstanceOf(InfeasibleError);
            const err = e as InfeasibleError;
            expect(err.message.length, where).toBeGreaterThan(20);
            expect(err.message, where).not.toMatch(/NaN|undefined/);
            expect(err.reasons.length, where).toBeGreaterThan(0);
            refused++;
            continue;
          }
          ok++;
          const mem = p.memory;
          for (const v of [mem.weightBytesPerGpu, mem.kvBytesPerTokenPerGpu, mem.kvBlocks, mem.activationReserveBytes])
            expect(Number.isFinite(v) && v > 0, `${where}: memory plan`).toBe(true);
          for (const s of [decodeShape(1, 1), decodeShape(64, 2048), prefillShape(2048), { ...prefillShape(512), decodeSeqs: 8, decodeContextSum: 8000 }]) {
            const t = p.cost.stepTimeS(s);
            expect(Number.isFinite(t) && t > 0, `${where}: step time ${t}`).toBe(true);
            const b = p.cost.explain(s);
            for (const o of b.operators) expect(Number.isFinite(o.timeS) && Number.isFinite(o.bytes) && Number.isFinite(o.flops), `${where} ${o.op}`).toBe(true);
          }
        }
      }
    }
    expect(ok).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(0);
  });
});
