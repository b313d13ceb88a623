/**
 * The local-disk KV tier (--kv-offload-disk-gb): blocks the host-memory tier evicts move to the node's
 * NVMe, as LMCache's local-disk backend and vLLM's KV-connector offloading do, and load back on a hit.
 *
 * Read cost: each GPU of the replica loads its shard of the KV (the same bytes per token as the host link)
 * from its share of the node's disk read bandwidth (the profile's `local_disk.read_gb_per_s` ÷ GPUs per
 * node), plus a fixed latency. The disk read is the bottleneck: the host-link hop after it is not charged
 * again. Writes (host tier → disk) are charged nothing: engines write behind, off the critical path.
 */
import type { PreparedDeployment } from '../cost/prepare.ts';
import { InputError } from '../diagnostics/errors.ts';
import { KvTransfer, OffloadTier } from './kv-transfer.ts';

/**
 * Per read: an estimate of NVMe read latency (about 100 µs for a 4 KiB random read on datacenter NVMe);
 * no measurement here. At KV block sizes the bandwidth term dominates it.
 */
export const DISK_READ_LATENCY_S = 100e-6;

export function diskTier(prepared: PreparedDeployment, blockBytesPerReplica: number): { tier: OffloadTier; link: KvTransfer } | undefined {
  const d = prepared.deployment;
  const bytes = d.engine.kvOffloadDiskBytes ?? 0;
  if (bytes <= 0) return undefined;
  const disk = d.hardware.localDisk;
  if (disk === undefined)
    throw new InputError(
      `--kv-offload-disk-gb: hardware profile ${d.hardware.id} has no local_disk (capacity_gb, read_gb_per_s per node); add them to the profile with a source`,
    );
  const share = d.gpusPerReplica / d.hardware.gpusPerNode;
  if (bytes > disk.capacityBytes * share + 1)
    throw new InputError(
      `--kv-offload-disk-gb ${bytes / 1e9}: a replica of ${d.gpusPerReplica} GPU(s) has ${(disk.capacityBytes * share) / 1e9} GB of ${d.hardware.id}'s local disk (${disk.capacityBytes / 1e9} GB per node of ${d.hardware.gpusPerNode} GPUs)`,
    );
  return {
    tier: new OffloadTier(Math.floor(bytes / blockBytesPerReplica)),
    link: new KvTransfer({
      bytesPerToken: prepared.memory.kvBytesPerTokenPerGpu,
      bandwidthBytesPerS: disk.readBytesPerS / d.hardware.gpusPerNode,
      latencyS: DISK_READ_LATENCY_S,
    }),
  };
}
