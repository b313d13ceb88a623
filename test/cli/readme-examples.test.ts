/**
 * Every `servesim` / `npx servesim` command in the code blocks of README.md and docs/*.md runs as shown
 * (through `node dist/src/cli/main.js`, built by `npm test`), exits 0 — or the code a `# exits N` comment
 * on the command documents — and prints nothing cut mid-sentence.
 *
 * Commands of one document run in order in one scratch folder, so later examples see the files earlier
 * ones wrote. The files a document names but does not make are provided: a small sweep grid (grid.yaml),
 * the shard files of that grid (part-*.jsonl), a GuideLLM sweep (my-guidellm-sweep/benchmarks.json,
 * a test fixture) and a Mooncake-style trace (mooncake-trace.jsonl, a test fixture). The Kubernetes manifest's volume /results is the scratch folder's results/. A code block
 * right after `<!-- examples: not run — REASON -->` is skipped, with the reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/src/cli/main.js');

export interface DocCommand {
  readonly file: string;
  readonly line: number;
  /** the command as a shell line, `npx servesim` → `servesim` */
  readonly command: string;
  readonly expectedExit: number;
}

/** the index of a `#` that starts a shell comment (outside quotes), or -1 */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return i;
  }
  return -1;
}

const SERVESIM = /^(?:npm install && )?(?:npx )?servesim\s/;

/** Commands in the fenced code blocks of one Markdown text. */
export function extractCommands(file: string, text: string): { commands: DocCommand[]; skipped: { line: number; reason: string }[] } {
  const lines = text.split('\n');
  const commands: DocCommand[] = [];
  const skipped: { line: number; reason: string }[] = [];
  let i = 0;
  while (i < lines.length) {
    const open = /^(\s*)```(\w*)/.exec(lines[i]!);
    if (!open) {
      i++;
      continue;
    }
    const lang = open[2]!;
    let prev = i - 1;
    while (prev >= 0 && lines[prev]!.trim() === '') prev--;
    const skip = prev >= 0 ? /<!--\s*examples:\s*not run\s*[—-]\s*(.+?)\s*-->/.exec(lines[prev]!) : null;
    const body: { text: string; line: number }[] = [];
    for (i++; i < lines.length && !/^\s*```/.test(lines[i]!); i++) body.push({ text: lines[i]!, line: i + 1 });
    i++;
    if (skip) {
      skipped.push({ line: body[0]?.line ?? i, reason: skip[1]! });
      continue;
    }
    for (let j = 0; j < body.length; j++) {
      const start = body[j]!;
      let logical = start.text;
      if (lang === 'yaml' || lang === 'yml') {
        // a YAML list item holding a command; deeper-indented lines continue the plain scalar
        const item = /^(\s*)- (.*)$/.exec(logical);
        if (!item) continue;
        logical = item[2]!;
        const indent = item[1]!.length;
        while (j + 1 < body.length && /^\s*/.exec(body[j + 1]!.text)![0].length > indent + 1 && !/^\s*(-\s|[\w-]+:)/.test(body[j + 1]!.text))
          logical += ' ' + body[++j]!.text.trim();
      } else {
        while (logical.trimEnd().endsWith('\\') && j + 1 < body.length) logical = logical.trimEnd().slice(0, -1).trimEnd() + ' ' + body[++j]!.text.trim();
      }
      let cmd = logical.trim().replace(/^\$\s+/, '');
      if (!SERVESIM.test(cmd)) continue;
      const c = commentStart(cmd);
      const comment = c >= 0 ? cmd.slice(c) : '';
      if (c >= 0) cmd = cmd.slice(0, c).trim();
      const exit = /#\s*exits\s+(\d+)/.exec(comment);
      cmd = cmd.replace(/^npm install && /, '').replace(/^npx servesim/, 'servesim');
      commands.push({ file, line: start.line, command: cmd, expectedExit: exit ? Number(exit[1]) : 0 });
    }
  }
  return { commands, skipped };
}

