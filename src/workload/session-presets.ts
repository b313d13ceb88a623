import type { LengthDistribution } from './lengths.ts';
import type { SloObjective } from '../metrics/slo.ts';
import type { SessionSpec } from './sessions.ts';

/**
 * Multi-turn workload shapes for the simulated prefix cache: a session spec plus the per-turn lengths
 * (new input, output) and an SLO. WORKLOAD_PRESETS (presets.ts) lists them with the single-turn shapes, so
 * `--workload multiturn-chat` works wherever --workload does: an open-loop --rate is then sessions per
 * second, --profile concurrent runs closed-loop users. The sources say which figures are measured and
 * which are servesim's choice.
 */
export interface SessionPreset {
  readonly name: string;
  readonly description: string;
  readonly sessions: SessionSpec;
  readonly lengths: LengthDistribution;
  readonly slo: readonly SloObjective[];
  readonly source: string;
}

export const SESSION_PRESETS: Readonly<Record<'multiturn-chat' | 'agentic-coding', SessionPreset>> = {
  'multiturn-chat': {
    name: 'multiturn-chat',
    description: 'chat assistant conversations: a shared system prompt, a few turns of short questions and longer answers, human think time',
    sessions: { turns: { mean: 4, stdev: 2, min: 2, max: 12 }, thinkTimeMeanS: 10, systemPromptTokens: 512 },
    lengths: { kind: 'lognormal', input: { mean: 70, stdev: 80, min: 4, max: 2048 }, output: { mean: 215, stdev: 180, min: 8, max: 2048 } },
    // GuideLLM's chat example, as the single-turn chat preset
    slo: [
      { metric: 'ttft', percentile: 0.99, thresholdS: 0.2 },
      { metric: 'tpot', percentile: 0.99, thresholdS: 0.05 },
    ],
    source:
      'per-turn prompt and response means: LMSYS-Chat-1M (Zheng et al., ICLR 2024, arXiv 2309.11998; huggingface.co/datasets/lmsys/lmsys-chat-1m), ' +
      'about 70 prompt and 215 response tokens a turn; turns (its multi-turn share, mean 4), think time and the 512-token system prompt: servesim choice; ' +
      'SLO: GuideLLM SLO guide (chat: TTFT p99 ≤ 200 ms, per-request ITL p99 ≤ 50 ms = servesim tpot)',
  },
  'agentic-coding': {
    name: 'agentic-coding',
    description: 'coding agent loops: a long system prompt and tool definitions, many turns each appending tool output, short model outputs (tool calls), machine-speed think time',
    sessions: { turns: { mean: 30, stdev: 15, min: 5, max: 80 }, thinkTimeMeanS: 1, systemPromptTokens: 6000, toolPreambleTokens: 4000 },
    lengths: { kind: 'lognormal', input: { mean: 1500, stdev: 2000, min: 16, max: 16384 }, output: { mean: 200, stdev: 250, min: 8, max: 4096 } },
    // servesim choice: an agent waits on every call, so the time to first token of a long context matters most
    slo: [
      { metric: 'ttft', percentile: 0.99, thresholdS: 2 },
      { metric: 'tpot', percentile: 0.99, thresholdS: 0.05 },
    ],
    source:
      'shape: agentic traces grow monotonically turn by turn so nearly the whole previous context is reused (SemiAnalysisAI/InferenceX issue #1632: ' +
      '~96% theoretical token hit rate on the Claude-Code-style cc-traces; vLLM blog 2026-05-06 "Mooncake Store" on Codex / SWE-bench Pro traces, ' +
      'huggingface.co/datasets/Inferact/codex_swebenchpro_traces); the figures (10k-token system prompt and tools, 30 turns, 1.5k tokens of tool output and 200-token ' +
      'calls a turn): servesim choice, not fitted to those traces; replay a trace with block hashes for your own traffic; SLO (TTFT p99 ≤ 2 s, TPOT p99 ≤ 50 ms): servesim choice',
  },
};
