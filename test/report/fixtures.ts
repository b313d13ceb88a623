/**
 * A small fixed dataset for the chart goldens and sample renders. Only + − × ÷ and rounding are used
 * (no Math.exp/log/pow), so the numbers are bit-identical on every platform.
 */
import {
  cdfPoints,
  type CalibrationPoint,
  type CandidateRow,
  type CdfPoint,
  type PrefixCachePoint,
  type RatePoint,
  type RooflineCeiling,
  type SloLine,
  type StepBreakdownRow,
  type TimeSeriesPoint,
} from '../../src/report/chart-data.ts';

const r1 = (x: number): number => Math.round(x * 10) / 10;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Two deployments; queueing-style latency growth 1/(1−ρ) up to and past capacity. */
function sweep(series: string, capacity: number, prefillMs: number, itlMs: number, rates: number[]): RatePoint[] {
  return rates.map((rate) => {
    const rho = rate / capacity;
    const saturated = rho >= 1;
    const q = saturated ? 25 + 10 * (rho - 1) * 10 : 1 / (1 - rho); // past capacity: latency of a growing queue
    const achieved = saturated ? capacity : rate;
    const ttftP50 = prefillMs * (0.6 + 0.4 * q);
    const ttftP99 = prefillMs * (1.8 + 1.6 * q);
    const itlP50 = itlMs * (1 + 0.6 * rho);
    const itlP99 = itlMs * (1.4 + 1.3 * rho);
    // TPOT averages each request's gaps, so its tail is much narrower than ITL's
    const tpotP50 = itlMs * (1 + 0.55 * rho);
    const tpotP99 = itlMs * (1.15 + 0.8 * rho);
    const attainment = saturated ? 0.2 / rho : 1 - 0.05 * rho * rho * rho * rho;
    return {
      series,
      requestRatePerS: rate,
      ttftP50Ms: r1(ttftP50),
      ttftP99Ms: r1(ttftP99),
      itlP50Ms: r1(itlP50),
      itlP99Ms: r1(itlP99),
      tpotP50Ms: r1(tpotP50),
      tpotP99Ms: r1(tpotP99),
      e2eP50Ms: r1(ttftP50 + 255 * itlP50),
      e2eP99Ms: r1(ttftP99 + 255 * itlP99),
      outputTokensPerS: r1(achieved * 256),
      requestsPerS: r3(achieved),
      goodputPerS: r3(achieved * attainment),
      sloAttainment: r3(attainment),
      saturated,
    };
  });
}

export const ratePoints: RatePoint[] = [
  ...sweep('Llama-3.1-8B · 1×H100 SXM', 11, 42, 9.5, [1, 2, 4, 6, 8, 9, 10, 11, 12]),
  ...sweep('Llama-3.1-8B · 2×L40S TP2', 6.5, 88, 16, [1, 2, 3, 4, 5, 5.5, 6, 7, 8]),
];

export const slo: SloLine[] = [
  { metric: 'ttft', percentile: 'p99', thresholdMs: 500 },
  { metric: 'itl', percentile: 'p99', thresholdMs: 40 },
];

/** Deterministic uniform numbers in (0, 1): Park–Miller minimal standard (products stay below 2^53, exact). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

/** Bell-shaped body (mean of three uniforms) with a right tail (the 8th power of a fourth uniform). */
function samples(seed: number, n: number, medianMs: number, tail: number): number[] {
  const u = lcg(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const body = (u() + u() + u()) / 3; // 0..1, mean 0.5
    const t = u();
    const t8 = t * t * t * t * t * t * t * t;
    out.push(r1(medianMs * (0.55 + 0.9 * body) * (1 + tail * 12 * t8)));
  }
  return out;
}

