import type { Argv } from 'yargs';
import { asYargs } from '../command.ts';
import type { CliContext } from '../context.ts';
import { compareCommand } from './compare.ts';
import { mergeCommand } from './merge.ts';
import { planCommand } from './plan.ts';
import { presetsCommand } from './presets.ts';
import { recommendCommand } from './recommend.ts';
import { reportCommand } from './report.ts';
import { sweepCommand } from './sweep.ts';

/**
 * Commands beyond the core four (plan, compare, sweep, merge, calibrate, validate, report) register here,
 * each from its own module.
 */
export function registerExtraCommands(parser: Argv, ctx: () => CliContext): void {
  parser.command(asYargs(planCommand(ctx)));
  parser.command(asYargs(compareCommand(ctx)));
  parser.command(asYargs(recommendCommand(ctx)));
  parser.command(asYargs(sweepCommand(ctx)));
  parser.command(asYargs(mergeCommand()));
  parser.command(asYargs(reportCommand()));
  parser.command(asYargs(presetsCommand()));
}
