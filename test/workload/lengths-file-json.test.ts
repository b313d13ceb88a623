import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLengths } from '../../src/workload/files.ts';

/** --lengths-file from benchmark result files (issue 11 item 6), on the importer fixtures (PROVENANCE.md there). */
const fixture = (name: string) => resolve(__dirname, '..', 'fixtures', 'importers', name);
const dir = mkdtempSync(join(tmpdir(), 'servesim-lengths-json-'));
const file = (name: string, doc: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(doc, null, 2));
  return p;
};

describe('--lengths-file from vLLM bench and GuideLLM JSON', () => {
  it('reads input_lens/output_lens of a vLLM bench result (llm-k8s qps 4 excerpt: first 5 requests)', () => {
    expect(readLengths(fixture('vllm-serving_tp8_pp1_sharegpt_qps_04.excerpt.json'))).toEqual({
      inputTokens: [13, 25, 27, 10, 329],
      outputTokens: [120, 770, 81, 194, 101],
    });
  });

  it('leaves out the requests a vLLM bench run reports as errors', () => {
    const p = file('errors.json', { input_lens: [100, 200, 300], output_lens: [10, 0, 30], errors: ['', 'Timeout', ''] });
    expect(readLengths(p)).toEqual({ inputTokens: [100, 300], outputTokens: [10, 30] });
  });

  it('reads every successful request of a GuideLLM benchmarks.json (v0.3 and v0.5 excerpts)', () => {
    expect(readLengths(fixture('guidellm-v0.3-stripped.excerpt.json'))).toEqual({ inputTokens: [257], outputTokens: [128] });
    expect(readLengths(fixture('guidellm-v0.5-sanity_tp4_quant-fp8.excerpt.json'))).toEqual({ inputTokens: [81, 106, 133, 76], outputTokens: [1024, 1024, 1024, 1024] });
  });

  it('reads GuideLLM v0.7-style records (input_metrics/output_metrics.text_tokens) and pools all benchmarks', () => {
    const p = file('v07.json', {
      benchmarks: [
        { requests: { successful: [{ input_metrics: { text_tokens: 512 }, output_metrics: { text_tokens: 64 } }] } },
        { requests: { successful: [{ input_metrics: { text_tokens: 1024 }, output_metrics: { text_tokens: 32 } }] } },
      ],
    });
    expect(readLengths(p)).toEqual({ inputTokens: [512, 1024], outputTokens: [64, 32] });
  });

  it('says what is missing when a GuideLLM file has no request records (v0.4 sweep fixture, sample_requests 0)', () => {
    expect(() => readLengths(fixture('guidellm-v0.4_llama31-8b_h100_tp1_sweep.json'))).toThrow(/without per-request records.*requests\.successful/);
  });

  it('names the array and index of a bad entry, and mismatched arrays', () => {
    expect(() => readLengths(file('bad.json', { input_lens: [1, 'x'], output_lens: [1, 2] }))).toThrow(/input_lens\[1\] and output_lens\[1\] must be non-negative numbers/);
    expect(() => readLengths(file('short.json', { input_lens: [1, 2], output_lens: [1] }))).toThrow(/same length; found 2 and 1/);
  });

  it('still reads a one-line JSONL file as rows', () => {
    const p = join(dir, 'one.jsonl');
    writeFileSync(p, '{"input_tokens": 7, "output_tokens": 3}\n');
    expect(readLengths(p)).toEqual({ inputTokens: [7], outputTokens: [3] });
  });
});
