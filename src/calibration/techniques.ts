import type { MeasuredBenchmark } from '../importers/types.ts';
import type { SpeculativeChoice } from '../cost/speculative.ts';
import type { MappedBenchmark } from './map.ts';

/**
 * Which serving technique a measured benchmark ran (issue 16), read from the run's notes as InferenceX
 * records them (`spec_decode=`, `disagg=yes`, `dp_attention=true`, `xP= yD=`, `--stream-interval`; see
 * ../shared/measurements/SOURCES.md), and how its mapping changes: DEP → attention data-parallel over the
 * instance's GPUs; speculative decoding → a speculative choice; P/D → two pools; a stream interval → the
 * engine's chunking (ITL per chunk).
 */
export type Technique = 'plain' | 'dep' | 'spec-decode' | 'pd-disagg';
/** the technique with the speculative method told apart, as the validation report groups rows */
export type TechniqueDetail = 'plain' | 'dep' | 'mtp' | 'eagle3' | 'pd-disagg';

export interface TechniqueMapping {
  readonly technique: Technique;
  /** the mapping with the technique applied, or why it cannot be */
  readonly outcome: { ok: true; mapped: MappedBenchmark } | { ok: false; reason: string };
}

export interface TechniqueOptions {
  /**
   * per-draft acceptance for speculative runs that state none and report no mean ITL to infer it from
   * (the H200 GLM-5 MTP study): default 0.5, the middle of [0, 1]; 0 and 1 bracket the prediction
   */
  readonly unstatedAcceptance?: number;
}

export function techniqueOf(b: MeasuredBenchmark): Technique {
  const notes = b.source.notes ?? '';
  if (/\bdisagg=yes\b/.test(notes)) return 'pd-disagg';
  if (/\bspec_decode=(?!none\b)\w/.test(notes)) return 'spec-decode';
  if (/\bdp_attention=true\b/.test(notes)) return 'dep';
  return 'plain';
}

export function techniqueDetail(b: MeasuredBenchmark): TechniqueDetail {
  const t = techniqueOf(b);
  if (t !== 'spec-decode') return t;
  return specMethod(b.source.notes ?? '') === 'mtp' ? 'mtp' : 'eagle3';
}

/** EAGLE-3 draft length vLLM recipes use when a run does not state it (num_speculative_tokens 3). */
export const DEFAULT_EAGLE_TOKENS = 3;
export const DEFAULT_UNSTATED_ACCEPTANCE = 0.5;

export function applyTechnique(m: MappedBenchmark, options: TechniqueOptions = {}): TechniqueMapping {
  const b = m.benchmark;
  const technique = techniqueOf(b);
  const notes = b.source.notes ?? '';
  const outcome = techniqueOutcome(technique, m, notes, options);
  return { technique, outcome: outcome.ok ? { ok: true, mapped: withStreamInterval(withRecipe(outcome.mapped, notes), notes) } : outcome };
}

/**
 * Server settings the notes quote from the run's recipe: vLLM `--max-num-seqs N`, `--block-size N`; SGLang
 * "max running requests N", "chunked prefill N" (its per-step token budget), "fp8 KV cache".
 */
function withRecipe(m: MappedBenchmark, notes: string): MappedBenchmark {
  const num = (re: RegExp) => {
    const v = re.exec(notes)?.[1];
    return v !== undefined ? Number(v) : undefined;
  };
  const maxNumSeqs = num(/--max-num-seqs (\d+)/) ?? num(/max running requests (\d+)/);
  const blockSize = num(/--block-size (\d+)/);
  const maxNumBatchedTokens = num(/--max-num-batched-tokens (\d+)/) ?? num(/chunked prefill (\d+)/);
  const fp8Kv = /\bfp8 KV cache\b/.test(notes) && m.choice.kvCache === undefined;
  const engine = {
    ...m.choice.engine,
    ...(maxNumSeqs !== undefined ? { maxNumSeqs } : {}),
    ...(blockSize !== undefined ? { blockSize } : {}),
    ...(maxNumBatchedTokens !== undefined ? { maxNumBatchedTokens } : {}),
  };
  const stated = [
    maxNumSeqs !== undefined ? `max_num_seqs ${maxNumSeqs}` : '',
    blockSize !== undefined ? `block size ${blockSize}` : '',
    maxNumBatchedTokens !== undefined ? `${maxNumBatchedTokens}-token step budget` : '',
    fp8Kv ? 'fp8 KV cache' : '',
  ].filter((x) => x !== '');
  if (stated.length === 0) return m;
  const assumptions = [...m.assumptions.filter((a) => maxNumSeqs === undefined || !a.includes('max_num_seqs 1024')), `recipe in the notes: ${stated.join(', ')}`];
  return { ...m, choice: { ...m.choice, engine, ...(fp8Kv ? { kvCache: 'fp8' as const } : {}) }, assumptions };
}

function techniqueOutcome(technique: Technique, m: MappedBenchmark, notes: string, options: TechniqueOptions): TechniqueMapping['outcome'] {
  switch (technique) {
    case 'plain':
      return { ok: true, mapped: m };
    case 'dep': {
      const gpus = m.choice.tp ?? 1;
      const mapped: MappedBenchmark = {
        ...m,
        choice: { ...m.choice, ep: gpus, attentionDp: gpus },
        assumptions: [...m.assumptions, `DEP${gpus}: attention data-parallel over ${gpus} GPUs, experts sharded EP${gpus}`],
      };
      return { ok: true, mapped };
    }
    case 'pd-disagg':
      return disaggregatedMapping(m, notes);
    case 'spec-decode':
      return speculativeMapping(m, notes, options.unstatedAcceptance ?? DEFAULT_UNSTATED_ACCEPTANCE);
  }
}

