/**
 * Overload and runaway inputs (issue 13, "Hangs and unbounded memory"): a run far past capacity stops
 * early with a verdict, holds a bounded number of requests, and limits refuse runs that cannot finish.
 * Bounds are asserted on counts (requests issued, in the system, holding full state), never bytes or time.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CliContext } from '../../src/cli/context.ts';
import { InputError } from '../../src/diagnostics/errors.ts';
import { MAX_WINDOWS } from '../../src/metrics/saturation.ts';
import { MAX_SWEEP_SIZE, simulateGuidellmSweep } from '../../src/planning/guidellm-sweep.ts';
import { EARLY_STOP_MIN_ARRIVALS, LIMITS, simulate } from '../../src/simulate.ts';
import { WORKLOAD_PRESETS } from '../../src/workload/presets.ts';

const ctx = new CliContext();
const chat = WORKLOAD_PRESETS['chat']!;
const h200 = ctx.prepare({ model: 'llama-3.1-8b', hardware: 'h200-sxm' });
const maxNumSeqs = h200.deployment.engine.maxNumSeqs;
// an early stop is checked at every completed window of arrivals; a window holds at most this many
const STOP_BOUND = 2 * EARLY_STOP_MIN_ARRIVALS + 2 * Math.ceil(EARLY_STOP_MIN_ARRIVALS / MAX_WINDOWS);

describe('an overloaded run stops early with a verdict and bounded state', () => {
  it('--rate 1000000 --max-seconds 60 stops once the backlog is evident, and says so', () => {
    const r = simulate({ deployment: h200, seed: 1, workload: { arrival: { kind: 'poisson', ratePerS: 1e6 }, lengths: chat.lengths, maxSeconds: 60 } });
    expect(r.saturation.verdict).toBe('backlogged');
    expect(r.saturation.stoppedEarly?.reason).toMatch(/backlog evident at 99.9% confidence/);
    expect(r.warnings.some((w) => w.startsWith('stopped issuing requests early'))).toBe(true);
    expect(r.requests.issued).toBeLessThanOrEqual(STOP_BOUND);
    expect(r.requests.peakOutstanding).toBeLessThanOrEqual(STOP_BOUND);
    // full per-request state only for running sequences and one queue head per replica
    expect(r.requests.peakMaterialized).toBeLessThanOrEqual(maxNumSeqs + 1);
    // the issued requests still finish: the latencies describe every one of them
    expect(r.requests.completed).toBe(r.requests.issued);
  });
  it('a request-limited overload (1,000,000 requests, 4 replicas) stops early too', () => {
    const r = simulate({
      deployment: h200,
      seed: 2,
      replicas: 4,
      workload: { arrival: { kind: 'poisson', ratePerS: 5000 }, lengths: chat.lengths, maxRequests: 1_000_000 },
    });
    expect(r.saturation.verdict).toBe('backlogged');
    expect(r.saturation.stoppedEarly).toBeDefined();
    expect(r.requests.issued).toBeLessThanOrEqual(STOP_BOUND);
    expect(r.requests.peakMaterialized).toBeLessThanOrEqual(4 * (maxNumSeqs + 1));
  });
  it('without the early stop, waiting requests hold no per-request pool state', () => {
    const r = simulate({
      deployment: h200,
      seed: 3,
      stopWhenBacklogged: false,
      workload: { arrival: { kind: 'poisson', ratePerS: 1e5 }, lengths: chat.lengths, maxRequests: 20_000 },
    });
    expect(r.saturation.stoppedEarly).toBeUndefined();
    expect(r.requests.issued).toBe(20_000);
    expect(r.requests.peakOutstanding).toBeGreaterThan(19_000); // they all queued at once...
    expect(r.requests.peakMaterialized).toBeLessThanOrEqual(maxNumSeqs + 1); // ...but only the batch is materialised
    expect(r.saturation.verdict).toBe('backlogged');
  });
  it('a stable run is never stopped early', () => {
    const r = simulate({ deployment: h200, seed: 4, workload: { arrival: { kind: 'poisson', ratePerS: 10 }, lengths: chat.lengths, maxRequests: 5000 } });
    expect(r.saturation.stoppedEarly).toBeUndefined();
    expect(r.requests.issued).toBe(5000);
    expect(r.saturation.verdict).toBe('stable');
  });
});

describe('limits: runs that could not finish are refused with the flag, the limit and why', () => {
  const wl = { arrival: { kind: 'poisson' as const, ratePerS: 5 }, lengths: chat.lengths };
  const message = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error('expected an InputError');
  };
  it('max requests above the limit', () => {
    const m = message(() => simulate({ deployment: h200, seed: 1, workload: { ...wl, maxRequests: 1e12 } }));
    expect(m).toContain('--max-requests');
    expect(m).toContain(String(LIMITS.maxRequests));
    expect(m).toContain('every request is simulated');
  });
  it('replicas above the limit', () => {
    const m = message(() => simulate({ deployment: h200, seed: 1, replicas: 1e9, workload: { ...wl, maxRequests: 10 } }));
    expect(m).toContain('--replicas');
    expect(m).toContain(String(LIMITS.replicas));
  });
  it('a sweep above the limit', () => {
    const m = message(() => simulateGuidellmSweep({ deployment: h200, seed: 1 }, { lengths: chat.lengths, maxRequests: 10 }, 1e9));
    expect(m).toContain('--sweep-size');
    expect(m).toContain(String(MAX_SWEEP_SIZE));
  });
  it('the CLI exits 2 naming the flag', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const cli = (args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), ...args], { cwd: root, env: { ...process.env, CI: 'true' } }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      );
    const base = ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--rate', '5'];
    const results = await Promise.all([
      cli([...base, '--max-requests', '1e12']),
      cli([...base, '--replicas', '1e9']),
      cli(['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--profile', 'sweep', '--sweep-size', '1e9']),
    ]);
    expect(results.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(results[0]!.stderr).toContain('--max-requests');
    expect(results[1]!.stderr).toContain('--replicas');
    expect(results[2]!.stderr).toContain('--sweep-size');
  }, 60_000);
});

describe('the early stop only judges steady rates', () => {
  it('a rate curve with an overloaded peak runs whole (it may recover)', () => {
    const r = simulate({
      deployment: h200,
      seed: 5,
      workload: {
        arrival: { kind: 'rate-curve', repeat: false, points: [{ timeS: 0, ratePerS: 5 }, { timeS: 20, ratePerS: 400 }, { timeS: 40, ratePerS: 5 }, { timeS: 120, ratePerS: 5 }] },
        lengths: chat.lengths,
        maxSeconds: 120,
      },
    });
    expect(r.saturation.stoppedEarly).toBeUndefined();
    expect(r.requests.issued).toBeGreaterThan(EARLY_STOP_MIN_ARRIVALS);
    expect(r.requests.incomplete).toBe(0);
  });
});
