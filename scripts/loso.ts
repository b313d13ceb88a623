/**
 * Leave-one-sweep-out validation (issue 11, item 3), per engine family, per metric and statistic:
 *   (a) shipped — each sweep predicted with the calibration servesim ships for its GPU and engine;
 *   (b) LOSO    — a profile fitted on ONE sweep predicts every OTHER sweep of the same engine family
 *                 (other lengths, loads, models, GPUs; another GPU gets the fit through the transfer rule
 *                 of src/calibration/choose.ts);
 *   (c) in-sample — each sweep's own fit.
 * Also the transfer rule leave-one-GPU-out: a GPU's own joint fit vs the fit of another GPU transferred
 * to it vs datasheet defaults. Writes docs/validation-loso.md (inlined by `npm run validate`) and
 * per-family plots docs/img/loso-<family>.svg. blis_vllm has no licence: only errors and
 * predicted/measured ratios of its runs are written, never its measured values.
 *
 *   npm run validate:loso      (about 15 min on 2 shared cores)
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultCalibration } from '../src/cost/calibration-defaults.ts';
import { chooseCalibration } from '../src/calibration/choose.ts';
import { loadShippedCalibrations } from '../src/profiles/calibrations.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import type { CalibrationValues } from '../src/schema/calibration.ts';
import { DEFAULT_FIT_SETTINGS, FIT_PARAMETERS, fitSweeps, residuals } from './loso-fit.ts';
import { fitAppliedTo, fitFrontend, FRONTEND_SOURCES, withFrontend } from './frontend-search.ts';
import { type LosoRecord, familyTables, perSweepTable, transferTable, type TransferRow } from './loso-tables.ts';
import { writeFamilyPlot } from './loso-plot.ts';
import { BLIS_STAGE_DURATION_SCALE, blisSweeps, ENGINE_FAMILIES, EXCLUDED_RUNS, type EngineFamilyId, measuredSweeps, type Sweep } from './loso-sweeps.ts';

const registry = loadProfiles();
const shipped = loadShippedCalibrations();
const shared = resolve(packageRoot(), '..', 'shared');
const started = performance.now();
const log = (text: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0)} s] ${text}\n`);

const sweeps: Sweep[] = [...blisSweeps(join(shared, 'measurements', 'blis_vllm.csv'), registry), ...measuredSweeps(join(shared, 'measurements'), join(shared, 'examples'), registry)];
const datasheet = (s: Pick<Sweep, 'hardwareId' | 'engine'>) => defaultCalibration(registry.getHardware(s.hardwareId), s.engine);
const shippedFor = (s: Sweep) => chooseCalibration(registry.getHardware(s.hardwareId), s.engine, shipped, undefined, s.engineVersion);

const valuesFor = (fit: CalibrationValues, donorHardware: string, t: Sweep, donor?: Sweep): CalibrationValues => fitAppliedTo(fit, donorHardware, t, registry, donor);

/**
 * One sweep's own fit. A source whose TTFT holds an API-frontend delay (FRONTEND_SOURCES) gets the frontend
 * chosen on top of the step fit, then the step parameters refitted under it, so they no longer stand in for it.
 */
function ownFit(s: Sweep, family: EngineFamilyId): { values: CalibrationValues; note: string } {
  const fit = fitSweeps([s], datasheet(s), family);
  const plain = { values: fit.values, note: `${fit.iterations} iterations, ${fit.evaluations} evaluations` };
  if (!FRONTEND_SOURCES.has(s.source)) return plain;
  const fe = fitFrontend([s], fit.values);
  const refit = fitSweeps([s], withFrontend(datasheet(s), fe), family);
  const values = withFrontend(refit.values, fe);
  // alternating the two searches need not improve the fit: the lower of the fits' own objective is kept
  const kept = objective(s, values) < objective(s, fit.values);
  return kept ? { values, note: `frontend ${fe.workers} workers × ${fe.tokenUs} µs/token, step parameters refitted under it` } : { ...plain, note: `${plain.note}; the frontend (${fe.workers} × ${fe.tokenUs} µs) fitted worse, left out` };
}