export const cdf: CdfPoint[] = [
  ...cdfPoints({ series: 'Llama-3.1-8B · 1×H100 SXM', metric: 'ttft', valuesMs: samples(7, 400, 60, 0.15) }, 60),
  ...cdfPoints({ series: 'Llama-3.1-8B · 2×L40S TP2', metric: 'ttft', valuesMs: samples(11, 400, 130, 0.25) }, 60),
  ...cdfPoints({ series: 'Llama-3.1-8B · 1×H100 SXM', metric: 'itl', valuesMs: samples(13, 400, 11, 0.05) }, 60),
  ...cdfPoints({ series: 'Llama-3.1-8B · 2×L40S TP2', metric: 'itl', valuesMs: samples(17, 400, 19, 0.08) }, 60),
];

export const candidates: CandidateRow[] = [
  {
    label: 'H100 SXM ×1 (TP1)',
    replicas: 4,
    gpus: 4,
    usdPerHour: 4 * 3.9,
    usdPerMillionOutputTokens: 0.53,
    ttftP99Ms: 310,
    itlP99Ms: 21,
    meetsSlo: true,
    winners: ['usdPerMillionOutputTokens', 'gpus'],
  },
  {
    label: 'H100 SXM ×2 (TP2)',
    replicas: 3,
    gpus: 6,
    usdPerHour: 6 * 3.9,
    usdPerMillionOutputTokens: 0.79,
    ttftP99Ms: 180,
    itlP99Ms: 13,
    meetsSlo: true,
    winners: ['ttftP99Ms', 'itlP99Ms'],
  },
  {
    label: 'L40S ×2 (TP2)',
    replicas: 6,
    gpus: 12,
    usdPerHour: 12 * 1.1,
    usdPerMillionOutputTokens: 0.61,
    ttftP99Ms: 460,
    itlP99Ms: 34,
    meetsSlo: true,
    winners: ['usdPerHour'],
  },
  {
    label: 'A100 80GB ×1 (TP1)',
    replicas: 7,
    gpus: 7,
    usdPerHour: 7 * 1.8,
    usdPerMillionOutputTokens: 0.66,
    ttftP99Ms: 640,
    itlP99Ms: 29,
    meetsSlo: false,
    winners: [],
  },
];

function op(
  step: string,
  operator: string,
  timeMs: number,
  stepMs: number,
  bound: StepBreakdownRow['bound'],
  flops: number,
  bytes: number,
): StepBreakdownRow {
  return {
    step,
    operator,
    timeMs,
    share: r3(timeMs / stepMs),
    bound,
    flops,
    bytes,
    arithmeticIntensity: bytes > 0 ? r1(flops / bytes) : 0,
  };
}

const DECODE = 'decode, batch 64';
const DECODE_MS = 12.4;
const PREFILL = 'prefill, 8k tokens';
const PREFILL_MS = 120;
export const stepBreakdown: StepBreakdownRow[] = [
  op(DECODE, 'QKV projection', 1.6, DECODE_MS, 'memory', 0.16e12, 2.6e9),
  op(DECODE, 'attention (paged KV)', 3.1, DECODE_MS, 'memory', 0.05e12, 10.2e9),
  op(DECODE, 'output projection', 1.1, DECODE_MS, 'memory', 0.11e12, 1.75e9),
  op(DECODE, 'MLP gate+up', 3.2, DECODE_MS, 'memory', 0.59e12, 5.3e9),
  op(DECODE, 'MLP down', 1.7, DECODE_MS, 'memory', 0.3e12, 2.7e9),
  op(DECODE, 'LM head', 0.7, DECODE_MS, 'memory', 0.07e12, 1.05e9),
  op(DECODE, 'norms, RoPE, sampling', 0.5, DECODE_MS, 'overhead', 0, 0.2e9),
  op(DECODE, 'kernel launch gaps', 0.5, DECODE_MS, 'overhead', 0, 0),
  op(PREFILL, 'QKV projection', 17, PREFILL_MS, 'compute', 10.3e12, 2.7e9),
  op(PREFILL, 'attention (flash)', 29, PREFILL_MS, 'compute', 17.2e12, 1.1e9),
  op(PREFILL, 'output projection', 11, PREFILL_MS, 'compute', 6.9e12, 2.1e9),
  op(PREFILL, 'MLP gate+up', 38, PREFILL_MS, 'compute', 24e12, 6.2e9),
  op(PREFILL, 'MLP down', 19, PREFILL_MS, 'compute', 12e12, 3.4e9),
  op(PREFILL, 'LM head', 1.5, PREFILL_MS, 'memory', 0.13e12, 1.3e9),
  op(PREFILL, 'all-reduce (TP2)', 3.5, PREFILL_MS, 'communication', 0, 0.5e9),
  op(PREFILL, 'norms, RoPE, sampling', 1, PREFILL_MS, 'overhead', 0, 0.4e9),
];

