/**
 * servesim's library API. Start with `simulate` (src/simulate.ts): its docstring walks the pipeline.
 */
export { simulate } from './simulate.ts';
export type { SimulationConfig, SimulationResult, Workload, DistributionStats, SloReport, SaturationVerdict } from './simulate.ts';
export { loadProfiles, type ProfileRegistry } from './profiles/registry.ts';
export type { Hardware } from './profiles/hardware.ts';
export type { Model } from './profiles/model.ts';
export { chooseCalibration, loadShippedCalibrations, readCalibrationFile } from './profiles/calibrations.ts';
export { prepareDeployment, candidateTps, smallestFittingTp, type PreparedDeployment } from './cost/prepare.ts';
export type { Deployment, DeploymentChoice } from './cost/deployment.ts';
export { planMemory, type MemoryPlan } from './cost/memory-plan.ts';
export { StepCostModel, causalKeyCount, type StepShape, type StepBreakdown, type OperatorCost } from './cost/step-cost.ts';
export { paramBreakdown } from './cost/params.ts';
export { parseSlo, type SloObjective } from './metrics/slo.ts';
export { toReport } from './metrics/report.ts';
export { simulateGuidellmSweep, sweepRates } from './planning/guidellm-sweep.ts';
export { WORKLOAD_PRESETS } from './workload/presets.ts';
export { parseSyntheticData } from './workload/synthetic-spec.ts';
export { ServesimError, InputError, InfeasibleError } from './diagnostics/errors.ts';
