import { describe, expect, it } from 'vitest';
import { DATASETS, datasetFromText, datasetGap } from '../../src/importers/datasets.ts';
import { hintsFromName } from '../../src/importers/hints.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import { HARDWARE_IDS, MODEL_IDS, normalizeEngine, normalizeGpu, normalizeModel, normalizePrecision } from '../../src/importers/normalize.ts';
import { parseJsonTolerant } from '../../src/importers/read-file.ts';

describe('the id lists match the shipped profiles', () => {
  // a pattern that maps to an id without a profile makes rows "mapped" that then cannot be simulated, and a
  // profile missing from the list can never be matched by name
  const registry = loadProfiles({ builtIn: true });
  it('every model id has a built-in profile and every built-in model has an id', () => {
    expect([...MODEL_IDS].sort()).toEqual([...registry.models.keys()].sort());
  });
  it('every hardware id has a built-in profile and every built-in GPU has an id', () => {
    expect([...HARDWARE_IDS].sort()).toEqual([...registry.hardware.keys()].sort());
  });
});

describe('GPU names → hardware ids', () => {
  it.each([
    ['H100-SXM-80GB', 'h100-sxm'],
    ['H100-80GB', 'h100-sxm'],
    ['8xH100', 'h100-sxm'],
    ['NVIDIA H100 80GB HBM3', 'h100-sxm'],
    ['NVIDIA H100-SXM-80GB', 'h100-sxm'],
    ['H100-80GB-SXM', 'h100-sxm'],
    ["H100 (runner label '8xH100')", 'h100-sxm'],
    ['NVIDIA H100-PCIe-80GB', 'h100-pcie'],
    ['NVIDIA H100-NVL-94GB', 'h100-nvl'],
    ['H200-SXM-141GB', 'h200-sxm'],
    ['NVIDIA H200-SXM-141GB-CTS', 'h200-sxm'],
    ['H200', 'h200-sxm'],
    ['H200 NVL', 'h200-nvl'],
    ['A100-SXM4-80GB', 'a100-sxm-80gb'],
    ['A100-80GB', 'a100-sxm-80gb'],
    ['A100-80GB-SXM', 'a100-sxm-80gb'],
    ['A100-SXM-40GB', 'a100-sxm-40gb'],
    ['A100 PCIe 80GB', 'a100-pcie-80gb'],
    ['1xStandard_ND96asr_v4 x 1', 'a100-sxm-40gb'],
    ['NVIDIA GH200 Grace Hopper Superchip 144GB', 'gh200-144gb'],
    ['NVIDIA GH200 Grace Hopper Superchip 96GB', 'gh200'],
    ['GH200-480GB (96GB HBM3)', 'gh200'],
    ['NVIDIA L40S', 'l40s'],
    ['L4', 'l4'],
    ['B200-180GB', 'b200'],
    ['NVIDIA B200-SXM-180GB', 'b200'],
    ['GB200-192GB', 'gb200'],
    ['AMD Instinct MI300X-NPS1-SPX-192GB-750W', 'mi300x'],
    ['AMD MI300X-NPS1-SPX-192GB-750W', 'mi300x'],
    ['MI300X', 'mi300x'],
    ['MI325X', 'mi325x'],
    ['MI355X', 'mi355x'],
    ['AMD Instinct MI355X', 'mi355x'],
    ['8xMI355X', 'mi355x'],
    // the GPUs of the BLIS showdown (blis_vllm.csv) and InferenceX as those files write them
    ['H100', 'h100-sxm'],
    ['A100-80GB', 'a100-sxm-80gb'],
    ['L40S', 'l40s'],
    ['B200', 'b200'],
  ])('%s → %s', (raw, id) => {
    expect(normalizeGpu(raw).hardwareId).toBe(id);
  });

  it('counts and notes', () => {
    expect(normalizeGpu('8xH100')).toMatchObject({ count: 8 });
    expect(normalizeGpu('1xStandard_ND96asr_v4 x 1')).toMatchObject({ count: 8 });
    expect(normalizeGpu('H100-80GB').note).toMatch(/does not state the form factor; H100 SXM assumed/);
    expect(normalizeGpu('H100-SXM-80GB').note).toBeUndefined();
  });

  it.each([
    ['NVIDIA GeForce RTX 4090', 'GPU "NVIDIA GeForce RTX 4090" has no servesim profile'],
    ['NVIDIA Jetson AGX Orin 64G', 'GPU "NVIDIA Jetson AGX Orin 64G" has no servesim profile'],
    ['A100', 'GPU "A100" does not state the A100 memory size'],
    ['not stated (Lambda Cloud; report compares H100-80GB-SXM and A100-80GB-SXM)', 'GPU not stated'],
    ['', 'GPU not stated'],
  ])('%s → unmapped: %s', (raw, reason) => {
    expect(normalizeGpu(raw)).toEqual({ reason });
  });
});