/** the per-sweep fits' objective: sum of squared residuals (loso-fit.ts), without the prior */
function objective(s: Sweep, values: CalibrationValues): number {
  const f = s.predict(values);
  return typeof f === 'string' ? Infinity : residuals(f).reduce((a, r) => a + r * r, 0);
}

function record(mode: LosoRecord['mode'], s: Sweep, values: CalibrationValues, donor?: Sweep): LosoRecord | undefined {
  const figures = s.predict(values);
  if (typeof figures === 'string') {
    log(`  ${mode} ${s.id}: ${figures}`);
    return undefined;
  }
  return { mode, family: s.family, sweep: s.id, hardwareId: s.hardwareId, ...(donor ? { donor: donor.id, donorHardwareId: donor.hardwareId } : {}), figures };
}

function runFamily(family: EngineFamilyId, members: readonly Sweep[]): { records: LosoRecord[]; fits: Map<string, CalibrationValues> } {
  const records: LosoRecord[] = [];
  const fits = new Map<string, CalibrationValues>();
  for (const s of members) {
    const a = record('shipped', s, shippedFor(s).values);
    if (!a) continue; // a sweep servesim cannot simulate at all is listed as such, not scored
    records.push(a);
    const fit = ownFit(s, family);
    fits.set(s.id, fit.values);
    const c = record('in-sample', s, fit.values);
    if (c) records.push(c);
    log(`${family} ${s.id}: fitted, ${fit.note}`);
  }
  for (const donor of members)
    for (const t of members) {
      const fit = fits.get(donor.id);
      if (t === donor || !fit || !fits.has(t.id)) continue;
      const b = record('loso', t, valuesFor(fit, donor.hardwareId, t, donor), donor);
      if (b) records.push(b);
    }
  return { records, fits };
}

const JOINT_ITERATIONS = 5;

/**
 * The usual leave-one-out on blis_vllm (the source with means, one GPU): each sweep predicted by a joint
 * fit on all the others. 13 joint fits of 12 sweeps: the most expensive part of the run, fewer iterations.
 */
function jointLoso(members: readonly Sweep[]): LosoRecord[] {
  const blis = members.filter((s) => s.source === 'blis_vllm' && typeof s.predict(datasheet(s)) !== 'string');
  const out: LosoRecord[] = [];
  for (const held of blis) {
    const others = blis.filter((s) => s !== held);
    const fit = fitSweeps(others, datasheet(held), held.family, { ...DEFAULT_FIT_SETTINGS, maxIterations: JOINT_ITERATIONS });
    const r = record('loso-joint', held, fit.values);
    if (r) out.push(r);
    log(`joint fit without ${held.id}: ${fit.evaluations} evaluations`);
  }
  return out;
}
/**
 * Leave-one-GPU-out: for each GPU B of the family with data, B's own joint fit (in sample) vs each other
 * GPU A's joint fit transferred to B vs B's datasheet defaults. The H100 vLLM V1 "fit" is the shipped one
 * (fitted on the same blis_vllm non-eval runs), to spare a 13-sweep joint fit.
 */
