import type { Argv, CommandModule } from 'yargs';

/**
 * A CLI command. Handlers take the flag interfaces each command declares (with exactOptionalPropertyTypes
 * those do not line up with yargs' inferred types), so registration goes through `asYargs`, the one
 * place that bridges the two.
 */
export interface CliCommand<F> {
  readonly command: string;
  readonly describe: string;
  readonly builder: (y: Argv) => Argv<unknown>;
  readonly handler: (argv: F) => void | Promise<void>;
}

export function defineCommand<F>(c: CliCommand<F>): CliCommand<F> {
  return c;
}

export function asYargs<F>(c: CliCommand<F>): CommandModule {
  return c as unknown as CommandModule;
}
