/**
 * The batch-policy registry: one line per policy. Policy names (the CLI's --policy choices, the sweep's
 * policy column) are this table's keys.
 */
import type { EngineFamily } from '../../schema/deployment.ts';
import type { BatchPolicy } from './batch-policy.ts';
import { sglangPolicy } from './sglang.ts';
import { trtllmPolicy } from './trtllm.ts';
import { vllmPolicy } from './vllm.ts';

export const BATCH_POLICIES = {
  vllm: vllmPolicy,
  trtllm: trtllmPolicy,
  sglang: sglangPolicy,
} as const satisfies Record<string, BatchPolicy>;

export type SchedulerPolicyName = keyof typeof BATCH_POLICIES;
// Object.keys is typed string[]; the keys are exactly the registry's
export const SCHEDULER_POLICY_NAMES = Object.keys(BATCH_POLICIES) as SchedulerPolicyName[];

/** each engine's own scheduler unless --policy says otherwise */
export const defaultPolicyFor = (engine: EngineFamily): BatchPolicy => BATCH_POLICIES[engine];

export type { BatchPolicy } from './batch-policy.ts';
