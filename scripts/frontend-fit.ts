/**
 * Does an API-frontend stage (src/serving/frontend.ts) explain InferenceX's TTFT? Its vLLM H200 and SGLang
 * B200 runs measure TTFT of seconds while decode beside it stays fast (docs/validation-loso.md), and no GPU
 * calibration reaches it. Here the calibration servesim uses for those GPUs today is kept as it is, and only
 * the frontend's two parameters are chosen — frontend_workers on a grid, frontend_prompt_token_us by golden
 * section — on the FIT half of the runs (benchmark-id hash, splitOf), then scored on the CHECK half.
 * Per model as well as per GPU × engine: the per-token cost is the tokeniser's, so it is the model's.
 *
 *   npm run build && nice -n 10 node dist/scripts/frontend-fit.js [--write]   (writes docs/validation-frontend.md)
 *
 * Nothing here is shipped: the fitted frontend measures how the benchmark's prompts (random token ids sent as
 * text) tokenise, a property of that client's prompts as much as of the deployment.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chooseCalibration } from '../src/calibration/choose.ts';
import { splitOf } from '../src/calibration/summary.ts';
import { loadShippedCalibrations } from '../src/profiles/calibrations.ts';
import { packageRoot } from '../src/profiles/package-root.ts';
import { loadProfiles } from '../src/profiles/registry.ts';
import type { CalibrationValues } from '../src/schema/calibration.ts';
import { measuredSweeps, type Sweep, type SweepFigure } from './loso-sweeps.ts';

const registry = loadProfiles();
const shipped = loadShippedCalibrations();
const shared = resolve(packageRoot(), '..', 'shared');
const sweepsOf = (split: 'fit' | 'check'): Sweep[] =>
  measuredSweeps(join(shared, 'measurements'), join(shared, 'examples'), registry, (b) => splitOf(b.id) === split).filter((s) => s.source === 'inferencex');
const halves = { fit: sweepsOf('fit'), check: sweepsOf('check') };
const WORKERS = [1, 2, 3, 4, 5, 6, 8, 12, 16, 32, 64];
const MAX_TOKEN_US = 1000;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
};
const ape = (f: SweepFigure): number => (Math.abs(f.predicted - f.measured) / f.measured) * 100;

type Stat = 'ttft' | 'ttft_p99' | 'tpot' | 'e2e' | 'e2e_p99';
const STATS: readonly Stat[] = ['ttft', 'ttft_p99', 'tpot', 'e2e', 'e2e_p99'];
function statOf(f: SweepFigure): Stat | undefined {
  const tail = f.statistic === 'p99';
  const central = f.statistic === 'median' || f.statistic === 'mean';
  if (f.metric === 'ttft') return tail ? 'ttft_p99' : central ? 'ttft' : undefined;
  if (f.metric === 'e2e') return tail ? 'e2e_p99' : central ? 'e2e' : undefined;
  if (f.metric === 'itl_tpot' && central) return 'tpot';
  return undefined;
}

/** median APE % per statistic over the sweeps' figures under these values */
function score(sweeps: readonly Sweep[], values: CalibrationValues): Record<Stat, number> & { n: number } {
  const by: Record<Stat, number[]> = { ttft: [], ttft_p99: [], tpot: [], e2e: [], e2e_p99: [] };
  for (const s of sweeps) {
    const f = s.predict(values);
    if (typeof f === 'string') continue;
    for (const x of f) {
      const k = statOf(x);
      if (k) by[k].push(ape(x));
    }
  }
  return { ...(Object.fromEntries(STATS.map((k) => [k, median(by[k])])) as Record<Stat, number>), n: by.ttft.length };
}

/** the objective: central TTFT and its p99 alike (the queue shows in the tail) */
const objective = (e: Record<Stat, number>): number => (e.ttft + e.ttft_p99) / 2;

