/**
 * Where option values come from besides the command line: a `--scenario` YAML/JSON file and SERVESIM_*
 * environment variables. Both are read here, before yargs sees them, so a broken file is an input error
 * naming the file (yargs would wrap it as an internal error) and every key can be checked against the
 * command's options with a did-you-mean. Precedence: flags > environment > scenario file > defaults.
 */
import { z } from 'zod';
import { didYouMean, InputError } from '../diagnostics/errors.ts';
import { readTextFile } from '../io/read-text.ts';
import { parseWorkloadFlags, WORKLOAD_FLAG_NAMES } from '../planning/workload-flag-schema.ts';
import { parseValidated } from '../profiles/validate-file.ts';
import { CHOICE_FLAG_NAMES, choiceFromFlags } from '../schema/deployment-flags.ts';

/**
 * SERVESIM_* variables that are not options: read by the tools themselves, never mapped to a flag.
 * Every other SERVESIM_X_Y variable sets the option --x-y.
 */
export const RESERVED_ENV: Readonly<Record<string, string>> = {
  SERVESIM_DEBUG: 'print the stack trace of internal errors',
  SERVESIM_SHARED_DIR: 'the reference-data folder the test suite reads',
  SERVESIM_MEASUREMENTS: 'the measurement folder `npm run validate` reads',
};

const SCENARIO_MAX_BYTES = 1 << 20;

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const ScenarioSchema = z.record(
  z.string(),
  z.union([Scalar, z.array(Scalar)], { error: 'expected a number, a string, true/false or a list of them' }),
);

/** Where one configured key came from, for error messages. */
export type KeySources = Map<string, string>;

export interface ExternalOptions {
  /** flag name → value (scenario values, overridden by environment values) */
  readonly values: Record<string, unknown>;
  readonly sources: KeySources;
}

/** `--scenario FILE` / `--scenario=FILE` on the command line, else SERVESIM_SCENARIO. */
export function scenarioPath(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--scenario') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new InputError('--scenario needs a FILE (YAML or JSON of option: value)');
      return next;
    }
    if (a.startsWith('--scenario=')) return a.slice('--scenario='.length);
  }
  return env['SERVESIM_SCENARIO'];
}

/** Read a scenario file: a mapping of option name → scalar or list of scalars. */
export function readScenario(path: string): Record<string, unknown> {
  if (path.trim() === '') throw new InputError('--scenario: the file name is empty');
  const text = readTextFile(path, 'scenario file', SCENARIO_MAX_BYTES);
  if (text.trim() === '' || parseIsEmpty(text))
    throw new InputError(`${path}: the scenario file is empty; expected a mapping of option: value, e.g. "rate: 5"`);
  const value = parseValidated(text, path, ScenarioSchema, 'scenario file');
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/_/g, '-'), v]));
}

function parseIsEmpty(text: string): boolean {
  return text.split(/\r?\n/).every((l) => l.trim() === '' || l.trim().startsWith('#') || l.trim() === '---');
}

/** SERVESIM_* variables that set options (reserved names excluded), as flag name → string value. */
export function envOptions(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('SERVESIM_') || name in RESERVED_ENV || name === 'SERVESIM_SCENARIO' || value === undefined) continue;
    out[name.slice('SERVESIM_'.length).toLowerCase().replace(/_/g, '-')] = value;
  }
  return out;
}

/** Scenario file values overridden by environment values, with where each key came from. */
export function externalOptions(argv: readonly string[], env: NodeJS.ProcessEnv): ExternalOptions {
  const sources: KeySources = new Map();
  const file = scenarioPath(argv, env);
  const scenario = file !== undefined ? readScenario(file) : {};
  for (const k of Object.keys(scenario)) sources.set(k, `${file} (scenario file): key "${k}"`);
  const fromEnv = envOptions(env);
  for (const k of Object.keys(fromEnv)) sources.set(k, `environment variable SERVESIM_${k.toUpperCase().replace(/-/g, '_')}`);
  return { values: { ...scenario, ...fromEnv }, sources };
}

/** Refuse keys the command has no option for, naming their source and the closest option. */
export function checkExternalKeys(sources: KeySources, known: readonly string[]): void {
  const knownSet = new Set(known);
  const problems: string[] = [];
  for (const [key, source] of sources) {
    if (knownSet.has(key) || knownSet.has(camelCase(key))) continue;
    const guess = didYouMean(key, known.filter((k) => k.length > 1 && !/[A-Z]/.test(k)));
    problems.push(`${source}: this command has no option --${key}${guess ? ` (did you mean "${guess}"?)` : ''}`);
  }
  if (problems.length === 0) return;
  const fromEnv = problems.some((p) => p.startsWith('environment'));
  const note = fromEnv ? `\n(SERVESIM_* variables set options, except ${Object.keys(RESERVED_ENV).join(', ')})` : '';
  throw new InputError(problems.join('\n') + note);
}

/**
 * Check each scenario/environment value of a workload or deployment-choice key against its schema (the same
 * parsers the command runs later), so a bad value names the file or variable it came from.
 */
export function checkExternalValues({ values, sources }: ExternalOptions): void {
  const workloadKeys = new Set<string>(WORKLOAD_FLAG_NAMES);
  const choiceKeys = new Set(CHOICE_FLAG_NAMES);
  const problems: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const parse = workloadKeys.has(key) ? parseWorkloadFlags : choiceKeys.has(key) ? choiceFromFlags : undefined;
    if (!parse) continue;
    try {
      parse({ [key]: value });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push(`${sources.get(key) ?? key}: ${e.message.replace(/^invalid (workload|deployment): /, '')}`);
    }
  }
  if (problems.length > 0) throw new InputError(problems.join('\n'));
}

function camelCase(s: string): string {
  return s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
