/**
 * servesim's library API: every CLI command that computes something is a typed function here, and the CLI
 * calls the same functions. Start with `simulate` (src/simulate.ts): its docstring walks the pipeline.
 *   simulate  one workload on one deployment           plan      capacity and fleet size under an SLO
 *   compare   candidates side by side, best marked      sweep     what-if grids, rows in point order
 *   calibrate fit a calibration to measurements         validate  prediction error against measurements
 */
export { simulate } from './simulate.ts';
export { plan, compare, sweep } from './planning/library.ts';
export { planPd, comparePd, type PdPlanRequest, type PdCompareRequest, type PdCompareResult } from './planning/pd-library.ts';
export type { PdPlanResult, PdTarget } from './planning/disaggregated-plan.ts';
export { recommend, type RecommendRequest } from './planning/recommend/request.ts';
export type { RecommendResult, CandidateOutcome, CandidateStatus } from './planning/recommend/result.ts';
export type { PlanRequest, CompareRequest, SweepRequest, SweepResult, PlanWorkload, ProfileSource } from './planning/library.ts';
export type { PlanResult, LatencySummary } from './planning/plan.ts';
export type { CompareResult, CompareRow, CostRanking, Criterion, CandidateSpec } from './planning/compare.ts';
export type { SweepRow } from './planning/sweep-worker.ts';
export type { SearchOptions } from './planning/capacity.ts';
export type { Shard } from './planning/shard.ts';
export { calibrate, validate } from './calibration/library.ts';
export type { CalibrateRequest, CalibrateResult, ValidateRequest, MeasurementSource } from './calibration/library.ts';
export type { ValidationReport, ValidationRow } from './calibration/validate.ts';
export type { ErrorSummaryRow } from './calibration/summary.ts';
export type { CalibrationFile, CalibrationValues, CalibrationParameter } from './schema/calibration.ts';
export type { DeploymentFlags } from './schema/deployment-flags.ts';
export { parseWorkloadFlags, WorkloadFlagsSchema, type WorkloadFlags, type WorkloadFlagValues } from './planning/workload-flag-schema.ts';
export { resolveWorkloads, type ResolvedWorkloads } from './planning/workload-flags.ts';
export { DeploymentResolver } from './planning/deployment-resolver.ts';
export { importMeasurements } from './importers/index.ts';
export type { MeasuredBenchmark } from './importers/types.ts';
export type { LengthDistribution } from './workload/lengths.ts';
export type { SimulationConfig, SimulationResult, Workload, DistributionStats, SloReport, SaturationVerdict } from './simulate.ts';
export { loadProfiles, type ProfileRegistry } from './profiles/registry.ts';
export type { Hardware } from './schema/resolved-hardware.ts';
export type { Model } from './schema/resolved-model.ts';
export { chooseCalibration } from './calibration/choose.ts';
export { loadShippedCalibrations, readCalibrationFile } from './profiles/calibrations.ts';
export { prepareDeployment, candidateTps, smallestFittingTp, type PreparedDeployment } from './cost/prepare.ts';
export type { Deployment, DeploymentChoice } from './cost/deployment.ts';
export { planMemory, type MemoryPlan } from './cost/memory-plan.ts';
export { StepCostModel, causalKeyCount, type StepShape, type StepBreakdown, type OperatorCost } from './cost/step-cost.ts';
export { paramBreakdown } from './cost/params.ts';
export { parseSlo, type SloObjective } from './metrics/slo.ts';
export { toReport } from './metrics/report.ts';
export { simulateGuidellmSweep, sweepRates } from './planning/guidellm-sweep.ts';
export { WORKLOAD_PRESETS } from './workload/presets.ts';
export { parseDataSpec, type DataSpec } from './workload/synthetic-spec.ts';
export { ServesimError, InputError, InfeasibleError } from './diagnostics/errors.ts';
