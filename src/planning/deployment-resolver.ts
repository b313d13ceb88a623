import { choiceFromFlags, type ChoiceFlagValues, type DeploymentFlags } from '../schema/deployment-flags.ts';
import { prepareSmallestFitting, type PreparedDeployment } from '../cost/prepare.ts';
import { chooseCalibration } from '../calibration/choose.ts';
import { loadShippedCalibrations, readCalibrationFile } from '../profiles/calibrations.ts';
import { dataPrefixFlags } from './workload-flags.ts';
import { loadProfiles, type ProfileRegistry } from '../profiles/registry.ts';
import type { CalibrationFile } from '../schema/calibration.ts';
import { DEFAULT_ENGINE_FAMILY } from '../schema/engines.ts';

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
  /** `flags` may carry choice flags (see DeploymentFlags); `overrides` replace some (a compare candidate's) */
  prepare(flags: DeploymentFlags, overrides: ChoiceFlagValues = {}): PreparedDeployment {
    const model = this.registry.getModel(flags.model);
    const hardware = this.registry.getHardware(flags.hardware);
    const given = { ...flags, ...overrides };
    const choice = choiceFromFlags({ ...dataPrefixFlags(given), ...given });
    const engine = choice.engine?.family ?? DEFAULT_ENGINE_FAMILY;
    const explicit = flags.calibration ? readCalibrationFile(flags.calibration) : undefined;
    const cal = chooseCalibration(hardware, engine, this.shippedCalibrations, explicit);
    const draftId = choice.speculative?.draftModel;
    return prepareSmallestFitting(model, hardware, choice, cal, draftId !== undefined ? { draftModel: this.registry.getModel(draftId) } : {});
  }
}

