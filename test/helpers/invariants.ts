import { expect } from 'vitest';
import type { SimulationResult } from '../../src/simulate.ts';

/**
 * Invariants every run must satisfy, whatever the policy: requests are conserved, each completed request
 * produced exactly its output tokens (every token after the first is one recorded inter-token gap), TTFT
 * never exceeds E2E, and the KV cache never goes over capacity. Needs recordRequests, no warm-up/cool-down.
 */
export function expectInvariants(r: SimulationResult): void {
  const q = r.requests;
  expect(q.completed + q.rejected + q.incomplete).toBe(q.issued);
  const p = r.perRequest!;
  expect(p).toBeDefined();
  expect(p.id.length).toBe(q.counted);
  // ids are unique
  expect(new Set(p.id).size).toBe(p.id.length);
  let outputTokens = 0;
  let gaps = 0;
  for (let i = 0; i < p.id.length; i++) {
    expect(p.ttftS[i]!).toBeLessThanOrEqual(p.e2eS[i]!);
    expect(p.queueS[i]!).toBeGreaterThanOrEqual(0);
    expect(p.queueS[i]!).toBeLessThanOrEqual(p.ttftS[i]! + 1e-12);
    outputTokens += p.outputTokens[i]!;
    gaps += p.outputTokens[i]! - 1;
  }
  // Σ output tokens served == Σ requested (throughput × window is the served count)
  expect(r.throughput.outputTokensPerS * r.durationS).toBeCloseTo(outputTokens, 6);
  if (q.incomplete === 0) {
    // every token after a request's first is one gap in the per-gap ITL histogram
    expect(r.latencyS.itl.count).toBe(gaps);
  }
  expect(r.engine.peakKvUtilization).toBeLessThanOrEqual(1);
  for (const pt of r.timeSeries) {
    expect(pt.kvUtilization).toBeGreaterThanOrEqual(0);
    expect(pt.kvUtilization).toBeLessThanOrEqual(1);
  }
}
