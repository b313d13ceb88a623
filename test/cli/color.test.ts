/**
 * Colour only on a terminal: never when piped, never with NO_COLOR, never in --json; FORCE_COLOR turns it on.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { colorEnabled, paint } from '../../src/cli/color.ts';
import { runCli } from '../helpers/cli.ts';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[\d+m/;
const CLI = join(import.meta.dirname, '../../dist/src/cli/main.js');
const SIM = ['simulate', '--model', 'llama-3.1-8b', '--hardware', 'h200-sxm', '--rate', '5', '--max-requests', '100'];

/** the CLI as a child process with stdout and stderr piped, under exactly these colour variables */
function spawnCli(args: string[], colorEnv: Record<string, string>) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['NO_COLOR', 'FORCE_COLOR', 'CI']) delete env[k];
  return spawnSync('node', [CLI, ...args], { env: { ...env, ...colorEnv }, encoding: 'utf8' });
}

describe('when colour is on', () => {
  it('a terminal gets colour; a pipe, TERM=dumb and NO_COLOR do not; FORCE_COLOR forces it', () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, { CI: 'true' })).toBe(false); // a CI log is a file
    expect(colorEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({}, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false); // as picocolors: NO_COLOR wins
  });
  it('paint colours verdicts, marks and prefixes and leaves the text otherwise unchanged', () => {
    const text = 'warning: x\n│ stable: queue │ 100.0% ✓ │ backlogged │ unstable-id';
    expect(paint(text, false)).toBe(text);
    const coloured = paint(text, true);
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(text); // eslint-disable-line no-control-regex
    expect(coloured).toContain('unstable-id');
  });
});

describe('the CLI', () => {
  it('in-process with stdout captured (not a TTY): no escape codes; FORCE_COLOR=1: escape codes', async () => {
    const saved = { NO_COLOR: process.env['NO_COLOR'], FORCE_COLOR: process.env['FORCE_COLOR'] };
    delete process.env['NO_COLOR'];
    delete process.env['FORCE_COLOR'];
    try {
      const plain = await runCli(SIM);
      expect(plain.code).toBe(0);
      expect(plain.stdout).not.toMatch(ANSI);
      process.env['FORCE_COLOR'] = '1';
      const forced = await runCli(SIM);
      expect(forced.stdout).toMatch(ANSI);
      const json = await runCli([...SIM, '--json']);
      expect(json.stdout).not.toMatch(ANSI);
      expect(() => JSON.parse(json.stdout) as unknown).not.toThrow();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
  it('as a child process with stdout piped: plain; FORCE_COLOR=1: coloured; NO_COLOR=1: plain', () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build (npm test does)`).toBe(true);
    const piped = spawnCli(SIM, {});
    expect(piped.status).toBe(0);
    expect(piped.stdout).not.toMatch(ANSI);
    expect(piped.stderr).not.toMatch(ANSI);
    const forced = spawnCli(SIM, { FORCE_COLOR: '1' });
    expect(forced.stdout).toMatch(ANSI);
    expect(spawnCli(SIM, { NO_COLOR: '1' }).stdout).not.toMatch(ANSI);
    expect(spawnCli([...SIM, '--json'], { FORCE_COLOR: '1' }).stdout).not.toMatch(ANSI);
  });
});
