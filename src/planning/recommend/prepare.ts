/** A candidate in flag vocabulary, and its prepared deployment (InfeasibleError when it cannot exist). */
import type { ChoiceFlagValues, DeploymentFlags } from '../../schema/deployment-flags.ts';
import type { PreparedDeployment } from '../../cost/prepare.ts';
import type { DeploymentResolver } from '../deployment-resolver.ts';
import type { Candidate } from './types.ts';

/** The candidate's flags: DeploymentFlags plus its choice flags (checked by the schema when prepared). */
export function candidateFlags(c: Candidate, base: Partial<DeploymentFlags>): DeploymentFlags & ChoiceFlagValues {
  return {
    ...base,
    model: c.model,
    hardware: c.hardware,
    tp: c.tp,
    pp: c.pp,
    ep: c.ep,
    weights: c.weights,
    'kv-cache': c.kvCache,
    engine: c.engine,
    'max-num-seqs': c.maxNumSeqs,
    'max-num-batched-tokens': c.maxNumBatchedTokens,
    'chunked-prefill': c.chunkedPrefill,
  };
}

export function prepareCandidate(resolver: DeploymentResolver, c: Candidate, base: Partial<DeploymentFlags>): PreparedDeployment {
  return resolver.prepare(candidateFlags(c, base));
}
