/**
 * Property tests with generated hostile values (issue 13): the CLI's flag parsing (in-process, through
 * main()) and the library's simulate(). Whatever the input, the outcome is one of three classes:
 *   - exit 0 / a result: every reported latency and throughput is a finite number;
 *   - exit 1 / InfeasibleError: with a reason;
 *   - exit 2 / InputError: naming the flag or field;
 * never an internal error (an exception that is not a ServesimError).
 * Request counts stay small so each run takes milliseconds (the limits on huge counts are tested elsewhere).
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as lib from '../../src/index.ts';
import { runCli } from './run-in-process.ts';

const hostileNumber = fc.constantFrom('0', '-1', '-0.5', '0.5', '1.5', '2.5', 'NaN', 'Infinity', '-Infinity', '1e9', '1e-9', '1e300', '1e-300', '1e400', '', 'abc', '007', '3');
const smallCount = fc.constantFrom('1', '2', '7', '20');

/** one flag with a hostile value; the request-count flags keep their damage small */
const flag = fc.oneof(
  fc.tuple(fc.constantFrom('--rate', '--burstiness', '--warmup', '--cooldown', '--max-seconds', '--time-scale'), hostileNumber),
  fc.tuple(fc.constantFrom('--gpu-memory-utilization', '--block-size', '--max-num-seqs', '--max-num-batched-tokens', '--max-model-len', '--prefix-tokens', '--prefix-hit-rate', '--tp', '--pp', '--ep'), hostileNumber),
  fc.tuple(fc.constantFrom('--max-requests', '--replicas', '--concurrency'), fc.oneof(smallCount, fc.constantFrom('0', '-1', '2.5', 'NaN', 'abc'))),
  fc.tuple(fc.constant('--slo'), fc.constantFrom(',,,', 'ttft:p99<=1e400ms', 'ttft:p99<=0ms', 'ttft:p200<=5ms', 'vibes:p99<=1s', 'ttft:p99<=200ms', 'itl:mean<=5ms,e2e:p50<=3s', '')),
  fc.tuple(
    fc.constant('--data'),
    fc.tuple(fc.constantFrom('0', '-5', '1', '512', '200000', 'NaN', '1e12', 'x'), fc.constantFrom('0', '-5', '1', '64', '1.5', 'NaN')).map(([p, o]) => `prompt_tokens=${p},output_tokens=${o}`),
  ),
  fc.tuple(fc.constant('--profile'), fc.constantFrom('synchronous', 'concurrent', 'throughput', 'constant', 'poisson', 'gamma', 'bogus')),
  fc.tuple(fc.constantFrom('--weights', '--kv-cache', '--engine', '--router', '--policy'), fc.constantFrom('fp8', 'fp7', 'bf16', 'vllm', 'sglang', 'round-robin', 'lifo', '')),
);

function finiteReport(stdout: string): string | undefined {
  const doc = JSON.parse(stdout) as { runs?: unknown[] };
  for (const run of doc.runs ?? [doc]) {
    const r = run as { latency?: Record<string, Record<string, unknown>>; throughput?: Record<string, unknown>; requests?: { counted?: number } };
    for (const [k, v] of Object.entries(r.throughput ?? {})) if (typeof v !== 'number' || !Number.isFinite(v)) return `throughput.${k} = ${String(v)}`;
    if ((r.requests?.counted ?? 0) === 0) continue;
    for (const [m, stats] of Object.entries(r.latency ?? {}))
      if (stats['count'] !== 0)
        for (const s of ['mean', 'p50', 'p99', 'median'])
        if (s in stats && (typeof stats[s] !== 'number' || !Number.isFinite(stats[s]))) return `latency.${m}.${s} = ${String(stats[s])}`;
  }
  return undefined;
}

describe('fuzz: CLI flags (in-process)', () => {
  it('every hostile combination of simulate flags exits 0 with finite figures, 1 with a reason, or 2 naming the flag', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(flag, { minLength: 1, maxLength: 4 }), async (flags) => {
        const args = ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--max-requests', '12', '--rate', '4', '--json', ...flags.flat()];
        const r = await runCli(args);
        const shown = `${args.join(' ')}\n→ exit ${r.code}: ${r.stderr.slice(0, 400)}`;
        expect(r.stderr, shown).not.toMatch(/internal error/);
        expect([0, 1, 2], shown).toContain(r.code);
        if (r.code === 0) expect(finiteReport(r.stdout), shown).toBeUndefined();
        else if (r.code === 2) expect(r.stderr, shown).toMatch(/--?[a-z][\w-]*|[a-z]\w*(\.\w+)*:|argument|Invalid values|choices/i);
        else expect(r.stderr.trim().length, shown).toBeGreaterThan(20);
      }),
      { numRuns: Number(process.env['FUZZ_RUNS'] ?? 60), seed: Number(process.env['FUZZ_SEED'] ?? 13), endOnFailure: true },
    );
  });
});

