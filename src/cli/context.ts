import type { Options } from 'yargs';
import { CHOICE_FLAGS } from '../schema/deployment-flags.ts';

// The deployment flag vocabulary and its parser live in schema/ (planning and sweeps use them too); this
// module turns the schema's flag table into yargs options and keeps the CLI's names.
export { choiceFromFlags, type DeploymentFlags } from '../schema/deployment-flags.ts';
export { DeploymentResolver as CliContext } from '../planning/deployment-resolver.ts';

/** One yargs option per DeploymentChoiceSchema field (help text and default from the schema), plus the profile ids. */
export const DEPLOYMENT_OPTIONS: Readonly<Record<string, Options>> = {
  model: { type: 'string', describe: 'model profile id (servesim profiles list)', demandOption: true },
  hardware: { type: 'string', describe: 'hardware profile id', demandOption: true },
  ...Object.fromEntries(
    CHOICE_FLAGS.map((f): [string, Options] => [f.name, { type: f.kind, describe: f.describe, ...(f.choices ? { choices: f.choices } : {}) }]),
  ),
  calibration: { type: 'string', describe: 'calibration profile file (default: shipped for this GPU and engine)' },
};
