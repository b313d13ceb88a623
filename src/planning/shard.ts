import { InputError } from '../diagnostics/errors.ts';

export interface Shard {
  /** 0-based: this shard runs the points with index mod count == index */
  readonly index: number;
  readonly count: number;
  /** where the index came from, for messages */
  readonly source: string;
}

function wholeNumber(text: string, what: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InputError(`${what}: expected a whole number >= 0, found "${text}"`);
  return Number(text.trim());
}

/** "2/8": shards as users number them (from 1, like `--shard`) */
export function shardLabel(s: Shard): string {
  return `${s.index + 1}/${s.count}`;
}

/**
 * The slice of a sweep this process runs: points with index mod count == index (0-based).
 *   --shard i/N, or --shard i with --shards N, numbers shards from 1 (i in 1..N), as jest, vitest and
 *   playwright do. Without --shard, the index comes 0-based from JOB_COMPLETION_INDEX (Kubernetes Indexed
 *   Job: 0..N−1) or SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN when set, so --array=1-8 works too),
 *   and the count from --shards (SERVESIM_SHARDS) or SLURM_ARRAY_TASK_COUNT.
 */
export function resolveShard(
  shardFlag: string | number | undefined,
  shardsFlag: number | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Shard | undefined {
  let index: number | undefined;
  let count: number | undefined;
  let source = '--shard';
  if (shardFlag !== undefined && String(shardFlag).trim() !== '') {
    const text = String(shardFlag).trim();
    const m = /^([^/]*)\/(.*)$/.exec(text);
    if (m) {
      index = wholeNumber(m[1]!, `--shard "${text}"`) - 1;
      count = wholeNumber(m[2]!, `--shard "${text}"`);
      if (shardsFlag !== undefined && shardsFlag !== count)
        throw new InputError(`--shard ${text} says ${count} shards but --shards says ${shardsFlag}`);
    } else index = wholeNumber(text, '--shard') - 1;
    const n = count ?? shardsFlag;
    if (index < 0)
      throw new InputError(`--shard ${text}: shards are numbered from 1 (as in jest, vitest and playwright): expected 1..${n ?? 'N'}`);
  } else if (env['JOB_COMPLETION_INDEX'] !== undefined && env['JOB_COMPLETION_INDEX'] !== '') {
    index = wholeNumber(env['JOB_COMPLETION_INDEX'], 'JOB_COMPLETION_INDEX');
    source = 'JOB_COMPLETION_INDEX';
  } else if (env['SLURM_ARRAY_TASK_ID'] !== undefined && env['SLURM_ARRAY_TASK_ID'] !== '') {
    const min = env['SLURM_ARRAY_TASK_MIN'] ? wholeNumber(env['SLURM_ARRAY_TASK_MIN'], 'SLURM_ARRAY_TASK_MIN') : 0;
    index = wholeNumber(env['SLURM_ARRAY_TASK_ID'], 'SLURM_ARRAY_TASK_ID') - min;
    source = 'SLURM_ARRAY_TASK_ID';
  }
  count ??= shardsFlag;
  if (count === undefined && source === 'SLURM_ARRAY_TASK_ID' && env['SLURM_ARRAY_TASK_COUNT'])
    count = wholeNumber(env['SLURM_ARRAY_TASK_COUNT'], 'SLURM_ARRAY_TASK_COUNT');
  if (index === undefined) {
    if (shardsFlag !== undefined) throw new InputError('--shards N needs --shard i (or JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID)');
    return undefined;
  }
  if (count === undefined)
    throw new InputError(`${source} names shard ${index + 1} but not how many there are: pass --shards N (or --shard ${index + 1}/N)`);
  if (!(Number.isInteger(count) && count >= 1)) throw new InputError(`shard count must be a whole number >= 1, found ${count}`);
  if (index < 0 || index >= count)
    throw new InputError(
      source === '--shard'
        ? `--shard ${index + 1}/${count} is out of range: expected 1..${count} (shards are numbered from 1)`
        : `${source} gives shard index ${index} of ${count}: expected 0..${count - 1} (job indices are numbered from 0)`,
    );
  return { index, count, source };
}

export function inShard(pointIndex: number, shard: Shard | undefined): boolean {
  return shard === undefined || pointIndex % shard.count === shard.index;
}
