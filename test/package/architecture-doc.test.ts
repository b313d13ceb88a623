/**
 * docs/architecture.md stays true (issue 14 item 8): every `src/...` path it names exists, its layer table
 * lists exactly the LAYERS of .dependency-cruiser.cjs in order, and README.md links it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');

/** Every distinct `src/...` path in `text` (a trailing sentence dot or slash is not part of it). */
export function srcPaths(text: string): string[] {
  const found = text.match(/\bsrc\/[A-Za-z0-9_./-]*[A-Za-z0-9_/-]/g) ?? [];
  return [...new Set(found)];
}

/** The layer table's rows: the backticked entries of each `| rank | ... |` row, as LAYERS writes them. */
function documentedLayers(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) => [...(line.split('|')[2] ?? '').matchAll(/`src\/([^`]+?)\/?`/g)].map((m) => m[1] ?? ''));
}

describe('docs/architecture.md', () => {
  it('names only src/ paths that exist', () => {
    const paths = srcPaths(doc);
    expect(paths.length).toBeGreaterThan(30);
    expect(paths.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it('shows the layer map of .dependency-cruiser.cjs, in order', () => {
    const { LAYERS } = createRequire(import.meta.url)(join(ROOT, '.dependency-cruiser.cjs')) as { LAYERS: string[][] };
    expect(documentedLayers(doc)).toEqual(LAYERS);
  });

  it('is linked from README.md', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('docs/architecture.md');
  });
});

describe('srcPaths', () => {
  it('finds paths in backticks and prose, without a sentence-ending dot', () => {
    expect(srcPaths('see `src/cost/step-cost.ts` and src/serving/policies/. Then src/a.ts.')).toEqual([
      'src/cost/step-cost.ts',
      'src/serving/policies/',
      'src/a.ts',
    ]);
  });
});