describe('model names → model ids', () => {
  it.each([
    ['meta-llama/Llama-3.1-8B-Instruct', 'llama-3.1-8b'],
    ['Meta-Llama-3.1-8B-FP8', 'llama-3.1-8b'],
    ['Meta-Llama-3.1-70B-Instruct-FP8', 'llama-3.1-70b'],
    ['Llama 3.1 405B FP8', 'llama-3.1-405b'],
    ['Hermes-3-Llama-3.1-405B-FP8', 'llama-3.1-405b'],
    ['Llama-3.2-1B', 'llama-3.2-1b'],
    ['Llama-3.2-3B-Instruct', 'llama-3.2-3b'],
    ['meta-llama/Llama-3.3-70B-Instruct', 'llama-3.3-70b'],
    ['Meta-Llama-3-8B-Instruct', 'llama-3-8b'],
    ['Llama-3-70B', 'llama-3-70b'],
    ['Llama-2-7B', 'llama-2-7b'],
    ['meta-llama/Llama-2-13b-chat-hf', 'llama-2-13b'],
    ['llama2-70b-99', 'llama-2-70b'],
    ['llama2-70b-99.9', 'llama-2-70b'],
    ['LLaMA 7B', 'llama-2-7b'],
    ['LLaMA 70B', 'llama-2-70b'],
    ['Mistral-7B', 'mistral-7b'],
    ['Mistral-7B-Instruct-v0.3', 'mistral-7b'],
    ['mixtral-8x7b', 'mixtral-8x7b'],
    ['Mixtral-8x7B-Instruct-v0.1', 'mixtral-8x7b'],
    ['Mixtral-8x22B-Instruct-v0.1', 'mixtral-8x22b'],
    ['Qwen/Qwen2.5-7B-Instruct', 'qwen2.5-7b'],
    ['Qwen2.5-72B-Instruct-AWQ', 'qwen2.5-72b'],
    ['Qwen/Qwen3-8B', 'qwen3-8b'],
    ['Qwen3-32B-FP8', 'qwen3-32b'],
    ['Qwen/Qwen3-30B-A3B', 'qwen3-30b-a3b'],
    ['Qwen3-235B-A22B', 'qwen3-235b-a22b'],
    ['Qwen/Qwen3-235B-A22B-Instruct-2507-FP8', 'qwen3-235b-a22b'],
    ['DeepSeek-V3', 'deepseek-v3'],
    ['deepseek-ai/DeepSeek-V3-0324', 'deepseek-v3'],
    ['DeepSeek-R1', 'deepseek-v3'],
    ['DeepSeek-R1-0528', 'deepseek-v3'],
    ['DeepSeek-R1/V3 family', 'deepseek-v3'],
    ['openai/gpt-oss-20b', 'gpt-oss-20b'],
    ['gpt-oss-120b', 'gpt-oss-120b'],
    ['GPT-J-6B', 'gpt-j-6b'],
    ['gptj-99.9', 'gpt-j-6b'],
    // the BLIS showdown's Hugging Face ids, as blis_vllm.csv writes them
    ['codellama/CodeLlama-34b-Instruct-hf', 'codellama-34b'],
    ['CodeLlama-34B', 'codellama-34b'],
    ['Qwen/Qwen3-14B', 'qwen3-14b'],
    ['mistralai/Mistral-Nemo-Instruct-2407', 'mistral-nemo-12b'],
    ['Mistral-NeMo-12B-Instruct', 'mistral-nemo-12b'],
    ['01-ai/Yi-34B', 'yi-34b'],
    ['01-ai/Yi-34B-Chat', 'yi-34b'],
    ['mistralai/Mixtral-8x22B-v0.1', 'mixtral-8x22b'],
    ['RedHatAI/Llama-4-Scout-17B-16E-Instruct-FP8-dynamic', 'llama-4-scout'],
    ['meta-llama/Llama-4-Scout-17B-16E-Instruct', 'llama-4-scout'],
    ['Llama-4-Scout-17B-16E', 'llama-4-scout'],
    ['MiniMaxAI/MiniMax-M2.5', 'minimax-m2.5'],
    ['MiniMaxAI/MiniMax-M2', 'minimax-m2.5'],
    ['meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8', 'llama-4-maverick'],
    // InferenceX's 2026 models (issue 17)
    ['zai-org/GLM-5-FP8', 'glm-5'],
    ['Qwen/Qwen3.5-397B-A17B', 'qwen3.5-397b-a17b'],
    ['moonshotai/Kimi-K2.5', 'kimi-k2.5'],
    ['amd/Kimi-K2.5-MXFP4', 'kimi-k2.5'],
    ['deepseek-ai/DeepSeek-V3.2', 'deepseek-v3.2'],
  ])('%s → %s', (raw, id) => {
    expect(normalizeModel(raw).modelId).toBe(id);
  });

  it('a precision suffix is a precision, not part of the model', () => {
    expect(normalizeModel('Meta-Llama-3.1-8B-FP8')).toEqual({ modelId: 'llama-3.1-8b', precisionHint: 'fp8' });
    expect(normalizeModel('llama2-70b-99.9').note).toBe('MLPerf accuracy target 99.9%');
    expect(normalizeModel('DeepSeek-R1-0528').note).toMatch(/DeepSeek-V3 architecture/);
    // RedHat's "-FP8-dynamic" checkpoint: FP8 weights (W8A8 with dynamic activation scales), same architecture
    expect(normalizeModel('RedHatAI/Llama-4-Scout-17B-16E-Instruct-FP8-dynamic')).toEqual({ modelId: 'llama-4-scout', precisionHint: 'fp8' });
  });

  it.each([
    'Falcon-180B',
    'MiniMaxAI/MiniMax-Text-01',
    'zai-org/GLM-4.5-Air',
    'Qwen/Qwen3.5-27B',
    '01-ai/Yi-34B-200K',
    'codellama/CodeLlama-70b-Instruct-hf',
    'Qwen/Qwen3-4B-Thinking-2507',
    'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',
  ])('%s has no profile', (raw) => {
    expect(normalizeModel(raw)).toEqual({ reason: `model "${raw}" has no servesim profile` });
  });
});

