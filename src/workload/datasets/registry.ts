/**
 * Named datasets whose per-sample token lengths drive a workload (`--dataset mlperf-llama2-70b`): the MLPerf
 * Inference LLM benchmarks. Each entry names its source, what its output column is, and how servesim turns
 * that into the model's output length (the caveats of ../shared/reference/mlperf-datasets/README.md):
 *   - llama2-70b: the CSV's output column is the GPT-4 reference answer (mean 218.9), not Llama-2-70B's output
 *     (official mean 294.45 tokens/sample): rescaled per sample to that mean, capped at max_new_tokens 1024.
 *   - llama3.1-8b: the CSV's output column is chars/4 of the human highlights; the model almost always hits
 *     max_tokens 128, so every sample generates 128 tokens (the column is not shipped).
 *   - deepseek-r1: reference outputs run to 32,768; capped at the benchmark's max 20,000 (mean 3886.23, official).
 *   - llama3.1-405b and mixtral-8x7b: the output column's mean equals the official tokens_per_sample: as is.
 * Limits are the p99 TTFT / TPOT bounds of LoadGen's Server and Interactive scenarios (mlperf.conf).
 */

export type OutputPolicy =
  | { readonly kind: 'as-is' }
  | { readonly kind: 'cap'; readonly maxTokens: number }
  | { readonly kind: 'fixed'; readonly tokens: number }
  /** scale every sample by one factor so the mean (after the cap) is meanTokens */
  | { readonly kind: 'rescale-to-mean'; readonly meanTokens: number; readonly maxTokens: number };

export interface LatencyLimitsMs {
  readonly ttftMs: number;
  readonly tpotMs: number;
}

export interface ReplayDataset {
  readonly id: string;
  readonly title: string;
  /** samples in the query sample library (the whole dataset; LoadGen's equal-issue passes walk all of them) */
  readonly samples: number;
  readonly sourceFile: string;
  readonly packedFile: string;
  readonly output: OutputPolicy;
  /** official mean output tokens per sample the policy reproduces */
  readonly officialMeanOutputTokens: number | undefined;
  readonly limits: { readonly server: LatencyLimitsMs; readonly interactive: LatencyLimitsMs | undefined };
  readonly caveat: string;
}

const MLPERF_SOURCE =
  'per-sample lengths: openshift-psap/performance-dashboard mlperf-data/summaries (MIT; extracted from the MLCommons ' +
  'preprocessed datasets), see datasets/mlperf/README.md';

