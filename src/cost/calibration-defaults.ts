import type { EngineFamily } from '../schema/deployment.ts';
import type { CalibrationValues } from '../schema/calibration.ts';
import type { Hardware } from '../schema/resolved-hardware.ts';

/**
 * Datasheet-only starting points, used when no fitted calibration exists for a GPU × engine. Every
 * fraction is a measured one from ../shared/reference/hardware-and-models.md §1.3:
 *   - gemm_efficiency: aiconfigurator (AIC) TRT-LLM GEMM tables at 4096×8192×8192 bf16: A100 83%, H100 83%;
 *     B200 63% (77% max); ml-engineering MAMF MI300X 51%, MI325X 60%; L40S 60%.
 *   - lowp_gemm_relative: AIC fp8 max / bf16 max: H100 76.1/86.4 = 0.88, B200 70.0/76.3 = 0.92.
 *   - weight_bandwidth_efficiency: AIC decode-like GEMMs (m ≤ 8, ≥ 64 MB weights), median achieved /
 *     spec: A100 0.75, H100 0.80, H200 0.79, B200 0.70, GB200 0.68, L40S 0.83; aiconfigurator itself
 *     applies 0.8 to every memory-bound op.
 *   - kv_bandwidth_efficiency: paged KV reads run below weight streaming (a third-party Nsight study,
 *     low authority, saw 42% on H100); 0.6 is a middle value until calibrated.
 *   - attention_efficiency 0.5: FlashAttention-2/3 forward on Hopper reaches ~35–75% of bf16 peak.
 *   - overheads: engine-family priors (CPU scheduling per step ~1–3 ms for vLLM V1, lower for
 *     TensorRT-LLM's C++ executor); these are what calibration is for.
 */
export function defaultCalibration(hw: Pick<Hardware, 'id'>, engine: EngineFamily): CalibrationValues {
  const gpu = gpuClass(hw);
  const byGpu: Record<GpuClass, Pick<CalibrationValues, 'gemm_efficiency' | 'lowp_gemm_relative' | 'weight_bandwidth_efficiency'>> = {
    ampere: { gemm_efficiency: 0.83, lowp_gemm_relative: 0.9, weight_bandwidth_efficiency: 0.75 },
    hopper: { gemm_efficiency: 0.83, lowp_gemm_relative: 0.88, weight_bandwidth_efficiency: 0.8 },
    blackwell: { gemm_efficiency: 0.7, lowp_gemm_relative: 0.92, weight_bandwidth_efficiency: 0.7 },
    ada: { gemm_efficiency: 0.6, lowp_gemm_relative: 0.85, weight_bandwidth_efficiency: 0.83 },
    cdna3: { gemm_efficiency: 0.55, lowp_gemm_relative: 0.9, weight_bandwidth_efficiency: 0.7 },
  };
  const byEngine: Record<EngineFamily, Pick<CalibrationValues, 'step_overhead_ms' | 'layer_overhead_us' | 'sequence_overhead_us' | 'client_overhead_ms'>> = {
    vllm: { step_overhead_ms: 2, layer_overhead_us: 4, sequence_overhead_us: 15, client_overhead_ms: 3 },
    sglang: { step_overhead_ms: 1.5, layer_overhead_us: 4, sequence_overhead_us: 10, client_overhead_ms: 3 },
    trtllm: { step_overhead_ms: 0.8, layer_overhead_us: 3, sequence_overhead_us: 5, client_overhead_ms: 2 },
  };
  return {
    ...byGpu[gpu],
    ...byEngine[engine],
    gemm_half_tokens: 48,
    step_gpu_overhead_ms: 0,
    collective_latency_relative: 1,
    kv_bandwidth_efficiency: 0.6,
    attention_efficiency: 0.5,
    collective_efficiency: 1,
    prefill_token_overhead_us: 0,
    frontend_prompt_token_us: 0,
    frontend_workers: 1,
  };
}

type GpuClass = 'ampere' | 'hopper' | 'blackwell' | 'ada' | 'cdna3';

function gpuClass(hw: Pick<Hardware, 'id'>): GpuClass {
  const id = hw.id;
  if (id.startsWith('a100')) return 'ampere';
  if (id.startsWith('b200') || id.startsWith('gb200') || id.startsWith('b300')) return 'blackwell';
  if (id.startsWith('l40') || id.startsWith('l4')) return 'ada';
  if (id.startsWith('mi3')) return 'cdna3';
  return 'hopper';
}
