/** `servesim explain`: a step's cost-model operators and the GPU roofline → chart rows. */
import type { StepBreakdown } from '../../cost/step-cost.ts';
import type { BoundClass, RooflineCeiling, StepBreakdownRow } from '../chart-data.ts';

/** Cost-model operators of one step → chart rows (seconds → ms, shares of the step). */
export function stepBreakdownRows(b: Pick<StepBreakdown, 'totalS' | 'operators'>, step?: string): StepBreakdownRow[] {
  return b.operators.map((o) => ({
    ...(step !== undefined ? { step } : {}),
    operator: o.op,
    timeMs: o.timeS * 1e3,
    share: b.totalS > 0 ? o.timeS / b.totalS : 0,
    bound: o.bound as BoundClass,
    flops: o.flops,
    bytes: o.bytes,
    arithmeticIntensity: o.arithmeticIntensity,
  }));
}

/** A GPU's roofline from its peak FLOP/s in the GEMM dtype and its HBM bandwidth (SI). */
export function rooflineCeiling(gpu: string, peakFlopsPerS: number, memoryBandwidthBytesPerS: number): RooflineCeiling {
  return { gpu, peakTflopsPerS: peakFlopsPerS / 1e12, memoryBandwidthTBPerS: memoryBandwidthBytesPerS / 1e12 };
}

/** "decode 64×2048 + prefill 512" */
export function stepLabel(shape: { decodeSeqs: number; decodeContextSum: number; prefillTokens: number; prefillSeqs: number }): string {
  const parts: string[] = [];
  if (shape.decodeSeqs > 0) parts.push(`decode ${shape.decodeSeqs}×${Math.round(shape.decodeContextSum / shape.decodeSeqs)}`);
  if (shape.prefillTokens > 0) parts.push(`prefill ${shape.prefillTokens}${shape.prefillSeqs > 1 ? ` in ${shape.prefillSeqs}` : ''}`);
  return parts.join(' + ') || 'step';
}
