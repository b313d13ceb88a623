/** Mooncake-style traces: parsed with their block hashes, and mapped onto the engine's block size. */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate.ts';
import { parseMooncakeTrace, PrivateKeyRanges, TraceBlockKeys } from '../../src/workload/trace-blocks.ts';
import { tinyDeployment } from '../helpers/deployment.ts';

// the two-line example of NVIDIA AIPerf's Mooncake trace tutorial (format only: no data copied)
const TRACE = '{"timestamp": 0, "input_length": 1200, "output_length": 52, "hash_ids": [0, 1, 2]}\n{"timestamp": 105, "input_length": 1800, "output_length": 26, "hash_ids": [0, 3, 4, 5]}\n';

describe('Mooncake traces', () => {
  it('parses times (ms → s), lengths and hash ids', () => {
    const t = parseMooncakeTrace(TRACE, 'trace.jsonl');
    expect(t.timesS).toEqual([0, 0.105]);
    expect(t.inputTokens).toEqual([1200, 1800]);
    expect(t.blockHashes.hashIds).toEqual([[0, 1, 2], [0, 3, 4, 5]]);
    expect(() => parseMooncakeTrace('{"timestamp": 0, "input_length": 5, "output_length": 1, "hash_ids": [-1]}', 'x')).toThrow(/x:1: hash_ids/);
    expect(() => parseMooncakeTrace('', 'x')).toThrow(/no requests/);
  });

  it('engine blocks inside one 512-token trace block share its id; different ids never collide', () => {
    const ranges = new PrivateKeyRanges(16);
    const a = new TraceBlockKeys([0, 1, 2], 512, 16, ranges.next(1600, 100));
    const b = new TraceBlockKeys([0, 3, 4, 5], 512, 16, ranges.next(1600, 100));
    for (let i = 0; i < 32; i++) expect(a.key(i)).toBe(b.key(i)); // trace block 0 is shared
    expect(a.key(32)).not.toBe(b.key(32));
    expect(new Set(Array.from({ length: 96 }, (_, i) => a.key(i))).size).toBe(96);
    expect(a.key(96)).toBeLessThan(0); // past the listed ids: the request's own
    // private keys: small integers, disjoint between requests, and unique past the range too
    const own = (k: TraceBlockKeys, from: number, to: number) => Array.from({ length: to - from }, (_, i) => k.key(from + i));
    const privateA = own(a, 96, 200);
    const privateB = own(b, 128, 200);
    expect(new Set([...privateA, ...privateB]).size).toBe(privateA.length + privateB.length);
    expect(Math.min(...own(a, 96, 109))).toBeGreaterThan(-(2 ** 30)); // 1,700 tokens: blocks 0..108
  });

  it('replays with the simulated cache: the shared first block hits', () => {
    const t = parseMooncakeTrace(TRACE, 'trace.jsonl');
    const r = simulate({
      deployment: tinyDeployment({ prefixCache: 'vllm' }),
      seed: 1,
      workload: {
        arrival: { kind: 'trace', timesS: [0, 5] },
        lengths: { kind: 'sequence', inputTokens: t.inputTokens, outputTokens: t.outputTokens },
        blockHashes: t.blockHashes,
        maxRequests: 2,
      },
    });
    expect(r.prefixCache!.tokensSaved).toBe(512);
  });
});