const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** the files documents name without making them */
function scratchFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'servesim-docs-'));
  mkdirSync(join(dir, 'results'));
  mkdirSync(join(dir, 'logs'));
  mkdirSync(join(dir, 'my-guidellm-sweep'));
  copyFileSync(join(ROOT, 'test/fixtures/importers/guidellm-v0.4_llama31-8b_h100_tp1_sweep.json'), join(dir, 'my-guidellm-sweep/benchmarks.json'));
  copyFileSync(join(ROOT, 'test/fixtures/workload/mooncake-small.jsonl'), join(dir, 'mooncake-trace.jsonl'));
  writeFileSync(join(dir, 'grid.yaml'), 'model: [llama-3.1-8b]\nhardware: [h200-sxm]\nrate: [5, 10]\nworkload: chat\nmax-requests: 100\n');
  for (const [i, shard] of ['1/2', '2/2'].entries())
    execFileSync('node', [CLI, 'sweep', '--grid', 'grid.yaml', '--shard', shard, '--workers', '1', '--out', `part-${i}.jsonl`], { cwd: dir, env: env() });
  return dir;
}

/** A CI job's environment; a command that names a scheduler's variables runs as that scheduler's first task. */
function env(command = ''): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SERVESIM_') && !k.startsWith('SLURM_') && k !== 'JOB_COMPLETION_INDEX') e[k] = v;
  Object.assign(e, { CI: '1', NO_COLOR: '1' });
  if (command.includes('$JOB_COMPLETION_INDEX')) e['JOB_COMPLETION_INDEX'] = '0'; // pod 0 of a Kubernetes Indexed Job
  if (command.includes('$SLURM_')) Object.assign(e, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '8', SLURM_CPUS_PER_TASK: '1' });
  return e;
}

/** A line cut short leaves a bracket open ("…at minimal load (one re"). */
export function cutLines(output: string): string[] {
  const bad: string[] = [];
  for (const line of output.split('\n')) {
    const open = (line.match(/[([{]/g) ?? []).length;
    const close = (line.match(/[)\]}]/g) ?? []).length;
    if (open !== close || /…\s*$/.test(line)) bad.push(line);
  }
  return bad;
}

describe('the example runner', () => {
  it('finds commands in shell blocks, joins continuation lines, reads YAML items and documented exit codes', () => {
    const md = [
      '```sh',
      "npx servesim simulate --slo 'a<=1ms' \\",
      '  --rate 5   # comment',
      'npm install && npx servesim compare',
      'servesim plan --x   # exits 1: infeasible',
      'ls',
      '```',
      '```yaml',
      '  args:',
      '    - npx servesim sweep --a',
      '      --out part-$I.jsonl',
      '```',
      '<!-- examples: not run — a benchmark -->',
      '```sh',
      'servesim sweep --huge',
      '```',
    ].join('\n');
    const { commands, skipped } = extractCommands('x.md', md);
    expect(commands.map((c) => [c.command, c.expectedExit, c.line])).toEqual([
      ["servesim simulate --slo 'a<=1ms' --rate 5", 0, 2],
      ['servesim compare', 0, 4],
      ['servesim plan --x', 1, 5],
      ['servesim sweep --a --out part-$I.jsonl', 0, 10],
    ]);
    expect(skipped).toEqual([{ line: 15, reason: 'a benchmark' }]);
  });

  it('spots output cut mid-sentence', () => {
    expect(cutLines('infeasible: cannot meet the SLO even at minimal load (one re')).toHaveLength(1);
    expect(cutLines('ok (fine)\n│ a │ b │')).toEqual([]);
  });
});

describe('README and docs examples work as shown', () => {
  it('runs the built CLI (npm test builds it first)', () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build (npm test does)`).toBe(true);
  });
  for (const doc of DOCS) {
    const { commands } = extractCommands(doc, readFileSync(join(ROOT, doc), 'utf8'));
    if (commands.length === 0) continue;
    it(`${doc}: ${commands.length} commands`, { timeout: 300_000 }, () => {
      const dir = scratchFolder();
      for (const c of commands) {
        const where = `${c.file}:${c.line}: ${c.command}`;
        const line = c.command.replace(/ \/results\//g, ' results/'); // the manifest's volume mount
        const r = spawnSync('sh', ['-c', `servesim() { node "${CLI}" "$@"; }\n${line}`], { cwd: dir, env: env(line), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        const output = `${r.stdout}${r.stderr}`;
        expect(r.status, `${where}\n${r.stderr.slice(0, 2000)}`).toBe(c.expectedExit);
        expect(cutLines(output), where).toEqual([]);
        if (output.length > 0) expect(output.endsWith('\n'), `${where}: output ends mid-line`).toBe(true);
      }
    });
  }
});
