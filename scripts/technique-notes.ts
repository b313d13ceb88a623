/**
 * The hand-written findings under the techniques tables of docs/validation.md (issues 16 and 17), kept next
 * to the script that writes them. Figures are those of the tables at the commit that wrote them; re-read them
 * after a calibration changes.
 */
export const TECHNIQUE_NOTES: readonly string[] = [
  '### What the errors say (new models and techniques)',
  '',
  '- **The model, not the technique, carries most of the error wherever it can be measured.** DEP8 on MiniMax-M2.5 ' +
    '(the only technique with plain twins: TEP8 runs of the same lengths and concurrency) adds +2 points of TPOT APE to the ' +
    'plain runs\' 68% (signed factor 0.96) and +37 points of throughput APE to their 283% (factor 1.03); TTFT moves most ' +
    '(factor 0.57): measured DEP TTFT is 0.9–2.1× the TEP TTFT at concurrency 4–16, servesim predicts about 1.1×.',
  '- **MTP (GLM-5, H200)**: no plain GLM-5 runs exist and no acceptance is stated. Even with every draft rejected ' +
    '(plain decoding plus the verify pass) servesim is 2.1× too fast on TPOT; accepting every draft moves it to 3.0×. ' +
    'So at least 2.1× of the ~2.6× miss is the model; the acceptance assumption spans a factor 1.4 at most.',
  '- **The H200 study is uniformly slow, not slow where a new attention lands.** At concurrency 4, predicted/measured ' +
    'TPOT is flat in prompt length for all three models — GLM-5 (MLA + DSA indexer) 0.38 → 0.32 from 1k to 16k tokens, ' +
    'MiniMax-M2.5 0.30 → 0.38 from 1k to 32k, Qwen3.5 (Gated DeltaNet + every 4th layer softmax) 0.32 → 0.26 from 2k to 16k. ' +
    'A cost-model error in the DSA indexer, MLA or linear-attention terms would grow or shrink with context; a flat ~3× is ' +
    'the transferred calibration (fitted on vLLM 0.15.1 / H100, applied to a Feb-2026 vLLM nightly on H200). In the Qwen3.5 ' +
    'prefill at 16k tokens, linear attention is 1.6 ms of 228 ms (explain()): ten times that would not close the gap.',
  '- **TTFT in that study has a floor no prefill explains**: Qwen3.5 needs 4.1–4.6 s for a 1k-token prompt at concurrency 4 ' +
    '(2.8 s at concurrency 16, i.e. it falls with load), 4.3 s at 2k and 4k; MiniMax-M2.5 0.5–0.9 s at 1–4k; GLM-5 0.27 s at 1k. ' +
    'servesim predicts 0.05–0.16 s. The study runs Qwen3.5 with `--language-model-only --enable-prefix-caching` (a vision-language ' +
    'checkpoint; prefix caching on a hybrid model) and its README calls its code experimental; the mechanism is not in the files.',
  '- **INT4 Kimi-K2.5 on MI355X is the largest miss (TPOT 0.05 of measured at 8k/1k, concurrency 32–64)**: measured 230–300 ms per ' +
    'token against 30 ms for the MXFP4 checkpoint at 8k/1k and concurrency 64 on the same GPU and engine image, and 17 ms for INT4 ' +
    'itself at 1k/1k, concurrency 4. servesim prices int4g32 experts as W4A16 (4.5-bit weights, bf16 tensor rate), which puts INT4 ' +
    'near MXFP4; the measured 8–10× gap at large batch × context is the ROCm W4A16 MoE path of vLLM 0.21, a kernel efficiency ' +
    'the calibration has no per-format term for (cost/step-cost.ts and schema/calibration.ts: a per-weight-format GEMM efficiency would be needed).',
  '- **EAGLE-3 and P/D on MI355X have no plain twins** (no plain MI355X run of any model is in the file). Their decode is the ' +
    'nearest reference: the 1P1D decode pool is plain TP8 decoding, predicted/measured TPOT 0.30 (gpt-oss-120b) and 0.43 ' +
    '(MiniMax-M2.5) — the MI355X model error with an H100-transferred calibration. MiniMax-M2.5 EAGLE-3 (acceptance from the ' +
    'measured ITL/TPOT) reaches 0.32, a technique factor of about 0.75 against that decode pool (different lengths: 1k/8k with ' +
    'range 0.8 vs fixed 1k). P/D TTFT (measured 0.10–0.31 s, predicted 0.016–0.09 s at concurrency 4–512) mixes the MI355X prefill error with the router ' +
    'hop and MoRI-IO pull, which the files do not time separately.',
  '- **Stream interval fixed an ITL mapping error, not a cost one**: the B200 SGLang DeepSeek-R1 rows stream one chunk per 10 tokens; ' +
    'ITL per chunk now scores 11% median APE (89.6% when each token was a chunk). SGLang sends the first token at once ' +
    '(output length n streams when n mod k = 1), so the 350–630 ms TTFT of those rows is not the stream interval either.',
  '- **Workload mapping bugs fixed here**: range-ratio lengths (the B200 \"1024/1024, ratio 0\" rows average 512/512, not 1024/1024); ' +
    'the run\'s own request count (10 × concurrency); vLLM serve\'s max_num_seqs 1024 on GPUs of 70 GiB or more (the 1P1D ' +
    'concurrency-512 runs queued at 256 and predicted 6 s TTFT against 0.3 s); generic \"int4\"/\"fp4\" words read as the ' +
    'checkpoint\'s int4g32 / MXFP4; Kimi-K2.5 \"mtp\" runs of the Eagle3 fixed-AR workflow as EAGLE-3. DeepSeek-V3.2 has no InferenceX rows.',
];
