import { z } from 'zod';

/**
 * What a schema field needs to become a command-line option (and a scenario key, a sweep-grid key, a
 * compare candidate key): registered on the field with `.register(FLAG_META, {...})`.
 */
export interface FlagMeta {
  /** the option name; default: the kebab-case of the field name */
  readonly name?: string;
  /** what the option does, without its default */
  readonly describe: string;
  /** the default in words, for fields whose default is not in the engine defaults table */
  readonly defaultText?: string;
}

export const FLAG_META = z.registry<FlagMeta>();
