/**
 * Count how a built servesim tree handles the hostile corpus (cases.ts): each CLI case is run as its own
 * process with a 60 s limit, each library case in this process. Prints one line per case and the totals
 * the issue reports: cases tried, internal errors, hangs, silent wrong outputs, lost data.
 *
 *   npx tsx test/hostile/census.ts [ROOT]      (ROOT: a built tree, default this checkout; run npm run build first)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Lib from '../../src/index.ts';
import { CLI_CASES, LIB_CASES, makeFixtures } from './cases.ts';

type Verdict = 'ok' | 'internal error' | 'hang' | 'silent wrong output' | 'lost data' | 'unclear error';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(here, '..', '..'));
const dir = mkdtempSync(join(tmpdir(), 'servesim-census-'));
makeFixtures(dir, join(here, '..', '..'));
const counts = new Map<Verdict, number>();
const tally = (name: string, v: Verdict, detail: string) => {
  counts.set(v, (counts.get(v) ?? 0) + 1);
  process.stdout.write(`${v.padEnd(20)} ${name}${v === 'ok' ? '' : `  — ${detail.replace(/\s+/g, ' ').slice(0, 160)}`}\n`);
};

for (const c of CLI_CASES) {
  c.setup?.(dir);
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SERVESIM_')));
  const r = spawnSync(process.execPath, [join(root, 'dist', 'src', 'cli', 'main.js'), ...c.args(dir)], {
    env: { ...env, ...c.env, CI: 'true' },
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 256 << 20,
  });
  const stderr = r.stderr ?? '';
  const shown = c.exit === 0 ? (r.stdout ?? '') : stderr;
  const lost = c.after?.(dir);
  let v: Verdict;
  if (r.error || r.signal) v = 'hang';
  else if (/internal error/.test(stderr)) v = 'internal error';
  else if (lost) v = 'lost data';
  else if (r.status === c.exit && c.message.test(shown)) v = 'ok';
  else if (r.status === 0) v = 'silent wrong output'; // exit 0 where an error was due, or output missing what it must say
  else v = 'unclear error'; // a refusal, but with the wrong exit code or a message not naming the field/file
  tally(`[${c.section}] ${c.name}`, v, `exit ${r.status ?? r.signal}: ${lost ?? (shown || stderr)}`);
}

const lib = (await import(pathToFileURL(join(root, 'dist', 'src', 'index.js')).href)) as typeof Lib;
const registry = lib.loadProfiles();
const model = registry.getModel('llama-3.1-8b');
const hardware = registry.getHardware('h200-sxm');
const prepared = lib.prepareDeployment(model, hardware, {}, lib.chooseCalibration(hardware, 'vllm', lib.loadShippedCalibrations()));
for (const c of LIB_CASES) {
  let v: Verdict;
  let detail = '';
  try {
    const out = c.call(lib, prepared);
    v = 'silent wrong output';
    detail = `returned ${JSON.stringify(out, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x))?.slice(0, 120)}`;
  } catch (e) {
    const name = e instanceof Error ? e.name : typeof e;
    detail = `${name}: ${e instanceof Error ? e.message : String(e)}`;
    if (name !== 'InputError' && name !== 'InfeasibleError' && name !== 'ServesimError') v = 'internal error';
    else v = name === c.error && c.message.test(e instanceof Error ? e.message : '') ? 'ok' : 'unclear error';
  }
  tally(`[library] ${c.name}`, v, detail);
}
rmSync(dir, { recursive: true, force: true });

const n = CLI_CASES.length + LIB_CASES.length;
const get = (v: Verdict) => counts.get(v) ?? 0;
process.stdout.write(
  `\n${root}: ${n} cases tried; ${get('internal error')} internal errors, ${get('hang')} hangs, ${get('silent wrong output')} silent wrong outputs, ` +
    `${get('lost data')} lost data, ${get('unclear error')} unclear errors (wrong exit code or a message not naming the field/file), ${get('ok')} as expected\n`,
);
