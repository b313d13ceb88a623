/**
 * Runs evaluation tasks: inline with one worker, else on a piscina pool of worker threads (the sweep's
 * pattern). Every record is stored in the checkpoint as it arrives; records already there are reused, so
 * a resumed search only runs what is missing. Results come back keyed by candidate, never in finishing
 * order, so nothing downstream depends on the worker count.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InfeasibleError, InputError } from '../../diagnostics/errors.ts';
import type { Checkpoint } from './checkpoint.ts';
import type { Candidate, EvalRecord, EvalSettings } from './types.ts';
import { runEvalTask, type EvalTask } from './worker.ts';

type PoolLike = { run(task: EvalTask): Promise<EvalRecord | { error: string; input: boolean }>; destroy(): Promise<void> };

function workerFile(): { filename: string; execArgv: string[] } {
  const js = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { filename: js.href, execArgv: [] };
  // running from source (tsx / vitest): load the .ts through tsx's loader
  return { filename: new URL('./worker.ts', import.meta.url).href, execArgv: ['--import', 'tsx'] };
}

export class EvalRunner {
  readonly #workers: number;
  readonly #settings: EvalSettings;
  readonly #checkpoint: Checkpoint;
  #pool: PoolLike | undefined;
  /** evaluations run by this process (not read back from a checkpoint) */
  ran = 0;

  constructor(workers: number, settings: EvalSettings, checkpoint: Checkpoint) {
    this.#workers = workers;
    this.#settings = settings;
    this.#checkpoint = checkpoint;
  }

  #stored(kind: EvalTask['kind'], c: Candidate): EvalRecord | undefined {
    return kind === 'screen' ? this.#checkpoint.screened(c.label) : this.#checkpoint.verified(c.label);
  }

  async #pooled(): Promise<PoolLike> {
    if (!this.#pool) {
      const { Piscina } = await import('piscina');
      const { filename, execArgv } = workerFile();
      this.#pool = new Piscina({ filename, minThreads: this.#workers, maxThreads: this.#workers, execArgv, idleTimeout: 1000 });
    }
    return this.#pool;
  }

  /**
   * Evaluate every candidate (kind: screening or verified); records keyed by candidate label. `throughputRun`
   * gives a verification what its candidate's screening throughput run achieved (EvalTask).
   */
  async run(
    kind: EvalTask['kind'],
    candidates: readonly Candidate[],
    onDone?: () => void,
    throughputRun?: (c: Candidate) => number | undefined,
  ): Promise<Map<string, EvalRecord>> {
    const task = (c: Candidate): EvalTask => ({ kind, candidate: c, settings: this.#settings, throughputRunRatePerS: throughputRun?.(c) });
    const out = new Map<string, EvalRecord>();
    const todo: Candidate[] = [];
    for (const c of candidates) {
      const r = this.#stored(kind, c);
      if (r) out.set(c.label, r);
      else todo.push(c);
    }
    const keep = (c: Candidate, r: EvalRecord) => {
      this.#checkpoint.add(r);
      out.set(c.label, r);
      this.ran++;
      onDone?.();
    };
    if (this.#workers <= 1 || todo.length <= 1) {
      for (const [i, c] of todo.entries()) {
        keep(c, runEvalTask(task(c)));
        if (i % 16 === 15) await new Promise((r) => setImmediate(r)); // progress redraws, signals
      }
      return out;
    }
    const pool = await this.#pooled();
    await Promise.all(
      todo.map((c) =>
        pool.run(task(c)).then((r) => {
          if ('error' in r) throw r.input ? new InputError(r.error) : new InfeasibleError(r.error);
          keep(c, r);
        }),
      ),
    );
    return out;
  }

  async close(): Promise<void> {
    await this.#pool?.destroy();
    this.#pool = undefined;
  }
}
