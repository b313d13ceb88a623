/**
 * The --chart flags and `servesim report`, through the real CLI (src/cli/main.ts run by tsx, so the test
 * needs no build). Small runs only: each CLI call takes 1–3 s on a 2-core machine.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
let dir: string;

async function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), ...args], { cwd: root, maxBuffer: 64 << 20, env: { ...process.env, CI: 'true' } });
}

const size = (f: string) => statSync(f).size;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'servesim-chart-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SIM = ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--workload', 'chat', '--rate', '8', '--max-requests', '200', '--seed', '1'];

describe('--chart and report (CLI)', () => {
  it('simulate --chart writes the CDF and the engine timeline', async () => {
    const file = join(dir, 'sim.svg');
    const { stdout } = await cli(...SIM, '--chart', file, '--json');
    writeFileSync(join(dir, 'sim.json'), stdout);
    expect(existsSync(file)).toBe(true);
    expect(size(file)).toBeGreaterThan(5000);
    const svg = readFileSync(file, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('TTFT');
    expect(size(join(dir, 'sim-timeline.svg'))).toBeGreaterThan(5000);
    expect(JSON.parse(stdout).schemaVersion).toBe(2);
  });

  it('explain --chart writes the step breakdown and the roofline as PNG', async () => {
    const file = join(dir, 'explain.png');
    await cli('explain', '--model', 'llama-3.1-70b', '--hardware', 'h100-sxm', '--tp', '4', '--decode', '64x2048', '--prefill', '512@1024', '--chart', file);
    for (const f of [file, join(dir, 'explain-roofline.png')]) {
      const buf = readFileSync(f);
      expect(buf.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(buf.length).toBeGreaterThan(20000);
    }
  });

  it('report builds report.html and report.md with PNGs from a saved simulate --json', async () => {
    const out = join(dir, 'report');
    const { stdout } = await cli('report', join(dir, 'sim.json'), '--out', out);
    expect(stdout).toContain('report.html');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.length).toBeGreaterThan(300_000); // vega, vega-lite, vega-embed inlined
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain('Summary');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const images = [...md.matchAll(/!\[[^\]]*\]\((img\/[^)]+\.png)\)/g)].map((m) => m[1]!);
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const img of images) expect(size(join(out, img))).toBeGreaterThan(10000);
  });

  it('report names the file and what it found for an unrecognised input', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    const err = await cli('report', bad, '--out', join(dir, 'r2')).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toMatch(/bad\.json: not a servesim result: found a JSON object with keys hello/);
  });
});
