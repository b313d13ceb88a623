/**
 * The layer rule (issue 14): src/ is layered, and a module may import only from its own layer or below.
 *   schema → profiles → cost (pure) → kernel + serving → metrics + workload → simulate → importers →
 *   planning + calibration → report → CLI / library index
 * Run by `npm run lint:deps` and in `npm test` (test/package/layers.test.ts); an upward import fails CI.
 * To place a new top-level folder, add it to LAYERS; docs/architecture.md shows the same map.
 */
const LAYERS = [
  ['diagnostics', 'units.ts', 'io'],
  ['schema'],
  ['profiles'],
  ['cost'],
  ['kernel', 'serving'],
  ['metrics', 'workload'],
  ['simulate.ts', 'simulation-config.ts', 'simulation-observer.ts'],
  ['importers'],
  ['planning', 'calibration'],
  ['report'],
  ['cli', 'index.ts'],
];

const pathOf = (entry) => (entry.endsWith('.ts') ? `^src/${entry.replace(/\./g, '\\.')}$` : `^src/${entry}/`);
const anyOf = (entries) => entries.map(pathOf).join('|');

const upward = LAYERS.slice(0, -1).map((layer, rank) => ({
  name: `layer-${rank}-no-upward-import`,
  comment: `${layer.join(', ')} may import only from layers at or below it; not from ${LAYERS.slice(rank + 1).flat().join(', ')}`,
  severity: 'error',
  from: { path: anyOf(layer) },
  to: { path: anyOf(LAYERS.slice(rank + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular-between-folders',
      comment: 'two folders must not import each other (one of them is in the wrong layer)',
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { circular: true, path: '^src/', pathNot: '^src/$1/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'src-not-to-test-or-scripts',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js', '.d.ts'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};

// For test/package/layers.test.ts (not enumerable: dependency-cruiser rejects unknown config keys).
Object.defineProperty(module.exports, 'LAYERS', { value: LAYERS, enumerable: false });
