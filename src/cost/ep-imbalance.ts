/**
 * Expert-parallel load imbalance: under EP each GPU holds E/ep experts and a MoE layer's step waits for the
 * busiest GPU (its output is combined by a collective before the next layer can start). The roofline's
 * averages — touched experts / ep, routed tokens / ep — describe a perfectly even GPU that does not exist.
 *
 * With T tokens each routed to k distinct experts uniformly at random, an expert is hit with probability
 * p = 1 − (1 − k/E)^T; a GPU's touched experts are a sum of E/ep such indicators and its routed tokens are
 * Binomial(T·k, 1/ep). The busiest GPU's expected share is approximated by mean + c(ep)·sd, where c(n) is
 * the expected maximum of n standard normals, and capped at what the GPU can hold. Against a Monte Carlo of
 * uniform routing (test/cost/ep-imbalance.test.ts) the busiest GPU's experts — the weights a decode step
 * reads, what matters — come within 7%; its routings run up to 12% low at a handful of tokens (3 tokens,
 * top-1, 2 GPUs), where the normal approximation of a small binomial is poor, and within 5% from 10 on.
 *
 * Real routers are skewed, not uniform: popular experts are why DeepSeek built EPLB ("it is important to keep
 * the load of different GPUs balanced", github.com/deepseek-ai/EPLB README; SGLang's EPLB doc: "some GPUs can
 * become bottlenecks, forcing the entire system to wait"). This is therefore the least imbalance EP pays;
 * it matters at small decode batches (a few experts per GPU) and vanishes for large prefills.
 */

/** E[max of n iid standard normals] for n = 2^i, i = 0..8: ∫ x·n·φ(x)·Φ(x)^(n−1) dx by quadrature (the test re-derives them). */
const EXPECTED_MAX_POW2 = [0, 0.56419, 1.02938, 1.4236, 1.76599, 2.06967, 2.34373, 2.5946, 2.82686] as const;

/** c(n): the expected maximum of n standard normals; log2-interpolated between powers of two, flat past 256. */
export function expectedMaxOfNormals(n: number): number {
  if (!(n > 1)) return 0;
  const x = Math.min(Math.log2(n), EXPECTED_MAX_POW2.length - 1);
  const i = Math.floor(x);
  const lo = EXPECTED_MAX_POW2[i]!;
  const hi = EXPECTED_MAX_POW2[Math.min(i + 1, EXPECTED_MAX_POW2.length - 1)]!;
  return lo + (hi - lo) * (x - i);
}

/**
 * Experts the busiest of `ep` GPUs reads weights for, given `touched` experts hit of `numExperts` in all
 * (touched = E·p). `maxZ` is expectedMaxOfNormals(ep), folded once per deployment.
 */
export function busiestGpuExperts(touched: number, numExperts: number, ep: number, maxZ: number): number {
  const perGpu = numExperts / ep;
  const p = touched / numExperts;
  return Math.min(perGpu, touched / ep + maxZ * Math.sqrt(perGpu * p * (1 - p)));
}

/** Token–expert routings the busiest of `ep` GPUs computes, of T·k in all (each token at most once per local expert). */
export function busiestGpuRoutings(tokens: number, topK: number, numExperts: number, ep: number, maxZ: number): number {
  const routed = tokens * topK;
  const share = 1 / ep;
  return Math.min(tokens * Math.min(numExperts / ep, topK), routed * share + maxZ * Math.sqrt(routed * share * (1 - share)));
}
