/** `servesim report` reads simulate documents of schemaVersion 1 (snake_case, written before issue 12's rename). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseResultFile } from '../../src/report/sources/recognise.ts';

const v1File = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results', 'simulate-v1.json');
const v1Text = readFileSync(v1File, 'utf8');

describe('simulate documents of schemaVersion 1', () => {
  it('are read as version 2 with the same values', () => {
    const old = JSON.parse(v1Text);
    const r = parseResultFile('v1.json', v1Text);
    if (r.kind !== 'simulate') throw new Error(`read as ${r.kind}`);
    const run = r.runs[0]!;
    expect(run.schemaVersion).toBe(2);
    expect(run.latencyMs.ttft.p99).toBe(old.latency_ms.ttft.p99);
    expect(run.durationS).toBe(old.duration_s);
    expect(run.throughput.outputTokensPerS).toBe(old.throughput.output_tokens_per_s);
    expect(run.workload.ratePerS).toBe(old.workload.rate_per_s);
    expect(run.timeSeries[1]?.kvUtilization).toBe(old.time_series[1].kv_utilization);
  });
  it('an unknown version is refused with a message naming it', () => {
    const future = JSON.stringify({ ...JSON.parse(v1Text), schemaVersion: 7 });
    expect(() => parseResultFile('f.json', future)).toThrow(/schemaVersion 7.*reads versions 1 and 2/);
  });
  it('a version-2 document missing a field names the field', () => {
    const doc = JSON.parse(v1Text);
    const broken = JSON.stringify({ schemaVersion: 2, latencyMs: doc.latency_ms, throughput: {}, deployment: doc.deployment });
    expect(() => parseResultFile('b.json', broken)).toThrow(/b\.json: not a valid simulate document \(schemaVersion 2\): field/);
  });
});
