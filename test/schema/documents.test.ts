/**
 * Every `--json` document validates against its published schema (issue 12): the golden cases' outputs are
 * parsed with the zod schema the JSON Schema is generated from, and the committed schemas/ files must be what
 * the generator writes today (`npm run schemas`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_SCHEMAS, documentJsonSchemas, type DocumentName } from '../../src/cli/document-schemas.ts';
import { packageRoot } from '../../src/profiles/package-root.ts';
import { jsonSchemas } from '../../src/schema/json-schema.ts';
import { CASES } from '../golden/cases.ts';
import { runCli } from '../helpers/cli.ts';

const SCHEMA_OF: Readonly<Record<string, DocumentName>> = {
  simulate: 'simulate-result',
  plan: 'plan-result',
  compare: 'compare-result',
  sweep: 'sweep-result',
  presets: 'presets-result',
  explain: 'explain-result',
  calibrate: 'calibrate-result',
  validate: 'validate-result',
  profiles: 'profile-result',
};

const jsonCases = CASES.filter((c) => c.args.includes('--json'));

describe('every --json document validates against its published schema', () => {
  it('covers every document kind', () => {
    expect(new Set(jsonCases.map((c) => SCHEMA_OF[c.args[0]!]))).toEqual(new Set(Object.keys(DOCUMENT_SCHEMAS)));
  });
  for (const c of jsonCases) {
    it(c.name, async () => {
      const r = await runCli([...c.args]);
      expect(r.code, r.stderr).toBe(0);
      const name = SCHEMA_OF[c.args[0]!]!;
      const parsed = DOCUMENT_SCHEMAS[name].safeParse(JSON.parse(r.stdout));
      expect(parsed.success ? [] : parsed.error.issues.slice(0, 3), `${c.name} against schemas/${name}.schema.json`).toEqual([]);
      expect(JSON.parse(r.stdout).schemaVersion).toBe(2);
    });
  }
  it('rejects a field the schema does not name', () => {
    const doc = { schemaVersion: 2, presets: [], extra: 1 };
    expect(DOCUMENT_SCHEMAS['presets-result'].safeParse(doc).success).toBe(false);
  });
});

describe('schemas/ is up to date with the generator', () => {
  const all = { ...jsonSchemas(), ...documentJsonSchemas() };
  for (const [name, schema] of Object.entries(all)) {
    it(`schemas/${name}.schema.json`, () => {
      const committed = readFileSync(join(packageRoot(), 'schemas', `${name}.schema.json`), 'utf8');
      expect(committed, 'run npm run schemas').toBe(JSON.stringify(schema, null, 2) + '\n');
    });
  }
});
