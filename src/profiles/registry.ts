import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, unknownName } from '../diagnostics/errors.ts';
import { HardwareFileSchema } from '../schema/hardware.ts';
import { ModelFileSchema } from '../schema/model.ts';
import type { Hardware } from '../schema/resolved-hardware.ts';
import type { Model } from '../schema/resolved-model.ts';
import { toHardware } from './hardware.ts';
import { toModel } from './model.ts';
import { packageRoot } from './package-root.ts';
import { readValidatedFile } from './validate-file.ts';

/**
 * All hardware and model profiles a run can name: the built-in ones shipped in the package, then any
 * from user folders (`--profiles DIR`, which may hold `models/` and `hardware-profiles/` sub-folders or
 * profile files directly). A user profile with the id of a built-in one replaces it.
 */
export interface ProfileRegistry {
  readonly hardware: ReadonlyMap<string, Hardware>;
  readonly models: ReadonlyMap<string, Model>;
  getHardware(id: string): Hardware;
  getModel(id: string): Model;
}

export interface LoadProfilesOptions {
  /** extra folders with user profiles */
  readonly dirs?: readonly string[];
  /** skip the built-in profiles (tests) */
  readonly builtIn?: boolean;
}

const PROFILE_EXT = /\.(ya?ml|json)$/;

export function loadProfiles(options: LoadProfilesOptions = {}): ProfileRegistry {
  const hardware = new Map<string, Hardware>();
  const models = new Map<string, Model>();
  const roots = [...(options.builtIn === false ? [] : [packageRoot()]), ...(options.dirs ?? [])];
  for (const root of roots) {
    if (!existsSync(root)) throw new InputError(`profiles folder "${root}" does not exist`);
    if (!statSync(root).isDirectory())
      throw new InputError(`--profiles ${root}: is a file; --profiles names a folder of profiles (with models/ and hardware-profiles/, or profile files directly)`);
    const hwDir = join(root, 'hardware-profiles');
    const modelDir = join(root, 'models');
    const hasSubdirs = existsSync(hwDir) || existsSync(modelDir);
    if (hasSubdirs) {
      for (const file of profileFiles(hwDir)) addHardware(hardware, file);
      for (const file of profileFiles(modelDir)) addModel(models, file);
    } else {
      // a flat folder of user profiles: tell hardware from models by their fields
      for (const file of profileFiles(root)) {
        if (/hardware|gpu/i.test(file) || fileHasKey(file, 'dense_tflops')) addHardware(hardware, file);
        else addModel(models, file);
      }
    }
  }
  return {
    hardware,
    models,
    getHardware(id) {
      const hw = hardware.get(id) ?? hardware.get(id.toLowerCase());
      if (!hw) throw unknownName('hardware', id, [...hardware.keys()]);
      return hw;
    },
    getModel(id) {
      const m = models.get(id) ?? models.get(id.toLowerCase());
      if (!m) throw unknownName('model', id, [...models.keys()]);
      return m;
    },
  };
}

function profileFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .filter((f) => PROFILE_EXT.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function fileHasKey(file: string, key: string): boolean {
  try {
    return new RegExp(`^${key}:`, 'm').test(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

function addHardware(into: Map<string, Hardware>, file: string): void {
  const parsed = readValidatedFile(file, HardwareFileSchema, 'hardware profile');
  into.set(parsed.id, toHardware(parsed, file));
}

function addModel(into: Map<string, Model>, file: string): void {
  const parsed = readValidatedFile(file, ModelFileSchema, 'model profile');
  into.set(parsed.id, toModel(parsed, file));
}