describe('fuzz: scenario files (in-process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const key = fc.constantFrom('rate', 'seed', 'max-requests', 'max_requests', 'slo', 'replicas', 'block-size', 'profile', 'json', 'rat', '', '?', 'scenario');
  const value = fc.oneof(fc.constantFrom('5', '-1', 'NaN', '[1, 2]', '{a: 1}', '~', '&a 3', '*a', '"x"', '!!binary AAAA', '[', '0x10', '1e400', 'true'), fc.string({ maxLength: 8 }));
  const yamlText = fc.array(fc.tuple(key, value).map(([k, v]) => `${k}: ${v}`), { maxLength: 4 }).map((lines) => lines.join('\n'));
  const content = fc.oneof(yamlText, fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b)));

  it('any scenario file gives a run, or an error naming the file or the option; never an internal error', async () => {
    const file = join(dir, 'scenario.yaml');
    await fc.assert(
      fc.asyncProperty(content, async (text) => {
        writeFileSync(file, text);
        const r = await runCli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--max-requests', '6', '--json', '--scenario', file]);
        const shown = `scenario ${JSON.stringify(typeof text === 'string' ? text : [...text])} → exit ${r.code}: ${r.stderr.slice(0, 300)}`;
        expect(r.stderr, shown).not.toMatch(/internal error/);
        expect([0, 1, 2], shown).toContain(r.code);
        if (r.code === 2) expect(r.stderr, shown).toMatch(/scenario\.yaml|--[a-z]|argument|Invalid values|needs/);
      }),
      { numRuns: Number(process.env['FUZZ_RUNS'] ?? 60), seed: Number(process.env['FUZZ_SEED'] ?? 13), endOnFailure: true },
    );
  });
});

describe('fuzz: profiles within the schema bounds (in-process)', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const model = readFileSync(join(root, 'models', 'llama-3.1-8b.yaml'), 'utf8').replace(/^id: .*$/m, 'id: fz');
  const hardware = readFileSync(join(root, 'hardware-profiles', 'h200-sxm.yaml'), 'utf8').replace(/^id: .*$/m, 'id: fzhw');
  const dir = mkdtempSync(join(tmpdir(), 'servesim-fuzz-profiles-'));
  mkdirSync(join(dir, 'models'));
  mkdirSync(join(dir, 'hardware-profiles'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const set = (text: string, field: string, value: string) => text.replace(new RegExp(`^(\\s*${field}): [^#\\n]*`, 'm'), `$1: ${value} `);
  const value = fc.constantFrom('1', '2', '3', '7', '0.01', '0.001', '1e5', '1e6', '1e9');
  const mutation = fc.oneof(
    fc.tuple(fc.constant('model'), fc.constantFrom('layers', 'hidden_size', 'intermediate_size', 'vocab_size', 'max_position_embeddings', 'num_heads', 'num_kv_heads', 'head_dim'), value),
    fc.tuple(fc.constant('hardware'), fc.constantFrom('capacity', 'bandwidth_tb_per_s', 'bf16', 'fp16', 'per_direction_gb_per_s', 'allreduce_latency_us', 'usable_mib', 'max_gpus'), value),
  );

  it('a mutated model or GPU profile gives finite figures, an infeasible setup, or an error naming the profile field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (muts) => {
        let m = model;
        let h = hardware;
        for (const [kind, field, v] of muts) if (kind === 'model') m = set(m, field, v);
        else h = set(h, field, v);
        writeFileSync(join(dir, 'models', 'fz.yaml'), m);
        writeFileSync(join(dir, 'hardware-profiles', 'fzhw.yaml'), h);
        const args = ['simulate', '--model', 'fz', '--hardware', 'fzhw', '--profiles', dir, '--rate', '3', '--max-requests', '8', '--json', '--data', 'prompt_tokens=64,output_tokens=8'];
        const r = await runCli(args);
        const shown = `${JSON.stringify(muts)} → exit ${r.code}: ${r.stderr.slice(0, 300)}`;
        expect(r.stderr, shown).not.toMatch(/internal error/);
        if (r.code === 0) expect(finiteReport(r.stdout), shown).toBeUndefined();
        else if (r.code === 2) expect(r.stderr, shown).toMatch(/fz(hw)?\.yaml:\d+:\d+ /);
        else expect(r.code, shown).toBe(1);
      }),
      { numRuns: Number(process.env['FUZZ_RUNS'] ?? 40), seed: Number(process.env['FUZZ_SEED'] ?? 13), endOnFailure: true },
    );
  });
});

