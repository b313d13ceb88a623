import type { LengthSpec } from './types.ts';

/**
 * Token statistics of the datasets that published measurements name, each with the source of every figure.
 * A figure no source states is absent (never estimated) and the citation says so; a record that needs it
 * then carries an unmappedReason (see `datasetGap`). Fill a gap here, once, when a source is found.
 */
export interface DatasetStats {
  readonly name: string;
  readonly title: string;
  readonly samples?: number;
  readonly input: { readonly mean?: number; readonly median?: number; readonly min?: number; readonly max?: number };
  readonly output: { readonly mean?: number; readonly median?: number; readonly min?: number; readonly max?: number };
  readonly citation: string;
}

export const DATASETS: Readonly<Record<string, DatasetStats>> = {
  sharegpt: {
    name: 'sharegpt',
    title: 'ShareGPT_V3 (vLLM benchmark_serving sampling)',
    input: { mean: 213.3, median: 87.5, max: 933 },
    output: { mean: 213.6, median: 156.5, max: 780 },
    citation:
      'Derived (not published by vLLM): per-request input_lens/output_lens of a real vLLM benchmark_serving.py run, ' +
      '200 ShareGPT_V3_unfiltered_cleaned_split prompts (default seed 0), Llama-3.3-70B-Instruct tokenizer — ' +
      'surajssd/llm-k8s @58b61c59 results_serving_meta-llama-Llama-3.3-70B-Instruct/01_tp8_pp1/' +
      'serving_…_sharegpt_qps_01.json (copy in shared/examples/vllm-bench). Input: total 42659 tokens, mean 213.3, ' +
      'median 87.5, max 933. Output = tokens generated in that run: mean 213.6, median 156.5, max 780 (mean 212.0–213.9 ' +
      'across its rate 1/4/16/inf runs). benchmark_serving keeps pairs with prompt ≥4, output ≥4, prompt ≤1024, ' +
      'prompt+output ≤2048 tokens. Cross-check: vLLM PR #18566 console output, 1000 prompts with the Llama-3.1-8B ' +
      'tokenizer, gives 229.7 input / 203.1 output tokens mean. Figures depend on tokenizer and sample size.',
  },
  openorca: {
    name: 'openorca',
    title: 'MLPerf llama2-70b OpenOrca subset (24,576 samples)',
    samples: 24576,
    input: { max: 1024 },
    output: { mean: 294.45, max: 1024 },
    citation:
      'mlcommons/inference language/llama2-70b/README.md: 24,576 samples drawn by processorca.py with ' +
      '--seqlen_limit=1024 from Open-Orca 1M-GPT4-Augmented; accuracy target "Tokens per sample: 294.45" (output ' +
      'tokens of the FP16 reference run on DGX-H100). AMD MLPerf v4.1 engineering blog: "each with up to 1,024 input ' +
      'and output tokens". The mean/median input length is NOT published in these sources and is left absent.',
  },
  'cnn-dailymail': {
    name: 'cnn-dailymail',
    title: 'MLPerf GPT-J CNN/DailyMail validation set',
    samples: 13368,
    input: { max: 1919 },
    output: { min: 30, max: 128 },
    citation:
      'mlcommons/inference language/gpt-j: README.md (validation set of 13368 samples), backend.py (tokenizer ' +
      'model_max_length=1919; gen_kwargs max_new_tokens=128, min_new_tokens=30, num_beams=4). Mean/median input ' +
      'and output lengths are NOT published in these sources and are left absent.',
  },
  'mlperf-mixtral': {
    name: 'mlperf-mixtral',
    title: 'MLPerf mixtral-8x7b dataset (OpenOrca + GSM8K + MBXP, 15,000 samples)',
    samples: 15000,
    input: {},
    output: { mean: 144.84 },
    citation:
      'mlcommons/inference language/mixtral-8x7b/README.md: 5K samples each from open_orca_gpt4, GSM8K and MBXP ' +
      '(15000 total); accuracy target tokens_per_sample 144.84 (generated non-EOS tokens; submissions must be within ' +
      '90–110%). The input length statistics are NOT published there and are left absent.',
  },
};

/** The dataset a free-text description names ("MLPerf llama2-70b (OpenOrca subset…)", "ShareGPT (1200 prompts)"). */
export function datasetFromText(text: string | undefined): DatasetStats | undefined {
  if (!text) return undefined;
  const s = text.toLowerCase();
  if (/mixtral/.test(s) && /mlperf|gsm8k|mbxp/.test(s)) return DATASETS['mlperf-mixtral'];
  if (/gsm8k.*mbxp|mbxp.*gsm8k/.test(s)) return DATASETS['mlperf-mixtral'];
  if (/open[-_ ]?orca/.test(s)) return DATASETS.openorca;
  if (/cnn|daily[-_ ]?mail/.test(s)) return DATASETS['cnn-dailymail'];
  if (/share[-_ ]?gpt/.test(s)) return DATASETS.sharegpt;
  return undefined;
}

export function datasetLengths(d: DatasetStats): LengthSpec {
  return { kind: 'dataset', name: d.name, input: { ...d.input }, output: { ...d.output }, citation: d.citation };
}

/** Why a dataset cannot drive a simulation yet (a missing mean), or undefined when it can. */
export function datasetGap(d: DatasetStats): string | undefined {
  const missing = [d.input.mean === undefined ? 'input' : undefined, d.output.mean === undefined ? 'output' : undefined]
    .filter((x) => x !== undefined)
    .join(' and ');
  return missing ? `dataset "${d.name}": no published mean ${missing} length` : undefined;
}
