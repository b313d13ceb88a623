/**
 * Benchmark scenarios (issue 8): the servesim configurations and, where it can express them, the
 * equivalent @doublewordai/inference-lab configurations. Bench-only code: nothing in src/ imports this.
 */
import { prepareDeployment, type PreparedDeployment } from '../src/cost/prepare.ts';
import type { DeploymentChoice } from '../src/cost/deployment.ts';
import { chooseCalibration } from '../src/calibration/choose.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import { simulate, type SimulationConfig } from '../src/simulate.ts';
import type { ArrivalSpec } from '../src/workload/arrivals.ts';
import type { LengthDistribution } from '../src/workload/lengths.ts';

export type ScenarioId = '1a' | '1b' | '2' | '3';

export interface DeploymentSpec {
  readonly model: string;
  readonly hardware: string;
  readonly tp: number;
}

/** Everything a child process needs to rebuild a scenario (JSON-serialisable). */
export interface ScenarioSpec {
  readonly id: ScenarioId;
  readonly title: string;
  readonly deployment: DeploymentSpec;
  readonly replicas: number;
  readonly lengths: LengthDistribution;
  readonly arrival: ArrivalSpec;
  readonly maxRequests?: number;
  readonly maxSeconds?: number;
  /** servesim saturation (requests/s per replica) the rate was derived from */
  readonly saturationPerS: number;
  readonly loadFraction: number;
  /** inference-lab cannot express this scenario: the reason */
  readonly inferenceLabUnsupported?: string;
}

const SHAREGPT_LIKE: LengthDistribution = {
  kind: 'lognormal',
  input: { mean: 220, stdev: 250, min: 4, max: 4096 },
  output: { mean: 200, stdev: 200, min: 4, max: 4096 },
};

const cache = new Map<string, PreparedDeployment>();
let registry: ReturnType<typeof loadProfiles> | undefined;

export function prepare(spec: DeploymentSpec): PreparedDeployment {
  const key = `${spec.model}/${spec.hardware}/tp${spec.tp}`;
  const hit = cache.get(key);
  if (hit) return hit;
  registry ??= loadProfiles();
  const model = registry.getModel(spec.model);
  const hw = registry.getHardware(spec.hardware);
  const calibration = chooseCalibration(hw, 'vllm', []);
  const choice: DeploymentChoice = { tp: spec.tp };
  const prepared = prepareDeployment(model, hw, choice, calibration);
  cache.set(key, prepared);
  return prepared;
}

/** Saturation throughput of one replica: a closed-loop 'throughput' run (everything at once). */
export function saturation(spec: DeploymentSpec, lengths: LengthDistribution, requests = 3000): number {
  const r = simulate({
    deployment: prepare(spec),
    workload: { arrival: { kind: 'throughput' }, lengths, maxRequests: requests, warmupFraction: 0.1, cooldownFraction: 0.1 },
    seed: 1,
  });
  return r.throughput.requestsPerS;
}

export function servesimConfig(s: ScenarioSpec): SimulationConfig {
  return {
    deployment: prepare(s.deployment),
    workload: {
      arrival: s.arrival,
      lengths: s.lengths,
      ...(s.maxRequests !== undefined ? { maxRequests: s.maxRequests } : {}),
      ...(s.maxSeconds !== undefined ? { maxSeconds: s.maxSeconds } : {}),
    },
    seed: 42,
    replicas: s.replicas,
    router: 'least-outstanding',
  };
}

