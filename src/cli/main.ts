#!/usr/bin/env node
/**
 * The servesim CLI: a thin layer over the library. Parses flags (flags > SERVESIM_* env > --scenario
 * YAML file > defaults), calls library functions, prints results on stdout and diagnostics on stderr.
 * Exit codes: 0 ok, 1 runtime failure or infeasible setup, 2 usage or input error.
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError, ServesimError } from '../diagnostics/errors.ts';
import { checkExternalKeys, checkExternalValues, externalOptions, type KeySources } from './scenario.ts';
import { preflightOutputs } from './outputs.ts';
import { CliContext } from './context.ts';
import { explainCommand } from './commands/explain.ts';
import { modelsCommand, profilesCommand } from './commands/profiles.ts';
import { simulateCommand } from './commands/simulate.ts';
import { calibrateCommand, validateCommand } from './commands/calibration.ts';
import { registerExtraCommands } from './commands/index.ts';
import { asYargs } from './command.ts';
import { printErr } from './output.ts';

export async function main(argv: string[]): Promise<number> {
  let context: CliContext | undefined;
  let profileDirs: string[] = [];
  const ctx = () => (context ??= new CliContext(profileDirs));
  let usageError: string | undefined;

  try {
    return await run();
  } catch (e) {
    return reportError(e);
  }

  async function run(): Promise<number> {
    const external = externalOptions(argv, process.env);
    const parser: Argv = yargs(argv)
      .scriptName('servesim')
      .usage('$0 <command> [options]\n\nCapacity planning for LLM inference serving: roofline cost model + continuous-batching simulation.')
      .option('profiles', { type: 'string', array: true, describe: 'extra folder(s) of hardware/model profiles', global: true })
      .option('scenario', { type: 'string', describe: 'YAML/JSON file of flags (flags and SERVESIM_* env override it)', global: true })
      .config(external.values)
      .middleware((a) => {
        checkExternalKeys(external.sources, knownOptions(parser));
        checkSingleValues(a, optionList(parser, 'array'), external.sources);
        checkValueTypes(external.values, optionList(parser, 'number'), optionList(parser, 'boolean'), external.sources);
        checkExternalValues(external);
      }, true)
      .option('force', { type: 'boolean', describe: 'replace output files that already exist', global: true })
      .middleware((a) => {
        profileDirs = (a['profiles'] as string[] | undefined) ?? [];
        preflightOutputs(a);
      })
      .command(asYargs(simulateCommand(ctx)))
      .command(asYargs(explainCommand(ctx)))
      .command(asYargs(profilesCommand(ctx)))
      .command(asYargs(modelsCommand()))
      .command(asYargs(calibrateCommand(ctx)))
      .command(asYargs(validateCommand(ctx)));
    registerExtraCommands(parser, ctx);
    parser
      .demandCommand(1, 'name a command (servesim --help lists them)')
      .strict()
      .recommendCommands()
      .help()
      .alias('h', 'help')
      .version()
      .wrap(Math.min(120, process.stdout.columns || 100))
      .fail((msg, err) => {
        if (err) throw err;
        usageError = msg;
        throw new InputError(msg);
      });

    await parser.parseAsync();
    return 0;
  }

  function reportError(e: unknown): number {
    if (e instanceof ServesimError) {
      printErr(`servesim: ${e.message}\n`);
      if (usageError) process.stderr.write('run with --help for usage\n');
      return e.exitCode;
    }
    const msg = e instanceof Error ? e.message : String(e);
    printErr(`servesim: internal error: ${msg}\n(this is a bug; set SERVESIM_DEBUG=1 for the stack trace)\n`);
    if (process.env['SERVESIM_DEBUG']) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    return 1;
  }
}

/** The option names yargs knows at this point of the parse (global + the command's own). */
function knownOptions(parser: object): string[] {
  const key = yargsOptions(parser, 'key');
  return key !== null && typeof key === 'object' ? Object.keys(key) : [];
}

/** One list of yargs' option table (e.g. 'array': the options that take several values). */
function optionList(parser: object, list: string): string[] {
  const l = yargsOptions(parser, list);
  return Array.isArray(l) ? l.map(String) : [];
}

// yargs' typings omit getOptions(), which the parser has at run time
function yargsOptions(parser: object, field: string): unknown {
  const getOptions: unknown = Reflect.get(parser, 'getOptions');
  if (typeof getOptions !== 'function') return undefined;
  const opts: unknown = Reflect.apply(getOptions, parser, []);
  return opts !== null && typeof opts === 'object' ? Reflect.get(opts, field) : undefined;
}

/**
 * Scenario and environment values are checked before yargs coerces them (it turns `rate: true` into 1):
 * a number option takes numbers, a switch takes true or false.
 */
function checkValueTypes(values: Record<string, unknown>, numbers: readonly string[], booleans: readonly string[], sources: KeySources): void {
  const numberSet = new Set(numbers);
  const booleanSet = new Set(booleans);
  for (const [key, value] of Object.entries(values)) {
    const isNumber = (v: unknown) => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
    const isBoolean = (v: unknown) => typeof v === 'boolean' || v === 'true' || v === 'false';
    const check = numberSet.has(key) ? isNumber : booleanSet.has(key) ? isBoolean : undefined;
    if (!check) continue;
    const bad = (Array.isArray(value) ? value : [value]).find((v) => !check(v));
    if (bad === undefined) continue;
    throw new InputError(`${sources.get(key) ?? key}: --${key} expects ${check === isNumber ? 'a number' : 'true or false'}, found ${JSON.stringify(bad) ?? String(bad)}`);
  }
}

/** An option that takes one value, given several times (or as a list in a scenario file), is ambiguous. */
function checkSingleValues(argv: Record<string, unknown>, arrayOptions: readonly string[], sources: KeySources): void {
  const arrays = new Set(arrayOptions);
  for (const [key, value] of Object.entries(argv)) {
    if (key === '_' || key === '$0' || !Array.isArray(value) || arrays.has(key) || /[A-Z]/.test(key)) continue;
    const where = sources.get(key);
    throw new InputError(
      `--${key} takes one value, found ${value.length}: ${value.map((v) => JSON.stringify(v)).join(', ')}${where ? ` (from ${where})` : ' (the flag is repeated)'}`,
    );
  }
}

const isEntry = process.argv[1] !== undefined && /cli[\\/]main\.(js|ts)$/.test(process.argv[1]) || process.argv[1]?.endsWith('/servesim');
if (isEntry) {
  main(hideBin(process.argv)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`servesim: internal error: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
