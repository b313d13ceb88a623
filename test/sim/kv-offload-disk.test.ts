/**
 * The local-disk KV tier below host memory: blocks host memory evicts move to disk, and a hit past the
 * GPU cache loads them back at the disk's read bandwidth (each GPU reads its KV shard from its share of
 * the node's disk), host-held blocks over the host link.
 */
import { describe, expect, it } from 'vitest';
import type { PreparedDeployment } from '../../src/cost/prepare.ts';
import { KvTransfer, OffloadTier } from '../../src/serving/kv-transfer.ts';
import { DISK_READ_LATENCY_S, diskTier } from '../../src/serving/offload-disk.ts';
import { ReplicaPrefixCache } from '../../src/serving/replica-cache.ts';
import { RequestPool } from '../../src/serving/request-pool.ts';
import { simulate } from '../../src/simulate.ts';
import type { Workload } from '../../src/workload/workload.ts';
import { runCli } from '../helpers/cli.ts';
import { tinyKvDeployment } from '../helpers/deployment.ts';

const B = 16;
const BYTES_PER_TOKEN = 131_072; // Llama 3.1 8B, bf16 KV: 32 layers × 8 KV heads × 128 × 2 (K, V) × 2 bytes
const identity = { key: (block: number) => block };

/** a prepared deployment whose GPU has local NVMe: 30.72 TB and 28 GB/s read per node of 8 GPUs (test figures) */
function withDisk(p: PreparedDeployment): PreparedDeployment {
  const hardware = { ...p.deployment.hardware, localDisk: { capacityBytes: 30.72e12, readBytesPerS: 28e9 } };
  return { ...p, deployment: { ...p.deployment, hardware } };
}

describe('disk tier, hand-worked', () => {
  it('a hit reloads 4 blocks from disk and 2 from host memory: bytes / bandwidth + latency per link', () => {
    const disk = { tier: new OffloadTier(100), link: new KvTransfer({ bytesPerToken: BYTES_PER_TOKEN, bandwidthBytesPerS: 28e9 / 8, latencyS: DISK_READ_LATENCY_S }) };
    const host = new OffloadTier(2, disk.tier);
    const link = new KvTransfer({ bytesPerToken: BYTES_PER_TOKEN, bandwidthBytesPerS: 64e9, latencyS: 20e-6 });
    // the GPU cache evicted blocks 0..5 in order: host memory keeps the last two, 0..3 moved on to disk
    for (let k = 0; k <= 5; k++) host.evicted(k);
    expect(host.size).toBe(2);
    expect(disk.tier.size).toBe(4);
    const cache = new ReplicaPrefixCache('vllm', B, { tier: host, link, disk });
    const pool = new RequestPool();
    const slot = pool.allocate();
    pool.promptTokens[slot] = 100; // ⌊99/16⌋ = 6 blocks may hit
    pool.keys[slot] = identity;
    cache.lookup(pool, slot);
    expect(pool.prefilled[slot]).toBe(6 * B);
    expect(cache.counters.offloadHitTokens).toBe(96);
    expect(cache.counters.diskHitTokens).toBe(64);
    // host: 32 tokens × 131072 B / 64 GB/s + 20 µs = 85.536 µs; disk: 64 tokens × 131072 B / 3.5 GB/s + 100 µs = 2496.7 µs
    const hostS = (32 * BYTES_PER_TOKEN) / 64e9 + 20e-6;
    const diskS = (64 * BYTES_PER_TOKEN) / 3.5e9 + 100e-6;
    expect(hostS).toBeCloseTo(85.536e-6, 12);
    expect(diskS).toBeCloseTo(2.4967e-3, 7);
    expect(link.takePendingS()).toBeCloseTo(hostS + diskS, 15);
    expect(disk.link.tokensIn).toBe(64);
    expect(link.tokensIn).toBe(32);
  });

  it('the disk link reads at the node bandwidth shared by its GPUs, with the per-GPU KV shard', () => {
    const p = withDisk(tinyKvDeployment(3000, { prefixCache: 'vllm', kvOffloadGb: 1, kvOffloadDiskGb: 100 }));
    const t = diskTier(p, p.memory.kvBytesPerTokenPerGpu * B)!;
    expect(t.link.timeS(1000)).toBeCloseTo((1000 * p.memory.kvBytesPerTokenPerGpu) / (28e9 / p.deployment.hardware.gpusPerNode) + DISK_READ_LATENCY_S, 15);
    expect(t.tier.capacityBlocks).toBe(Math.floor(100e9 / (p.memory.kvBytesPerTokenPerGpu * B)));
  });
});

describe('disk tier in a run', () => {
  const chat: Workload = {
    arrival: { kind: 'concurrent', streams: 8 },
    lengths: { kind: 'fixed', inputTokens: 256, outputTokens: 64 },
    sessions: { turns: { mean: 5, min: 5, max: 5 }, thinkTimeMeanS: 2, systemPromptTokens: 512 },
    maxRequests: 160,
  };
  it('a host tier too small to hold the conversations: the disk below it finds more, read back from disk', () => {
    const hostOnly = simulate({ deployment: tinyKvDeployment(3000, { prefixCache: 'vllm', maxNumSeqs: 8, kvOffloadGb: 0.05 }), seed: 5, workload: chat });
    const withDiskTier = simulate({
      deployment: withDisk(tinyKvDeployment(3000, { prefixCache: 'vllm', maxNumSeqs: 8, kvOffloadGb: 0.05, kvOffloadDiskGb: 64 })),
      seed: 5,
      workload: chat,
    });
    expect(hostOnly.prefixCache!.diskTokensLoaded).toBeUndefined();
    expect(withDiskTier.prefixCache!.diskTokensLoaded).toBeGreaterThan(0);
    expect(withDiskTier.prefixCache!.hitRate).toBeGreaterThan(hostOnly.prefixCache!.hitRate);
  });

  it('a profile without local_disk and a disk tier without a host tier are refused with the fix', async () => {
    const r = await runCli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--prefix-cache', 'vllm', '--kv-offload-gb', '8', '--kv-offload-disk-gb', '100', '--rate', '1', '--max-requests', '20']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/h100-sxm has no local_disk/);
    expect(() => tinyKvDeployment(3000, { prefixCache: 'vllm', kvOffloadDiskGb: 10 })).toThrow(/needs --kv-offload-gb/);
  });
});
