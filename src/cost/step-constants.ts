import type { Deployment } from './deployment.ts';

/** Per-deployment constants of the step cost model that need more than one line to derive (step-cost.ts). */

/** Activation elements the elementwise pass moves per token per layer on one GPU. */
export function elementwiseDims(m: Deployment['model'], tp: number): number {
  const moe = m.moe;
  const widest = moe ? moe.expertIntermediateSize * moe.expertsPerToken + (moe.sharedIntermediateSize || 0) : m.intermediateSize;
  // fused add+norm twice (read x and residual, write both) and the gated activation (read 2F, write F)
  return 8 * m.hiddenSize + ((m.gatedMlp ? 3 : 2) * widest) / tp;
}

/** All-reduce and pipeline-send bandwidth and latency of the deployment's fabric, calibrated. */
export function fabricCosts(d: Deployment): { allreduceBusBw: number; allreduceLatencyS: number; ppBw: number; ppLatencyS: number } {
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
  const crossNode = d.tp * d.pp > hw.gpusPerNode;
  const ppBw = crossNode ? (hw.scaleOutPerDirectionBytesPerS ?? hw.pciePerDirectionBytesPerS) : linkBw;
  const ppLatencyS = crossNode ? 10e-6 : ic.allreduceLatencyS / 2;
  return { allreduceBusBw, allreduceLatencyS, ppBw, ppLatencyS };
}
