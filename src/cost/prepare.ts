import { z } from 'zod';
import { InfeasibleError } from '../diagnostics/errors.ts';
import { DeploymentChoiceSchema } from '../schema/deployment.ts';
import { checkInput } from '../schema/issues.ts';
import type { Hardware } from '../schema/resolved-hardware.ts';
import type { Model } from '../schema/resolved-model.ts';
import type { CalibrationValues } from '../schema/calibration.ts';
import { resolveDeployment, type Deployment, type DeploymentChoice } from './deployment.ts';
import { assertFits, planMemory, type MemoryPlan } from './memory-plan.ts';
import type { StepCostModel } from './step-cost.ts';
import { costModelFor, planMemoryFor, withTechniques } from './techniques.ts';

const isObject = (v: unknown): v is object => v !== null && typeof v === 'object';
/** The profile objects prepareDeployment needs (library callers may pass ids or nothing by mistake). */
const PrepareArgsSchema = z.object({
  model: z.custom<object>((v) => isObject(v) && isObject(Reflect.get(v, 'attention')), { error: 'expected a model profile (loadProfiles().getModel(id)), not an id' }),
  hardware: z.custom<object>((v) => isObject(v) && typeof Reflect.get(v, 'memoryBandwidthBytesPerS') === 'number', { error: 'expected a hardware profile (loadProfiles().getHardware(id)), not an id' }),
  calibration: z.object({ id: z.string(), values: z.record(z.string(), z.number()) }, { error: 'expected a calibration { id, values } (chooseCalibration(...))' }),
});

/** A deployment ready to simulate: resolved, proven to fit, with its memory plan and cost model. */
export interface PreparedDeployment {
  readonly deployment: Deployment;
  readonly memory: MemoryPlan;
  readonly cost: StepCostModel;
}

/** Profiles a choice names besides the model and GPU: the draft model of speculative decoding. */
export interface RelatedProfiles {
  readonly draftModel?: Model | undefined;
}

/**
 * Resolve + plan memory + compile the cost model. Throws InfeasibleError with every reason when the
 * deployment cannot exist, naming the smallest TP that would fit when memory is the problem.
 */
export function prepareDeployment(
  model: Model,
  hardware: Hardware,
  choice: DeploymentChoice,
  calibration: { id: string; values: CalibrationValues },
  related: RelatedProfiles = {},
): PreparedDeployment {
  checkInput(PrepareArgsSchema, { model, hardware, calibration }, 'prepareDeployment');
  checkInput(DeploymentChoiceSchema, choice, 'invalid deployment choice', (path) => ['choice', ...path.map(String)].join('.'));
  const deployment = withTechniques(resolveDeployment(model, hardware, choice, calibration), choice, related.draftModel);
  const memory = planMemoryFor(deployment);
  if (memory.kvBlocks === 0) assertFits(deployment, memory, smallestFittingTp(model, hardware, choice, calibration));
  const minBlocks = Math.ceil(Math.min(deployment.engine.maxModelLen, 2048) / deployment.engine.blockSize);
  if (memory.kvBlocks < minBlocks)
    throw new InfeasibleError(
      `${model.id} on ${deployment.gpusPerReplica}x ${hardware.id}: only ${memory.kvTokens} KV tokens fit after the weights; ` +
        `not enough for one 2048-token request. Use a larger TP, lower-precision weights or KV cache, or a larger GPU`,
    );
  return { deployment, memory, cost: costModelFor(deployment) };
}

/**
 * prepareDeployment, but without a TP in `choice` it takes the smallest TP degree that fits (as compare
 * tries every TP that fits), and says so in the deployment's notes. When none fits, the TP 1 error stands.
 */
export function prepareSmallestFitting(
  model: Model,
  hardware: Hardware,
  choice: DeploymentChoice,
  calibration: { id: string; values: CalibrationValues },
  related: RelatedProfiles = {},
): PreparedDeployment {
  if (choice.tp !== undefined) return prepareDeployment(model, hardware, choice, calibration, related);
  let first: unknown;
  for (const tp of candidateTps(hardware)) {
    try {
      const p = prepareDeployment(model, hardware, { ...choice, tp }, calibration, related);
      const note =
        tp === 1
          ? `no --tp given: TP 1 (${model.id} fits on one ${hardware.id})`
          : `no --tp given: TP ${tp}, the smallest tensor-parallel degree at which ${model.id} fits on ${hardware.id} (pass --tp to choose)`;
      return { ...p, deployment: { ...p.deployment, notes: [note, ...p.deployment.notes] } };
    } catch (e) {
      if (!(e instanceof InfeasibleError)) throw e;
      first ??= e;
    }
  }
  throw first;
}

/** TP degrees worth trying on this hardware: powers of two within the NVLink/xGMI domain. */
export function candidateTps(hardware: Hardware): number[] {
  const tps: number[] = [];
  for (let tp = 1; tp <= hardware.interconnect.maxGpus; tp *= 2) tps.push(tp);
  return tps;
}

export function smallestFittingTp(
  model: Model,
  hardware: Hardware,
  choice: DeploymentChoice,
  calibration: { id: string; values: CalibrationValues },
): number | undefined {
  for (const tp of candidateTps(hardware)) {
    try {
      const d = resolveDeployment(model, hardware, { ...choice, tp, ep: 1 }, calibration);
      if (planMemory(d).kvBlocks > 0) return tp;
    } catch {
      // this TP is invalid for the model (heads); try the next
    }
  }
  return undefined;
}