function fitFrontend(sweeps: readonly Sweep[], base: CalibrationValues): { workers: number; tokenUs: number; fit: number } {
  let best = { workers: 1, tokenUs: 0, fit: objective(score(sweeps, base)) };
  for (const workers of WORKERS) {
    const f = (tokenUs: number) => objective(score(sweeps, { ...base, frontend_workers: workers, frontend_prompt_token_us: tokenUs }));
    // golden section on [0, MAX]: the APE is unimodal enough in the per-token cost at a fixed worker count
    let a = 0;
    let b = MAX_TOKEN_US;
    const g = (Math.sqrt(5) - 1) / 2;
    let c = b - g * (b - a);
    let d = a + g * (b - a);
    let fc = f(c);
    let fd = f(d);
    for (let i = 0; i < 14; i++) {
      if (fc < fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - g * (b - a);
        fc = f(c);
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + g * (b - a);
        fd = f(d);
      }
    }
    const tokenUs = Math.round((a + b) / 2);
    const fit = f(tokenUs);
    process.stderr.write(`  workers ${workers}: ${tokenUs} µs/token, objective ${fit.toFixed(1)}\n`);
    if (fit < best.fit) best = { workers, tokenUs, fit };
  }
  return best;
}

const lines: string[] = [];
const say = (line: string) => {
  console.log(line);
  lines.push(line);
};
const cells = (e: Record<Stat, number>) => STATS.map((k) => (Number.isFinite(e[k]) ? e[k].toFixed(1) : '—')).join(' | ');

say('# The API frontend on InferenceX (vLLM H200, SGLang B200)');
say('');
say('Generated by `npm run build && nice -n 10 node dist/scripts/frontend-fit.js --write` (scripts/frontend-fit.ts) — do not edit by hand.');
say('');
say(
  'The calibration servesim uses for each GPU × engine today is kept; only the API frontend (src/serving/frontend.ts: `frontend_workers` FIFO servers, `frontend_prompt_token_us` per prompt token, beside the GPU) is fitted, on the FIT half of the runs, and scored on the CHECK half (benchmark-id hash). Cells: median APE % over the runs\' figures. Nothing here is shipped: the per-token cost is how these clients\' prompts — random token ids sent as text — tokenise on that model, a property of the benchmark as much as of the deployment.',
);
say('');
say('| group | calibration kept | frontend fitted | half | n runs | TTFT | TTFT p99 | TPOT | E2E | E2E p99 |');
say('|---|---|---|---|---|---|---|---|---|---|');
const groups = new Map<string, { label: string; fit: Sweep[]; check: Sweep[] }>();
for (const half of ['fit', 'check'] as const)
  for (const s of halves[half])
    for (const key of [`${s.family} ${s.hardwareId}`, `${s.family} ${s.hardwareId} ${s.modelId}`]) {
      const g = groups.get(key) ?? { label: key, fit: [], check: [] };
      g[half].push(s);
      groups.set(key, g);
    }
for (const g of [...groups.values()].sort((a, b) => a.label.localeCompare(b.label))) {
  const first = g.fit[0] ?? g.check[0]!;
  const cal = chooseCalibration(registry.getHardware(first.hardwareId), first.engine, shipped, undefined, first.engineVersion);
  process.stderr.write(`${g.label}: ${cal.id}\n`);
  if (g.fit.length === 0) continue;
  const fe = fitFrontend(g.fit, cal.values);
  const withFrontend = { ...cal.values, frontend_workers: fe.workers, frontend_prompt_token_us: fe.tokenUs };
  const runs = (set: readonly Sweep[]) => set.reduce((n, s) => n + s.runs.length, 0);
  for (const half of ['fit', 'check'] as const) {
    say(`| ${g.label} | ${cal.id} (${cal.provenance}) | none | ${half} | ${runs(g[half])} | ${cells(score(g[half], cal.values))} |`);
    const edge = fe.workers === WORKERS[WORKERS.length - 1] ? ' (the grid\'s largest: no queueing, a pure delay)' : '';
    say(`| ${g.label} | ${cal.id} (${cal.provenance}) | ${fe.workers} workers${edge} × ${fe.tokenUs} µs/token | ${half} | ${runs(g[half])} | ${cells(score(g[half], withFrontend))} |`);
  }
}
say('');
if (process.argv.includes('--write')) writeFileSync(join(packageRoot(), 'docs', 'validation-frontend.md'), lines.join('\n') + '\n');
