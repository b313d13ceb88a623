import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapBenchmark } from '../../src/calibration/map.ts';
import { withAssumptions } from '../../src/calibration/validate.ts';
import { importMeasurements } from '../../src/importers/index.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';

/** GuideLLM states no server version, but each benchmark's end_time dates the run (issue 11: the vLLM of that date). */
const fixtures = join(import.meta.dirname, '..', 'fixtures', 'importers');
const registry = loadProfiles();

describe("a GuideLLM run's date", () => {
  it('is read from the benchmark end_time; a 2025-06 run against vLLM maps to synchronous scheduling, and says why', () => {
    const [b] = importMeasurements(join(fixtures, 'guidellm-v0.3-stripped.excerpt.json')); // a real run, 2025-06-05
    expect(b!.source.savedAt).toBe('2025-06-05T20:59:58');
    const m = mapBenchmark(withAssumptions(b!, { modelId: 'llama-3.1-8b', hardwareId: 'h100-sxm' }), registry);
    if (!m.ok) throw new Error(m.reason);
    expect(m.mapped.choice.engine?.asyncScheduling).toBe(false);
    expect(m.mapped.assumptions.join('\n')).toMatch(/run 2025-06-05, before vLLM planned async scheduling as its default/);
  });

  it('a clock that was never set (a 1970 time, as in synthetic files) dates nothing', () => {
    const [b] = importMeasurements(join(fixtures, 'guidellm-v0.4_llama31-8b_h100_tp1_sweep.json'));
    expect(b!.source.savedAt?.startsWith('1970')).toBe(true);
    const m = mapBenchmark(b!, registry);
    if (!m.ok) throw new Error(m.reason);
    expect(m.mapped.choice.engine?.asyncScheduling).toBeUndefined();
  });
});