function transferRows(family: EngineFamilyId, members: readonly Sweep[]): TransferRow[] {
  const gpus = [...new Set(members.map((s) => s.hardwareId))].sort();
  if (gpus.length < 2) return [];
  const joint = new Map<string, CalibrationValues>();
  for (const g of gpus) {
    const own = members.filter((s) => s.hardwareId === g);
    const ship = shipped.find((c) => c.hardware === g && c.engine === own[0]!.engine && !c.engine_versions);
    joint.set(g, family === 'vllm-v1' && ship ? ship.values : fitSweeps(own, datasheet(own[0]!), family).values);
    log(`${family} joint fit on ${g} (${own.length} sweeps)`);
  }
  const rows: TransferRow[] = [];
  for (const b of gpus) {
    const own = members.filter((s) => s.hardwareId === b);
    const score = (values: (s: Sweep) => CalibrationValues) => own.flatMap((s) => record('transfer', s, values(s))?.figures ?? []);
    rows.push({ family, target: b, basis: 'own fit (in sample)', figures: score(() => joint.get(b)!) });
    rows.push({ family, target: b, basis: 'datasheet only', figures: score((s) => datasheet(s)) });
    for (const a of gpus.filter((g) => g !== b)) rows.push({ family, target: b, basis: `transferred from ${a}`, figures: score((s) => valuesFor(joint.get(a)!, a, s)) });
  }
  return rows;
}

