/**
 * Leave-one-sweep-out validation (issue 11, item 3), per engine family, per metric and statistic:
 *   (a) shipped — each sweep predicted with the calibration servesim ships for its GPU and engine;
 *   (b) LOSO    — a profile fitted on ONE sweep predicts every OTHER sweep of the same engine family
 *                 (other lengths, loads, models, GPUs; another GPU gets the fit through the transfer rule
 *                 of src/profiles/calibrations.ts);
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
import { chooseCalibration, loadShippedCalibrations, transferCalibration } from '../src/profiles/calibrations.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import type { CalibrationValues } from '../src/schema/calibration.ts';
import { DEFAULT_FIT_SETTINGS, FIT_PARAMETERS, fitSweeps } from './loso-fit.ts';
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

/** A fit of sweep(s) on one GPU, as it applies to sweep `t`: itself on that GPU, transferred elsewhere. */
function valuesFor(fit: CalibrationValues, donorHardware: string, t: Sweep): CalibrationValues {
  if (t.hardwareId === donorHardware) return fit;
  return transferCalibration({ id: 'loso-donor', hardware: donorHardware, engine: t.engine, description: 'loso', values: fit, sources: [] }, registry.getHardware(t.hardwareId), t.engine).values;
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
    const fit = fitSweeps([s], datasheet(s), family);
    fits.set(s.id, fit.values);
    const c = record('in-sample', s, fit.values);
    if (c) records.push(c);
    log(`${family} ${s.id}: fitted in ${fit.iterations} iterations, ${fit.evaluations} evaluations`);
  }
  for (const donor of members)
    for (const t of members) {
      const fit = fits.get(donor.id);
      if (t === donor || !fit || !fits.has(t.id)) continue;
      const b = record('loso', t, valuesFor(fit, donor.hardwareId, t), donor);
      if (b) records.push(b);
    }
  return { records, fits };
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

const lines: string[] = [];
const allRecords: LosoRecord[] = [];
const allTransfers: TransferRow[] = [];
for (const family of ENGINE_FAMILIES) {
  const members = sweeps.filter((s) => s.family === family);
  log(`${family}: ${members.length} sweeps`);
  const { records } = runFamily(family, members);
  allRecords.push(...records);
  allTransfers.push(...transferRows(family, members.filter((s) => records.some((r) => r.sweep === s.id && r.mode === 'in-sample'))));
  writeFamilyPlot(join(packageRoot(), 'docs', 'img', `loso-${family}.svg`), family, records);
}
lines.push(...familyTables(allRecords));
lines.push(...perSweepTable(allRecords, sweeps));
lines.push(...transferTable(allTransfers));
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
  `_Fit settings: per sweep, Levenberg–Marquardt from the GPU's datasheet defaults, ${DEFAULT_FIT_SETTINGS.maxIterations} iterations at most, one start, prior weight ${DEFAULT_FIT_SETTINGS.priorWeight}; ` +
    `parameters fitted per family: ${ENGINE_FAMILIES.map((f) => `${f}: ${FIT_PARAMETERS[f].join(', ')}`).join('; ')}. ` +
    `Requests simulated: blis_vllm stages for ${BLIS_STAGE_DURATION_SCALE} of their duration (rate × duration × ${BLIS_STAGE_DURATION_SCALE}), other sources as map.ts replays them (stated request counts, at most 6,000). ` +
    `${sweeps.length} sweeps; run time ${((performance.now() - started) / 60000).toFixed(0)} min. Reproduce: \`npm run validate:loso\`._`,
  '',
);
writeFileSync(join(packageRoot(), 'docs', 'validation-loso.md'), lines.join('\n') + '\n');
log('wrote docs/validation-loso.md');
