import { InputError } from '../diagnostics/errors.ts';

/**
 * Block hashes from a trace (Mooncake's FAST'25 traces: `hash_ids` per request, one id per 512-token block,
 * prefix-chained so an equal id means an equal prefix up to that block). Request k takes entry k.
 */
export interface TraceBlockHashes {
  /** tokens per hashed block in the trace (Mooncake: 512) */
  readonly blockTokens: number;
  readonly hashIds: readonly (readonly number[])[];
}

/**
 * The engine's block i as a key from the trace's hashes: engine blocks are `blockSize` tokens, trace blocks
 * `blockTokens`; engine block i lies in trace block ⌊i·B/T⌋ and is named by that block's id and its offset
 * inside it. Blocks past the listed ids get keys of their own request (a suffix nobody shares).
 */
export class TraceBlockKeys {
  readonly #ids: readonly number[];
  readonly #perTraceBlock: number;
  readonly #blockSize: number;
  readonly #traceBlockTokens: number;
  readonly #private: PrivateKeyRange;
  constructor(ids: readonly number[], traceBlockTokens: number, blockSize: number, privateKeys: PrivateKeyRange) {
    this.#ids = ids;
    this.#traceBlockTokens = traceBlockTokens;
    this.#blockSize = blockSize;
    this.#perTraceBlock = Math.max(1, Math.ceil(traceBlockTokens / blockSize));
    this.#private = privateKeys;
  }
  key(block: number): number {
    const t = Math.floor((block * this.#blockSize) / this.#traceBlockTokens);
    const id = this.#ids[t];
    // ids are non-negative: unshared suffixes take negative keys of their own
    if (id === undefined) return privateKey(this.#private, block);
    return id * this.#perTraceBlock + (block - Math.floor((t * this.#traceBlockTokens) / this.#blockSize));
  }
}

/**
 * The negative keys of one request's unshared blocks: `blocks` consecutive keys from `base`, handed out by
 * a counter over the run's requests so they stay small integers (V8 hashes and stores those without
 * boxing, which the prefix cache's maps feel on every block); a block beyond the range (never expected: the
 * range covers prompt and output) falls back to a key of its own far below every range.
 */
export interface PrivateKeyRange {
  readonly request: number;
  readonly base: number;
  readonly blocks: number;
}
const FAR_PRIVATE_KEYS = 2 ** 40;
function privateKey(range: PrivateKeyRange, block: number): number {
  if (block < range.blocks) return -(range.base + block) - 1;
  return -FAR_PRIVATE_KEYS - range.request * 2 ** 21 - block - 1;
}

/** Hands out PrivateKeyRange in request order: each request's range covers its prompt and output blocks. */
export class PrivateKeyRanges {
  readonly #blockSize: number;
  #next = 0;
  #requests = 0;
  constructor(blockSize: number) {
    this.#blockSize = blockSize;
  }
  next(inputTokens: number, outputTokens: number): PrivateKeyRange {
    const blocks = Math.ceil((inputTokens + outputTokens) / this.#blockSize) + 2;
    const range = { request: this.#requests++, base: this.#next, blocks };
    this.#next += blocks;
    return range;
  }
}

/** A Mooncake-style trace (JSON lines: timestamp ms, input_length, output_length, hash_ids). */
export interface MooncakeTrace {
  readonly timesS: readonly number[];
  readonly inputTokens: readonly number[];
  readonly outputTokens: readonly number[];
  readonly blockHashes: TraceBlockHashes;
}

export const MOONCAKE_BLOCK_TOKENS = 512;

export function parseMooncakeTrace(text: string, where: string, blockTokens = MOONCAKE_BLOCK_TOKENS): MooncakeTrace {
  const timesS: number[] = [];
  const inputTokens: number[] = [];
  const outputTokens: number[] = [];
  const hashIds: number[][] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '') continue;
    const at = `${where}:${n + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new InputError(`${at}: not valid JSON (expected {"timestamp", "input_length", "output_length", "hash_ids"})`);
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new InputError(`${at}: expected a JSON object, found ${line.slice(0, 60)}`);
    const fields = new Map<string, unknown>(Object.entries(row));
    const field = (k: string): unknown => fields.get(k);
    const num = (k: string, min: number): number => {
      const v = field(k);
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new InputError(`${at}: ${k} must be a number >= ${min}, found ${JSON.stringify(v)}`);
      return v;
    };
    const ids = field('hash_ids');
    if (!Array.isArray(ids) || !ids.every((x): x is number => Number.isInteger(x) && x >= 0))
      throw new InputError(`${at}: hash_ids must be a list of non-negative whole numbers, found ${JSON.stringify(ids)?.slice(0, 60)}`);
    timesS.push(num('timestamp', 0) / 1000);
    inputTokens.push(Math.round(num('input_length', 1)));
    outputTokens.push(Math.round(num('output_length', 1)));
    hashIds.push(ids);
  }
  if (timesS.length === 0) throw new InputError(`${where}: no requests in the trace`);
  return { timesS, inputTokens, outputTokens, blockHashes: { blockTokens, hashIds } };
}
