/**
 * The library as a user gets it: `npm pack` the project, install the tarball into a scratch project in a
 * temp folder, compile a strict-TypeScript script that calls plan, compare, sweep, calibrate and validate
 * from 'servesim' (and the README's Library examples, type-checked only), and run it.
 *
 * The install is offline from the npm cache (`npm ci` put every dependency there); when the cache lacks
 * registry metadata it retries with --prefer-offline. Skipped only when npm itself is not available.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const npmAvailable = spawnSync('npm', ['--version'], { encoding: 'utf8' }).status === 0;
const FIXTURE = join(root, 'test', 'fixtures', 'importers', 'guidellm-v0.4_llama31-8b_h100_tp1_sweep.json');

/** Newest modification time of the files under `dir` (recursively). */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The ```ts blocks of the README's "## Library" section. */
function readmeLibraryExamples(readme: string): string[] {
  const start = readme.indexOf('\n## Library\n');
  if (start < 0) return [];
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

const SCRIPT = `
import { calibrate, compare, plan, sweep, validate, InputError } from 'servesim';
import type { CalibrateResult, CompareResult, PlanResult, SweepResult, ValidationReport } from 'servesim';

// the exports are typed, not any: each of these fails to compile if its type is any
type IsAny<T> = 0 extends 1 & T ? true : false;
const typed: [IsAny<typeof plan>, IsAny<typeof compare>, IsAny<typeof sweep>, IsAny<typeof calibrate>, IsAny<typeof validate>] = [false, false, false, false, false];
// never called: only the compiler looks at it
export const typeOnly = () => {
  // @ts-expect-error a plan needs a deployment
  plan({ workload: 'chat' });
};

const measurements = [process.argv[2] as string];
const search = { seeds: 1, minRequests: 200, maxRequests: 400, spanS: 5, tolerance: 0.2, maxIterations: 4 };
const p: PlanResult = plan({ deployment: { model: 'llama-3.2-1b', hardware: 'h100-sxm' }, workload: 'chat', targetRatePerS: 10, search });
const c: CompareResult = compare({ candidates: 'llama-3.2-1b@h100-sxm:tp=1,llama-3.2-1b@h200-nvl:tp=1', workload: 'chat', targetRatePerS: 10, search });
const s: SweepResult = await sweep({ axes: { model: 'llama-3.2-1b', hardware: 'h100-sxm', rate: '2,4' }, fixed: { workload: 'chat', 'max-requests': 100 } });
const v: ValidationReport = validate({ measurements, hardware: 'h100-sxm' });
const k: CalibrateResult = calibrate({ measurements, hardware: 'h100-sxm', maxIterations: 1 });
let inputError = '';
try {
  plan({ deployment: { model: 'no-such-model', hardware: 'h100-sxm' } });
} catch (e) {
  if (e instanceof InputError) inputError = e.message;
}
console.log(JSON.stringify({
  typed,
  plan: { feasible: p.feasible, perReplica: p.capacity.perReplicaRatePerS, replicas: p.target?.replicas ?? null },
  compare: { rows: c.rows.length, cheapest: c.best['lowest $/Mtok'] ?? null, unpriced: c.costRanking.unpriced.map((u) => u.hint) },
  sweep: { rows: s.rows.length, ok: s.rows.filter((r) => r.status === 'ok').length },
  validate: { mapped: v.coverage.mapped, summary: v.summary.length },
  calibrate: { id: k.calibration.id, fitted: k.fitted.length },
  inputError,
}));
`;

describe.skipIf(!npmAvailable)('the packed library in a scratch project (strict TypeScript)', () => {
  let dir = '';
  let out: Record<string, unknown> = {};

  beforeAll(() => {
    // `npm test` builds first; a standalone run rebuilds only when src is newer than dist
    const dist = join(root, 'dist', 'src', 'index.js');
    if (!existsSync(dist) || statSync(dist).mtimeMs < newest(join(root, 'src'))) npm(['run', 'build'], root);
    dir = mkdtempSync(join(tmpdir(), 'servesim-pack-'));
    const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root)) as Array<{ filename: string }>;
    const tarball = join(dir, packed[0]!.filename);
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    const install = ['install', '--no-audit', '--no-fund', '--ignore-scripts', tarball];
    try {
      npm([...install, '--offline'], app);
    } catch {
      npm([...install, '--prefer-offline'], app); // the cache holds the tarballs but not the registry metadata
    }
    writeFileSync(join(app, 'main.ts'), SCRIPT);
    const examples = readmeLibraryExamples(readFileSync(join(root, 'README.md'), 'utf8'));
    examples.forEach((code, i) => writeFileSync(join(app, `readme-${i + 1}.ts`), code));
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'out',
          strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: true,
          types: ['node'], typeRoots: [join(root, 'node_modules', '@types')],
        },
        include: ['*.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], { cwd: app, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`the scratch project does not compile against the packed types:\n${tsc.stdout}${tsc.stderr}`);
    copyFileSync(FIXTURE, join(app, 'benchmarks.json'));
    out = JSON.parse(execFileSync(process.execPath, [join(app, 'out', 'main.js'), join(app, 'benchmarks.json')], { cwd: app, encoding: 'utf8' })) as Record<string, unknown>;
  }, 240_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the README has one Library example per exported command', () => {
    const examples = readmeLibraryExamples(readFileSync(join(root, 'README.md'), 'utf8'));
    for (const fn of ['plan', 'compare', 'sweep', 'calibrate', 'validate']) expect(examples.some((e) => e.includes(`import { ${fn} } from 'servesim'`)), fn).toBe(true);
  });

  it('plan, compare, sweep, calibrate and validate compile under strict TS and run from the installed tarball', () => {
    expect(out['typed']).toEqual([false, false, false, false, false]);
    expect(out['plan']).toMatchObject({ feasible: true, replicas: expect.any(Number) });
    expect((out['plan'] as { perReplica: number }).perReplica).toBeGreaterThan(0);
    expect(out['compare']).toEqual({
      rows: 2,
      cheapest: 'llama-3.2-1b@h100-sxm:tp=1',
      unpriced: ['no price — pass --price h200-nvl=USD_PER_GPU_HOUR'],
    });
    expect(out['sweep']).toEqual({ rows: 2, ok: 2 });
    expect((out['validate'] as { mapped: number }).mapped).toBeGreaterThan(0);
    expect(out['calibrate']).toMatchObject({ id: 'vllm-h100-sxm-fitted' });
    expect(out['inputError']).toMatch(/no-such-model/);
  });
});
