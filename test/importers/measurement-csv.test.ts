import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMeasurements } from '../../src/importers/index.ts';
import { parseCsv } from '../../src/io/csv.ts';
import { importMeasurementCsv, MEASUREMENT_COLUMNS } from '../../src/importers/measurement-csv.ts';
import type { MeasuredBenchmark } from '../../src/importers/types.ts';
import { fixture, HAS_MEASUREMENTS, MEASUREMENTS, metric, SKIP_MEASUREMENTS, tmpFile } from './helpers.ts';

const HEADER = MEASUREMENT_COLUMNS.join(',');
const row = (over: Partial<Record<(typeof MEASUREMENT_COLUMNS)[number], string>> = {}): string => {
  const base: Record<string, string> = {
    source_id: 'my_lab',
    gpu: 'H100-SXM-80GB',
    num_gpus: '2',
    tp: '2',
    pp: '1',
    ep: '',
    model: 'Llama-3.1-70B-Instruct',
    precision: 'FP8',
    engine: 'vLLM',
    engine_version: '0.9.0',
    dataset_or_isl_osl: 'synthetic fixed 1024/128',
    isl: '1024',
    osl: '128',
    load_kind: 'concurrency',
    load_value: '32',
    metric: 'ttft',
    statistic: 'mean',
    value: '250',
    unit: 'ms',
    measured_or_projected: 'measured',
    notes: '',
  };
  return MEASUREMENT_COLUMNS.map((c) => {
    const v = over[c] ?? base[c]!;
    return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(',');
};

describe('measurement CSV: grouping and units (excerpt of shared/measurements)', () => {
  const recs = importMeasurements(fixture('measurements.excerpt.csv'));
  const byId = (id: string): MeasuredBenchmark => recs.find((r) => r.id === id)!;

  it('groups the rows of one run into one record with many metrics, ms → s', () => {
    const server = byId('mlperf_inference_v4.1#4');
    expect(server.workload).toMatchObject({ load: 'poisson', rate: 8.6 });
    expect(server.metrics).toHaveLength(14);
    expect(metric(server, 'ttft', 'p99')).toBeCloseTo(0.785266, 9);
    expect(metric(server, 'tpot', 'median')).toBeCloseTo(0.156938, 9);
    expect(server.deployment).toMatchObject({ modelId: 'llama-2-70b', hardwareId: 'mi300x', numGpus: 1, engine: 'vllm' });
  });

  it('keeps different systems with identical key columns apart (a metric repeats → new run)', () => {
    const offline8 = recs.filter((r) => r.deployment.numGpus === 8 && r.source.sourceId === 'mlperf_inference_v4.1');
    expect(offline8.map((r) => metric(r, 'output_throughput', 'value'))).toEqual([23514.8, 24109.8]);
    expect(offline8[0]!.source.notes).toMatch(/9374F/);
    expect(offline8[1]!.source.notes).toMatch(/TURIN/);
  });

  it('MLPerf datasets: lengths from the published statistics, flagged while the mean input length is unpublished', () => {
    const r = byId('mlperf_inference_v4.1#2');
    expect(r.workload.lengths).toMatchObject({ kind: 'dataset', name: 'openorca', output: { mean: 294.45 } });
    expect(r.unmappedReason).toBe('dataset "openorca": no published mean input length');
  });

  it('output_throughput_per_gpu × num_gpus → output_throughput, with a note', () => {
    const r = byId('trtllm_perf_latest#22');
    expect(metric(r, 'output_throughput', 'value')).toBe(6463 * 4);
    expect(r.source.notes).toMatch(/output_throughput = output_throughput_per_gpu 6463 × num_gpus 4/);
    expect(r.deployment).toMatchObject({ modelId: 'deepseek-v3', hardwareId: 'b200', ep: 4, weights: 'nvfp4', activations: 'fp4' });
    expect(r.unmappedReason).toBeUndefined();
  });

  it('per-node throughput × nodes when the notes state them; latency_unspecified_ms is no metric', () => {
    const head = byId('sglang_blog_large_scale_ep#25');
    expect(metric(head, 'input_throughput', 'value')).toBe(52300 * 12);
    expect(metric(head, 'output_throughput', 'value')).toBe(22300 * 12);
    const lambda = byId('lambda_vllm_benchmark#23');
    expect(lambda.metrics.map((m) => m.metric)).toEqual(['output_throughput']);
    expect(lambda.source.notes).toMatch(/latency_unspecified_ms 42.85 skipped: the source does not define it/);
    expect(lambda.workload).toMatchObject({ load: 'throughput', requests: 320 });
    expect(lambda.deployment).toMatchObject({ weights: 'fp8', activations: 'bf16' }); // FP8 on A100: weight-only
  });

  it('load kinds: offline → throughput or offline-batch, rate, concurrency, sync', () => {
    expect(byId('vllm_buildkite_perf_ci#28').workload).toMatchObject({ load: 'offline-batch', concurrency: 8 });
    expect(metric(byId('vllm_buildkite_perf_ci#28'), 'e2e')).toBeCloseTo(2.07753, 9);
    expect(byId('trtllm_blogs#31').workload).toMatchObject({ load: 'offline-batch', concurrency: 1024 });
    expect(byId('trtllm_blogs#32').workload.load).toBe('synchronous');
    expect(byId('sglang_bench_vllm060#33').workload).toMatchObject({ load: 'poisson', rate: 4, requests: 1200 });
    expect(byId('sglang_bench_vllm060#33').workload.lengths).toMatchObject({ kind: 'dataset', name: 'sharegpt' });
  });

  it('filters nothing silently: non-measurements and unknown loads stay, with a reason', () => {
    expect(byId('sglang_blog_large_scale_ep#27').unmappedReason).toBe(
      'not a measurement: simulated (perfect EPLB via random expert selection) - NOT a plain measurement',
    );
    const blog = byId('vllm_blog#37');
    expect(blog.workload.load).toBeUndefined();
    expect(blog.unmappedReason).toMatch(/^not a measurement: measured \(headline/);
    expect(blog.source.notes).toMatch(/metric "throughput_per_gpu" \(2200 tokens\/s\/GPU\) not recognised/);
    expect(byId('trtllm_blogs#32').unmappedReason).toBe('output length not stated');
  });

  it('accepts a CSV written by hand: quoting, CRLF, a BOM', () => {
    const text = `\uFEFF${HEADER}\r\n${row({ notes: 'said "fast", twice' })}\r\n${row({ metric: 'itl', value: '20' })}\r\n`;
    const [r] = importMeasurementCsv(tmpFile('hand.csv', text));
    expect(r!.metrics).toEqual([
      { metric: 'ttft', statistic: 'mean', value: 0.25 },
      { metric: 'itl', statistic: 'mean', value: 0.02 },
    ]);
    expect(r!.workload).toMatchObject({ load: 'concurrent', concurrency: 32, lengths: { kind: 'fixed', inputTokens: 1024, outputTokens: 128 } });
    expect(r!.source.notes).toMatch(/said "fast", twice/);
    expect(r!.id).toBe('my_lab#2');
  });
});

describe('measurement CSV: measured mean lengths and EP off', () => {
  it('accepts fractional isl/osl (measured means), replays them rounded, and says so', () => {
    const [rec] = importMeasurements(tmpFile('means.csv', `${HEADER}\n${row({ isl: '512.37', osl: '200.5' })}\n`));
    expect(rec!.workload.lengths).toEqual({ kind: 'fixed', inputTokens: 512, outputTokens: 201 });
    expect(rec!.source.notes).toMatch(/mean lengths 512\.37\/200\.5 replayed as fixed 512\/201 tokens/);
  });

  it('reads ep = 0 (InferenceX: expert parallelism off) as EP 1; rejects a negative or non-numeric length', () => {
    const [rec] = importMeasurements(tmpFile('ep0.csv', `${HEADER}\n${row({ ep: '0' })}\n`));
    expect(rec!.deployment.ep).toBe(1);
    const p = tmpFile('neg.csv', `${HEADER}\n${row({ isl: '-5' })}\n`);
    expect(() => importMeasurements(p)).toThrow(`${p}:2: column "isl": expected a positive number of tokens or nothing, found "-5"`);
  });
});

describe('measurement CSV: batch_elapsed_time', () => {
  it('is the e2e latency of a static batch, and is skipped otherwise', () => {
    const batch = row({ load_kind: 'offline', load_value: '16', metric: 'batch_elapsed_time', statistic: 'value', value: '3200' });
    const [r] = importMeasurementCsv(tmpFile('batch.csv', `${HEADER}\n${batch}\n`));
    expect(r!.workload).toMatchObject({ load: 'offline-batch', concurrency: 16 });
    expect(r!.metrics).toEqual([{ metric: 'e2e', statistic: 'value', value: 3.2 }]);
    const all = row({ load_kind: 'offline', load_value: 'max', metric: 'batch_elapsed_time', statistic: 'value', value: '3200' });
    const [s] = importMeasurementCsv(tmpFile('all.csv', `${HEADER}\n${all}\n`));
    expect(s!.metrics).toEqual([]);
    expect(s!.unmappedReason).toBe('batch elapsed time is not a request latency');
  });
});

describe('measurement CSV: malformed files → InputError with file:line', () => {
  const bad = (name: string, body: string): (() => unknown) => () => importMeasurements(tmpFile(name, body));

  it('wrong column count', () => {
    const p = tmpFile('short.csv', `${HEADER}\n${row()}\n${row().split(',').slice(0, 20).join(',')}\n`);
    expect(() => importMeasurements(p)).toThrow(`${p}:3: expected 21 columns, found 20`);
  });

  it('non-numeric value, bad integer, statistic, unit, load kind', () => {
    const cases: [string, string][] = [
      [row({ value: 'fast' }), ':2: column "value": expected a number, found "fast"'],
      [row({ tp: 'four' }), ':2: column "tp": expected a positive integer or nothing, found "four"'],
      [row({ statistic: 'p50' }), ':2: column "statistic": expected one of mean, median, p90, p95, p99, p999, value, found "p50"'],
      [row({ unit: 'tokens/s' }), ':2: column "unit": metric "ttft" is a latency and needs ms or s, found "tokens/s"'],
      [row({ unit: 'furlongs' }), ':2: column "unit": expected one of ms, s, tokens/s, req/s, tokens/s/GPU, tokens/s/node, found "furlongs"'],
      [row({ load_kind: 'burst' }), ':2: column "load_kind": expected one of offline, rate, concurrency, sync, found "burst"'],
      [row({ load_kind: 'concurrency', load_value: 'many' }), ':2: column "load_value": load_kind concurrency needs a number of streams, found "many"'],
    ];
    cases.forEach(([r, msg], k) => {
      const p = tmpFile(`bad${k}.csv`, `${HEADER}\n${r}\n`);
      expect(() => importMeasurements(p)).toThrow(`${p}${msg}`);
    });
  });

  it('a header that is not the schema', () => {
    const wrong = HEADER.replace('statistic', 'stat').replace(',notes', '');
    expect(bad('hdr.csv', `${wrong}\n`)).toThrow(
      /hdr\.csv:1: header does not match the measurement CSV schema: unexpected column "stat"; missing columns "statistic", "notes"\. Expected: source_id,gpu,/,
    );
    expect(bad('other.csv', 'run,gpu,tokens_per_s\nA,H100,5\n')).toThrow(
      /other\.csv:1: unknown CSV header "run,gpu,tokens_per_s"; expected the measurement CSV schema/,
    );
    const typo = `${HEADER.replace('statistic', 'statistik')}\n${row()}\n`;
    expect(bad('typo.csv', typo)).toThrow(/:1: header does not match the measurement CSV schema: unexpected column "statistik" \(did you mean "statistic"\?\); missing column "statistic"/);
  });

  it('an unterminated quote', () => {
    const p = tmpFile('quote.csv', `${HEADER}\n${row()}\n${row({ notes: 'x' }).replace(/,x$/, ',"never closed')}\n`);
    expect(() => importMeasurements(p)).toThrow(`${p}:3: a quoted field is never closed (missing ")`);
  });
});

describe.skipIf(!HAS_MEASUREMENTS)(`every CSV in shared/measurements ${HAS_MEASUREMENTS ? '' : SKIP_MEASUREMENTS}`, () => {
  const files = HAS_MEASUREMENTS ? readdirSync(MEASUREMENTS).filter((f) => f.endsWith('.csv')).sort() : [];

  /** rows per record: records are consecutive blocks of rows, each named by its first line */
  function rowsPerRecord(path: string, recs: readonly MeasuredBenchmark[]): number[] {
    const lines = parseCsv(readFileSync(path, 'utf8'), path)
      .slice(1)
      .map((r) => r.line);
    const starts = recs.map((r) => Number(r.id.slice(r.id.lastIndexOf('#') + 1)));
    return starts.map((s, k) => lines.filter((l) => l >= s && (k + 1 >= starts.length || l < starts[k + 1]!)).length);
  }

  it.each(files)('%s loads without throwing and groups rows into runs', (f) => {
    const path = join(MEASUREMENTS, f);
    const recs = importMeasurements(path);
    const rows = parseCsv(readFileSync(path, 'utf8'), path).length - 1;
    expect(recs.length).toBeGreaterThan(0);
    expect(recs.length).toBeLessThanOrEqual(rows);
    expect(rowsPerRecord(path, recs).reduce((a, b) => a + b, 0)).toBe(rows);
    expect(new Set(recs.map((r) => r.id)).size).toBe(recs.length);
    for (const r of recs) {
      expect(r.source.tool).toBe('measurement-csv');
      for (const m of r.metrics) expect(Number.isFinite(m.value)).toBe(true);
      if (!r.unmappedReason) {
        expect(r.deployment.modelId).toBeDefined();
        expect(r.deployment.hardwareId).toBeDefined();
        expect(r.workload.load).toBeDefined();
        expect(r.workload.lengths).toBeDefined();
        expect(r.metrics.length).toBeGreaterThan(0);
      }
    }
  });

  it('coverage summary: rows that map / do not map, by reason', () => {
    const lines: string[] = [];
    let totalRows = 0;
    let mappedRows = 0;
    const all = new Map<string, number>();
    for (const f of files) {
      const path = join(MEASUREMENTS, f);
      const recs = importMeasurements(path);
      const counts = rowsPerRecord(path, recs);
      const reasons = new Map<string, number>();
      let mapped = 0;
      recs.forEach((r, k) => {
        if (r.unmappedReason) {
          reasons.set(r.unmappedReason, (reasons.get(r.unmappedReason) ?? 0) + counts[k]!);
          all.set(r.unmappedReason, (all.get(r.unmappedReason) ?? 0) + counts[k]!);
        } else mapped += counts[k]!;
      });
      const rows = counts.reduce((a, b) => a + b, 0);
      totalRows += rows;
      mappedRows += mapped;
      lines.push(
        `${f}: ${rows} rows → ${recs.length} records; rows mapped ${mapped}, unmapped ${rows - mapped}` +
          [...reasons].sort((a, b) => b[1] - a[1]).map(([k, v]) => `\n    ${v} × ${k}`).join(''),
      );
    }
    lines.push(
      `TOTAL: ${totalRows} rows; mapped ${mappedRows}, unmapped ${totalRows - mappedRows}` +
        [...all].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `\n    ${v} × ${k}`).join(''),
    );
    console.log(`measurement coverage\n${lines.join('\n')}`);
    expect(totalRows).toBeGreaterThan(0);
    expect(mappedRows).toBeGreaterThan(0);
  });
});
