import type { PreparedDeployment } from '../cost/prepare.ts';
import { KvTransfer, OffloadTier } from './kv-transfer.ts';
import { diskTier } from './offload-disk.ts';
import { PrefixCache, type PrefixCacheMode } from './prefix-cache.ts';
import type { RequestPool } from './request-pool.ts';

/** Prefix-cache counters of one replica, summed over replicas for the result. */
export interface PrefixCacheCounters {
  /** first admissions (a request's own lookup, not its readmission after a preemption) */
  lookups: number;
  /** prompt tokens those admissions had to cover */
  promptTokens: number;
  /** of them, tokens found cached: prefill compute saved */
  hitTokens: number;
  /** tokens a preempted request found cached again when readmitted (recompute saved) */
  readmissionHitTokens: number;
  /** of the hits, tokens loaded back from an offload tier rather than found on the GPU */
  offloadHitTokens: number;
  /** of those, tokens read back from the local-disk tier */
  diskHitTokens: number;
}

/** The tiers below the GPU: host memory over the host link, and optionally local disk at its read bandwidth. */
export interface OffloadTiers {
  readonly tier: OffloadTier;
  readonly link: KvTransfer;
  readonly disk?: { readonly tier: OffloadTier; readonly link: KvTransfer } | undefined;
}

/**
 * The link between a replica's request slots and its prefix cache: an admission reads the leading cached
 * blocks of its prompt (they skip prefill but hold KV), and a request that leaves gives its full blocks to
 * the cache. Both return block-count changes for the replica's free-block count, which stays the replica's.
 */
export class ReplicaPrefixCache {
  readonly cache: PrefixCache;
  readonly counters: PrefixCacheCounters = { lookups: 0, promptTokens: 0, hitTokens: 0, readmissionHitTokens: 0, offloadHitTokens: 0, diskHitTokens: 0 };
  readonly #blockSize: number;
  /** host-memory tier evicted blocks move to (and local disk below it), and the links they load back over; undefined when none */
  readonly #offload: OffloadTiers | undefined;

  constructor(mode: PrefixCacheMode, blockSize: number, offload?: OffloadTiers) {
    this.cache = new PrefixCache(mode, offload?.tier);
    this.#blockSize = blockSize;
    this.#offload = offload;
  }

  /**
   * Before the first admission check of a request (again after a preemption): read its cached prefix.
   * At least one prompt token is always computed (the engine needs its logits), as in vLLM. Returns the
   * cached blocks this takes off the free pool (unread blocks that now have a reader).
   */
  lookup(pool: RequestPool, slot: number): number {
    if (pool.cacheRead[slot]! >= 0) return 0;
    const keys = pool.keys[slot];
    if (keys === undefined) {
      pool.cacheRead[slot] = 0;
      return 0;
    }
    const b = this.#blockSize;
    const prompt = pool.promptTokens[slot]!;
    const maxBlocks = Math.floor((prompt - 1) / b);
    const { hits, revived } = this.cache.acquire(keys, maxBlocks);
    const loaded = this.#loadOffloaded(keys, hits, maxBlocks);
    pool.cacheRead[slot] = hits;
    pool.sharedBlocks[slot] = hits;
    // loaded blocks are the request's own: it reserves them like computed ones
    pool.prefilled[slot] = (hits + loaded) * b;
    const c = this.counters;
    c.offloadHitTokens += loaded * b;
    if (pool.preemptions[slot]! > 0) {
      c.readmissionHitTokens += (hits + loaded) * b;
    } else {
      c.lookups++;
      c.promptTokens += prompt;
      c.hitTokens += (hits + loaded) * b;
    }
    return revived;
  }

  /**
   * blocks after the GPU hits that the host tier, or below it the disk tier, holds: loaded back (their
   * transfers join the step: host blocks over the host link, disk blocks at the disk's read bandwidth)
   */
  #loadOffloaded(keys: { key(block: number): number }, from: number, maxBlocks: number): number {
    const o = this.#offload;
    if (o === undefined) return 0;
    let host = 0;
    let disk = 0;
    for (let n = from; n < maxBlocks; n++) {
      const key = keys.key(n);
      if (o.tier.touch(key)) host++;
      else if (o.disk?.tier.touch(key)) disk++;
      else break;
    }
    const b = this.#blockSize;
    o.link.load(host * b);
    if (disk > 0) o.link.loadOver(o.disk!.link, disk * b);
    this.counters.diskHitTokens += disk * b;
    return host + disk;
  }

  /**
   * A request gives up its KV (finished or preempted): its computed full blocks enter the cache and its
   * reads end. `pool.prefilled` holds the tokens whose KV it computed. Returns the read blocks that became
   * unread (free again, beyond the blocks it owned).
   */
  release(pool: RequestPool, slot: number): number {
    const read = pool.cacheRead[slot]!;
    const keys = pool.keys[slot];
    if (read < 0 || keys === undefined) return 0;
    const held = pool.sharedBlocks[slot]! + pool.ownedBlocks[slot]!;
    const full = Math.min(held, Math.floor(pool.prefilled[slot]! / this.#blockSize));
    const freed = this.cache.release(keys, read, full);
    pool.cacheRead[slot] = -1;
    pool.sharedBlocks[slot] = 0;
    return freed;
  }
}

/**
 * A fixed latency per host transfer (launch and synchronisation of the copy), an estimate: no source here
 * measures it; at KV block sizes it is small next to bytes / bandwidth.
 */
export const HOST_TRANSFER_LATENCY_S = 20e-6;

/** What a replica needs beyond plain paged KV: the prefix cache (with its offload tier) and the host link. */
export interface ReplicaKvExtras {
  readonly prefixCache: ReplicaPrefixCache | undefined;
  /** the host link, when the cache offloads or preemption swaps */
  readonly transfer: KvTransfer | undefined;
  readonly swap: boolean;
}

export function replicaKvExtras(prepared: PreparedDeployment): ReplicaKvExtras {
  const d = prepared.deployment;
  const e = d.engine;
  const swap = e.preemption === 'swap';
  const offloadBytes = e.kvOffloadBytes ?? 0;
  const transfer =
    swap || offloadBytes > 0
      ? new KvTransfer({
          bytesPerToken: prepared.memory.kvBytesPerTokenPerGpu,
          bandwidthBytesPerS: d.hardware.hostLinkPerDirectionBytesPerS ?? d.hardware.pciePerDirectionBytesPerS,
          latencyS: HOST_TRANSFER_LATENCY_S,
        })
      : undefined;
  const blockBytesPerReplica = prepared.memory.kvBytesPerTokenPerGpu * e.blockSize * d.gpusPerReplica;
  const disk = diskTier(prepared, blockBytesPerReplica);
  const offload =
    transfer !== undefined && offloadBytes > 0
      ? { tier: new OffloadTier(Math.floor(offloadBytes / blockBytesPerReplica), disk?.tier), link: transfer, disk }
      : undefined;
  const prefixCache = e.prefixCache === undefined ? undefined : new ReplicaPrefixCache(e.prefixCache, e.blockSize, offload);
  return { prefixCache, transfer, swap };
}
