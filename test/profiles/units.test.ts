import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSlo } from '../../src/metrics/slo.ts';
import { toHardware } from '../../src/profiles/hardware.ts';
import { parseValidated } from '../../src/profiles/validate-file.ts';
import { HardwareFileSchema } from '../../src/schema/hardware.ts';
import { parseQuantity, type QuantityKind } from '../../src/units.ts';

describe('parseQuantity: quantities with units, converted once to the field unit', () => {
  const accepted: [string, QuantityKind, string, number][] = [
    ['3.35 TB/s', 'bandwidth', 'TB/s', 3.35],
    ['4.8 TB/s', 'bandwidth', 'GB/s', 4800],
    ['7.2 Tb/s', 'bandwidth', 'GB/s', 900],
    ['900 GB/s', 'bandwidth', 'GB/s', 900],
    ['80 GiB', 'memory', 'GiB', 80],
    ['80 GiB', 'memory', 'GB', 85.89934592],
    ['989 TFLOPS', 'compute', 'TFLOPS', 989],
    ['989 TFLOP/s', 'compute', 'TFLOPS', 989],
    ['1.979 PFLOPS', 'compute', 'TFLOPS', 1979],
    ['3958 TOPS', 'compute', 'TFLOPS', 3958],
    ['200ms', 'time', 's', 0.2],
    ['0.2 s', 'time', 'ms', 200],
    ['16 µs', 'time', 'us', 16],
    ['0.016 ms', 'time', 'us', 16],
    ['4.8', 'bandwidth', 'TB/s', 4.8],
  ];
  it.each(accepted)('%s as %s in %s = %d', (text, kind, unit, value) => {
    const r = parseQuantity(text, kind, unit);
    expect(r.ok && r.value).toBeCloseTo(value, 9);
  });

  it('takes a number written in the field unit as written (no conversion, bit-identical)', () => {
    expect(parseQuantity('0.1 TB/s', 'bandwidth', 'TB/s')).toEqual({ ok: true, value: 0.1 });
  });

  const rejected: [string, QuantityKind, string][] = [
    ['3.35 TB', 'bandwidth', 'expected a rate such as 3.35 TB/s, found "3.35 TB"'],
    ['80 GB/s', 'memory', 'expected a size such as 80 GiB, found "80 GB/s"'],
    ['989 TB/s', 'compute', 'expected a compute rate such as 989 TFLOPS, found "989 TB/s"'],
    ['12 parsecs', 'time', 'expected a duration such as 200ms or 0.2 s, found "12 parsecs"'],
    ['fast', 'time', 'expected a duration such as 200ms or 0.2 s, found "fast"'],
  ];
  it.each(rejected)('rejects %s as %s', (text, kind, message) => {
    expect(parseQuantity(text, kind, 's')).toEqual({ ok: false, message });
  });
});

describe('hardware profiles with units', () => {
  const file = 'hardware-profiles/h200-sxm.yaml';
  const plain = readFileSync(file, 'utf8');
  const withUnits = plain
    .replace('capacity: 141 #', 'capacity: 141 GB #')
    .replace(/\n  capacity_unit: GB\n/, '\n')
    .replace('bandwidth_tb_per_s: 4.8 #', 'bandwidth_tb_per_s: 4800 GB/s #')
    .replace('usable_mib: 143771 #', 'usable_mib: 143771 MiB #')
    .replace('bf16: 989 #', 'bf16: 989 TFLOPS #')
    .replace('fp16: 989 #', 'fp16: 0.989 PFLOPS #')
    .replace('int8: 1979 #', 'int8: 1979 TOPS #')
    .replace('per_direction_gb_per_s: 450 #', 'per_direction_gb_per_s: 3.6 Tb/s #')
    .replace('allreduce_latency_us: 16 #', 'allreduce_latency_us: 0.016 ms #')
    .replace('pcie_per_direction_gb_per_s: 64 #', 'pcie_per_direction_gb_per_s: 64 GB/s #');

  it('load to the same numbers as the plain profile', () => {
    expect(withUnits).not.toBe(plain);
    const a = toHardware(parseValidated(plain, file, HardwareFileSchema, 'hardware profile'), file);
    const b = toHardware(parseValidated(withUnits, file, HardwareFileSchema, 'hardware profile'), file);
    expect(b).toEqual(a);
  });

  it('refuse a quantity of the wrong dimension, naming the field', () => {
    const bad = plain.replace('bandwidth_tb_per_s: 4.8 #', 'bandwidth_tb_per_s: 4.8 TB #');
    expect(() => parseValidated(bad, file, HardwareFileSchema, 'hardware profile')).toThrow(
      /memory\.bandwidth_tb_per_s: expected a rate such as 3\.35 TB\/s, found "4\.8 TB"/,
    );
    const badCapacity = plain.replace('capacity: 141 #', 'capacity: 141 GB/s #');
    expect(() => parseValidated(badCapacity, file, HardwareFileSchema, 'hardware profile')).toThrow(/memory\.capacity: expected a size such as 80 GiB/);
  });
});

describe('--slo thresholds with units', () => {
  it('ttft:p99<=0.2s and ttft:p99<=200ms are the same objective', () => {
    expect(parseSlo('ttft:p99<=0.2s')).toEqual(parseSlo('ttft:p99<=200ms'));
  });
});
