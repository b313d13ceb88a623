import type { ComputeDtype } from '../schema/dtype.ts';
import type { Hardware } from '../schema/resolved-hardware.ts';
import type { HardwareFile } from '../schema/hardware.ts';
import { capacityToBytes, GB, MiB, TB, TERA, usToS } from '../units.ts';

export function toHardware(file: HardwareFile, source: string): Hardware {
  const t = file.dense_tflops;
  const peak: Partial<Record<ComputeDtype, number>> = {};
  for (const dtype of ['fp32', 'tf32', 'bf16', 'fp16', 'fp8', 'int8', 'fp4'] as const) {
    const v = t[dtype];
    if (v !== undefined) peak[dtype] = v * TERA;
  }
  const ic = file.interconnect;
  return {
    id: file.id,
    name: file.name,
    vendor: file.vendor,
    memoryBytes:
      file.memory.usable_mib !== undefined ? file.memory.usable_mib * MiB : capacityToBytes(file.memory.capacity, file.memory.capacity_unit),
    datasheetMemoryBytes: capacityToBytes(file.memory.capacity, file.memory.capacity_unit),
    memoryBandwidthBytesPerS: file.memory.bandwidth_tb_per_s * TB,
    peakFlopsPerS: peak,
    interconnect: {
      kind: ic.kind,
      name: ic.name,
      perDirectionBytesPerS: ic.per_direction_gb_per_s * GB,
      linkPerDirectionBytesPerS: ic.link_per_direction_gb_per_s !== undefined ? ic.link_per_direction_gb_per_s * GB : undefined,
      maxGpus: ic.max_gpus,
      allreduceLatencyS: usToS(ic.allreduce_latency_us),
      allreduceBusEfficiency: ic.allreduce_bus_efficiency,
    },
    pciePerDirectionBytesPerS: file.pcie_per_direction_gb_per_s * GB,
    ...(file.host_link_per_direction_gb_per_s !== undefined ? { hostLinkPerDirectionBytesPerS: file.host_link_per_direction_gb_per_s * GB } : {}),
    ...(file.local_disk !== undefined ? { localDisk: { capacityBytes: file.local_disk.capacity_gb * GB, readBytesPerS: file.local_disk.read_gb_per_s * GB } } : {}),
    scaleOutPerDirectionBytesPerS:
      file.scale_out_per_direction_gb_per_s !== undefined ? file.scale_out_per_direction_gb_per_s * GB : undefined,
    gpusPerNode: file.gpus_per_node,
    tdpW: file.tdp_w,
    price: file.price ? { usdPerGpuHour: file.price.usd_per_gpu_hour, asOf: file.price.as_of, source: file.price.source } : undefined,
    source,
  };
}
