import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrate, validate } from '../../src/calibration/library.ts';
import { mapBenchmark } from '../../src/calibration/map.ts';
import { withAssumptions } from '../../src/calibration/validate.ts';
import { importMeasurements, markRepeatedPrompts } from '../../src/importers/index.ts';
import type { MeasuredBenchmark } from '../../src/importers/types.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import { EXAMPLES, HAS_EXAMPLES, SKIP_EXAMPLES, tmpFile } from './helpers.ts';

/** A `vllm bench serve` result of Llama 3.1 8B with per-request arrays: 20 requests of 1,000–2,900 prompt tokens. */
function result(date: string, rate: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const n = 20;
  const inputs = Array.from({ length: n }, (_, i) => 1000 + 100 * i);
  return {
    date,
    backend: 'vllm',
    model_id: 'meta-llama/Llama-3.1-8B-Instruct',
    num_prompts: n,
    request_rate: rate,
    burstiness: 1.0,
    max_concurrency: null,
    duration: n / rate,
    completed: n,
    total_input_tokens: inputs.reduce((a, b) => a + b, 0),
    total_output_tokens: 64 * n,
    request_throughput: rate,
    output_throughput: 64 * rate,
    input_lens: inputs,
    output_lens: Array(n).fill(64),
    ttfts: Array(n).fill(0.05),
    itls: Array(n).fill(Array(63).fill(0.01)),
    errors: Array(n).fill(''),
    mean_ttft_ms: 50,
    mean_tpot_ms: 10,
    ...overrides,
  };
}

const write = (name: string, doc: Record<string, unknown>): string => tmpFile(name, JSON.stringify(doc));
const load = (...docs: [string, Record<string, unknown>][]): MeasuredBenchmark[] =>
  markRepeatedPrompts(docs.flatMap(([name, doc]) => importMeasurements(write(name, doc))));