/** The mechanism and the data behind each missed target, as read from the per-sweep table and the fits. */
function whyTargetsMissed(): string[] {
  return [
    '### Why targets are missed',
    '',
    '- **Means exist only where sources measure them.** blis_vllm, vllm_buildkite and the vllm-bench examples state means; InferenceX and sglang_bench state medians and p99s only. The mean-based targets are therefore decided by blis_vllm (vLLM 0.15.1, H100).',
    "- **vLLM V1, one blis_vllm sweep predicting the other blis_vllm sweeps (“same source”) meets 10% on TPOT and E2E means (9.7%, 9.5%) and misses it on TTFT by a fraction (10.4%); over all pairs, other sources' sweeps included, TTFT and TPOT miss (13.6%, 10.6%; E2E 9.9%)**, while most sweeps fit in sample to a few per cent (column (c): TTFT 3.2%, TPOT 3.1%). One sweep — one model, one or two loads, 7–14 figures — cannot separate weight streaming, KV reads, all-reduce latency and the fixed per-step GPU cost: a Llama-2-7B TP1 fit (KV-heavy MHA) moves the weight/KV efficiencies in a way that does not carry to a 70B at TP4. The shipped `vllm-h100-sxm` (column (a), in sample for these runs; it weighs every model alike) reaches TTFT 6.7%, TPOT 5.5%, E2E 5.8%; a joint fit on the other sweeps predicting the held-out one (b′; per-stage weights, as `servesim calibrate` fits) meets every target: TTFT 7.1%, TPOT 8.6%, E2E 7.7%, TTFT p99 15.6%, E2E p99 8.9%. What no shared parameter removes is per model: with per-stage weights, decode over-predicted ~20% for Mistral-Nemo-12B TP1 and CodeLlama-34B TP2 and under-predicted 6–14% for Llama-2-7B TP1 (MHA) (Llama-4-Scout's low-load miss was its EP2, now simulated: docs/cost-model.md); weighing each model alike trades these against each other (docs/validation.md, showdown section).",
    "- **blis_vllm reasoning-lite runs (1 req/s, 1,034-token prompts, mean outputs 1–23% short of a 1,448-token cap).** Until wave 6 the replay assumed every prompt but its last token was a prefix-cache hit, and these runs' TTFT came out 12–50% under in every fit. The replay now simulates vLLM's prefix cache on the 100 prompts inference-perf cycles through (scripts/showdown.ts, sharedPrefixBlockHashes; the shortened replays here warm up for 75 requests unscored, so the cold first pass keeps its measured share): Llama-2-7B (0.5 MB of KV per token) and Llama-4-Scout cannot keep 100 reasoning prompts and the outputs released between their turns, so their questions miss (simulated hit rates 9% and 27%), while Qwen2.5-7B (GQA, 57 kB per token) keeps them. In sample (c), TTFT: Llama-2-7B 20.0% → 1.8% (0.8% before its reduced GPU-memory share was read from the campaign manifest), Llama-4-Scout 31.9% → 0.3%. Only Scout's own fit gets there: the shipped calibration and the other sweeps' fits leave it 40–43% under with every question recomputed (its FP8 MoE prefill is slower than modelled, by a mechanism not found). Qwen2.5-7B, whose prompts stay cached, is still 13–15% under ((a) 14.8%, (c) 13.2%): not explained. Llama-2-7B's TPOT stays 24–27% under out of sample ((a), (b), the showdown replay): its MHA decode at 1,000–2,500-token contexts is slower than the shared KV-read efficiency gives.",
    '- **The vLLM V1 median and p99 rows are dominated by InferenceX MiniMax-M2.5 on 8×H200 (TEP8), which servesim predicts ~90% too fast on TTFT.** Measured TTFT grows from 0.4 s (1k-token prompts) to 5–14 s (32k) — prefill at 3–7k tokens/s on eight H200s, 20–40× below the compute bound of a 10B-active MoE. **The time is not spent on the GPU\'s step path:** in the same runs the median TPOT of the requests decoding beside those prefills stays at 13–40 ms (at ISL 16k, concurrency 4, about half of every request\'s life is its TTFT, so a 2.5-s GPU prefill would stall the other requests\' decode steps for seconds; it does not). The delay sits before the engine schedules the prompt: the study\'s client (experimental/token_position_decode_slo/benchmark_serving_random.py) sends random-token prompts as text (token ids decoded, then re-encoded to the target length) through /v1/completions, opening a new HTTP session per request, and the server tokenises that text in its API frontend; the same pattern (TTFT of 25–50 decode steps, decode unaffected) appears in InferenceX\'s SGLang B200 runs. The workload mapping is right (fixed lengths, 10 × concurrency requests at rate inf under max concurrency); what the step model lacks is a per-request frontend delay that grows with prompt length and runs beside the engine — `prefill_token_overhead_us` is a step cost that would stall decode, `client_overhead_ms` is fixed. No GPU calibration within physical bounds reaches it (the in-sample fits end with `gemm_efficiency` at its 0.2 minimum), so the per-GPU calibrations fit InferenceX on per-token TPOT only (docs/validation-engine-gpus.md), and the joint and leave-one-GPU-out fits here leave the frontend out. **Since wave 5 servesim has that stage** (src/serving/frontend.ts: FIFO workers, a cost per prompt token): fitted on half of the MiniMax-M2.5 runs (6 workers × 204 µs per token), it brings the other half\'s TTFT from 90.5% to 21.3% median APE and its p99 from 82.0% to 27.3% (docs/validation-frontend.md). The per-sweep fits (b) and (c) of InferenceX add it (see the fit settings below): the per-sweep table shows what it leaves; the (b) pairs of other models or sources get no frontend. These fits, transferred to the other sources, are what makes the "other sources" column large.',
    '- **vLLM 0.6.0 (sglang_bench_vllm060) ran `--num-scheduler-steps 10`**: multi-step scheduling streams 10 tokens a chunk (its ITL is dropped here, as a stream interval) and admits new requests only between 10-step rounds, so measured TTFT is several decode steps longer than single-step admission. Until wave 6 servesim admitted at every step and under-predicted that TTFT by ~70%; it now simulates the rounds (`--scheduler-steps`, read from the stated version): vllm-v0 TTFT median (a) 16.7% → 10.2%, (b) 74.4% → 26.3%, (c) 51.6% → 15.6%. What is left is fit quality on four sweeps with one or two loads each: the vllm_buildkite sweeps have one load each (QPS 1), and the legacy H100 profile is identified on step overhead alone.',
    '- **SGLang on B200 (InferenceX DeepSeek-R1 FP4, `--stream-interval 10`): TTFT 350–630 ms = 25–50 decode steps, under-predicted ~90%.** The fit reaches TPOT 4% and E2E 14% in sample only by pushing `gemm_efficiency` to its minimum and `client_overhead_ms` to its maximum: a mechanism is missing (candidates: the first chunk waiting for the stream interval, FP4 MLA prefill cost). That is why the shipped `sglang-b200` profile is fitted on TPOT only (docs/validation-engine-gpus.md). The SGLang 0.3.0 sweeps (sglang_bench) state medians at two loads per GPU.',
    '',
  ];
}

