import { defaultCalibration } from '../cost/calibration-defaults.ts';
import { type BandMetric, CALIBRATION_PARAMETERS, type CalibrationBands, type CalibrationFile, type CalibrationParameter, type CalibrationValues } from '../schema/calibration.ts';
import { datasheetBands, fittedBands, transferredBands } from './provenance-bands.ts';
import type { EngineFamily } from '../schema/deployment.ts';
import type { Hardware } from '../schema/resolved-hardware.ts';

// Choosing a calibration needs the cost model's datasheet defaults, so it lives above cost/ (profiles/ only loads files).

export interface ResolvedCalibration {
  readonly id: string;
  readonly values: CalibrationValues;
  /** where the values came from: a file path, or "datasheet defaults" */
  readonly origin: string;
  /** how much to trust it: fitted to measurements of this GPU × engine, transferred from another GPU, or datasheet only */
  readonly provenance: CalibrationProvenance;
  /** 80% band half-widths (log ratio) of a fitted calibration, checked on held-out data; absent otherwise */
  readonly band80?: Readonly<Partial<Record<'ttft' | 'tpot' | 'e2e', number>>>;
  /** 80% bands for every provenance: fitted from held-out error, transferred and datasheet-only widened (provenance-bands.ts) */
  readonly bands: CalibrationBands;
}

export type CalibrationProvenance = 'user file' | 'fitted' | 'transferred' | 'datasheet only';

/**
 * The calibration for a GPU × engine: an explicit file wins; else the shipped profile fitted for exactly
 * this GPU and engine; else one fitted for this engine on any GPU ("*"); else what the engine's transfer rule
 * (TRANSFER_RULES, validated leave-one-GPU-out) gives: a donor's fit transferred, or datasheet defaults.
 * Profiles restricted to old engine versions (engine_versions "<0.7") apply only when the benchmark's
 * engine version is known and in range — validation of old measurements — never to new deployments.
 */
export function chooseCalibration(
  hw: Hardware,
  engine: EngineFamily,
  shipped: readonly CalibrationFile[],
  explicit?: CalibrationFile,
  engineVersion?: string,
): ResolvedCalibration {
  if (explicit) return { id: explicit.id, values: explicit.values, origin: `file ${explicit.id}`, provenance: 'user file', bands: userFileBands(explicit) };
  const version = engineVersion ? parseVersion(engineVersion) : undefined;
  const ranged = version ? shipped.find((c) => c.hardware === hw.id && c.engine === engine && c.engine_versions && inRange(version, c.engine_versions)) : undefined;
  if (ranged)
    return { id: ranged.id, values: ranged.values, origin: `shipped calibration ${ranged.id} (engine ${engineVersion})`, provenance: 'fitted', bands: fittedBands(ranged) ?? datasheetBands(ranged.id) };
  shipped = shipped.filter((c) => !c.engine_versions);
  const exact = shipped.find((c) => c.hardware === hw.id && c.engine === engine);
  if (exact)
    return {
      id: exact.id,
      values: exact.values,
      origin: `shipped calibration ${exact.id}`,
      provenance: 'fitted',
      bands: fittedBands(exact) ?? datasheetBands(exact.id),
      ...(exact.fit?.band80 ? { band80: meanBand80(exact.fit.band80) } : {}),
    };
  const anyGpu = shipped.find((c) => c.hardware === '*' && c.engine === engine);
  if (anyGpu)
    return {
      id: anyGpu.id,
      values: anyGpu.values,
      origin: `shipped calibration ${anyGpu.id} (fitted on other GPUs)`,
      provenance: 'transferred',
      bands: transferredBands(anyGpu.id, fittedBands(anyGpu), `${engine}/${hw.id}`),
    };
  const donors = shipped.filter((c) => c.engine === engine && c.hardware !== '*');
  const rule = TRANSFER_RULES[engine];
  if (donors.length > 0 && (rule === 'first donor' || rule === 'first donor overheads')) return transferByRule(donors[0]!, hw, engine);
  if (donors.length > 0 && rule === 'mean of donors') return meanOfDonors(donors, hw, engine);
  const origin =
    donors.length > 0
      ? `datasheet defaults (not fitted; no ${engine} calibration is transferred from ${donors.map((d) => d.hardware).join(', ')}: leave-one-GPU-out, transfer predicted held-out GPUs worse than datasheet defaults)`
      : 'datasheet defaults (not fitted)';
  const id = `defaults-${hw.id}-${engine}`;
  return { id, values: defaultCalibration(hw, engine), origin, provenance: 'datasheet only', bands: datasheetBands(id) };
}

