import { z } from 'zod';
import { parseQuantity } from '../units.ts';
import { quantity } from './quantity.ts';

/**
 * The `hardware-profiles/*.yaml` file format. Values are in datasheet units (TFLOP/s, TB/s, GB/s, µs);
 * `profiles/hardware.ts` converts them to SI once. Every value cites its source in a YAML comment.
 *
 * FLOP/s are DENSE. NVIDIA datasheets mark sparse tensor-core figures with an asterisk (2:4 sparsity,
 * exactly 2x dense); a profile must carry the dense half. `checkDenseFlops` catches the common typo of
 * copying the sparse figure into one dtype.
 */

const positive = z.number().positive();
/**
 * A physical quantity within a range no real GPU leaves (by orders of magnitude): a typo such as 1e300 GB
 * or 1e-300 TB/s would otherwise flow through the cost model as Infinity or NaN.
 */
const physical = (min: number, max: number) => z.number().min(min).max(max);
const tflops = quantity('compute', 'TFLOPS', physical(0.01, 1e6));
const gbPerS = (doc?: string) => quantity('bandwidth', 'GB/s', doc !== undefined ? physical(0.01, 1e6).describe(doc) : physical(0.01, 1e6));
const isoDate = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'a date as YYYY-MM or YYYY-MM-DD');

export const DenseTflopsSchema = z
  .strictObject({
    fp32: tflops.optional(),
    tf32: tflops.optional(),
    bf16: tflops,
    fp16: tflops,
    fp8: tflops.optional(),
    int8: tflops.optional().describe('dense INT8 tensor TOPS'),
    fp4: tflops.optional(),
  })
  .describe('Peak dense (no 2:4 sparsity) tensor throughput in TFLOP/s (TOPS for int8)');

export const INTERCONNECT_KINDS = ['nvswitch', 'nvlink-bridge', 'pcie', 'xgmi-p2p'] as const;

export const InterconnectSchema = z.strictObject({
  kind: z.enum(INTERCONNECT_KINDS).describe(
    'nvswitch: all-to-all switched (every GPU at full bandwidth); nvlink-bridge: 2/4-GPU bridges; pcie: through the host; xgmi-p2p: AMD point-to-point links (a GPU pair gets one link)',
  ),
  name: z.string().describe('e.g. "NVLink 4 + NVSwitch"'),
  per_direction_gb_per_s: gbPerS('per-GPU bandwidth in ONE direction, GB/s (NVIDIA quotes bidirectional: halve it)'),
  link_per_direction_gb_per_s: gbPerS('xgmi-p2p only: bandwidth of one point-to-point link per direction, GB/s').optional(),
  links: z.number().int().positive().optional().describe('xgmi-p2p only: links per GPU'),
  max_gpus: z.number().int().positive().describe('largest group of GPUs joined at this bandwidth (NVLink domain)'),
  allreduce_latency_us: quantity('time', 'us', physical(0.01, 1e6).describe('latency floor of one small all-reduce across the domain, µs')),
  allreduce_bus_efficiency: z
    .number()
    .gt(0)
    .max(1)
    .describe('measured large-message all-reduce bus bandwidth / per-direction spec'),
});

export const PriceSchema = z.strictObject({
  usd_per_gpu_hour: positive,
  as_of: isoDate,
  source: z.string().min(3),
});

