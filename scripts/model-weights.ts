/**
 * Per-model weights of blis_vllm fit stages: every model weighs the same in a fit, whatever its number of
 * stages. The H100 fit set holds six stages of Llama-2-7B (MHA) and six of Llama-4-Scout (FP8 MoE, top-1
 * of 16) but one to three of each dense GQA model; weighted per stage, those two architectures set the shared
 * bandwidth efficiencies of a calibration that serves models it was never fitted on. Used alike by the fit
 * (scripts/fit-vllm-v1.ts) and its bands (scripts/showdown-bands.ts), so the bands are those of the fit.
 */
import type { BlisExperiment } from './blis-runs.ts';

export type StageWeighting = 'model' | 'stage';

/** How fit.method records the weighting, so a band re-derivation reads it back (fitSettingsOf). */
export const WEIGHTING_PHRASE: Readonly<Record<StageWeighting, string>> = { model: 'each model weighted alike', stage: 'each stage weighted alike' };

/**
 * One weight per stage (in `experimentOfStage` order), normalised to sum to the number of stages as
 * per-stage weighting does: a stage of a model with s stages among m models weighs n / (m · s).
 */
export function stageWeights(experimentOfStage: readonly string[], experiments: readonly BlisExperiment[], by: StageWeighting): number[] {
  if (by === 'stage') return experimentOfStage.map(() => 1);
  const modelOf = new Map(experiments.map((e) => [e.id, e.modelId ?? e.modelRaw]));
  const model = (id: string): string => {
    const m = modelOf.get(id);
    if (m === undefined) throw new Error(`stage of experiment ${id} is not in the fit set`);
    return m;
  };
  const perModel = new Map<string, number>();
  for (const id of experimentOfStage) perModel.set(model(id), (perModel.get(model(id)) ?? 0) + 1);
  const n = experimentOfStage.length;
  return experimentOfStage.map((id) => n / (perModel.size * perModel.get(model(id))!));
}