const hostileNum = fc.constantFrom(0, -1, 0.5, 1, 2.5, 3, 17, 100, 4000, NaN, Infinity, -Infinity, 1e12, -0);
const tokenCount = fc.oneof(fc.integer({ min: 1, max: 3000 }), hostileNum);
const arrival = fc.oneof(
  fc.record({ kind: fc.constantFrom('poisson', 'constant'), ratePerS: fc.oneof(fc.double({ min: 0.1, max: 1000, noNaN: true }), hostileNum) }),
  fc.record({ kind: fc.constant('gamma'), ratePerS: hostileNum, burstiness: hostileNum }),
  fc.record({ kind: fc.constant('concurrent'), streams: hostileNum }),
  fc.record({ kind: fc.constant('throughput') }),
  fc.record({ kind: fc.constant('synchronous') }),
  fc.record({ kind: fc.constant('trace'), timesS: fc.array(fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), hostileNum), { maxLength: 5 }), timeScale: hostileNum }),
  fc.record({ kind: fc.constant('rate-curve'), points: fc.array(fc.record({ timeS: fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), hostileNum), ratePerS: hostileNum }), { maxLength: 4 }) }),
  fc.record({ kind: fc.constantFrom('bogus', ''), ratePerS: hostileNum }),
);
const lengths = fc.oneof(
  fc.record({ kind: fc.constant('fixed'), inputTokens: tokenCount, outputTokens: tokenCount }),
  fc.record({ kind: fc.constantFrom('empirical', 'sequence'), inputTokens: fc.array(tokenCount, { maxLength: 4 }), outputTokens: fc.array(tokenCount, { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('synthetic'), input: fc.record({ mean: tokenCount, stdev: hostileNum }), output: fc.record({ mean: tokenCount }) }),
  fc.record({ kind: fc.constant('zipf') }),
);
const slo = fc.array(fc.record({ metric: fc.constantFrom('ttft', 'itl', 'e2e', 'queue', 'vibes'), percentile: fc.oneof(fc.constantFrom(0.5, 0.99, 'mean', 'p99'), hostileNum), thresholdS: hostileNum }), { maxLength: 2 });

describe('fuzz: simulate() (library)', () => {
  const registry = lib.loadProfiles();
  const hardware = registry.getHardware('h200-sxm');
  const prepared = lib.prepareDeployment(registry.getModel('llama-3.1-8b'), hardware, {}, lib.chooseCalibration(hardware, 'vllm', lib.loadShippedCalibrations()));

  it('hostile configs give a finite result, an InfeasibleError with a reason, or an InputError naming the field', () => {
    fc.assert(
      fc.property(
        arrival,
        lengths,
        fc.option(slo, { nil: undefined }),
        fc.constantFrom(1, 2, 0, -1, 2.5, NaN),
        fc.constantFrom(1, 5, 20, 0, -3, 1.5, NaN),
        fc.constantFrom<unknown>(1, 'seed', NaN, undefined, {}),
        (arr, len, objectives, replicas, maxRequests, seed) => {
          const config = { deployment: prepared, workload: { arrival: arr, lengths: len, maxRequests }, seed, replicas, ...(objectives ? { slo: objectives } : {}) };
          let result: lib.SimulationResult | undefined;
          try {
            result = Reflect.apply(lib.simulate, undefined, [config]) as lib.SimulationResult;
          } catch (e) {
            const shown = `${JSON.stringify(config, (k, v: unknown) => (k === 'deployment' ? '(prepared)' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))} → ${String(e)}`;
            expect(e instanceof lib.InputError || e instanceof lib.InfeasibleError, shown).toBe(true);
            if (e instanceof lib.InputError) expect((e as Error).message, shown).toMatch(/(workload|replicas|seed|slo|deployment|router|policy)[\w.]*:|simulate\(config\)/);
            else expect((e as Error).message.length, shown).toBeGreaterThan(20);
            return;
          }
          expect(Number.isFinite(result.throughput.requestsPerS)).toBe(true);
          if (result.requests.counted > 0)
            for (const m of ['ttft', 'e2e', 'itl'] as const)
              // a metric with no samples (ITL of one-token outputs) has no value to report
              if (result.latencyS[m].count > 0) expect(Number.isFinite(result.latencyS[m].p99), `${m} p99`).toBe(true);
        },
      ),
      { numRuns: 5 * Number(process.env['FUZZ_RUNS'] ?? 60), seed: Number(process.env['FUZZ_SEED'] ?? 13), endOnFailure: true },
    );
  });
});
