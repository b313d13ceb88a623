/**
 * Analytic pruning before any simulation, from the cost model alone:
 *   - the deployment must exist (TP divides the heads, the dtype runs on the GPU, weights + one request fit);
 *   - the batch-1 latency floor must meet the SLO: a step's time only grows with the work in it (each
 *     operator is max(FLOPs / peak, bytes / bandwidth), summed), so no request's TTFT beats a lone prefill
 *     of the shortest prompt, and no token gap beats a lone decode step. If the floor misses a limit, no
 *     load can meet it;
 *   - with an inventory (--available), the decode roofline ceiling must let the target fit in the GPUs there
 *     are: a replica emits at most maxSeqs tokens per lone-decode step time.
 */
import type { PreparedDeployment } from '../../cost/prepare.ts';
import type { SloObjective } from '../../metrics/slo.ts';
import type { LengthDistribution } from '../../workload/lengths.ts';
import { objectiveLabel } from '../capacity.ts';

const minOf = (xs: readonly number[]): number => xs.reduce((m, x) => Math.min(m, x), Infinity);

/** The shortest prompt and answer the distribution can draw (1 when it has no lower bound). */
export function shortestRequest(l: LengthDistribution): { inputTokens: number; outputTokens: number; meanOutputTokens: number } {
  switch (l.kind) {
    case 'fixed':
      return { inputTokens: l.inputTokens, outputTokens: l.outputTokens, meanOutputTokens: l.outputTokens };
    case 'synthetic':
    case 'lognormal':
      return { inputTokens: Math.max(1, l.input.min ?? 1), outputTokens: Math.max(1, l.output.min ?? 1), meanOutputTokens: l.output.mean };
    case 'empirical':
    case 'sequence':
      return {
        inputTokens: Math.max(1, minOf(l.inputTokens)),
        outputTokens: Math.max(1, minOf(l.outputTokens)),
        meanOutputTokens: l.outputTokens.reduce((s, x) => s + x, 0) / Math.max(1, l.outputTokens.length),
      };
  }
}

/** Latency floors of one replica at batch 1, seconds. */
export function latencyFloors(p: PreparedDeployment, lengths: LengthDistribution): { ttftS: number; gapS: number; e2eS: number } {
  const r = shortestRequest(lengths);
  const zero = { decodeSeqs: 0, decodeContextSum: 0, prefillSeqs: 0, prefillTokens: 0, prefillAttendedKeys: 0, prefillContextTokens: 0 };
  const chunk = Math.min(r.inputTokens, p.deployment.engine.maxNumBatchedTokens);
  const ttftS = p.cost.stepTimeS({ ...zero, prefillSeqs: 1, prefillTokens: chunk, prefillAttendedKeys: (chunk * (chunk + 1)) / 2 });
  const gapS = p.cost.stepTimeS({ ...zero, decodeSeqs: 1, decodeContextSum: r.inputTokens });
  return { ttftS, gapS, e2eS: ttftS + Math.max(0, r.outputTokens - 1) * gapS };
}

/** Why the SLO cannot be met at any load, or undefined when the floors leave room. */
export function sloFloorViolation(p: PreparedDeployment, lengths: LengthDistribution, slo: readonly SloObjective[]): string | undefined {
  const f = latencyFloors(p, lengths);
  const floorOf: Record<SloObjective['metric'], number> = { ttft: f.ttftS, itl: f.gapS, tpot: f.gapS, e2e: f.e2eS, queue: 0 };
  const broken = slo.filter((o) => floorOf[o.metric] > o.thresholdS);
  if (broken.length === 0) return undefined;
  const ms = (s: number) => `${(s * 1e3).toFixed(1)} ms`;
  return `batch-1 latency floor misses the SLO at any load: ${broken.map((o) => `${objectiveLabel(o)} ≥ ${ms(floorOf[o.metric])} > ${ms(o.thresholdS)}`).join('; ')}`;
}

/** Decode roofline ceiling of one replica: output tokens/s it can never exceed. */
export function decodeCeilingTokensPerS(p: PreparedDeployment, lengths: LengthDistribution): number {
  const r = shortestRequest(lengths);
  const kvSeqs = Math.max(1, Math.floor(p.memory.kvTokens / Math.max(1, r.inputTokens + r.outputTokens)));
  const seqs = Math.min(p.deployment.engine.maxNumSeqs, kvSeqs);
  // pipeline stages may each run a batch at once
  return (seqs * p.deployment.pp) / latencyFloors(p, lengths).gapS;
}

/** GPUs the target needs at the very least (roofline), to compare with an inventory. */
export function minimumGpus(p: PreparedDeployment, lengths: LengthDistribution, ratePerS: number, headroom: number): number {
  const need = ratePerS * (1 + headroom) * shortestRequest(lengths).meanOutputTokens;
  return Math.max(1, Math.ceil(need / decodeCeilingTokensPerS(p, lengths))) * p.deployment.gpusPerReplica;
}
