// The deployment's fabric as the step cost model sees it: collective volumes, bandwidths and latencies.
import type { Deployment } from './deployment.ts';

/**
 * Bytes one GPU moves for an all-reduce of `msg` bytes over `tp` GPUs. NCCL's ring moves 2(n−1)/n × msg.
 * vLLM's custom all-reduce (vllm-project/vllm @036bb685 csrc/custom_all_reduce.cuh, CustomAllreduce::allreduce) runs
 * `cross_device_reduce_1stage` at 2 GPUs, and on full NVLink below 512 KiB (≤ 4 GPUs) or 256 KiB (≤ 8 GPUs):
 * every rank reads the whole buffer of each of the n−1 peers, (n−1) × msg; above those sizes
 * `cross_device_reduce_2stage` (reduce-scatter then all-gather) moves the ring's 2(n−1)/n × msg.
 */
export function allreduceVolumeBytes(msg: number, tp: number, customAllreduce: boolean): number {
  if (tp <= 1) return 0;
  const oneShot = customAllreduce && (tp === 2 || (tp <= 4 && msg < 512 * 1024) || (tp <= 8 && msg < 256 * 1024));
  return oneShot ? (tp - 1) * msg : (2 * (tp - 1) * msg) / tp;
}

/** All-reduce and pipeline-send bandwidth and latency of the deployment's fabric, calibrated. */
export function fabricCosts(d: Deployment): {
  allreduceBusBw: number;
  allreduceLatencyS: number;
  tpAllreduceLatencyS: number;
  customAllreduce: boolean;
  ppBw: number;
  ppLatencyS: number;
} {
  const hw = d.hardware;
  const c = d.calibration.values;
  const tp = d.tp;
  const ic = hw.interconnect;
  let linkBw = ic.perDirectionBytesPerS;
  // point-to-point fabrics: a GPU reaches each peer over one link, so a small TP group uses few links
  if (ic.kind === 'xgmi-p2p' && ic.linkPerDirectionBytesPerS !== undefined)
    linkBw = Math.min(ic.perDirectionBytesPerS, ic.linkPerDirectionBytesPerS * Math.max(1, tp - 1));
  const allreduceBusBw = linkBw * ic.allreduceBusEfficiency * c.collective_efficiency;
  const allreduceLatencyS = ic.allreduceLatencyS * c.collective_latency_relative;
  // vLLM uses its custom all-reduce inside one NVSwitch node (vllm custom_all_reduce.py: full NVLink or 2
  // GPUs). Its start/end barriers write a flag to every peer and spin until all n−1 peers' flags arrive, and
  // the one-shot kernel reads n−1 peer buffers: a latency that grows with the peers. The profile's latency
  // is measured across the fabric's max_gpus, so a TP group of n pays (n−1)/(max_gpus−1) of it.
  const customAllreduce = vllmCustomAllreduce(d);
  const tpAllreduceLatencyS = customAllreduce && ic.maxGpus > 1 ? (allreduceLatencyS * (tp - 1)) / (ic.maxGpus - 1) : allreduceLatencyS;
  const crossNode = d.tp * d.pp > hw.gpusPerNode;
  const ppBw = crossNode ? (hw.scaleOutPerDirectionBytesPerS ?? hw.pciePerDirectionBytesPerS) : linkBw;
  const ppLatencyS = crossNode ? 10e-6 : ic.allreduceLatencyS / 2;
  return { allreduceBusBw, allreduceLatencyS, tpAllreduceLatencyS, customAllreduce, ppBw, ppLatencyS };
}

/** vLLM runs TP all-reduces with its custom kernels on an NVSwitch node, within one node */
function vllmCustomAllreduce(d: Deployment): boolean {
  return d.engine.family === 'vllm' && d.hardware.interconnect.kind === 'nvswitch' && d.tp <= d.hardware.gpusPerNode;
}