describe('markRepeatedPrompts: runs that resend an earlier run\'s prompts', () => {
  it('marks every later run of one session with the first run, in save-time order whatever the file order', () => {
    const [inf, first, second] = load(['c.json', result('20250414-141743', 8)], ['a.json', result('20250414-141505', 1)], ['b.json', result('20250414-141621', 4)]);
    expect(first!.workload.repeatsPromptsOf).toBeUndefined();
    expect(second!.workload.repeatsPromptsOf).toBe(first!.id);
    expect(inf!.workload.repeatsPromptsOf).toBe(first!.id);
  });

  it('more than an hour idle between runs starts a new session (a restart would have emptied the cache)', () => {
    const [a, b] = load(['a.json', result('20250414-090000', 1)], ['b.json', result('20250414-110000', 4)]);
    expect(a!.workload.repeatsPromptsOf).toBeUndefined();
    expect(b!.workload.repeatsPromptsOf).toBeUndefined();
    // a run saved two hours after the previous one, but that ran for 1.5 h of them: 30 min idle, one session
    const [c, d] = load(['c.json', result('20250414-090000', 1)], ['d.json', result('20250414-110000', 4, { duration: 5400 })]);
    expect(c!.workload.repeatsPromptsOf).toBeUndefined();
    expect(d!.workload.repeatsPromptsOf).toBe(c!.id);
  });

  it('other lengths, another model, too few requests or no save time are not the same prompts', () => {
    const lens = Array.from({ length: 20 }, (_, i) => 1001 + 100 * i);
    const short = { num_prompts: 10, completed: 10, input_lens: Array(10).fill(500), output_lens: Array(10).fill(64), ttfts: Array(10).fill(0.05), itls: Array(10).fill([0.01]), errors: Array(10).fill('') };
    const runs = load(
      ['a.json', result('20250414-100000', 1)],
      ['b.json', result('20250414-100100', 2, { input_lens: lens })],
      ['c.json', result('20250414-100200', 2, { model_id: 'Qwen/Qwen3-8B' })],
      ['d.json', result('20250414-100300', 2, { date: undefined })],
      ['e.json', result('20250414-100400', 1, short)],
      ['f.json', result('20250414-100500', 2, short)],
    );
    expect(runs.map((r) => r.workload.repeatsPromptsOf)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('a repeated run is simulated with its prompts in the prefix cache', () => {
  const registry = loadProfiles();
  const onH100 = (b: MeasuredBenchmark, engineVersion?: string): MeasuredBenchmark => {
    const filled = withAssumptions(b, { hardwareId: 'h100-sxm', tp: 1 });
    return engineVersion ? { ...filled, deployment: { ...filled.deployment, engineVersion } } : filled;
  };

  it('vLLM V1 (version unstated): every full block of each prompt cached, and the assumption names the earlier run', () => {
    const [first, later] = load(['a.json', result('20250414-100000', 1)], ['b.json', result('20250414-100100', 4)]);
    const cold = mapBenchmark(onH100(first!), registry);
    const warm = mapBenchmark(onH100(later!), registry);
    if (!cold.ok || !warm.ok) throw new Error('not mapped');
    expect(cold.mapped.choice.engine?.prefixCaching).toBeUndefined();
    expect(warm.mapped.choice.engine?.prefixCaching).toEqual({ sharedPrefixTokens: 2900, hitRate: 1 });
    expect(warm.mapped.assumptions.join('\n')).toMatch(/same 20 prompts \(39000 tokens\) were sent earlier by a\.json#0/);
  });

  it('a result saved before vLLM planned async scheduling as its default runs without it, and says why; a later one keeps it', () => {
    const [old] = load(['old.json', result('20250414-100000', 1)]);
    const [recent] = load(['recent.json', result('20260120-100000', 1)]);
    const before = mapBenchmark(onH100(old!), registry);
    const after = mapBenchmark(onH100(recent!), registry);
    if (!before.ok || !after.ok) throw new Error('not mapped');
    expect(before.mapped.choice.engine?.asyncScheduling).toBe(false);
    expect(before.mapped.assumptions.join('\n')).toMatch(/run 2025-04-14, before vLLM planned async scheduling as its default \(2025-10-28, vllm-project\/vllm#27679\)/);
    expect(after.mapped.choice.engine?.asyncScheduling).toBeUndefined(); // the engine default: on
    // a stated version wins over the date
    const stated = mapBenchmark(onH100(old!, '0.15.1'), registry);
    if (!stated.ok) throw new Error('not mapped');
    expect(stated.mapped.choice.engine?.asyncScheduling).toBeUndefined();
  });

  it('vLLM before V1 caches no prefix by default: replayed cold, and said so', () => {
    const [, later] = load(['a.json', result('20250414-100000', 1)], ['b.json', result('20250414-100100', 4)]);
    const m = mapBenchmark(onH100(later!, '0.6.0'), registry);
    if (!m.ok) throw new Error('not mapped');
    expect(m.mapped.choice.engine?.prefixCaching).toBeUndefined();
    expect(m.mapped.assumptions.join('\n')).toMatch(/replayed uncached: vLLM 0\.6\.0 predates V1/);
  });

  it('validate: the repeated run\'s TTFT is the cached prompt\'s, far below the first run\'s at the same load', () => {
    const a = write('a.json', result('20250414-100000', 2));
    const b = write('b.json', result('20250414-100100', 2));
    const v = validate({ measurements: [a, b], hardware: 'h100-sxm', tp: 1 });
    const ttft = (file: string) => v.rows.find((r) => r.benchmarkId.startsWith(file) && r.metric === 'ttft' && r.statistic === 'mean')!.predicted;
    // 1,000–2,900-token prompts of an 8B model on one H100: tens of ms to prefill; one decode step when cached
    expect(ttft('b.json')).toBeLessThan(0.6 * ttft('a.json'));
  });
});

describe('calibrate says which runs it simulated with their prompts cached', () => {
  it('one warning per repeated run, naming the run it repeats', () => {
    const a = write('a.json', result('20250414-100000', 2));
    const b = write('b.json', result('20250414-100100', 4));
    const r = calibrate({ measurements: [a, b], hardware: 'h100-sxm', tp: 1, maxIterations: 1, holdout: false });
    const notes = r.warnings.filter((w) => w.includes('were sent earlier by'));
    expect(notes).toEqual([expect.stringMatching(/^b\.json#0: the same 20 prompts .* sent earlier by a\.json#0/)]);
  });
});

describe.skipIf(!HAS_EXAMPLES)(`the vLLM bench examples ${HAS_EXAMPLES ? '' : SKIP_EXAMPLES}`, () => {
  it('qps 4, 16 and inf resend the 200 prompts of qps 1, which ran first', () => {
    const dir = join(EXAMPLES, 'vllm-bench');
    const runs = markRepeatedPrompts(readdirSync(dir).filter((f) => /_qps_.*\.json$/.test(f)).sort().flatMap((f) => importMeasurements(join(dir, f))));
    const byRate = new Map(runs.map((r) => [/_qps_(\w+)\.json/.exec(r.id)![1], r.workload.repeatsPromptsOf]));
    expect(byRate.get('01')).toBeUndefined();
    for (const q of ['04', '16', 'inf']) expect(byRate.get(q)).toMatch(/_qps_01\.json#0$/);
  });
});
