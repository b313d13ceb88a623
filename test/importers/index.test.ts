import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/diagnostics/errors.ts';
import { importMeasurements } from '../../src/importers/index.ts';
import { fixture, tmpFile } from './helpers.ts';

const guidellmCsvHeader = 'source_file,profile,rate,duration_s,total_requests,error_requests,ttft_mean_ms,ttft_median_ms,ttft_p99_ms,ttft_min_ms,ttft_max_ms,itl_mean_ms,itl_median_ms,itl_p99_ms,req_latency_mean_s,req_latency_median_s,req_latency_p99_s,rps_mean,concurrency_mean,prompt_tokens_mean,output_tokens_mean';

/** The InputError a call throws (fails the test if it throws anything else or nothing). */
function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

describe('format detection', () => {
  it.each([
    ['guidellm-v0.1.json', 'guidellm', 'v0.1'],
    ['guidellm-v0.3-stripped.excerpt.json', 'guidellm', 'v0.2-0.3'],
    ['guidellm-v0.4_llama31-8b_h100_tp1_sweep.json', 'guidellm', 'v0.4'],
    ['guidellm-v0.5-sanity_tp4_quant-fp8.excerpt.json', 'guidellm', 'v0.5-0.6'],
    ['guidellm-v0.7-concurrent.yaml', 'guidellm', 'v0.7'],
    ['vllm-serving_tp8_pp1_sharegpt_qps_04.excerpt.json', 'vllm-bench', 'result-json'],
    ['vllm-tp8_pp1_benchmark_results.excerpt.json', 'vllm-bench', 'summary-json'],
    ['measurements.excerpt.csv', 'measurement-csv', 'mlperf_inference_v4.1'],
  ])('%s → %s %s', (name, tool, format) => {
    const [r] = importMeasurements(fixture(name));
    expect(r!.source).toMatchObject({ tool, format });
  });

  it('detects by content, not extension: a GuideLLM report saved as .txt', () => {
    const [r] = importMeasurements(tmpFile('report.txt', readFileSync(fixture('guidellm-v0.1.json'), 'utf8')));
    expect(r!.source.format).toBe('v0.1');
  });

  it('reads the GuideLLM summary CSV by its header', () => {
    const csv = `${guidellmCsvHeader}\nsync,synchronous,-,60.0,22,0,172.4,64.2,-,58.3,665.0,22.1,21.4,-,2.835,2.739,-,0.35,1.00,264,128\n`;
    const [r] = importMeasurements(tmpFile('summary.csv', csv));
    expect(r!.source).toMatchObject({ tool: 'guidellm', format: 'summary-csv' });
  });
});

