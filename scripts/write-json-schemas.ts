/**
 * Writes JSON Schemas generated from the zod schemas (the single definition of every file format) to
 * schemas/, so editors validate profile and scenario YAML through `# yaml-language-server: $schema=...`, and
 * users can validate every `--json` result document (src/cli/document-schemas.ts).
 * Run with `npm run schemas`; a test fails when the committed files are stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/profiles/package-root.ts';
import { documentJsonSchemas } from '../src/cli/document-schemas.ts';
import { jsonSchemas } from '../src/schema/json-schema.ts';

const dir = join(packageRoot(), 'schemas');
for (const [name, schema] of Object.entries({ ...jsonSchemas(), ...documentJsonSchemas() })) {
  writeFileSync(join(dir, `${name}.schema.json`), JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote schemas/${name}.schema.json`);
}
