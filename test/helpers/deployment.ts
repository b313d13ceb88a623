/**
 * Shared test fixtures: profiles loaded once, deployments prepared with datasheet calibrations (optionally
 * overridden, e.g. client_overhead_ms = 0), and step shapes for the cost model.
 */
import { prepareDeployment, type PreparedDeployment } from '../../src/cost/prepare.ts';
import type { DeploymentChoice } from '../../src/cost/deployment.ts';
import type { StepShape } from '../../src/cost/step-cost.ts';
import { chooseCalibration } from '../../src/calibration/choose.ts';
import { loadProfiles, type ProfileRegistry } from '../../src/profiles/registry.ts';
import type { CalibrationValues } from '../../src/schema/calibration.ts';
import type { EngineFamily } from '../../src/schema/deployment.ts';

let registry: ProfileRegistry | undefined;
export function profiles(): ProfileRegistry {
  registry ??= loadProfiles();
  return registry;
}

export function calibrationFor(hardwareId: string, engine: EngineFamily = 'vllm', overrides: Partial<CalibrationValues> = {}) {
  const hw = profiles().getHardware(hardwareId);
  const c = chooseCalibration(hw, engine, []);
  return { id: c.id, values: { ...c.values, ...overrides } };
}

/** prepare a deployment with datasheet calibration (plus overrides) */
export function prepared(
  modelId: string,
  hardwareId: string,
  choice: DeploymentChoice = {},
  overrides: Partial<CalibrationValues> = {},
): PreparedDeployment {
  const p = profiles();
  const engine = choice.engine?.family ?? 'vllm';
  return prepareDeployment(p.getModel(modelId), p.getHardware(hardwareId), choice, calibrationFor(hardwareId, engine, overrides));
}

/** the default small deployment of the simulator tests: Llama 3.1 8B on one H100, no client overhead */
export function tinyDeployment(
  engine: DeploymentChoice['engine'] = {},
  overrides: Partial<CalibrationValues> = {},
  choice: Omit<DeploymentChoice, 'engine'> = {},
): PreparedDeployment {
  return prepared('llama-3.1-8b', 'h100-sxm', { ...choice, engine: { maxModelLen: 8192, ...engine } }, { client_overhead_ms: 0, ...overrides });
}

export function shape(s: Partial<StepShape>): StepShape {
  return {
    decodeSeqs: 0,
    decodeContextSum: 0,
    prefillSeqs: 0,
    prefillTokens: 0,
    prefillAttendedKeys: 0,
    prefillContextTokens: 0,
    ...s,
  };
}

/** one full prefill of `tokens` prompt tokens with nothing cached */
export function prefillShape(tokens: number): StepShape {
  return shape({ prefillSeqs: 1, prefillTokens: tokens, prefillAttendedKeys: (tokens * (tokens + 1)) / 2, prefillContextTokens: tokens });
}

/** `batch` sequences each decoding with `context` tokens already cached plus the new one */
export function decodeShape(batch: number, contextPerSeq: number): StepShape {
  return shape({ decodeSeqs: batch, decodeContextSum: batch * contextPerSeq });
}

/**
 * The tiny deployment with gpu_memory_utilization chosen so that about `kvTokens` KV tokens fit: memory
 * pressure that does not depend on the GPU's exact capacity in its profile.
 */
export function tinyKvDeployment(kvTokens = 5000, engine: DeploymentChoice['engine'] = {}): PreparedDeployment {
  const m = tinyDeployment(engine).memory;
  const util = (m.weightBytesPerGpu + m.activationReserveBytes + (kvTokens + m.blockSize) * m.kvBytesPerTokenPerGpu) / m.capacityBytes;
  return tinyDeployment({ ...engine, gpuMemoryUtilization: util });
}
