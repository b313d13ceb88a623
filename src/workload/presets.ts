import type { SloObjective } from '../metrics/slo.ts';
import type { LengthDistribution } from './lengths.ts';
import { SESSION_PRESETS } from './session-presets.ts';
import type { SessionSpec } from './sessions.ts';

/**
 * Named workload shapes with the SLOs their use case usually carries. SLO figures are GuideLLM's
 * documented examples (docs/guides/service_level_objectives.md, via ../shared/reference/guidellm-format.md
 * §6). Length shapes are servesim's choice of a representative synthetic shape per use case, stated as
 * such: calibrate against your own traffic (`--data` or a trace) before trusting a plan.
 *
 * GuideLLM's guide (and the team brief, in its words) writes "ITL" for a request's inter-token latency,
 * (last − first)/(n − 1): per request, not per gap. servesim calls that distribution `tpot`; its `itl` is
 * every gap (docs/metrics.md). So "ITL p99 ≤ 50 ms" in those sources is `tpot:p99<=50ms` here. (A per-gap
 * p99 is set by the one decode step that carries another request's prompt, whatever the load: a different,
 * stricter objective, available as `itl`.)
 */
export interface WorkloadPreset {
  readonly name: string;
  readonly description: string;
  readonly lengths: LengthDistribution;
  readonly slo: readonly SloObjective[];
  readonly source: string;
  /**
   * multi-turn presets: the sessions their requests belong to (`lengths` then give each turn's new input
   * and output); an open-loop --rate is then sessions per second
   */
  readonly sessions?: SessionSpec;
}

const ms = (x: number) => x / 1000;

export const WORKLOAD_PRESETS: Readonly<Record<string, WorkloadPreset>> = {
  chat: {
    name: 'chat',
    description: 'interactive chatbot: medium prompts with history, medium answers, streamed',
    lengths: { kind: 'synthetic', input: { mean: 512, stdev: 256, min: 32, max: 2048 }, output: { mean: 256, stdev: 128, min: 16, max: 1024 } },
    slo: [
      { metric: 'ttft', percentile: 0.99, thresholdS: ms(200) },
      { metric: 'tpot', percentile: 0.99, thresholdS: ms(50) },
    ],
    source: 'SLO: GuideLLM SLO guide (chat: TTFT p99 ≤ 200 ms, ITL p99 ≤ 50 ms, GuideLLM\'s per-request ITL = servesim tpot); lengths: servesim choice (GuideLLM example shape 512/256 with spread)',
  },
  'ecommerce-chatbot': {
    name: 'ecommerce-chatbot',
    description: 'e-commerce shopping assistant: a system prompt with product context and short history, concise streamed answers',
    lengths: { kind: 'synthetic', input: { mean: 1024, stdev: 384, min: 128, max: 4096 }, output: { mean: 192, stdev: 96, min: 16, max: 768 } },
    slo: [
      { metric: 'ttft', percentile: 0.99, thresholdS: ms(200) },
      { metric: 'tpot', percentile: 0.99, thresholdS: ms(50) },
    ],
    source: 'SLO: the team brief\'s e-commerce chatbot (TTFT ≤ 200 ms, ITL p99 ≤ 50 ms; TTFT read as p99 and ITL per request (tpot), as in the GuideLLM chat example); lengths: servesim choice',
  },
  rag: {
    name: 'rag',
    description: 'retrieval-augmented generation: long prompts with retrieved context, short answers (a 3 s request latency leaves room for ~300 tokens)',
    lengths: { kind: 'synthetic', input: { mean: 4096, stdev: 1024, min: 1024, max: 8192 }, output: { mean: 128, stdev: 48, min: 16, max: 384 } },
    slo: [
      { metric: 'ttft', percentile: 0.99, thresholdS: ms(300) },
      { metric: 'tpot', percentile: 0.99, thresholdS: ms(100) },
      { metric: 'e2e', percentile: 0.99, thresholdS: 3 },
    ],
    source: 'SLO: GuideLLM SLO guide and the team brief (RAG: E2E ≤ 3 s, TTFT ≤ 300 ms, ITL ≤ 100 ms p99; ITL per request = tpot); lengths: servesim choice',
  },
  summarization: {
    name: 'summarization',
    description: 'document summarisation: long inputs, medium outputs, latency-tolerant',
    lengths: { kind: 'synthetic', input: { mean: 3000, stdev: 1000, min: 512, max: 8000 }, output: { mean: 300, stdev: 100, min: 64, max: 800 } },
    slo: [{ metric: 'e2e', percentile: 0.99, thresholdS: 15 }],
    source: 'lengths and SLO: servesim choice (CNN/DailyMail-like articles run ~800 tokens; enterprise documents longer)',
  },
  code: {
    name: 'code',
    description: 'code completion: medium prompts (file context), short completions, tight end-to-end latency',
    lengths: { kind: 'synthetic', input: { mean: 1536, stdev: 512, min: 256, max: 4096 }, output: { mean: 64, stdev: 32, min: 8, max: 256 } },
    slo: [{ metric: 'e2e', percentile: 0.99, thresholdS: 2 }],
    source: 'SLO: GuideLLM SLO guide (code completion E2E ≤ 2 s p99); lengths: servesim choice',
  },
  ...SESSION_PRESETS,
};

/** "512 ± 256 (32–2048)": a token-count range as a reader sees it */
export function describeRange(r: { readonly mean: number; readonly stdev?: number | undefined; readonly min?: number | undefined; readonly max?: number | undefined }): string {
  const spread = r.stdev !== undefined ? ` ± ${r.stdev}` : '';
  const range = r.min !== undefined || r.max !== undefined ? ` (${r.min ?? 1}–${r.max ?? '∞'})` : '';
  return `${r.mean}${spread}${range}`;
}

export function describeLengths(l: LengthDistribution): { input: string; output: string } {
  switch (l.kind) {
    case 'fixed':
      return { input: String(l.inputTokens), output: String(l.outputTokens) };
    case 'synthetic':
      return { input: describeRange(l.input), output: describeRange(l.output) };
    case 'lognormal':
      return { input: `lognormal ${describeRange(l.input)}`, output: `lognormal ${describeRange(l.output)}` };
    case 'empirical':
    case 'sequence':
      return { input: `${l.inputTokens.length} samples`, output: `${l.outputTokens.length} samples` };
  }
}
