import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WORKLOAD_OPTIONS } from '../../src/cli/workload-options.ts';
import { checkExternalValues } from '../../src/cli/scenario.ts';
import { InputError } from '../../src/diagnostics/errors.ts';
import { parseWorkloadFlags, WORKLOAD_FLAG_NAMES, WorkloadFlagsSchema } from '../../src/planning/workload-flag-schema.ts';
import { resolveWorkloads } from '../../src/planning/workload-flags.ts';
import { runCli } from '../helpers/cli.ts';

describe('the workload flag schema is the one parser', () => {
  it('generates one CLI option per schema field, numbers as numbers and time quantities as text', () => {
    expect(Object.keys(WORKLOAD_OPTIONS)).toEqual(Object.keys(WorkloadFlagsSchema.shape));
    expect(WORKLOAD_FLAG_NAMES).toContain('max-seconds');
    expect(WORKLOAD_OPTIONS['rate']).toMatchObject({ type: 'number', array: true });
    expect(WORKLOAD_OPTIONS['max-seconds']).toMatchObject({ type: 'string' });
    expect(WORKLOAD_OPTIONS['time-scale']).toMatchObject({ type: 'number' });
    expect(WORKLOAD_OPTIONS['profile']?.choices).toContain('rate-curve');
  });

  it('reads --max-seconds with a unit, and a plain number as seconds', () => {
    expect(parseWorkloadFlags({ 'max-seconds': '200ms' })['max-seconds']).toBe(0.2);
    expect(parseWorkloadFlags({ 'max-seconds': '0.2 s' })['max-seconds']).toBe(0.2);
    expect(parseWorkloadFlags({ 'max-seconds': '10min' })['max-seconds']).toBe(600);
    expect(parseWorkloadFlags({ 'max-seconds': 90 })['max-seconds']).toBe(90);
    expect(parseWorkloadFlags({ 'max-seconds': '90' })['max-seconds']).toBe(90);
    expect(() => parseWorkloadFlags({ 'max-seconds': '3 GB' })).toThrow(/--max-seconds: expected a duration such as 200ms or 0.2 s, found "3 GB"/);
    expect(() => parseWorkloadFlags({ 'max-seconds': '-2s' })).toThrow(/--max-seconds: expected > 0/);
  });

  it('reads sweep-grid strings as the numbers they spell, and ignores non-workload keys', () => {
    const f = parseWorkloadFlags({ 'max-requests': '120', warmup: '0.1', rate: ['2', 8], tp: 4, model: 'x' });
    expect(f).toEqual({ 'max-requests': 120, warmup: 0.1, rate: [2, 8] });
  });

  it('names the flag and the value for every bad input, with the bounds simulate() uses', () => {
    expect(() => parseWorkloadFlags({ rate: [3, -1] })).toThrow(/--rate \(value 2\): expected > 0, found -1/);
    expect(() => parseWorkloadFlags({ 'max-requests': 0 })).toThrow(/--max-requests: expected >= 1, found 0/);
    expect(() => parseWorkloadFlags({ 'max-requests': 2.5 })).toThrow(/--max-requests: expected a whole number/);
    expect(() => parseWorkloadFlags({ warmup: 1 })).toThrow(/--warmup: expected < 1, found 1/);
    expect(() => parseWorkloadFlags({ profile: 'poison' })).toThrow(/--profile: expected one of .*"poisson"/);
    expect(() => parseWorkloadFlags({ seed: ' ' })).toThrow(/--seed: is empty/);
  });

  it('property: any positive rate list resolves to one run per rate, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 5 }), (rates) => {
        const wl = resolveWorkloads({ rate: rates, 'max-requests': 10 });
        expect(wl.runs.map((r) => ('ratePerS' in r.arrival ? r.arrival.ratePerS : NaN))).toEqual(rates);
      }),
      { numRuns: 30 },
    );
  });
});

describe('scenario and environment values are checked against the schemas, naming their source', () => {
  it('collects every bad workload and deployment value with the file key it came from', () => {
    const sources = new Map([
      ['rate', 'a.yaml (scenario file): key "rate"'],
      ['max-seconds', 'a.yaml (scenario file): key "max-seconds"'],
      ['block-size', 'environment variable SERVESIM_BLOCK_SIZE'],
      ['json', 'a.yaml (scenario file): key "json"'],
    ]);
    const values = { rate: -5, 'max-seconds': '3 GB', 'block-size': '0', json: true };
    let message = '';
    try {
      checkExternalValues({ values, sources });
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      message = e instanceof Error ? e.message : '';
    }
    expect(message.split('\n')).toEqual([
      'a.yaml (scenario file): key "rate": --rate (value 1): expected > 0, found -5',
      'a.yaml (scenario file): key "max-seconds": --max-seconds: expected a duration such as 200ms or 0.2 s, found "3 GB"',
      'environment variable SERVESIM_BLOCK_SIZE: --block-size: expected >= 1, found 0',
    ]);
  });

  it('runs a scenario file whose time limit has a unit (as many seconds as the flag would say)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'servesim-wl-'));
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, 'rate: 50\nmax-seconds: 500ms\n');
    const withUnit = await runCli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--scenario', file, '--json']);
    const plain = await runCli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h100-sxm', '--rate', '50', '--max-seconds', '0.5', '--json']);
    expect(withUnit.code).toBe(0);
    expect(withUnit.stdout).toBe(plain.stdout);
    expect(withUnit.stdout).toContain('"maxSeconds": 0.5');
  });
});
