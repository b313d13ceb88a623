import { choiceFromFlags, type DeploymentFlags } from '../cost/deployment-flags.ts';
import { prepareSmallestFitting, type PreparedDeployment } from '../cost/prepare.ts';
import { chooseCalibration, loadShippedCalibrations, readCalibrationFile } from '../profiles/calibrations.ts';
import { loadProfiles, type ProfileRegistry } from '../profiles/registry.ts';
import type { CalibrationFile } from '../schema/calibration.ts';
import type { EngineFamily } from '../schema/deployment.ts';

/**
 * Resolves deployments given in flag vocabulary: loads the profile registry and the shipped calibrations
 * once (lazily), then prepares deployments from flags. One per CLI invocation or sweep worker thread.
 */
export class DeploymentResolver {
  #registry: ProfileRegistry | undefined;
  #shipped: CalibrationFile[] | undefined;
  readonly #profileDirs: string[];

  constructor(profileDirs: string[] = []) {
    this.#profileDirs = profileDirs;
  }

  get registry(): ProfileRegistry {
    this.#registry ??= loadProfiles({ dirs: this.#profileDirs });
    return this.#registry;
  }

  get shippedCalibrations(): CalibrationFile[] {
    this.#shipped ??= loadShippedCalibrations();
    return this.#shipped;
  }

  /** without --tp: the smallest TP that fits (noted in the deployment's notes) */
  prepare(flags: DeploymentFlags, overrides: Partial<DeploymentFlags> = {}): PreparedDeployment {
    const f = { ...flags, ...overrides };
    const model = this.registry.getModel(f.model);
    const hardware = this.registry.getHardware(f.hardware);
    const engine = (f.engine ?? 'vllm') as EngineFamily;
    const explicit = f.calibration ? readCalibrationFile(f.calibration) : undefined;
    const cal = chooseCalibration(hardware, engine, this.shippedCalibrations, explicit);
    const choice = choiceFromFlags(f);
    const draftId = f['spec-draft-model'];
    const withDraft = choice.speculative && draftId !== undefined ? { ...choice, speculative: { ...choice.speculative, draftModel: this.registry.getModel(draftId) } } : choice;
    return prepareSmallestFitting(model, hardware, withDraft, cal);
  }
}

