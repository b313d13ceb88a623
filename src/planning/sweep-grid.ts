/**
 * A sweep grid: axes (model, hardware, tp, weights, kv-cache, engine, rate, seed) whose cartesian product
 * gives the points, plus fixed settings shared by every point. Points are numbered in a fixed order
 * (model outermost, seed innermost) so that the index is stable: shards, resume and merge all key on it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../diagnostics/errors.ts';
import { CHOICE_FLAG_NAMES, type DeploymentFlags } from '../schema/deployment-flags.ts';
import { commaList } from './comma-list.ts';

export const AXES = ['model', 'hardware', 'tp', 'weights', 'kv-cache', 'engine', 'replicas', 'decode-replicas', 'rate', 'seed'] as const;
export type Axis = (typeof AXES)[number];

/** Workload settings shared by all points (a subset of simulate's flags). */
export const WORKLOAD_FIXED_KEYS = ['workload', 'data', 'lengths-file', 'dataset', 'slo', 'max-requests', 'profile', 'burstiness', 'warmup', 'cooldown'] as const;
/** The decode pool of P/D points (with the decode-replicas axis): as simulate's --decode-* flags. */
export const PD_FIXED_KEYS = ['decode-hardware', 'decode-tp', 'decode-ep', 'decode-attention-dp', 'pd-same-node'] as const;
/** Deployment-choice flags that are not axes: every one the schema declares, so a new engine setting is a grid key too. */
export const CHOICE_FIXED_KEYS: readonly string[] = CHOICE_FLAG_NAMES.filter((k) => !isAxis(k));
/** Settings shared by all points (a subset of simulate's flags). */
export const FIXED_KEYS: readonly string[] = [...WORKLOAD_FIXED_KEYS, ...CHOICE_FIXED_KEYS, 'calibration', 'router', 'policy', ...PD_FIXED_KEYS];
export type FixedKey = string;
export type FixedSettings = Partial<Record<FixedKey, string | number | boolean>>;

export function isAxis(key: string): key is Axis {
  return AXES.some((a) => a === key);
}

/** The deployment of one point in flag vocabulary: its axes plus the fixed choice settings. */
export function pointDeploymentFlags(fixed: FixedSettings, point: SweepPoint): DeploymentFlags {
  const choice: Record<string, unknown> = {};
  // data too: its prefix_tokens sets the deployment's shared prefix
  for (const k of [...CHOICE_FIXED_KEYS, 'data']) if (fixed[k] !== undefined) choice[k] = fixed[k];
  if (point.tp !== undefined) choice['tp'] = point.tp;
  if (point.weights !== undefined) choice['weights'] = point.weights;
  if (point.kvCache !== undefined) choice['kv-cache'] = point.kvCache;
  if (point.engine !== undefined) choice['engine'] = point.engine;
  const calibration = fixed['calibration'];
  const flags: DeploymentFlags = { model: point.model, hardware: point.hardware, ...(calibration !== undefined ? { calibration: String(calibration) } : {}) };
  return Object.assign(flags, choice);
}

export interface SweepPoint {
  readonly index: number;
  readonly key: string;
  readonly model: string;
  readonly hardware: string;
  /** undefined = the smallest TP that fits */
  readonly tp: number | undefined;
  readonly weights: string | undefined;
  readonly kvCache: string | undefined;
  readonly engine: string | undefined;
  /** replicas behind the router; undefined = 1 (and absent from the key, so older sweeps resume) */
  readonly replicas: number | undefined;
  /** P/D: decode instances, `replicas` then being the prefill instances; undefined = colocated (absent from the key) */
  readonly decodeReplicas?: number | undefined;
  readonly rate: number;
  readonly seed: string;
}

export interface SweepGrid {
  readonly axes: Readonly<Record<Axis, readonly (string | number | undefined)[]>>;
  readonly fixed: FixedSettings;
  /** short hash of the fixed settings: part of every point key, so a resume never mixes sweeps */
  readonly fingerprint: string;
  readonly size: number;
}

/** "5:50:5" (start:stop:step, inclusive) or "5,10,20" or a list of either. */
export function parseRates(spec: string | number | readonly (string | number)[]): number[] {
  const items = commaList(spec);
  const out: number[] = [];
  for (const item of items) {
    if (item.includes(':')) {
      const parts = item.split(':');
      const [a, b, c] = parts.map(Number);
      if (parts.length !== 3 || ![a, b, c].every((x) => x !== undefined && Number.isFinite(x)))
        throw new InputError(`--rate "${item}": expected START:STOP:STEP with numbers, e.g. 5:50:5`);
      if (!(c! > 0)) throw new InputError(`--rate "${item}": the step must be > 0, found ${c}`);
      if (!(a! > 0)) throw new InputError(`--rate "${item}": the start must be > 0 requests/s, found ${a}`);
      if (b! < a!) throw new InputError(`--rate "${item}": the stop (${b}) is below the start (${a}); expected START <= STOP`);
      const n = Math.floor((b! - a!) / c! + 1e-9);
      if (n > 100_000) throw new InputError(`--rate "${item}": ${n + 1} rates is too many`);
      for (let i = 0; i <= n; i++) out.push(Number((a! + i * c!).toPrecision(12)));
    } else {
      const v = Number(item);
      if (!(Number.isFinite(v) && v > 0)) throw new InputError(`--rate: "${item}" is not a positive number of requests/s`);
      out.push(v);
    }
  }
  if (out.length === 0) throw new InputError('--rate: give at least one rate, e.g. --rate 5:50:5');
  return out;
}

