import type { Hardware } from '../schema/resolved-hardware.ts';
import type { Deployment } from './deployment.ts';
import { kvBytesPerTokenPerLayer } from './memory-plan.ts';
import { KV_BYTES } from '../schema/dtype.ts';

/**
 * Prefill/decode disaggregation moves each request's prompt KV from the prefill instance to the decode
 * instance. Every prefill GPU holds its TP shard of the KV and sends it over its own link, in parallel, so
 *
 *     transfer time = per-transfer latency + prompt tokens × KV bytes per token per prefill GPU / link bandwidth
 *
 * where the link is the scale-up fabric (NVLink / xGMI, per direction per GPU) when both pools sit in one
 * node, else the scale-out NIC per GPU (InfiniBand / RoCE; the profile's scale_out field, or PCIe when the
 * profile has none). Choice stated: the transfer starts when the prefill finishes and overlaps nothing
 * (no layer-by-layer pipelining, as vLLM's NIXL/MoRI connectors send the finished request's blocks).
 */
export interface KvLink {
  readonly kind: 'scale-up' | 'scale-out' | 'pcie';
  readonly name: string;
  readonly bandwidthBytesPerS: number;
  readonly latencyS: number;
}

/** one-sided RDMA write latency floor across a NIC (as the PP send across nodes in step-cost) */
export const SCALE_OUT_LATENCY_S = 10e-6;

/** The link between a prefill pool and a decode pool on this hardware. */
export function linkBetweenPools(hw: Hardware, sameNode: boolean): { link: KvLink; notes: string[] } {
  if (sameNode)
    return {
      link: { kind: 'scale-up', name: hw.interconnect.name, bandwidthBytesPerS: hw.interconnect.perDirectionBytesPerS, latencyS: hw.interconnect.allreduceLatencyS / 2 },
      notes: [],
    };
  if (hw.scaleOutPerDirectionBytesPerS !== undefined)
    return { link: { kind: 'scale-out', name: 'scale-out NIC', bandwidthBytesPerS: hw.scaleOutPerDirectionBytesPerS, latencyS: SCALE_OUT_LATENCY_S }, notes: [] };
  return {
    link: { kind: 'pcie', name: 'PCIe (no scale-out NIC in the profile)', bandwidthBytesPerS: hw.pciePerDirectionBytesPerS, latencyS: SCALE_OUT_LATENCY_S },
    notes: [`${hw.id} has no scale_out_per_direction_gb_per_s: KV transfer between nodes assumed at the PCIe rate (${(hw.pciePerDirectionBytesPerS / 1e9).toFixed(0)} GB/s per GPU)`],
  };
}

/** KV bytes per prompt token that one prefill GPU sends (its TP shard, all layers of its stage). */
export function kvTransferBytesPerTokenPerGpu(prefill: Deployment): number {
  const perLayer = kvBytesPerTokenPerLayer(prefill.model, KV_BYTES[prefill.quantization.kvCache], prefill.tp);
  return Math.ceil(prefill.model.layers / prefill.pp) * perLayer;
}

export function kvTransferTimeS(promptTokens: number, bytesPerTokenPerGpu: number, link: KvLink): number {
  if (promptTokens <= 0) return 0;
  return link.latencyS + (promptTokens * bytesPerTokenPerGpu) / link.bandwidthBytesPerS;
}
