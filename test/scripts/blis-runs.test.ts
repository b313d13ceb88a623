import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEASUREMENT_COLUMNS } from '../../src/importers/measurement-csv.ts';
import { GENERAL_LITE_SPEC, meanOutputTokens, readBlisExperiments } from '../../scripts/blis-runs.ts';

type Row = Partial<Record<(typeof MEASUREMENT_COLUMNS)[number], string>>;

/** A hand-made file in blis_vllm.csv's layout (invented figures; nothing of the licence-less file is copied). */
function readRows(rows: readonly Row[]) {
  const line = (v: Row) => MEASUREMENT_COLUMNS.map((c) => `"${(v[c] ?? '').replace(/"/g, '""')}"`).join(',');
  const dir = mkdtempSync(join(tmpdir(), 'blis-runs-'));
  const file = join(dir, 'runs.csv');
  writeFileSync(file, [MEASUREMENT_COLUMNS.join(','), ...rows.map(line)].join('\n') + '\n');
  return readBlisExperiments(file)[0]!;
}

function read(dataset: string, isl = '', osl = '') {
  const row = (scope: string, metric: string, value: string): Row => ({
    gpu: 'H100',
    tp: '2',
    model: 'codellama/CodeLlama-34b-Instruct-hf',
    isl,
    osl,
    dataset_or_isl_osl: dataset,
    metric,
    statistic: 'mean',
    value,
    unit: 'ms',
    measured_or_projected: 'measured',
    notes: `experiment_id=99-test; in the 38-experiment eval set; scope=${scope}`,
  });
  return readRows([row('stage_0', 'ttft', '40'), row('stage_1', 'ttft', '50')]);
}

describe('readBlisExperiments', () => {
  it("maps a 'general-lite' run with the campaign's published workload spec (2.5 then 6 req/s, 547 in, 248 out)", () => {
    const e = read("inference-perf synthetic 'general-lite' profile (token lengths and stage rates not published; manifest: 'General-Lite (6 rps peak)')");
    expect(e.stages).toEqual([
      { ratePerS: 2.5, durationS: 600 },
      { ratePerS: 6, durationS: 600 },
    ]);
    expect([e.inputTokens, e.outputTokens, e.systemPromptTokens]).toEqual([547, 248, 100]);
    expect(e.workloadSource).toBe(GENERAL_LITE_SPEC.source);
    expect(e.workloadSource).toMatch(/^inference-sim\/tektonc-data-collection@[0-9a-f]{40}:workloads\.yaml/);
    expect(e.figures.get(1)?.ttftMeanS).toBeCloseTo(0.05, 12);
  });

  it('keeps what the dataset text states, and leaves a profile with no published spec unmapped', () => {
    const general = read(
      "inference-perf shared_prefix synthetic 'general' profile: 9 system prompts x 5 users, system 100 + question 447 tok in, output 248 tok; stages 8 req/s x 600 s then 20 req/s x 600 s",
      '547',
      '248',
    );
    expect(general.stages).toEqual([
      { ratePerS: 8, durationS: 600 },
      { ratePerS: 20, durationS: 600 },
    ]);
    expect(general.workloadSource).toBe('blis_vllm.csv dataset text');
    const unknown = read("inference-perf synthetic 'mystery' profile (not published)");
    expect(unknown.stages).toEqual([]);
    expect(unknown.inputTokens).toBeUndefined();
  });

  it("takes a run's mean output from its own means ((E2E − TTFT) / tpot + 1), and its EP degree", () => {
    // invented figures: 11 s E2E, 100 ms TTFT, 10 ms derived TPOT → (11 − 0.1) / 0.01 + 1 = 1,091 of a 1,200 cap
    const summary = (ep: string, tpotMs: string) => {
      const row = (metric: string, value: string): Row => ({
        gpu: 'H100', tp: '2', ep, model: 'RedHatAI/Llama-4-Scout-17B-16E-Instruct-FP8-dynamic', isl: '600', osl: '1200',
        dataset_or_isl_osl: "inference-perf shared_prefix synthetic 'test-long' profile: 4 system prompts x 2 users, system 50 + question 550 tok in, output 1200 tok, 2 req/s",
        metric, statistic: 'mean', value, unit: 'ms', measured_or_projected: 'measured',
        notes: 'experiment_id=98-test; not in the 38-experiment eval set; scope=summary (single stage)',
      });
      return readRows([row('e2e_latency', '11000'), row('ttft', '100'), row('tpot', tpotMs)]);
    };
    const e = summary('2', '10');
    expect(e.outputTokens).toBeCloseTo(1091, 9);
    expect(e.outputTokensSource).toBe('csv means');
    expect(e.ep).toBe(2);
    // a derived count above 1.05 × the cap is not a mean output: the nominal length stays
    const implausible = summary('1', '5');
    expect(implausible.outputTokens).toBe(1200);
    expect(implausible.outputTokensSource).toBe('nominal');
    expect(implausible.ep).toBe(1);
    expect(meanOutputTokens({ 'e2e_latency.mean': 2, 'ttft.mean': 0.5 })).toBeUndefined();
  });

  it("reads the GPU memory share from the flags, and the manifest's 'actually reduced to' over them", () => {
    const run = (flags: string) =>
      readRows([
        {
          gpu: 'H100', tp: '1', model: 'meta-llama/Llama-2-7b-hf', isl: '547', osl: '248', metric: 'ttft', statistic: 'mean', value: '40', unit: 'ms', measured_or_projected: 'measured',
          dataset_or_isl_osl: "inference-perf synthetic 'general-lite' profile",
          notes: `experiment_id=97-test; not in the 38-experiment eval set; scope=summary (single stage); vLLM flags: ${flags}`,
        },
      ]);
    expect(run('max_num_batched_tokens=2048, gpu_memory_utilization=0.95, cpu_offload=').gpuMemoryUtilization).toBe(0.95);
    expect(run('max_num_batched_tokens=2048, gpu_memory_utilization=, cpu_offload=; manifest note: gpu_mem actually reduced to 0.62 (invented)').gpuMemoryUtilization).toBe(0.62);
    expect(run('max_num_batched_tokens=2048, gpu_memory_utilization=, cpu_offload=').gpuMemoryUtilization).toBeUndefined();
  });
});
