/**
 * The hand-written reading of the MLPerf errors (the tables are generated; update this when they move).
 * Written against the run of 2026-12-02 (seed 42, shipped calibrations of that day).
 */
export const MLPERF_ANALYSIS: readonly string[] = [
  '**GPT-J is a stand-in, and it dominates the miss.** Its 4-beam search is simulated as 4 sequences per query, each a quarter of ' +
    'the prompt and 69 tokens (chosen from first principles before the comparison: context computed once, beams decoding side by side, ' +
    'KV of one context plus 4 × 69 tokens). It leaves out that every beam attends over the whole context and the beam bookkeeping, so ' +
    'it is optimistic: GPT-J runs are over-predicted by about +30% (Offline) and +38% (Server) at the median, and they are 40% of the ' +
    'closed runs. The rows "llama2-70b and mixtral-8x7b only" are the benchmarks replayed from their own per-sample datasets. An earlier ' +
    'stand-in (one sequence of 4 × 69 tokens) erred the other way (−13% to −46%); the truth lies between, and no stand-in was tuned on these results.',
  '**Power- and clock-limited SKUs are over-predicted**: H100 NVL (+51% Offline, +72% Server at the median), H100 PCIe, and the ' +
    'NVIDIA "MaxQ" H200 system (+127% Offline on GPT-J): the hardware profiles carry datasheet peak FLOPs and bandwidth at boost clocks, ' +
    'and servesim has no power cap. A 350–400 W PCIe card or a power-capped node runs well below them.',
  '**llama2-70b Server is over-predicted more than its Offline throughput** (Offline median bias near zero on H100/H200-SXM, Server ' +
    'positive): at the rate servesim finds valid, the simulated TTFT tail is within 2 s where the submitted systems needed margin. ' +
    'Likely causes: the simulated schedulers admit new prefills more eagerly than TensorRT-LLM\'s in-flight batcher under its ' +
    'max-batch/max-tokens build limits (servesim uses trtllm-bench defaults: 2048 sequences, 8192-token budget), and submitters search ' +
    'target_qps in coarse steps and submit a run with margin.',
  '**vLLM rows carry transferred calibrations**: AMD MI300X (vLLM 0.4.3 ROCm, +19% Offline, +38% Server) is simulated with the H100 ' +
    'vLLM calibration transferred by datasheet ratios; the NeuralMagic L40S run of vLLM 0.5.2 (a "reference" default config, 4× below ' +
    'the prediction) is an untuned outlier.',
  '**Parallelism is assumed, not read**: v4.1 results state no TP. The TP with the best simulated Offline throughput is taken (TP2 × 4 on ' +
    '8 × H100-SXM for llama2-70b, TP1 on H200); the smallest TP that fits (TP1 on H100-SXM, 5 GB of KV) under-predicted H100-SXM Offline by 30% ' +
    'in the first run, before this rule. Precision is likewise the harness\'s (FP8 on Hopper/Ada, FP4 on B200), not the file\'s "fp16".',
  '**Latency figures at the submitted rate** (TTFT/TPOT/latency statistics) are far off (median 60–75%): a system submitted near its ' +
    'limit sits on the steep part of the latency curve, so a 15% capacity error becomes a several-fold latency error. They are listed ' +
    'for completeness; the headline is the rate.',
];
