import type { MeasuredBenchmark } from '../importers/types.ts';
import type { SpeculativeChoice } from '../cost/speculative.ts';
import type { MappedBenchmark } from './map.ts';

/**
 * Which serving technique a measured benchmark ran (issue 16), read from the run's notes as InferenceX
 * records them (`spec_decode=`, `disagg=yes`, `dp_attention=true`; see ../shared/measurements/SOURCES.md),
 * and how its mapping changes: DEP → attention data-parallel over the instance's GPUs; speculative
 * decoding → a speculative choice when the acceptance can be known; P/D → two pools.
 */
export type Technique = 'plain' | 'dep' | 'spec-decode' | 'pd-disagg';

export interface TechniqueMapping {
  readonly technique: Technique;
  /** the mapping with the technique applied, or why it cannot be */
  readonly outcome: { ok: true; mapped: MappedBenchmark } | { ok: false; reason: string };
}

export function techniqueOf(b: MeasuredBenchmark): Technique {
  const notes = b.source.notes ?? '';
  if (/\bdisagg=yes\b/.test(notes)) return 'pd-disagg';
  if (/\bspec_decode=(?!none\b)\w/.test(notes)) return 'spec-decode';
  if (/\bdp_attention=true\b/.test(notes)) return 'dep';
  return 'plain';
}

/** EAGLE-3 draft length vLLM recipes use when a run does not state it (num_speculative_tokens 3). */
export const DEFAULT_EAGLE_TOKENS = 3;

export function applyTechnique(m: MappedBenchmark): TechniqueMapping {
  const b = m.benchmark;
  const technique = techniqueOf(b);
  const notes = b.source.notes ?? '';
  switch (technique) {
    case 'plain':
      return { technique, outcome: { ok: true, mapped: m } };
    case 'dep': {
      const gpus = m.choice.tp ?? 1;
      const mapped: MappedBenchmark = {
        ...m,
        choice: { ...m.choice, ep: gpus, attentionDp: gpus },
        assumptions: [...m.assumptions, `DEP${gpus}: attention data-parallel over ${gpus} GPUs, experts sharded EP${gpus}`],
      };
      return { technique, outcome: { ok: true, mapped } };
    }
    case 'pd-disagg': {
      // num_gpus counts both pools (SOURCES.md): half the instances prefill, half decode (1P1D on 16 GPUs)
      const perPool = Math.max(1, Math.floor(m.replicas / 2));
      const assumptions = [...m.assumptions.filter((a) => !a.includes('data-parallel replicas')), `${perPool}P${perPool}D disaggregated, KV over the scale-out link, no overlap`];
      return { technique, outcome: { ok: true, mapped: { ...m, replicas: perPool, disaggregated: true, assumptions } } };
    }
    case 'spec-decode':
      return { technique, outcome: speculativeMapping(m, notes) };
  }
}

/**
 * A speculative run can be replayed only with its acceptance: a stated fixed (synthetic) acceptance, or
 * the mean tokens per step the run itself shows (ITL per streamed chunk / TPOT per token, the mean
 * chunk size — one chunk per verification step). The second reuses two measured figures, so its ITL and
 * TPOT are not independent checks; it is said in the assumptions.
 */
function speculativeMapping(m: MappedBenchmark, notes: string): TechniqueMapping['outcome'] {
  const method = /spec_decode=(mtp|eagle3|eagle|draft)/.exec(notes)?.[1];
  if (!method) return { ok: false, reason: 'speculative decoding of an unrecognised method' };
  const stated = /(\d+) speculative tokens?/.exec(notes);
  const tokens = stated ? Number(stated[1]) : DEFAULT_EAGLE_TOKENS;
  const itl = m.benchmark.metrics.find((x) => x.metric === 'itl' && x.statistic === 'mean')?.value;
  const tpot = m.benchmark.metrics.find((x) => x.metric === 'tpot' && x.statistic === 'mean')?.value;
  if (itl === undefined || tpot === undefined || !(tpot > 0))
    return { ok: false, reason: 'speculative decoding with an unstated acceptance (no fixed rate and no mean ITL and TPOT to infer it from)' };
  const length = Math.min(tokens + 1, Math.max(1, itl / tpot));
  const speculative: SpeculativeChoice = {
    method: method === 'draft' ? 'draft-model' : method === 'mtp' ? 'mtp' : method === 'eagle' ? 'eagle' : 'eagle3',
    tokens,
    acceptanceLength: length,
  };
  // InferenceX developer runs that do not record TP say which the recipe defaults to
  const recipeTp = m.benchmark.deployment.tp === undefined ? /recipes? defaults? to TP(\d+)/.exec(notes)?.[1] : undefined;
  const tp = recipeTp !== undefined ? Number(recipeTp) : m.choice.tp;
  const assumptions = [
    ...m.assumptions.filter((a) => recipeTp === undefined || !a.startsWith('TP not stated')),
    ...(recipeTp !== undefined ? [`TP not recorded: TP${recipeTp}, the recipe default the notes name`] : []),
    `${method} k=${tokens}${stated ? '' : ' (not stated: vLLM recipe default)'}; acceptance inferred from measured mean ITL/TPOT = ${length.toFixed(2)} tokens per step (ITL and TPOT are not independent checks here)`,
  ];
  return { ok: true, mapped: { ...m, choice: { ...m.choice, ...(tp !== undefined ? { tp } : {}), speculative }, assumptions } };
}
