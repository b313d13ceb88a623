import type { Options } from 'yargs';
import { WORKLOAD_FLAGS } from '../planning/workload-flag-schema.ts';

// Flag → workload resolution lives below the CLI (sweep workers use it too); this module turns the workload
// schema's flag table into yargs options and keeps the CLI's names.
export { PROFILES, resolveLengths, resolveWorkloads, type ProfileName, type ResolvedWorkloads, type WorkloadFlags, type WorkloadFlagValues } from '../planning/workload-flags.ts';

/** One yargs option per WorkloadFlagsSchema field (help text and choices from the schema). */
export const WORKLOAD_OPTIONS: Readonly<Record<string, Options>> = Object.fromEntries(
  WORKLOAD_FLAGS.map((f): [string, Options] => [
    f.name,
    { type: f.kind, describe: f.describe, ...(f.array ? { array: true } : {}), ...(f.choices ? { choices: f.choices } : {}) },
  ]),
);
