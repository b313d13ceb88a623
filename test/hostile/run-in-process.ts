/**
 * Run the CLI in this process (no spawn): main(argv) with stdout/stderr captured and SERVESIM_* variables
 * set for the call only. Used by the hostile corpus and the fuzz test, which make hundreds of calls.
 */
import { main } from '../../src/cli/main.ts';

export interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const saved = Object.entries(process.env).filter(([k]) => k.startsWith('SERVESIM_'));
  for (const [k] of saved) delete process.env[k];
  Object.assign(process.env, env);
  process.stdout.write = (chunk: string | Uint8Array): boolean => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  process.stderr.write = (chunk: string | Uint8Array): boolean => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  try {
    const code = await main([...args]);
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    for (const k of Object.keys(env)) delete process.env[k];
    for (const [k, v] of saved) process.env[k] = v;
  }
}
