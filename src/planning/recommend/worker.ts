/**
 * One evaluation (screening or verified) → one record. Runs on a piscina worker thread (default export)
 * or inline; each thread keeps one profile resolver per set of profile folders.
 */
import { ServesimError } from '../../diagnostics/errors.ts';
import { DeploymentResolver } from '../deployment-resolver.ts';
import { screenCandidate, verifyCandidate } from './evaluate.ts';
import type { Candidate, EvalRecord, EvalSettings } from './types.ts';

export interface EvalTask {
  readonly kind: 'screen' | 'verify';
  readonly candidate: Candidate;
  readonly settings: EvalSettings;
  /** verification: what screening's throughput run achieved (evaluate.ts verifyCandidate) */
  readonly throughputRunRatePerS?: number | undefined;
}

const resolvers = new Map<string, DeploymentResolver>();

export function runEvalTask(task: EvalTask): EvalRecord {
  const key = JSON.stringify(task.settings.profileDirs);
  let resolver = resolvers.get(key);
  if (!resolver) {
    resolver = new DeploymentResolver([...task.settings.profileDirs]);
    resolvers.set(key, resolver);
  }
  return task.kind === 'screen'
    ? screenCandidate(resolver, task.candidate, task.settings)
    : verifyCandidate(resolver, task.candidate, task.settings, task.throughputRunRatePerS);
}

/** piscina entry: errors cross the thread boundary as data (class and message), not as thrown objects */
export default function (task: EvalTask): EvalRecord | { error: string; input: boolean } {
  try {
    return runEvalTask(task);
  } catch (e) {
    if (e instanceof ServesimError) return { error: e.message, input: e.exitCode === 2 };
    throw e;
  }
}