describe('bad files → InputError naming the file, the field and what was found', () => {
  it('truncated JSON', () => {
    const p = fixture('bad-truncated.json');
    const e = inputError(() => importMeasurements(p));
    // file:line:col where the parser reports a position (V8 does: "… in JSON at position 700")
    expect(e.message.startsWith(`${p}:31:19: `) || e.message.startsWith(`${p}: `)).toBe(true);
    expect(e.message).toContain('not valid JSON');
    expect(e.message).toContain('the file ends early: it looks truncated');
  });

  it('unknown JSON schema: lists the top-level keys', () => {
    const p = tmpFile('mystery.json', JSON.stringify({ results: [], runner: 'x', version: 3 }));
    expect(inputError(() => importMeasurements(p)).message).toBe(
      `${p}: unknown measurement format: expected a GuideLLM report (benchmarks…), a vLLM benchmark result ` +
        '(model_id, duration, completed…) or a vLLM benchmark_results table; found top-level keys: results, runner, version',
    );
    const q = tmpFile('array.json', '[1, 2, 3]');
    expect(inputError(() => importMeasurements(q)).message).toContain('found a top-level array of 3');
  });

  it('a benchmarks list of no known GuideLLM era', () => {
    const p = tmpFile('odd-guidellm.json', JSON.stringify({ benchmarks: [{ name: 'x' }] }));
    expect(inputError(() => importMeasurements(p)).message).toBe(
      `${p}: not a GuideLLM report of a known schema era (v0.1–v0.7); found top-level keys: benchmarks`,
    );
  });

  it('a GuideLLM schema newer than known', () => {
    const p = tmpFile('future.json', JSON.stringify({ metadata: { version: 3, guidellm_version: '0.9.0' }, benchmarks: [{}] }));
    expect(inputError(() => importMeasurements(p)).message).toContain('metadata.version: GuideLLM report schema version 3 is newer');
  });

  it('missing metrics in a GuideLLM benchmark', () => {
    const p = fixture('bad-guidellm-v0.4-missing-ttft.json');
    expect(inputError(() => importMeasurements(p)).message).toBe(
      `${p}: benchmarks[1].metrics.time_to_first_token_ms: expected a GuideLLM distribution summary ` +
        '{successful: {mean, median, percentiles…}, …}, found nothing',
    );
  });

  it('a wrong-typed GuideLLM field', () => {
    const doc = JSON.parse(readFileSync(fixture('guidellm-v0.4_llama31-8b_h100_tp1_sweep.json'), 'utf8')) as {
      benchmarks: { config: { strategy: { rate: unknown } } }[];
    };
    doc.benchmarks[2]!.config.strategy.rate = 'fast';
    const p = tmpFile('bad-rate.json', JSON.stringify(doc));
    expect(inputError(() => importMeasurements(p)).message).toBe(
      `${p}: benchmarks[2].config.strategy.rate: expected a number, found string "fast"`,
    );
  });

  it('a vLLM result without its metrics or duration', () => {
    const base = { model_id: 'm', num_prompts: 3, request_rate: 1, completed: 3 };
    const p = tmpFile('nodur.json', JSON.stringify(base));
    expect(inputError(() => importMeasurements(p)).message).toBe(`${p}: duration: expected a number, found nothing`);
    const q = tmpFile('nometrics.json', JSON.stringify({ ...base, duration: 10 }));
    expect(inputError(() => importMeasurements(q)).message).toContain(
      'no metrics: expected request_throughput, output_throughput or mean_/median_/pNN_ ttft|tpot|itl|e2el _ms keys',
    );
  });

  it('a malformed measurement CSV row names file and line', () => {
    const header = 'source_id,gpu,num_gpus,tp,pp,ep,model,precision,engine,engine_version,dataset_or_isl_osl,isl,osl,load_kind,load_value,metric,statistic,value,unit,measured_or_projected,notes';
    const good = 'lab,H100-SXM-80GB,1,1,1,,Llama-3.1-8B,FP8,vLLM,0.9,synthetic fixed 128/128,128,128,sync,1,ttft,mean,12,ms,measured,';
    const p = tmpFile('rows.csv', `${header}\n${good}\n${good.replace(',12,', ',twelve,')}\n`);
    expect(inputError(() => importMeasurements(p)).message).toBe(`${p}:3: column "value": expected a number, found "twelve"`);
  });

  it('other formats: empty, missing, HTML, GuideLLM native CSV, console text', () => {
    expect(inputError(() => importMeasurements(tmpFile('empty.json', '  \n'))).message).toMatch(/empty\.json: the file is empty$/);
    expect(inputError(() => importMeasurements('/nonexistent/x.json')).message).toBe(
      '/nonexistent/x.json: cannot read the measurement file (no such file)',
    );
    expect(inputError(() => importMeasurements(tmpFile('r.html', '<!DOCTYPE html><html></html>'))).message).toContain(
      'an HTML file (a GuideLLM HTML report?) is not a supported measurement format',
    );
    const native = 'Type,Run Id,Id,Name,Start Time,End Time,Duration,Successful Requests\ngenerative_benchmark,a,b,c,1,2,1,10\n';
    expect(inputError(() => importMeasurements(tmpFile('benchmarks.csv', native))).message).toContain(
      'a GuideLLM CSV export is not supported',
    );
    expect(inputError(() => importMeasurements(tmpFile('out.txt', 'Benchmarks Metadata:\n  Args: {"x": 1}\n    bad: : :\n'))).message).toContain(
      'unknown measurement format: not JSON, YAML, CSV or a markdown table; the file starts with "Benchmarks Metadata:"',
    );
  });
});