/**
 * 'first donor': the first donor's fit, efficiencies scaled by datasheet ratios; 'first donor overheads': the
 * first donor's engine costs on the target GPU's datasheet efficiencies; 'mean of donors'; 'datasheet only'.
 */
export type TransferRule = 'first donor' | 'first donor overheads' | 'mean of donors' | 'datasheet only';

/**
 * What a GPU with no fit of its own gets, per engine, as decided by the leave-one-GPU-out validation of
 * scripts/fit-engine-gpus.ts (docs/validation-engine-gpus.md; it warns when the measured best rule differs
 * from this table), on the geometric mean of the held-out GPUs' errors. vLLM V1: one fitted GPU (H100); its
 * engine costs on the target's datasheet efficiencies (21.0) beat its fit with efficiencies scaled by
 * datasheet ratios (26.7) and datasheet defaults (50.8) on the held-out A100-40GB and H200: H100's fitted
 * weight streaming (89% of peak against a datasheet 80%) is H100's, and scaled to A100 it ran A100 too fast.
 * SGLang: datasheet defaults, within 10% of every transfer rule tried (one donor, the nearest donor by
 * datasheet ratios, the mean of the donors, donor overheads), so not replaced.
 * TensorRT-LLM: no latency-under-load data on two GPUs to validate a rule; the first donor, as before.
 */
export const TRANSFER_RULES: Readonly<Record<EngineFamily, TransferRule>> = { vllm: 'first donor overheads', sglang: 'datasheet only', trtllm: 'first donor' };

/** A donor's fit moved to `hw` as the engine's transfer rule moves it (efficiencies scaled, or the target's datasheet ones). */
export function transferByRule(donor: CalibrationFile, hw: Hardware, engine: EngineFamily): ResolvedCalibration {
  return transferCalibration(donor, hw, engine, TRANSFER_RULES[engine] === 'first donor overheads' ? 'datasheet' : 'scaled');
}

/** Efficiencies: what the GPU achieves of its datasheet peaks; scaled by datasheet ratios on transfer. */
const EFFICIENCY_PARAMETERS: readonly CalibrationParameter[] = [
  'gemm_efficiency',
  'lowp_gemm_relative',
  'weight_bandwidth_efficiency',
  'kv_bandwidth_efficiency',
  'attention_efficiency',
  'collective_efficiency',
];

/**
 * A donor fit moved to a GPU with no fit of its own: the engine's own costs (CPU and GPU step overheads,
 * per-layer, per-sequence, per-token and client overheads, its all-reduce latency factor) are copied from
 * the donor fit. Each efficiency either keeps the donor's fitted/datasheet ratio, applied to the target GPU's
 * datasheet fraction, within bounds ('scaled'), or is the target's datasheet fraction ('datasheet').
 */
export function transferCalibration(donor: CalibrationFile, hw: Hardware, engine: EngineFamily, efficiencies: 'scaled' | 'datasheet' = 'scaled'): ResolvedCalibration {
  const donorDefaults = defaultCalibration({ id: donor.hardware }, engine);
  const target = defaultCalibration(hw, engine);
  const values: Record<string, number> = { ...donor.values };
  for (const p of EFFICIENCY_PARAMETERS) {
    const { min, max } = CALIBRATION_PARAMETERS[p];
    values[p] = efficiencies === 'datasheet' ? target[p] : Math.min(max, Math.max(min, target[p] * (donor.values[p] / donorDefaults[p])));
  }
  const id = `${donor.id}-transferred-${hw.id}`;
  const how = efficiencies === 'datasheet' ? `engine overheads copied, efficiencies ${hw.id}'s datasheet fractions` : 'efficiencies scaled by datasheet ratios, overheads copied';
  return {
    id,
    values: values as CalibrationValues,
    bands: transferredBands(id, fittedBands(donor), `${engine}/${hw.id}`),
    origin: `transferred from ${donor.id} (fitted on ${donor.hardware}; ${how})`,
    provenance: 'transferred',
  };
}

