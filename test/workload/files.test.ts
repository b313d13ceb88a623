import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLengths, readRateCurve, readTrace } from '../../src/workload/files.ts';

const dir = mkdtempSync(join(tmpdir(), 'servesim-workload-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('workload files', () => {
  it('reads a CSV trace with comments, quoted fields and extra columns', () => {
    const t = readTrace(file('trace.csv', '# replayed from production\ntimestamp,input_tokens,output_tokens,note\n0.0,512,128,"a, b"\n0.25,1024,64,x\n'));
    expect(t).toEqual({ timesS: [0, 0.25], inputTokens: [512, 1024], outputTokens: [128, 64] });
  });

  it('reads JSONL lengths with alternative column names', () => {
    expect(readLengths(file('l.jsonl', '{"prompt_tokens": 10, "completion_tokens": 5}\n{"prompt_tokens": 20, "completion_tokens": 7}\n'))).toEqual({
      inputTokens: [10, 20],
      outputTokens: [5, 7],
    });
  });

  it('names file and line for a short row, a bad number, decreasing times and a missing column', () => {
    expect(() => readTrace(file('a.csv', 'timestamp,input_tokens,output_tokens\n0,1\n'))).toThrow(/a\.csv:2: expected 3 columns .* found 2/);
    expect(() => readTrace(file('b.csv', 'timestamp,input_tokens,output_tokens\n0,12x,3\n'))).toThrow(/b\.csv:2: input_tokens must be a non-negative number, found "12x"/);
    expect(() => readTrace(file('c.csv', 'timestamp,input_tokens,output_tokens\n1,1,1\n0,1,1\n'))).toThrow(/c\.csv:3: arrival times must not decrease/);
    expect(() => readRateCurve(file('d.csv', 'time_s,speed\n0,1\n10,2\n'))).toThrow(/d\.csv: no rate column; expected one of: rate/);
  });
});
