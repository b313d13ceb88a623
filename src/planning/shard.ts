import { InputError } from '../diagnostics/errors.ts';

export interface Shard {
  readonly index: number;
  readonly count: number;
  /** where the index came from, for messages */
  readonly source: string;
}

function wholeNumber(text: string, what: string): number {
  if (!/^\d+$/.test(text.trim())) throw new InputError(`${what}: expected a whole number >= 0, found "${text}"`);
  return Number(text.trim());
}

/**
 * The slice of a sweep this process runs: points with index mod count == index.
 *   --shard i/N, or --shard i with --shards N; without --shard, the index defaults from
 *   JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID (Slurm array), and the count
 *   from --shards (SERVESIM_SHARDS) or SLURM_ARRAY_TASK_COUNT.
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
      index = wholeNumber(m[1]!, `--shard "${text}"`);
      count = wholeNumber(m[2]!, `--shard "${text}"`);
      if (shardsFlag !== undefined && shardsFlag !== count)
        throw new InputError(`--shard ${text} says ${count} shards but --shards says ${shardsFlag}`);
    } else index = wholeNumber(text, '--shard');
  } else if (env['JOB_COMPLETION_INDEX'] !== undefined && env['JOB_COMPLETION_INDEX'] !== '') {
    index = wholeNumber(env['JOB_COMPLETION_INDEX'], 'JOB_COMPLETION_INDEX');
    source = 'JOB_COMPLETION_INDEX';
  } else if (env['SLURM_ARRAY_TASK_ID'] !== undefined && env['SLURM_ARRAY_TASK_ID'] !== '') {
    index = wholeNumber(env['SLURM_ARRAY_TASK_ID'], 'SLURM_ARRAY_TASK_ID');
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
    throw new InputError(`${source}=${index} names a shard but not how many there are: pass --shards N (or --shard ${index}/N)`);
  if (!(Number.isInteger(count) && count >= 1)) throw new InputError(`shard count must be a whole number >= 1, found ${count}`);
  if (index >= count)
    throw new InputError(`shard ${index}/${count} is out of range: the index must be 0..${count - 1} (shards are numbered from 0)`);
  return { index, count, source };
}

export function inShard(pointIndex: number, shard: Shard | undefined): boolean {
  return shard === undefined || pointIndex % shard.count === shard.index;
}