describe('precision strings → weights / activations / kv', () => {
  it.each([
    ['FP8', 'h100-sxm', { weights: 'fp8', activations: 'fp8' }],
    ['FP8 (native checkpoint)', 'h100-sxm', { weights: 'fp8', activations: 'fp8' }],
    ['FP8', 'a100-sxm-80gb', { weights: 'fp8', activations: 'bf16' }],
    ['FP4', 'b200', { weights: 'nvfp4', activations: 'fp4' }],
    ['FP4', 'gb200', { weights: 'nvfp4', activations: 'fp4' }],
    ['BF16 (default)', 'h100-sxm', { weights: 'bf16', activations: 'bf16' }],
    ['BF16/FP16 (default)', 'h200-sxm', { weights: 'bf16', activations: 'bf16' }],
    ['FP16', 'a100-sxm-80gb', { weights: 'fp16', activations: 'fp16' }],
    ['int4', 'h100-sxm', { weights: 'int4' }],
  ])('%s on %s', (raw, hw, expected) => {
    const p = normalizePrecision(raw, { hardwareId: hw });
    expect({ weights: p.weights, activations: p.activations }).toEqual({ activations: undefined, ...expected });
    expect(p.kvCache).toBeUndefined();
  });

  it('notes the special cases', () => {
    expect(normalizePrecision('FP8', { hardwareId: 'a100-sxm-80gb' }).note).toMatch(/weight-only/);
    const mlperf = normalizePrecision('fp16', { hardwareId: 'h100-sxm', engine: 'trtllm', sourceId: 'mlperf_inference_v4.1' });
    expect(mlperf).toMatchObject({ weights: 'fp16', activations: 'fp16' });
    expect(mlperf.note).toMatch(/starting checkpoint; NVIDIA Hopper TensorRT-LLM submissions run FP8/);
    expect(normalizePrecision('fp32')).toEqual({ reason: 'precision "fp32" not supported' });
  });
});

