import { z } from 'zod';

/**
 * Numeric formats a GPU computes in or a tensor is stored in.
 * `bytes` is the storage cost per element including block-scale overhead where the format has one
 * (sources: aiconfigurator `sdk/common.py` QuantMapping; hardware-and-models.md §2.5).
 */
export const COMPUTE_DTYPES = ['fp32', 'tf32', 'bf16', 'fp16', 'fp8', 'int8', 'fp4'] as const;
export const ComputeDtypeSchema = z.enum(COMPUTE_DTYPES);
export type ComputeDtype = z.infer<typeof ComputeDtypeSchema>;

export const WEIGHT_FORMATS = ['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'int4', 'nvfp4', 'mxfp4', 'int4g32'] as const;
export const WeightFormatSchema = z.enum(WEIGHT_FORMATS);
export type WeightFormat = z.infer<typeof WeightFormatSchema>;

export const KV_CACHE_DTYPES = ['fp32', 'bf16', 'fp16', 'fp8', 'int8', 'fp4'] as const;
export const KvCacheDtypeSchema = z.enum(KV_CACHE_DTYPES);
export type KvCacheDtype = z.infer<typeof KvCacheDtypeSchema>;

/**
 * Bytes per weight of a group-quantised format: `bits` per weight plus one scale of `scaleBytes` per
 * `groupSize` weights (symmetric: no zero point).
 */
export function groupQuantizedBytesPerWeight(bits: number, groupSize: number, scaleBytes: number): number {
  return bits / 8 + scaleBytes / groupSize;
}

/** Bytes per weight element, block scales included. */
export const WEIGHT_BYTES: Readonly<Record<WeightFormat, number>> = {
  fp32: 4,
  bf16: 2,
  fp16: 2,
  fp8: 1, // per-tensor / per-channel / 128x128 block scales: negligible overhead
  int8: 1,
  int4: 0.515625, // AWQ/GPTQ: 4 bits + fp16 scale per 128-weight group (+ packed zero point ≈ 2-3 B / 128)
  nvfp4: 0.5625, // 4 bits + one fp8 scale per 16 weights = 4.5 bits
  mxfp4: 0.53125, // 4 bits + one e8m0 scale per 32 weights = 4.25 bits
  // compressed-tensors pack-quantized INT4, symmetric, group 32, bf16 scales (Kimi K2 / K2.5 routed experts) = 4.5 bits
  int4g32: groupQuantizedBytesPerWeight(4, 32, 2),
};

/**
 * Formats whose checkpoints quantise only the routed experts (the attention, dense MLP, shared experts and
 * embeddings stay bf16): gpt-oss MXFP4, and Kimi K2.5 whose compressed-tensors `ignore` list keeps every
 * non-expert Linear in bf16.
 */
export const EXPERT_ONLY_WEIGHT_FORMATS: ReadonlySet<WeightFormat> = new Set(['mxfp4', 'int4g32']);

export const KV_BYTES: Readonly<Record<KvCacheDtype, number>> = {
  fp32: 4,
  bf16: 2,
  fp16: 2,
  fp8: 1,
  int8: 1,
  fp4: 0.5625,
};

/**
 * The tensor-core format a GEMM runs in when weights are stored in `weights` and activations in
 * `activations`. Weight-only formats (int4, int4g32, W8A16) dequantize to the activation dtype: vLLM runs
 * INT4 group-quantised experts as W4A16 (Marlin MoE kernels), so their GEMMs run at the bf16 rate.
 */
export function gemmComputeDtype(weights: WeightFormat, activations: ComputeDtype): ComputeDtype {
  const weightCompute: ComputeDtype | undefined =
    weights === 'fp8' ? 'fp8' : weights === 'int8' ? 'int8' : weights === 'nvfp4' || weights === 'mxfp4' ? 'fp4' : undefined;
  const rank: Record<ComputeDtype, number> = { fp32: 0, tf32: 1, bf16: 2, fp16: 2, fp8: 3, int8: 3, fp4: 4 };
  if (weightCompute === undefined) return activations;
  // A GEMM runs at the wider of the two formats: W8A16 runs in bf16, W4A8 in fp8.
  return rank[weightCompute] >= rank[activations] ? activations : weightCompute;
}
