/**
 * Scheduler (batch) policies by name, for the CLI and the library: the registry lives in policies/index.ts,
 * one file per engine beside it.
 */
export { BATCH_POLICIES as SCHEDULER_POLICIES, defaultPolicyFor, SCHEDULER_POLICY_NAMES, type SchedulerPolicyName } from './policies/index.ts';
export type { BatchPolicy, BatchPolicy as SchedulerPolicy } from './policies/batch-policy.ts';
