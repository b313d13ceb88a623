import type { Deployment } from './deployment.ts';
import { expectedMaxOfNormals } from './ep-imbalance.ts';
import type { MixerConstants } from './mixer-cost.ts';

/**
 * What the hot path reads of the calibration, the deployment and its mixers, in one object of one shape
 * (calibration objects from different files differ in shape, and a search costs steps of many): the reads
 * stay monomorphic. A product is folded only where StepCostModel computed it first, left to right, so every step
 * time is bit-identical to computing it per step.
 */
export type HotPathConstants = ReturnType<typeof hotPathConstants>;
export function hotPathConstants(d: Deployment, mx: MixerConstants, peak: { memBw: number; bf16: number; indexer: number }) {
  const c = d.calibration.values;
  return {
    gemmHalfTokens: c.gemm_half_tokens,
    weightBw: peak.memBw * c.weight_bandwidth_efficiency,
    attnFlopsPerS: peak.bf16 * c.attention_efficiency,
    kvBw: peak.memBw * c.kv_bandwidth_efficiency,
    indexerFlopsPerS: peak.indexer * c.attention_efficiency,
    /** the LM head's GEMM peak (bf16 × gemm_efficiency) */
    lmHeadPeak: peak.bf16 * c.gemm_efficiency,
    sequenceOverheadUs: c.sequence_overhead_us,
    prefillTokenOverheadUs: c.prefill_token_overhead_us,
    tp: d.tp,
    ep: d.ep,
    /** c(ep) of ep-imbalance.ts: how far the busiest EP rank sits above the mean, in standard deviations */
    epMaxZ: expectedMaxOfNormals(d.ep),
    pp: d.pp,
    cudaGraphs: d.engine.cudaGraphs,
    asyncScheduling: d.engine.asyncScheduling,
    softmaxLayers: mx.softmaxLayers,
    sparseTopK: mx.topK,
    linearLayers: mx.linear.layers,
    hasIndexer: mx.indexer.flopsPerKey > 0,
  };
}
