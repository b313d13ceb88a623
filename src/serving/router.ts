import type { Replica } from './replica.ts';

/**
 * Data-parallel routing across replicas. Each router is a pure choice over replica state; ties go to the
 * lowest index, so routing is deterministic.
 */
export const ROUTERS = ['round-robin', 'least-outstanding', 'least-kv'] as const;
export type RouterName = (typeof ROUTERS)[number];

export interface Router {
  pick(replicas: readonly Replica[]): number;
}

export function createRouter(name: RouterName): Router {
  switch (name) {
    case 'round-robin': {
      let next = 0;
      return { pick: (replicas) => next++ % replicas.length };
    }
    case 'least-outstanding':
      return { pick: (replicas) => argmin(replicas, (r) => r.outstanding) };
    case 'least-kv':
      // KV in use, then queued work as the tie-breaker
      return { pick: (replicas) => argmin(replicas, (r) => r.usedBlocks / Math.max(1, r.totalBlocks) + r.waitingCount * 1e-6) };
  }
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