/**
 * Distance between two GPUs by datasheet ratios: |log| of the bf16 peak ratio plus |log| of the memory
 * bandwidth ratio, plus 1 across vendors (another software stack: kernels, collectives).
 */
export function datasheetDistance(a: Hardware, b: Hardware): number {
  const ratio = (x: number | undefined, y: number | undefined) => (x && y ? Math.abs(Math.log(x / y)) : 1);
  return ratio(a.peakFlopsPerS.bf16, b.peakFlopsPerS.bf16) + ratio(a.memoryBandwidthBytesPerS, b.memoryBandwidthBytesPerS) + (a.vendor === b.vendor ? 0 : 1);
}

/** The donor fitted on the GPU nearest to `hw` by datasheet ratios; ties go to the first in file order. */
export function nearestDonor(donors: readonly CalibrationFile[], hw: Hardware, hardwareOf: (id: string) => Hardware): CalibrationFile {
  if (donors.length === 0) throw new Error('nearestDonor: no donor');
  let best = donors[0]!;
  let bestDistance = Infinity;
  for (const d of donors) {
    const distance = datasheetDistance(hardwareOf(d.hardware), hw);
    if (distance < bestDistance) [best, bestDistance] = [d, distance];
  }
  return best;
}

/** Every donor transferred to `hw`, then the geometric mean of each value (arithmetic where a value is 0). */
export function meanOfDonors(donors: readonly CalibrationFile[], hw: Hardware, engine: EngineFamily): ResolvedCalibration {
  const transferred = donors.map((d) => transferCalibration(d, hw, engine).values);
  const values: Record<string, number> = {};
  for (const p of Object.keys(transferred[0]!) as CalibrationParameter[]) {
    const xs = transferred.map((v) => v[p]);
    values[p] = xs.every((x) => x > 0) ? Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length) : xs.reduce((a, x) => a + x, 0) / xs.length;
  }
  return {
    id: `${engine}-mean-transferred-${hw.id}`,
    values: values as CalibrationValues,
    origin: `mean of ${donors.map((d) => d.id).join(', ')} transferred to ${hw.id} (efficiencies scaled by datasheet ratios, overheads copied)`,
    provenance: 'transferred',
    bands: transferredBands(`${engine}-mean-transferred-${hw.id}`, undefined, `${engine}/${hw.id}`),
  };
}

/** the mean-metric half-widths that recommend's verified rows print (the tails are planning's business) */
function meanBand80(band80: Partial<Record<BandMetric, number>>): Partial<Record<'ttft' | 'tpot' | 'e2e', number>> {
  return Object.fromEntries((['ttft', 'tpot', 'e2e'] as const).flatMap((m) => (band80[m] !== undefined ? [[m, band80[m]]] : [])));
}

/** a user's file: its own fitted band when its fit recorded one, else treated as datasheet-only (its held-out error is unknown) */
function userFileBands(file: CalibrationFile): CalibrationBands {
  const own = fittedBands(file);
  if (own) return own;
  const d = datasheetBands(file.id);
  return { ...d, basis: `calibration ${file.id} (user file) records no held-out error: band of a datasheet-only calibration (docs/validation-loso.md)` };
}

/** major.minor of a version string such as "vLLM 0.5.4" or "0.6.0"; undefined when none is found */
export function parseVersion(text: string): [number, number] | undefined {
  const m = /(\d+)\.(\d+)/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function inRange(v: [number, number], range: string): boolean {
  const bound = parseVersion(range);
  if (!bound) return false;
  return v[0] < bound[0] || (v[0] === bound[0] && v[1] < bound[1]);
}