export const roofline: RooflineCeiling = {
  gpu: 'H100 SXM, BF16 dense',
  peakTflopsPerS: 989,
  memoryBandwidthTBPerS: 3.35,
};

export const timeSeries: TimeSeriesPoint[] = (() => {
  const out: TimeSeriesPoint[] = [];
  const u = lcg(23);
  let queue = 0;
  let batch = 0;
  for (let i = 0; i <= 120; i++) {
    const t = i * 0.5;
    const load = t < 20 ? t / 20 : t < 40 ? 1.15 : 0.8; // ramp, overload burst, recovery
    const target = 64 * load;
    batch = Math.min(64, Math.round(batch + (target - batch) * 0.3 + (u() - 0.5) * 4));
    if (batch < 0) batch = 0;
    queue = Math.max(0, Math.round(queue + (target - 64) * 0.4 + (u() - 0.5) * 2));
    out.push({ timeS: t, kvUtilization: r3(Math.min(0.98, (batch / 64) * 0.93)), batchSize: batch, queueLength: queue });
  }
  return out;
})();

/** multi-turn sessions warming a prefix cache: the hit rate climbs as conversations grow, prompts grow too */
export const prefixCache: PrefixCachePoint[] = (() => {
  const out: PrefixCachePoint[] = [];
  for (let i = 1; i <= 60; i++) {
    const t = i * 0.5;
    const hitRate = r3(i < 10 ? i * 0.07 : 0.7 + ((i % 7) - 3) * 0.01);
    out.push({ timeS: t, hitRate, promptTokens: 2000 + i * 40 });
  }
  return out;
})();

export const calibration: CalibrationPoint[] = (() => {
  const out: CalibrationPoint[] = [];
  const u = lcg(31);
  const scen = ['8B·H100·chat', '8B·H100·RAG', '70B·4×H100·chat', '70B·4×H100·RAG', '8B·L40S·chat', '8B·A100·code'];
  let k = 0;
  for (const s of scen) {
    for (const rate of [2, 6, 10]) {
      const split: 'fit' | 'check' = k % 3 === 2 ? 'check' : 'fit';
      k++;
      const ttft = 40 + 9 * rate * (1 + (k % 4));
      const itl = 8 + 1.5 * rate + (k % 5);
      const tput = 180 * rate * (1 + (k % 3) * 0.2);
      const e = (): number => 1 + (u() - 0.5) * (split === 'fit' ? 0.16 : 0.34);
      out.push({ metric: 'TTFT p50', label: `${s} @ ${rate} req/s`, measured: r1(ttft), predicted: r1(ttft * e()), unit: 'ms', split });
      out.push({ metric: 'ITL p50', label: `${s} @ ${rate} req/s`, measured: r1(itl), predicted: r1(itl * e()), unit: 'ms', split });
      out.push({
        metric: 'Output throughput',
        label: `${s} @ ${rate} req/s`,
        measured: r1(tput),
        predicted: r1(tput * e()),
        unit: 'tokens/s',
        split,
      });
    }
  }
  return out;
})();