const lines: string[] = [];
const allRecords: LosoRecord[] = [];
const allTransfers: TransferRow[] = [];
for (const family of ENGINE_FAMILIES) {
  const members = sweeps.filter((s) => s.family === family);
  log(`${family}: ${members.length} sweeps`);
  const { records } = runFamily(family, members);
  if (family === 'vllm-v1' && process.env['SERVESIM_LOSO_JOINT'] !== '0') records.push(...jointLoso(members));
  allRecords.push(...records);
  allTransfers.push(...transferRows(family, members.filter((s) => records.some((r) => r.sweep === s.id && r.mode === 'in-sample'))));
  writeFamilyPlot(join(packageRoot(), 'docs', 'img', `loso-${family}.svg`), family, records);
}
lines.push(...familyTables(allRecords));
lines.push(...perSweepTable(allRecords, sweeps));
lines.push(...transferTable(allTransfers));
lines.push(...whyTargetsMissed());
lines.push(
  '### What is in and what is left out',
  '',
  '- blis_vllm: the non-eval runs only (the 38 eval experiments are the showdown check set), not overloaded, with published stage rates; decode scored on BLIS\'s derived per-token TPOT, never the per-SSE-event ITL. One run is one sweep; its stages are its loads. Mixtral DP2×EP4 (run 32) cannot be simulated (data-parallel ranks).',
  '- inferencex: rows with speculative decoding (MTP/EAGLE), prefill/decode disaggregation or attention data-parallelism (DEP8) are left out — servesim does not model them; GLM-5, Qwen3.5 and Kimi-K2.5 have no model profile. SGLang runs with `--stream-interval 10` stream one chunk per 10 tokens: their ITL (per chunk) is dropped and decode is scored on TPOT (per token).',
  ...EXCLUDED_RUNS.map((x) => `- ${x.reason}.`),
  '- vllm-bench examples (Llama-3.3-70B TP8): the GPU is taken from their PROVENANCE.md (8×A100 40GB, Azure ND96asr_v4), the engine as vLLM ~0.8 (V1, before async scheduling).',
  '',
);
lines.push(
  `_Fit settings: per sweep, Levenberg–Marquardt from the GPU's datasheet defaults, ${DEFAULT_FIT_SETTINGS.maxIterations} iterations at most (${JOINT_ITERATIONS} for the joint fits of (b′)), one start, the best point visited kept, prior weight ${DEFAULT_FIT_SETTINGS.priorWeight}; ` +
    `parameters fitted per family: ${ENGINE_FAMILIES.map((f) => `${f}: ${FIT_PARAMETERS[f].join(', ')}`).join('; ')}. ` +
    `Sweeps of ${[...FRONTEND_SOURCES].join(', ')} (TTFT held in the API frontend) also get the frontend of scripts/frontend-search.ts in (b) and (c): workers on a grid, the per-token cost by golden section on TTFT, then the step parameters refitted under it, kept where that lowers the fit's own objective; it goes with a fit only to sweeps of the same source and model. ` +
    `Requests simulated: blis_vllm stages for ${BLIS_STAGE_DURATION_SCALE} of their duration (rate × duration × ${BLIS_STAGE_DURATION_SCALE}), other sources as map.ts replays them (stated request counts, at most 6,000). ` +
    `${sweeps.length} sweeps; run time ${((performance.now() - started) / 60000).toFixed(0)} min. Reproduce: \`npm run validate:loso\`._`,
  '',
);
writeFileSync(join(packageRoot(), 'docs', 'validation-loso.md'), lines.join('\n') + '\n');
log('wrote docs/validation-loso.md');