describe('engines', () => {
  it.each([
    ['TensorRT-LLM', 'trtllm'],
    ['vLLM', 'vllm'],
    ['vLLM (llm-d wide-EP; DP+EP; DBO)', 'vllm'],
    ['SGLang (PD disaggregation + DeepEP/DeepGEMM/EPLB, TBO)', 'sglang'],
    ['TGI', 'tgi'],
    ['text-generation-inference', 'tgi'],
    ['other', 'other'],
  ])('%s → %s', (raw, id) => {
    expect(normalizeEngine(raw).engine).toBe(id);
  });
  it('keeps the version as stated', () => {
    expect(normalizeEngine('TensorRT-LLM', 'TensorRT 10.2.0, CUDA 12.4')).toEqual({ engine: 'trtllm', engineVersion: 'TensorRT 10.2.0, CUDA 12.4' });
  });
});

describe('hints in file names', () => {
  it('reads tp, pp, quantization and GPU tokens', () => {
    expect(hintsFromName('guidellm-bench__Qwen_Qwen3-30B-A3B_tp4_quant-fp8_benchmarks.json')).toEqual({ tp: 4, precision: 'fp8' });
    expect(hintsFromName('serving_meta-llama-Llama-3.3-70B-Instruct_tp8_pp1_sharegpt_qps_01.json')).toEqual({ tp: 8, pp: 1 });
    expect(hintsFromName('run_8xH100_tp8.json')).toEqual({ tp: 8, gpu: '8xH100', numGpus: 8 });
    expect(hintsFromName('llama_a100-80gb_ep2.yaml')).toEqual({ ep: 2, gpu: 'a100-80gb' });
  });
});

describe('datasets', () => {
  it('every dataset names its source; figures no source gives are absent, not guessed', () => {
    for (const d of Object.values(DATASETS)) {
      expect(d.citation.length).toBeGreaterThan(80);
      if (d.input.mean === undefined || d.output.mean === undefined) expect(d.citation).toMatch(/NOT published/);
    }
    expect(DATASETS.sharegpt!.input).toEqual({ mean: 213.3, median: 87.5, max: 933 });
    expect(DATASETS.openorca!.output.mean).toBe(294.45);
    expect(DATASETS['mlperf-mixtral']!.output.mean).toBe(144.84);
  });

  it('recognises dataset descriptions', () => {
    expect(datasetFromText('MLPerf llama2-70b (OpenOrca subset, 24576 samples)')?.name).toBe('openorca');
    expect(datasetFromText('MLPerf mixtral-8x7b (OpenOrca+GSM8K+MBXP, 15000 samples)')?.name).toBe('mlperf-mixtral');
    expect(datasetFromText('MLPerf gptj (CNN-DailyMail)')?.name).toBe('cnn-dailymail');
    expect(datasetFromText('ShareGPT, num_prompts=5000, max-num-seqs 256')?.name).toBe('sharegpt');
    expect(datasetFromText('synthetic fixed 128/128')).toBeUndefined();
    expect(datasetGap(DATASETS['cnn-dailymail']!)).toBe('dataset "cnn-dailymail": no published mean input and output length');
    expect(datasetGap(DATASETS.sharegpt!)).toBeUndefined();
  });
});

describe('parseJsonTolerant', () => {
  it('accepts Python NaN/Infinity outside strings only', () => {
    expect(parseJsonTolerant('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN: Infinity"}', 'x.json')).toEqual({
      a: 'NaN',
      b: ['Infinity', '-Infinity'],
      c: 'NaN: Infinity',
    });
  });
});