/** xPyD from the notes ("xP=1 yD=1"); else num_gpus (both pools) split in two. Equal pools only (1P1D here). */
function disaggregatedMapping(m: MappedBenchmark, notes: string): TechniqueMapping['outcome'] {
  const xp = /\bxP=(\d+)/.exec(notes)?.[1];
  const yd = /\byD=(\d+)/.exec(notes)?.[1];
  if (xp !== undefined && yd !== undefined && xp !== yd) return { ok: false, reason: `disaggregated ${xp}P${yd}D: unequal pools are not mapped` };
  const perPool = xp !== undefined ? Number(xp) : Math.max(1, Math.floor(m.replicas / 2));
  const assumptions = [
    ...m.assumptions.filter((a) => !a.includes('data-parallel replicas')),
    `${perPool}P${perPool}D disaggregated (${xp !== undefined ? 'as the notes state' : 'num_gpus split in two'}), KV over the scale-out link, no overlap`,
  ];
  return { ok: true, mapped: { ...m, replicas: perPool, disaggregated: true, assumptions } };
}

/** SGLang's --stream-interval k (the B200 DeepSeek-R1 rows: k = 10): ITL is per k-token chunk */
function withStreamInterval(m: MappedBenchmark, notes: string): MappedBenchmark {
  const k = /--stream-interval (\d+)/.exec(notes)?.[1];
  if (k === undefined || Number(k) <= 1 || m.choice.speculative !== undefined) return m;
  return {
    ...m,
    choice: { ...m.choice, engine: { ...m.choice.engine, streamInterval: Number(k) } },
    assumptions: [...m.assumptions, `--stream-interval ${k}: one streamed chunk per ${k} tokens (ITL per chunk)`],
  };
}

/**
 * The method the notes name. Runs labelled MTP whose notes say the workflow ran vLLM's Eagle3 speculative
 * config (InferenceX PR #1633's "MTP benchmark with fixed AR" on Kimi-K2.5, which has no MTP heads) are EAGLE-3.
 */
function specMethod(notes: string): SpeculativeChoice['method'] | undefined {
  const method = /spec_decode=(mtp|eagle3|eagle|draft)/.exec(notes)?.[1];
  if (method === 'mtp' && /Eagle3 speculative config/i.test(notes)) return 'eagle3';
  return method === 'draft' ? 'draft-model' : method === 'mtp' ? 'mtp' : method === 'eagle' ? 'eagle' : method === 'eagle3' ? 'eagle3' : undefined;
}

/**
 * A speculative run is replayed with its acceptance: the mean tokens per step the run itself shows (mean ITL
 * per streamed chunk / mean TPOT per token — one chunk per verification step), which reuses two measured
 * figures, so its ITL and TPOT are not independent checks (said in the assumptions); or, when the run reports
 * no mean ITL (the H200 study), an assumed per-draft acceptance, said as such. No InferenceX file states its
 * synthetic acceptance rates.
 */
function speculativeMapping(m: MappedBenchmark, notes: string, unstated: number): TechniqueMapping['outcome'] {
  const method = specMethod(notes);
  if (!method) return { ok: false, reason: 'speculative decoding of an unrecognised method' };
  const stated = /(\d+) speculative tokens?|num_speculative_tokens (\d+)/.exec(notes);
  const tokens = stated ? Number(stated[1] ?? stated[2]) : method === 'mtp' ? 1 : DEFAULT_EAGLE_TOKENS;
  const itl = m.benchmark.metrics.find((x) => x.metric === 'itl' && x.statistic === 'mean')?.value;
  const tpot = m.benchmark.metrics.find((x) => x.metric === 'tpot' && x.statistic === 'mean')?.value;
  const inferable = itl !== undefined && tpot !== undefined && tpot > 0;
  const length = inferable ? Math.min(tokens + 1, Math.max(1, itl / tpot)) : undefined;
  const speculative: SpeculativeChoice =
    length !== undefined ? { method, tokens, acceptanceLength: length } : { method, tokens, acceptanceRates: new Array<number>(tokens).fill(unstated) };
  // InferenceX developer runs that do not record TP say which the recipe defaults to
  const recipeTp = m.benchmark.deployment.tp === undefined ? /recipes? defaults? to TP(\d+)/.exec(notes)?.[1] : undefined;
  const tp = recipeTp !== undefined ? Number(recipeTp) : m.choice.tp;
  const k = `${method} k=${tokens}${stated ? '' : ` (not stated: ${method === 'mtp' ? 'one MTP layer' : 'vLLM recipe default'})`}`;
  const acceptance =
    length !== undefined
      ? `acceptance inferred from measured mean ITL/TPOT = ${length.toFixed(2)} tokens per step (ITL and TPOT are not independent checks here)`
      : `acceptance not stated and no mean ITL to infer it: ${unstated} per draft assumed (0 and 1 bracket it)`;
  const assumptions = [
    ...m.assumptions.filter((a) => recipeTp === undefined || !a.startsWith('TP not stated')),
    ...(recipeTp !== undefined ? [`TP not recorded: TP${recipeTp}, the recipe default the notes name`] : []),
    `${k}; ${acceptance}`,
  ];
  return { ok: true, mapped: { ...m, choice: { ...m.choice, ...(tp !== undefined ? { tp } : {}), speculative }, assumptions } };
}
