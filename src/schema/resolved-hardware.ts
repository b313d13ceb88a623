import type { ComputeDtype } from './dtype.ts';
import type { HardwareFile } from './hardware.ts';

/** The resolved GPU type lives in schema/ so the cost model (below profiles/, which loads files) can use it. */
export type InterconnectKind = HardwareFile['interconnect']['kind'];

/** A GPU in SI units, ready for the cost model. Built once from a validated profile file. */
export interface Hardware {
  readonly id: string;
  readonly name: string;
  readonly vendor: string;
  /** memory engines can allocate from: the driver-reported total when the profile gives it */
  readonly memoryBytes: number;
  /** the datasheet capacity (vendor "GB") */
  readonly datasheetMemoryBytes: number;
  readonly memoryBandwidthBytesPerS: number;
  /** dense peak per compute dtype; absent = the chip has no tensor cores for it */
  readonly peakFlopsPerS: Readonly<Partial<Record<ComputeDtype, number>>>;
  readonly interconnect: {
    readonly kind: InterconnectKind;
    readonly name: string;
    readonly perDirectionBytesPerS: number;
    readonly linkPerDirectionBytesPerS: number | undefined;
    readonly maxGpus: number;
    readonly allreduceLatencyS: number;
    readonly allreduceBusEfficiency: number;
  };
  readonly pciePerDirectionBytesPerS: number;
  /** GPU <-> host memory when not over PCIe (NVLink-C2C); absent = PCIe */
  readonly hostLinkPerDirectionBytesPerS?: number;
  /** local NVMe per node: capacity and sequential read bandwidth (a KV disk tier reads at it) */
  readonly localDisk?: { readonly capacityBytes: number; readonly readBytesPerS: number };
  readonly scaleOutPerDirectionBytesPerS: number | undefined;
  readonly gpusPerNode: number;
  readonly tdpW: number;
  readonly price: { readonly usdPerGpuHour: number; readonly asOf: string; readonly source: string } | undefined;
  readonly source: string;
}