/** Build the scenario list. `quick` shrinks every size by ~20x for smoke runs. */
export function buildScenarios(quick: boolean): ScenarioSpec[] {
  const d8: DeploymentSpec = { model: 'llama-3.1-8b', hardware: 'h100-sxm', tp: 1 };
  const d70: DeploymentSpec = { model: 'llama-3.1-70b', hardware: 'h200-sxm', tp: 4 };
  const fixed512: LengthDistribution = { kind: 'fixed', inputTokens: 512, outputTokens: 256 };

  const sat1 = saturation(d8, fixed512);
  const sat2 = saturation(d70, SHAREGPT_LIKE);
  const q = (n: number) => (quick ? Math.max(500, Math.round(n / 20)) : n);

  // diurnal sinusoid 600..1400 req/s over one hour (mean 1000), 25 piecewise-linear points
  const hourS = quick ? 180 : 3600;
  const points: { timeS: number; ratePerS: number }[] = [];
  for (let i = 0; i <= 24; i++) {
    const t = (i / 24) * hourS;
    points.push({ timeS: t, ratePerS: 1000 - 400 * Math.cos((2 * Math.PI * t) / hourS) });
  }

  return [
    {
      id: '1a',
      title: 'Llama 3.1 8B, 1x H100 SXM, 512/256 fixed, Poisson 80% sat, 10k req',
      deployment: d8,
      replicas: 1,
      lengths: fixed512,
      arrival: { kind: 'poisson', ratePerS: 0.8 * sat1 },
      maxRequests: q(10_000),
      saturationPerS: sat1,
      loadFraction: 0.8,
    },
    {
      id: '1b',
      title: 'Llama 3.1 8B, 1x H100 SXM, 512/256 fixed, Poisson 80% sat, 100k req',
      deployment: d8,
      replicas: 1,
      lengths: fixed512,
      arrival: { kind: 'poisson', ratePerS: 0.8 * sat1 },
      maxRequests: q(100_000),
      saturationPerS: sat1,
      loadFraction: 0.8,
    },
    {
      id: '2',
      title: 'Llama 3.1 70B TP4, H200 SXM, ShareGPT-like lognormal, Poisson 90% sat, 20k req',
      deployment: d70,
      replicas: 1,
      lengths: SHAREGPT_LIKE,
      arrival: { kind: 'poisson', ratePerS: 0.9 * sat2 },
      maxRequests: q(20_000),
      saturationPerS: sat2,
      loadFraction: 0.9,
    },
    {
      id: '3',
      title: `Fleet: 64x Llama 3.1 8B on H100 SXM, 512/256 fixed, least-outstanding, diurnal 600-1400 req/s, ${hourS} s`,
      deployment: d8,
      replicas: 64,
      // 512/256 rather than 256/128: 64 replicas then run at ~62% of saturation on average, ~86% at the peak
      lengths: fixed512,
      arrival: { kind: 'rate-curve', points, repeat: false },
      maxSeconds: hourS,
      saturationPerS: sat1,
      loadFraction: 1000 / (64 * sat1),
      inferenceLabUnsupported:
        'inference-lab 0.2.1 (npm) simulates one engine: no replicas, no router, and only poisson/gamma/closed-loop arrivals (no time-varying rate curve)',
    },
  ];
}

// ---------------------------------------------------------------------------------------------------
// inference-lab equivalents

/** inference-lab's lognormal takes the underlying normal's mu/sigma (log space), not the token mean/stdev. */
function logSpace(mean: number, stdev: number): { mean: number; std_dev: number } {
  const sigma2 = Math.log(1 + (stdev * stdev) / (mean * mean));
  return { mean: Math.log(mean) - sigma2 / 2, std_dev: Math.sqrt(sigma2) };
}

function ilLengths(d: LengthDistribution): { input: object; output: object } {
  switch (d.kind) {
    case 'fixed':
      return { input: { type: 'fixed', value: d.inputTokens }, output: { type: 'fixed', value: d.outputTokens } };
    case 'lognormal':
      return {
        input: { type: 'lognormal', ...logSpace(d.input.mean, d.input.stdev) },
        output: { type: 'lognormal', ...logSpace(d.output.mean, d.output.stdev) },
      };
    default:
      throw new Error(`no inference-lab equivalent for ${d.kind} lengths`);
  }
}

/**
 * The inference-lab config for a scenario, from the same profile numbers servesim uses. TP is not
 * modelled by inference-lab, so a TP-N replica is one "GPU" with N x FLOPS, bandwidth and memory and no
 * all-reduce cost.
 */
export function inferenceLabConfig(s: ScenarioSpec): object {
  const p = prepare(s.deployment);
  const d = p.deployment;
  const hw = d.hardware;
  const m = d.model;
  const tp = d.tp;
  const bf16 = hw.peakFlopsPerS.bf16 ?? hw.peakFlopsPerS.fp16 ?? 0;
  if (s.arrival.kind !== 'poisson') throw new Error('only Poisson arrivals are mapped');
  const lens = ilLengths(s.lengths);
  return {
    hardware: {
      name: `${hw.id} x${tp}`,
      compute_flops: bf16 * tp,
      memory_bandwidth: hw.memoryBandwidthBytesPerS * tp,
      memory_capacity: hw.memoryBytes * tp,
      gpu_memory_utilization: d.engine.gpuMemoryUtilization,
      bytes_per_param: 2,
    },
    model: {
      name: m.id,
      // bf16 weights: 2 bytes per parameter, summed over the TP group
      num_parameters: Math.round((p.memory.weightBytesPerGpu * tp) / 2),
      num_layers: m.layers,
      hidden_dim: m.hiddenSize,
      num_heads: m.attention.numHeads,
      num_kv_heads: m.attention.numKvHeads,
      max_seq_len: d.engine.maxModelLen,
    },
    scheduler: {
      max_num_batched_tokens: d.engine.maxNumBatchedTokens,
      max_num_seqs: d.engine.maxNumSeqs,
      policy: 'fcfs',
      enable_chunked_prefill: d.engine.chunkedPrefill,
      block_size: d.engine.blockSize,
    },
    workload: {
      arrival_pattern: 'poisson',
      arrival_rate: s.arrival.ratePerS,
      input_len_dist: lens.input,
      output_len_dist: lens.output,
      num_requests: s.maxRequests,
      seed: 42,
    },
    simulation: { log_interval: 1_000_000_000 },
  };
}