function list(v: unknown, axis: string): string[] {
  const items = commaList(v);
  if (items.length === 0) throw new InputError(`sweep: --${axis} is empty`);
  return items;
}

/** Build the grid from axis values (flags win over the YAML file). */
export function buildGrid(flagAxes: Partial<Record<Axis, unknown>>, flagFixed: FixedSettings, gridFile?: string): SweepGrid {
  let fileAxes: Partial<Record<Axis, unknown>> = {};
  let fileFixed: FixedSettings = {};
  if (gridFile) ({ axes: fileAxes, fixed: fileFixed } = readGridFile(gridFile));
  const get = (a: Axis) => (flagAxes[a] !== undefined ? flagAxes[a] : fileAxes[a]);
  const need = (a: Axis) => {
    const v = get(a);
    if (v === undefined) throw new InputError(`sweep: no ${a} given; pass --${a} (comma-separated list) or put "${a}:" in the --grid file`);
    return v;
  };
  const counts = (a: 'tp' | 'replicas' | 'decode-replicas') =>
    get(a) === undefined
      ? [undefined]
      : list(get(a), a).map((t) => {
          const n = Number(t);
          if (!(Number.isInteger(n) && n >= 1)) throw new InputError(`sweep: --${a} values must be whole numbers >= 1, found "${t}"`);
          return n;
        });
  const opt = (a: Axis) => (get(a) === undefined ? [undefined] : list(get(a), a));
  const axes: Record<Axis, (string | number | undefined)[]> = {
    model: list(need('model'), 'model'),
    hardware: list(need('hardware'), 'hardware'),
    tp: counts('tp'),
    weights: opt('weights'),
    'kv-cache': opt('kv-cache'),
    engine: opt('engine'),
    replicas: counts('replicas'),
    'decode-replicas': counts('decode-replicas'),
    rate: parseRates(need('rate') as string),
    seed: get('seed') === undefined ? ['42'] : list(get('seed'), 'seed'),
  };
  for (const a of AXES) if (new Set(axes[a]).size !== axes[a].length) throw new InputError(`sweep: --${a} lists a value twice`);
  const fixed: FixedSettings = { ...fileFixed };
  for (const [k, v] of Object.entries(flagFixed)) if (v !== undefined) fixed[k] = v;
  const canonical = JSON.stringify(Object.keys(fixed).sort().map((k) => [k, fixed[k]]));
  const fingerprint = createHash('sha256').update(canonical).digest('hex').slice(0, 8);
  const size = AXES.reduce((n, a) => n * axes[a].length, 1);
  if (size > 1_000_000) throw new InputError(`sweep: ${size} points is too many (limit 1,000,000)`);
  return { axes, fixed, fingerprint, size };
}

export function readGridFile(file: string): { axes: Partial<Record<Axis, unknown>>; fixed: FixedSettings } {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError(`${file}: cannot read sweep grid: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError(`${file}: a sweep grid must be a mapping, e.g. "model: [llama-3.1-8b]"`);
  const axes: Partial<Record<Axis, unknown>> = {};
  const fixed: FixedSettings = {};
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (isAxis(k)) axes[k] = v;
    else if (FIXED_KEYS.includes(k)) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new InputError(`${file}: "${k}" must be a single value`);
      fixed[k] = v;
    } else throw new InputError(`${file}: unknown key "${k}"; grid axes: ${AXES.join(', ')}; fixed settings: ${FIXED_KEYS.join(', ')}`);
  }
  return { axes, fixed };
}

/** The point at `index` (model outermost, seed innermost). */
export function pointAt(grid: SweepGrid, index: number): SweepPoint {
  let rest = index;
  const pick: Partial<Record<Axis, string | number | undefined>> = {};
  for (let i = AXES.length - 1; i >= 0; i--) {
    const a = AXES[i]!;
    const values = grid.axes[a];
    pick[a] = values[rest % values.length];
    rest = Math.floor(rest / values.length);
  }
  const p = {
    index,
    model: String(pick.model),
    hardware: String(pick.hardware),
    tp: pick.tp as number | undefined,
    weights: pick.weights as string | undefined,
    kvCache: pick['kv-cache'] as string | undefined,
    engine: pick.engine as string | undefined,
    replicas: pick.replicas as number | undefined,
    decodeReplicas: pick['decode-replicas'] as number | undefined,
    rate: pick.rate as number,
    seed: String(pick.seed),
  };
  const key = [
    p.model, p.hardware, `tp=${p.tp ?? 'auto'}`, `weights=${p.weights ?? 'native'}`, `kv=${p.kvCache ?? 'default'}`,
    `engine=${p.engine ?? 'default'}`, ...(p.replicas !== undefined ? [`replicas=${p.replicas}`] : []),
    ...(p.decodeReplicas !== undefined ? [`decode=${p.decodeReplicas}`] : []), `rate=${p.rate}`, `seed=${p.seed}`, `cfg=${grid.fingerprint}`,
  ].join('|');
  return { ...p, key };
}

export function allPoints(grid: SweepGrid): SweepPoint[] {
  return Array.from({ length: grid.size }, (_, i) => pointAt(grid, i));
}
