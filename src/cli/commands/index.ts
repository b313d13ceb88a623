import type { Argv } from 'yargs';
import type { CliContext } from '../context.ts';

/**
 * Commands beyond the core four (plan, compare, sweep, merge, calibrate, validate, report) register here,
 * each from its own module.
 */
export function registerExtraCommands(parser: Argv, ctx: () => CliContext): void {
  void parser;
  void ctx;
}