export const REPLAY_DATASETS: Readonly<Record<string, ReplayDataset>> = {
  'mlperf-llama2-70b': {
    id: 'mlperf-llama2-70b',
    title: 'MLPerf llama2-70b (OpenOrca GPT-4 subset)',
    samples: 24576,
    sourceFile: 'llama2-70b-99.csv',
    packedFile: 'llama2-70b.lengths.csv.gz',
    output: { kind: 'rescale-to-mean', meanTokens: 294.45, maxTokens: 1024 },
    officialMeanOutputTokens: 294.45,
    limits: { server: { ttftMs: 2000, tpotMs: 200 }, interactive: { ttftMs: 450, tpotMs: 40 } },
    caveat: "output column = GPT-4 answers (mean 218.9); rescaled per sample to Llama-2-70B's official mean 294.45, capped at 1024",
  },
  'mlperf-llama3.1-405b': {
    id: 'mlperf-llama3.1-405b',
    title: 'MLPerf llama3.1-405b (LongBench, LongDataCollections, RULER, GovReport)',
    samples: 8313,
    sourceFile: 'llama3-1-405b.csv',
    packedFile: 'llama3.1-405b.lengths.csv.gz',
    output: { kind: 'as-is' },
    officialMeanOutputTokens: 684.68,
    limits: { server: { ttftMs: 6000, tpotMs: 175 }, interactive: { ttftMs: 4500, tpotMs: 80 } },
    caveat: 'output column mean 684.68 = official tokens_per_sample: used as is',
  },
  'mlperf-llama3.1-8b': {
    id: 'mlperf-llama3.1-8b',
    title: 'MLPerf llama3.1-8b datacenter (CNN/DailyMail 3.0.0 validation)',
    samples: 13368,
    sourceFile: 'llama3-1-8b-datacenter.csv',
    packedFile: 'llama3.1-8b.lengths.csv.gz',
    output: { kind: 'fixed', tokens: 128 },
    officialMeanOutputTokens: undefined,
    limits: { server: { ttftMs: 2000, tpotMs: 100 }, interactive: { ttftMs: 500, tpotMs: 30 } },
    caveat: 'output column is chars/4 of the highlights, not tokens; model outputs almost all hit max_tokens 128: every sample generates 128',
  },
  'mlperf-mixtral-8x7b': {
    id: 'mlperf-mixtral-8x7b',
    title: 'MLPerf mixtral-8x7b (OpenOrca + GSM8K + MBXP)',
    samples: 15000,
    sourceFile: 'mixtral-8x7b.csv',
    packedFile: 'mixtral-8x7b.lengths.csv.gz',
    output: { kind: 'as-is' },
    officialMeanOutputTokens: 144.84,
    limits: { server: { ttftMs: 2000, tpotMs: 200 }, interactive: undefined },
    caveat: 'output column mean 144.84 = official tokens_per_sample: used as is',
  },
  'mlperf-deepseek-r1': {
    id: 'mlperf-deepseek-r1',
    title: 'MLPerf deepseek-r1 (AIME, MATH500, GPQA, MMLU-Pro, LiveCodeBench)',
    samples: 4388,
    sourceFile: 'deepseek-r1.csv',
    packedFile: 'deepseek-r1.lengths.csv.gz',
    output: { kind: 'cap', maxTokens: 20000 },
    officialMeanOutputTokens: 3886.2274,
    limits: { server: { ttftMs: 2000, tpotMs: 80 }, interactive: { ttftMs: 1500, tpotMs: 15 } },
    caveat: 'reference outputs run to 32,768 tokens; capped at the benchmark max 20,000 (mean 3886.23 = official)',
  },
};

export const REPLAY_DATASET_IDS = Object.keys(REPLAY_DATASETS);

export const REPLAY_DATASET_SOURCE = MLPERF_SOURCE;

/** Output lengths under a policy; `rawOutput` is the source's column (absent for 'fixed'). */
export function applyOutputPolicy(policy: OutputPolicy, inputTokens: readonly number[], rawOutput: readonly number[] | undefined): number[] {
  const atLeastOne = (x: number) => Math.max(1, Math.round(x));
  switch (policy.kind) {
    case 'fixed':
      return inputTokens.map(() => policy.tokens);
    case 'as-is':
      return requireOutput(rawOutput).map(atLeastOne);
    case 'cap':
      return requireOutput(rawOutput).map((x) => atLeastOne(Math.min(policy.maxTokens, x)));
    case 'rescale-to-mean': {
      const raw = requireOutput(rawOutput);
      const factor = rescaleFactor(raw, policy.meanTokens, policy.maxTokens);
      return raw.map((x) => atLeastOne(Math.min(policy.maxTokens, x * factor)));
    }
  }
}

function requireOutput(o: readonly number[] | undefined): readonly number[] {
  if (!o) throw new Error('this dataset policy needs an output column');
  return o;
}

/** The factor f with mean(min(cap, round(x·f))) closest to `mean`: bisection (the capped mean rises with f). */
export function rescaleFactor(raw: readonly number[], mean: number, cap: number): number {
  const meanAt = (f: number) => raw.reduce((s, x) => s + Math.max(1, Math.round(Math.min(cap, x * f))), 0) / raw.length;
  let lo = 0;
  let hi = 1;
  while (meanAt(hi) < mean && hi < 1e3) hi *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (meanAt(mid) < mean) lo = mid;
    else hi = mid;
  }
  return Math.abs(meanAt(lo) - mean) <= Math.abs(meanAt(hi) - mean) ? lo : hi;
}
