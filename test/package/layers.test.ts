/**
 * The layer rule of .dependency-cruiser.cjs, run in CI through `npm test` (issue 14): src/ imports only
 * downward — schema → profiles → cost → kernel + serving → metrics + workload → simulate → importers →
 * planning + calibration → report → CLI. The fixture proves the rule can fail.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cruiser = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

interface CruiseReport {
  readonly summary: { readonly violations: readonly { readonly from: string; readonly to: string; readonly rule: { readonly name: string } }[] };
}

function violations(cwd: string): string[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [cruiser, 'src', '--config', config, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    // depcruise exits non-zero when it finds violations; its JSON report is still on stdout
    out = (e as { stdout?: string }).stdout ?? '';
  }
  const report = JSON.parse(out) as CruiseReport;
  return report.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
}

/** Upward imports that predate the rule, being moved out (issue 14); may only shrink. */
const KNOWN_DEBT: readonly string[] = [
  'layer-2-no-upward-import: src/profiles/import-hf.ts → src/cost/params.ts',
];

describe('layer rule (dependency-cruiser)', () => {
  it('src/ has no upward import, no cycle between folders, nothing unresolvable', () => {
    expect(violations(root)).toEqual(KNOWN_DEBT);
  }, 60_000);

  it('places every top-level entry of src/ in a layer (an unplaced folder would escape the rule)', () => {
    const { LAYERS } = createRequire(import.meta.url)(config) as { LAYERS: string[][] };
    const placed = new Set(LAYERS.flat());
    expect(readdirSync(join(root, 'src')).filter((e) => !placed.has(e))).toEqual([]);
  });

  it('fails on an upward import (fixture: schema/ importing cli/)', () => {
    expect(violations(join(root, 'test', 'fixtures', 'layers'))).toEqual([
      'layer-1-no-upward-import: src/schema/upward.ts → src/cli/top.ts',
    ]);
  }, 60_000);
});