export const HardwareFileSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lower-case id like "h100-sxm"'),
    name: z.string(),
    vendor: z.enum(['NVIDIA', 'AMD', 'Intel']),
    architecture: z.string(),
    form_factor: z.string(),
    memory: z.preprocess(capacityInItsUnit, z.strictObject({
      capacity: physical(0.1, 1e5).describe('memory per GPU in capacity_unit, or with its unit ("141 GB", "80 GiB")'),
      capacity_unit: z.enum(['GB', 'GiB']).describe('GB = 10^9 bytes (vendor datasheets), GiB = 2^30'),
      type: z.string(),
      bandwidth_tb_per_s: quantity('bandwidth', 'TB/s', physical(0.001, 1000).describe('peak memory bandwidth, TB/s (10^12 B/s)')),
      usable_mib: quantity(
        'memory',
        'MiB',
        physical(100, 1e8).describe('memory the driver exposes (nvidia-smi memory.total, MiB): what engines size the KV cache from; defaults to capacity'),
      ).optional(),
    })),
    dense_tflops: DenseTflopsSchema,
    interconnect: InterconnectSchema,
    scale_out_per_direction_gb_per_s: gbPerS('NIC bandwidth per GPU per direction, GB/s').optional(),
    pcie_per_direction_gb_per_s: gbPerS(),
    host_link_per_direction_gb_per_s: gbPerS('GPU <-> host memory per direction, GB/s, when not PCIe (NVLink-C2C on Grace superchips); KV offload and swap use it').optional(),
    local_disk: z
      .strictObject({
        capacity_gb: positive.describe('local NVMe capacity per node, GB (decimal)'),
        read_gb_per_s: gbPerS('local NVMe sequential read per node, GB/s: KV loaded back from a disk tier (--kv-offload-disk-gb) shares it across the GPUs of the node'),
      })
      .optional(),
    gpus_per_node: z.number().int().positive(),
    tdp_w: positive,
    price: PriceSchema.optional(),
    sources: z.array(z.string().min(3)).min(1),
    notes: z.string().optional(),
  })
  .superRefine((hw, ctx) => {
    for (const issue of checkDenseFlops(hw.dense_tflops)) {
      ctx.addIssue({ code: 'custom', path: ['dense_tflops', issue.dtype], message: issue.message });
    }
    if (hw.interconnect.kind === 'xgmi-p2p' && hw.interconnect.link_per_direction_gb_per_s === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['interconnect', 'link_per_direction_gb_per_s'],
        message: 'xgmi-p2p needs the bandwidth of one link: a TP group smaller than the node is link-limited',
      });
    }
  });

export type HardwareFile = z.infer<typeof HardwareFileSchema>;

/**
 * `capacity: 80 GiB` → capacity 80, capacity_unit GiB; with capacity_unit given, the quantity is converted
 * to it. Numbers pass unchanged (in capacity_unit, as always).
 */
function capacityInItsUnit(memory: unknown, ctx: z.core.$RefinementCtx): unknown {
  if (typeof memory !== 'object' || memory === null || Array.isArray(memory)) return memory;
  const fields: Record<string, unknown> = Object.fromEntries(Object.entries(memory));
  const text = fields['capacity'];
  if (typeof text !== 'string') return memory;
  const stated = fields['capacity_unit'];
  const unit = stated === 'GB' || stated === 'GiB' ? stated : /GiB\s*$/.test(text) ? 'GiB' : 'GB';
  const parsed = parseQuantity(text, 'memory', unit);
  if (parsed.ok) return { ...fields, capacity: parsed.value, capacity_unit: unit };
  ctx.addIssue({ code: 'custom', message: parsed.message, path: ['capacity'], input: text });
  return z.NEVER;
}

/**
 * Tensor-core generations double throughput at each halving of precision (tf32 → bf16 → fp8 → fp4).
 * A dtype at ~4x its wider neighbour is almost always a sparse figure pasted into a dense field.
 */
export function checkDenseFlops(t: z.infer<typeof DenseTflopsSchema>): { dtype: string; message: string }[] {
  const issues: { dtype: string; message: string }[] = [];
  const chain: [keyof typeof t, keyof typeof t][] = [
    ['tf32', 'bf16'],
    ['bf16', 'fp8'],
    ['fp8', 'fp4'],
  ];
  for (const [wide, narrow] of chain) {
    const w = t[wide];
    const n = t[narrow];
    if (w === undefined || n === undefined) continue;
    const ratio = n / w;
    if (ratio > 3.2) {
      issues.push({
        dtype: narrow,
        message: `${narrow} = ${n} TFLOP/s is ${ratio.toFixed(1)}x ${wide} (${w}); dense figures double per precision step. This looks like the sparse (2:4) datasheet value: use ${n / 2}`,
      });
    } else if (ratio < 1.25 && narrow !== 'fp4') {
      issues.push({
        dtype: wide,
        message: `${wide} = ${w} TFLOP/s is only ${ratio.toFixed(2)}x below ${narrow} (${n}); expected about 2x. Is ${wide} the sparse (2:4) figure? Dense would be ${w / 2}`,
      });
    }
  }
  if (Math.abs(t.bf16 - t.fp16) / t.bf16 > 0.05) {
    issues.push({ dtype: 'fp16', message: `fp16 (${t.fp16}) and bf16 (${t.bf16}) run on the same tensor cores and should match` });
  }
  return issues;
}
