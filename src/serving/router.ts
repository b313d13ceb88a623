import type { BlockKeys } from './prefix-cache.ts';
import type { Replica } from './replica.ts';

/**
 * Data-parallel routing across replicas. Each router is a pure choice over replica state; ties go to the
 * lowest index, so routing is deterministic.
 *
 *   prefix-affinity  cache-aware routing as the SGLang model gateway's `cache_aware` policy describes it
 *                    (docs/concepts/routing/cache-aware.md, docs/getting-started/load-balancing.md of
 *                    lightseekorg/smg): when load is imbalanced (max − min outstanding > 64 and max > 1.5 ×
 *                    min) the least-loaded replica takes the request; otherwise the replica whose prefix cache
 *                    holds the longest leading part of it, if that covers at least 30% of the prompt (the less
 *                    loaded of equals); otherwise the replica with the fewest cached and used blocks (the most
 *                    room to cache it), the less loaded of equals.
 */
export const ROUTERS = ['round-robin', 'least-outstanding', 'least-kv', 'prefix-affinity'] as const;
export type RouterName = (typeof ROUTERS)[number];

/** SMG cache_aware defaults: --cache-threshold 0.3, --balance-abs-threshold 64, --balance-rel-threshold 1.5 */
export const PREFIX_AFFINITY = { cacheThreshold: 0.3, balanceAbs: 64, balanceRel: 1.5 } as const;
export type PrefixAffinitySettings = { readonly cacheThreshold: number; readonly balanceAbs: number; readonly balanceRel: number };

export interface Router {
  /** `keys` and `promptBlocks` name the request's content when the workload gives it (else undefined, 0) */
  pick(replicas: readonly Replica[], keys?: BlockKeys, promptBlocks?: number): number;
}

export function createRouter(name: RouterName, affinity: PrefixAffinitySettings = PREFIX_AFFINITY): Router {
  switch (name) {
    case 'round-robin': {
      let next = 0;
      return { pick: (replicas) => next++ % replicas.length };
    }
    case 'least-outstanding':
      return { pick: leastOutstanding };
    case 'least-kv':
      // KV in use, then queued work as the tie-breaker
      return { pick: (replicas) => argmin(replicas, (r) => r.usedBlocks / Math.max(1, r.totalBlocks) + r.waitingCount * 1e-6) };
    case 'prefix-affinity':
      return { pick: (replicas, keys, promptBlocks = 0) => prefixAffinity(replicas, keys, promptBlocks, affinity) };
  }
}

const leastOutstanding = (replicas: readonly Replica[]): number => argmin(replicas, (r) => r.outstanding);

function prefixAffinity(replicas: readonly Replica[], keys: BlockKeys | undefined, promptBlocks: number, a: PrefixAffinitySettings): number {
  const least = leastOutstanding(replicas);
  if (keys === undefined) return least;
  const min = replicas[least]!.outstanding;
  const max = replicas.reduce((m, r) => Math.max(m, r.outstanding), 0);
  if (max - min > a.balanceAbs && max > a.balanceRel * min) return least;
  let best = 0;
  let bestHits = -1;
  for (let i = 0; i < replicas.length; i++) {
    const hits = replicas[i]!.prefixCache?.cache.match(keys, promptBlocks) ?? 0;
    if (hits > bestHits || (hits === bestHits && replicas[i]!.outstanding < replicas[best]!.outstanding)) {
      bestHits = hits;
      best = i;
    }
  }
  if (bestHits > 0 && bestHits >= a.cacheThreshold * promptBlocks) return best;
  // nothing worth following: the replica with the most room to cache it
  return argmin(replicas, (r) => (r.usedBlocks + (r.prefixCache?.cache.cachedBlocks ?? 0)) * (replicas.length + 1) + r.outstanding / (1 + r.outstanding));
}

function argmin(replicas: readonly Replica[], score: (r: Replica) => number): number {
  let best = 0;
  let bestScore = Infinity;
  for (let i = 0; i < replicas.length; i++) {
    const s = score(replicas[i]!);
    if (s < bestScore) {
      bestScore = s;
      best = i;
    }
  }
  return best;
}
