import type { MeasuredBenchmark } from './types.ts';

/**
 * Benchmark clients replay the same prompts at every load of a sweep: `vllm bench serve` and the legacy
 * benchmark_serving.py sample their dataset with a fixed seed (0), so runs of one dataset and prompt count
 * send identical prompts in identical order. An engine whose prefix cache is on (vLLM V1 and SGLang by
 * default) then finds every prompt of a later run already cached, and its TTFT no longer grows with the
 * prompt. The vLLM bench examples in ../shared/examples/vllm-bench show it: the first run's TTFT grows
 * 0.115 ms per prompt token (correlation 0.93), the three later runs' does not (slopes ≤ 0.009 ms,
 * correlations ≤ 0.14), and the rate-inf run's 200 prompts (42,659 tokens) all see a first token within
 * 452 ms, under a fifth of what 8×A100 need to prefill them.
 *
 * The evidence used here is what a result file states: the same per-request input lengths, in the same
 * order, over at least MIN_REQUESTS requests (a coincidence is then out of the question), the same model
 * and parallelism, and at most MAX_GAP_S between one run's end and the next one's start (one server
 * session; a restart between runs cannot be seen and would empty the cache). Each later run of such a
 * chain names the chain's first run.
 */
export function markRepeatedPrompts(benchmarks: readonly MeasuredBenchmark[]): MeasuredBenchmark[] {
  const chains = new Map<string, { index: number; savedAtS: number; startedAtS: number }[]>();
  benchmarks.forEach((b, index) => {
    const key = promptSetKey(b);
    const savedAtS = b.source.savedAt !== undefined ? Date.parse(`${b.source.savedAt}Z`) / 1000 : NaN;
    if (key === undefined || !Number.isFinite(savedAtS)) return;
    const runs = chains.get(key) ?? [];
    runs.push({ index, savedAtS, startedAtS: savedAtS - (b.workload.durationS ?? 0) });
    chains.set(key, runs);
  });
  const firstOf = new Map<number, string>();
  for (const runs of chains.values()) {
    runs.sort((a, b) => a.savedAtS - b.savedAtS || a.index - b.index);
    let first = runs[0]!;
    for (let k = 1; k < runs.length; k++) {
      const run = runs[k]!;
      // idle time between the earlier run's end and this one's start (a result is saved when its run ends)
      if (run.startedAtS - runs[k - 1]!.savedAtS > MAX_GAP_S) first = run;
      else firstOf.set(run.index, benchmarks[first.index]!.id);
    }
  }
  return benchmarks.map((b, index) => {
    const earlier = firstOf.get(index);
    return earlier === undefined ? b : { ...b, workload: { ...b.workload, repeatsPromptsOf: earlier } };
  });
}

/** Fewest requests whose identical length sequence is taken as the same prompts. */
export const MIN_REQUESTS = 16;
/** Longest idle gap between two runs still read as one server session (runs of a sweep follow each other). */
export const MAX_GAP_S = 3600;

function promptSetKey(b: MeasuredBenchmark): string | undefined {
  const l = b.workload.lengths;
  if (l?.kind !== 'per-request' || l.inputTokens.length < MIN_REQUESTS) return undefined;
  const d = b.deployment;
  return JSON.stringify([d.modelId ?? d.modelRaw ?? '', d.hardwareId ?? d.hardwareRaw ?? '', d.tp ?? 0, d.pp ?? 0, d.engine ?? '', l.inputTokens]);
}
