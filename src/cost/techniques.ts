import type { Model } from '../schema/resolved-model.ts';
import type { Deployment, DeploymentChoice } from './deployment.ts';
import { checkDep, DepStepCostModel, planDepMemory } from './dep.ts';
import { planMemory, type MemoryPlan } from './memory-plan.ts';
import { resolveSpeculative } from './speculative.ts';
import { StepCostModel } from './step-cost.ts';

/**
 * Issue 16's techniques on a resolved deployment: speculative decoding (drafter derived, acceptance
 * resolved) and attention data-parallel + expert parallelism. Without them the deployment, its memory
 * plan and its cost model are exactly those of plain TP/PP/EP.
 */
export function withTechniques(d: Deployment, choice: DeploymentChoice, draftModel?: Model): Deployment {
  let out = d;
  if (choice.speculative) {
    const speculative = resolveSpeculative(d.model, choice.speculative, draftModel);
    out = { ...out, speculative, notes: [...out.notes, ...speculative.notes] };
  }
  if (choice.attentionDp !== undefined && choice.attentionDp > 1) {
    checkDep(out, choice.attentionDp);
    out = { ...out, attentionDp: choice.attentionDp };
  } else if (choice.attentionDp !== undefined && choice.attentionDp < 1) checkDep(out, choice.attentionDp);
  return out;
}

export function planMemoryFor(d: Deployment): MemoryPlan {
  return d.attentionDp !== undefined && d.attentionDp > 1 ? planDepMemory(d) : planMemory(d);
}

export function costModelFor(d: Deployment): StepCostModel {
  return d.attentionDp !== undefined && d.attentionDp > 1 ? new DepStepCostModel(d) : new StepCostModel(d);
}
