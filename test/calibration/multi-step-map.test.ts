import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapBenchmark } from '../../src/calibration/map.ts';
import { importMeasurements } from '../../src/importers/index.ts';
import { MEASUREMENT_COLUMNS } from '../../src/importers/measurement-csv.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';

/** A measurement-CSV row of a vLLM 0.6 run (invented figures) with the engine version as sources state it. */
function mapped(engineVersion: string) {
  const row: Record<string, string> = {
    source_id: 'test', gpu: 'A100-80GB', num_gpus: '1', tp: '1', model: 'Llama-3.1-8B-Instruct', engine: 'vLLM', engine_version: engineVersion,
    dataset_or_isl_osl: 'sharegpt', load_kind: 'rate', load_value: '4', metric: 'ttft', statistic: 'median', value: '100', unit: 'ms', measured_or_projected: 'measured',
  };
  const dir = mkdtempSync(join(tmpdir(), 'multi-step-'));
  const file = join(dir, 'runs.csv');
  writeFileSync(file, `${MEASUREMENT_COLUMNS.join(',')}\n${MEASUREMENT_COLUMNS.map((c) => `"${row[c] ?? ''}"`).join(',')}\n`);
  const m = mapBenchmark(importMeasurements(file)[0]!, loadProfiles());
  if (!m.ok) throw new Error(m.reason);
  return m.mapped;
}

describe('vLLM multi-step scheduling read from the stated engine version', () => {
  it('"--num-scheduler-steps 10" gives 10-step rounds, and says so', () => {
    const m = mapped('vLLM 0.6.0 (--num-scheduler-steps 10)');
    expect(m.choice.engine?.schedulerSteps).toBe(10);
    expect(m.choice.engine?.asyncScheduling).toBe(false);
    expect(m.assumptions.join('\n')).toMatch(/--num-scheduler-steps 10: new requests are admitted only between 10-step decode rounds/);
  });

  it('a version without the flag schedules every step', () => {
    expect(mapped('vLLM 0.6.0').choice.engine?.schedulerSteps).toBeUndefined();
  });
});
