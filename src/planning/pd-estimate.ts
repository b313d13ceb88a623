/**
 * The analytic first guess of a P/D sizing search, from the cost model alone (no simulation):
 *   - a prefill instance finishes one mean prompt per `prefillTimeS` (its chunks of at most
 *     max_num_batched_tokens, each a step of the cost model), so it carries at most 1 / prefillTimeS req/s;
 *   - a decode instance runs a batch of `decodeBatch` sequences at mid-answer context, each step emitting one
 *     token per sequence, so it carries decodeBatch / (stepTime × mean output tokens) req/s. The batch is the
 *     largest that the ITL/TPOT limit, the KV cache and max_num_seqs all allow.
 * Both are ceilings at full utilization: the search starts from them with headroom and simulates to verify.
 */
import type { PreparedDeployment } from '../cost/prepare.ts';
import { causalKeyCount } from '../cost/step-cost.ts';
import type { SloObjective } from '../metrics/slo.ts';
import { meanLengths, type LengthDistribution } from '../workload/lengths.ts';

export type DecodeBatchLimit = 'itl' | 'kv-cache' | 'max-num-seqs';

export interface PdEstimate {
  /** mean prompt's prefill time on one prefill instance, seconds */
  readonly prefillTimeS: number;
  /** req/s one prefill instance carries at full utilization */
  readonly prefillRatePerInstancePerS: number;
  /** sequences a decode instance runs at once */
  readonly decodeBatch: number;
  readonly decodeBatchLimit: DecodeBatchLimit;
  /** decode step time at that batch, seconds */
  readonly decodeStepS: number;
  /** req/s one decode instance carries at that batch */
  readonly decodeRatePerInstancePerS: number;
  /** decode instances per prefill instance that balance the two pools (may be below 1) */
  readonly decodePerPrefill: number;
}

const ZERO = { decodeSeqs: 0, decodeContextSum: 0, prefillSeqs: 0, prefillTokens: 0, prefillAttendedKeys: 0, prefillContextTokens: 0 };

/** One prompt of `tokens` prefilled alone, in chunks of the engine's token budget. */
export function prefillTimeS(p: PreparedDeployment, tokens: number): number {
  const budget = Math.max(1, p.deployment.engine.maxNumBatchedTokens);
  let t = 0;
  for (let prior = 0; prior < tokens; prior += budget) {
    const chunk = Math.min(budget, tokens - prior);
    t += p.cost.stepTimeS({ ...ZERO, prefillSeqs: 1, prefillTokens: chunk, prefillAttendedKeys: causalKeyCount(chunk, prior), prefillContextTokens: prior + chunk });
  }
  return t;
}

function decodeStepS(p: PreparedDeployment, batch: number, contextTokens: number): number {
  return p.cost.stepTimeS({ ...ZERO, decodeSeqs: batch, decodeContextSum: batch * contextTokens });
}

/** The tightest per-gap limit the SLO sets on decode steps (ITL or TPOT), seconds; Infinity without one. */
export function gapLimitS(slo: readonly SloObjective[]): number {
  return slo.filter((o) => o.metric === 'itl' || o.metric === 'tpot').reduce((m, o) => Math.min(m, o.thresholdS), Infinity);
}

/** The largest decode batch the ITL/TPOT limit, the KV cache and max_num_seqs allow (at least 1). */
function decodeBatchOf(p: PreparedDeployment, inputTokens: number, outputTokens: number, gapS: number): { batch: number; limit: DecodeBatchLimit } {
  const context = inputTokens + outputTokens / 2;
  const kvSeqs = Math.max(1, Math.floor(p.memory.kvTokens / Math.max(1, inputTokens + outputTokens)));
  const seqCap = p.deployment.engine.maxNumSeqs;
  let batch = Math.min(kvSeqs, seqCap);
  let limit: DecodeBatchLimit = kvSeqs < seqCap ? 'kv-cache' : 'max-num-seqs';
  if (decodeStepS(p, batch, context) > gapS) {
    // step time grows with the batch: bisect for the largest batch within the gap limit
    let lo = 1;
    let hi = batch;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (decodeStepS(p, mid, context) <= gapS) lo = mid;
      else hi = mid;
    }
    batch = lo;
    limit = 'itl';
  }
  return { batch, limit };
}

export function estimatePools(prefill: PreparedDeployment, decode: PreparedDeployment, lengths: LengthDistribution, slo: readonly SloObjective[]): PdEstimate {
  const { inputTokens, outputTokens } = meanLengths(lengths);
  const pT = prefillTimeS(prefill, Math.max(1, Math.round(inputTokens)));
  const { batch, limit } = decodeBatchOf(decode, inputTokens, outputTokens, gapLimitS(slo));
  const stepS = decodeStepS(decode, batch, inputTokens + outputTokens / 2);
  const prefillRate = 1 / pT;
  const decodeRate = batch / (stepS * Math.max(1, outputTokens));
  return {
    prefillTimeS: pT,
    prefillRatePerInstancePerS: prefillRate,
    decodeBatch: batch,
    decodeBatchLimit: limit,
    decodeStepS: stepS,
    decodeRatePerInstancePerS: decodeRate,
    decodePerPrefill: prefillRate / decodeRate,
  };
}
