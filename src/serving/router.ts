import type { BlockKeys } from './prefix-cache.ts';
import type { Replica } from './replica.ts';

/**
 * Data-parallel routing across replicas. Each router is a pure choice over replica state; ties go to the
 * lowest index, so routing is deterministic.
 *
 *   prefix-affinity  cache-aware (SGLang router's cache_aware policy, llm-d's prefix scorer): send a
 *                    request to the replica whose prefix cache holds the longest leading part of it, or,
 *                    when none holds any, to the prefix's home replica (a hash of its first block), so
 *                    later requests with that prefix find it; unless that replica carries more than
 *                    PREFIX_AFFINITY_LOAD_CAP requests beyond the least loaded one, which then takes it.
 */
export const ROUTERS = ['round-robin', 'least-outstanding', 'least-kv', 'prefix-affinity'] as const;
export type RouterName = (typeof ROUTERS)[number];

/**
 * Outstanding requests by which the affinity choice may exceed the least-loaded replica before load wins
 * (sgl-router's cache_aware policy balances once max − min load exceeds balance_abs_threshold, 32 by default).
 */
export const PREFIX_AFFINITY_LOAD_CAP = 32;

export interface Router {
  pick(replicas: readonly Replica[], keys?: BlockKeys): number;
}

export function createRouter(name: RouterName, loadCap = PREFIX_AFFINITY_LOAD_CAP): Router {
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
      return { pick: (replicas, keys) => prefixAffinity(replicas, keys, loadCap) };
  }
}

const leastOutstanding = (replicas: readonly Replica[]): number => argmin(replicas, (r) => r.outstanding);

function prefixAffinity(replicas: readonly Replica[], keys: BlockKeys | undefined, loadCap: number): number {
  const fallback = leastOutstanding(replicas);
  if (keys === undefined) return fallback;
  let best = -1;
  let bestHits = 0;
  for (let i = 0; i < replicas.length; i++) {
    const hits = replicas[i]!.prefixCache?.cache.match(keys, Number.MAX_SAFE_INTEGER) ?? 0;
    if (hits > bestHits) {
      bestHits = hits;
      best = i;
    }
  }
  if (best < 0) best = homeReplica(keys.key(0), replicas.length);
  return replicas[best]!.outstanding > replicas[fallback]!.outstanding + loadCap ? fallback : best;
}

/** a stable replica for a prefix nobody holds yet: a multiplicative hash of its first block key */
function homeReplica(firstKey: number, n: number): number {
  const h = Math.imul((firstKey | 0) ^ Math.floor(firstKey / 2 ** 32), 0x9e3779b1) >>> 0;
  return h % n;
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
