/**
 * `compare --disaggregate`: next to each colocated candidate (compare.ts), the same deployment split into a
 * prefill pool and a decode pool and sized by planDisaggregated, so one table answers "is disaggregation
 * worth it for this workload?": GPUs and $/h of both at the same target and SLO.
 */
import { InfeasibleError, InputError } from '../diagnostics/errors.ts';
import type { ChoiceFlagValues, DeploymentFlags } from '../schema/deployment-flags.ts';
import type { CandidateSpec, CompareRow, Preparer } from './compare.ts';
import { planDisaggregated, type PdPlanInput, type PdPlanResult } from './disaggregated-plan.ts';

/** How a candidate's decode pool differs from its prefill pool (the --decode-* flags). */
export interface DecodePoolSpec {
  readonly hardware?: string | undefined;
  readonly overrides: ChoiceFlagValues;
}

export interface PdCompareRow {
  /** the colocated candidate this row splits */
  readonly candidate: string;
  readonly colocatedGpus: number | undefined;
  readonly colocatedUsdPerHour: number | undefined;
  /** the P/D plan, or why this candidate cannot be split */
  readonly disaggregated: PdPlanResult | undefined;
  readonly error: string | undefined;
  /** P/D GPUs − colocated GPUs at the target (negative: disaggregation saves GPUs) */
  readonly gpuDelta: number | undefined;
  readonly verdict: string;
}

type PdPlanSettings = Omit<PdPlanInput, 'prefill' | 'decode' | 'usdPerGpuHour'>;

function verdictOf(row: CompareRow, pd: PdPlanResult): { gpuDelta: number | undefined; verdict: string } {
  const t = pd.target;
  const c = row.target;
  if (!pd.feasible) return { gpuDelta: undefined, verdict: `P/D cannot meet the SLO: ${pd.infeasibleReason}` };
  if (!t) {
    const colocatedPerGpu = row.feasible ? row.capacity.perReplicaRatePerS / row.deployment.gpusPerReplica : 0;
    const u = pd.unit!;
    const gain = colocatedPerGpu > 0 ? u.ratePerGpuPerS / colocatedPerGpu - 1 : Infinity;
    return { gpuDelta: undefined, verdict: `${u.ratio} carries ${u.ratePerGpuPerS.toFixed(3)} req/s per GPU vs ${colocatedPerGpu.toFixed(3)} colocated (${gain >= 0 ? '+' : ''}${(gain * 100).toFixed(0)}%)` };
  }
  if (!t.verified) return { gpuDelta: undefined, verdict: 'P/D: no fleet within the limits met the SLO' };
  if (!c || !row.feasible || !c.verified) return { gpuDelta: undefined, verdict: `only P/D meets the SLO: ${t.ratio}, ${t.gpus} GPUs` };
  const delta = t.gpus - c.gpus;
  const verdict =
    delta < 0 ? `disaggregation saves ${-delta} GPU${delta === -1 ? '' : 's'} (${t.ratio}: ${t.gpus} vs ${c.gpus})` : delta > 0 ? `colocated needs ${delta} fewer GPU${delta === 1 ? '' : 's'} (${c.gpus} vs ${t.ratio}: ${t.gpus})` : `same GPUs (${c.gpus}); compare $/h and latency`;
  return { gpuDelta: delta, verdict };
}

/**
 * One P/D row per colocated row of a comparison: the candidate's deployment (its TP as compared) is the
 * prefill pool; the decode pool is it with `decode`'s changes. A candidate that cannot be split (a decode
 * instance too small for one request, ...) gets its reason, as compare lists skipped candidates.
 */
export function compareDisaggregated(
  ctx: Preparer,
  base: DeploymentFlags,
  specs: readonly CandidateSpec[],
  rows: readonly CompareRow[],
  settings: PdPlanSettings,
  decode: DecodePoolSpec,
  priceOf: (hardwareId: string) => number | undefined,
): PdCompareRow[] {
  return rows.map((row) => {
    const spec = specs.find((c) => row.candidate === c.text || row.candidate.startsWith(`${c.text}:tp=`));
    const colocated = { candidate: row.candidate, colocatedGpus: row.target?.gpus, colocatedUsdPerHour: row.target?.usdPerHour };
    try {
      if (!spec) throw new InputError(`no candidate spec for ${row.candidate}`);
      const flags = { ...base, model: spec.model, hardware: spec.hardware };
      const prefill = ctx.prepare(flags, { ...spec.overrides, tp: row.deployment.tp });
      const decodeHw = decode.hardware ?? spec.hardware;
      const decodeTp = decode.overrides['tp'] ?? (decodeHw === spec.hardware ? row.deployment.tp : undefined);
      const d = ctx.prepare({ ...flags, hardware: decodeHw }, { ...spec.overrides, ...decode.overrides, tp: decodeTp });
      const pd = planDisaggregated({ ...settings, prefill, decode: d, usdPerGpuHour: { prefill: priceOf(spec.hardware), decode: priceOf(decodeHw) } });
      return { ...colocated, disaggregated: pd, error: undefined, ...verdictOf(row, pd) };
    } catch (e) {
      if (!(e instanceof InputError || e instanceof InfeasibleError)) throw e;
      return { ...colocated, disaggregated: undefined, error: e.message, gpuDelta: undefined, verdict: `cannot split: ${e.message}` };
    }
  });
}
