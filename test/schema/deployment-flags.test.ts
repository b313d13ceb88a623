import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_OPTIONS } from '../../src/cli/context.ts';
import { parseCandidate } from '../../src/planning/compare.ts';
import { FIXED_KEYS, pointDeploymentFlags } from '../../src/planning/sweep-grid.ts';
import { CHOICE_FLAG_NAMES, CHOICE_FLAGS, choiceFromFlags } from '../../src/schema/deployment-flags.ts';
import { ENGINE_DEFAULTS } from '../../src/schema/engines.ts';

describe('deployment choice flags, generated from DeploymentChoiceSchema', () => {
  it('names every setting once, in schema order, with the historic flag names', () => {
    expect(CHOICE_FLAG_NAMES).toEqual([
      'tp', 'pp', 'ep', 'weights', 'activations', 'kv-cache', 'weight-only', 'engine', 'gpu-memory-utilization', 'block-size',
      'max-num-batched-tokens', 'max-num-seqs', 'max-model-len', 'chunked-prefill', 'cuda-graphs', 'async-scheduling', 'stream-interval', 'scheduler-steps', 'prefix-tokens', 'prefix-hit-rate',
      'prefix-cache', 'kv-offload-gb', 'kv-offload-disk-gb', 'preemption',
      'spec-method', 'spec-tokens', 'spec-acceptance', 'spec-acceptance-length', 'spec-fixed-accepted', 'spec-draft-model', 'attention-dp',
    ]);
  });

  it('the CLI, sweep grid and candidate vocabularies all come from that one table', () => {
    for (const name of CHOICE_FLAG_NAMES) expect(DEPLOYMENT_OPTIONS[name]).toBeDefined();
    for (const name of CHOICE_FLAG_NAMES.filter((n) => !['tp', 'weights', 'kv-cache', 'engine'].includes(n))) expect(FIXED_KEYS).toContain(name);
    expect(parseCandidate('m@h:max-num-seqs=512:chunked-prefill=false').overrides).toEqual({ 'max-num-seqs': 512, 'chunked-prefill': false });
  });

  it('help shows the defaults of the one engine table, per family where they differ', () => {
    const byName = new Map(CHOICE_FLAGS.map((f) => [f.name, f.describe]));
    expect(byName.get('max-num-seqs')).toContain(`(default: ${ENGINE_DEFAULTS.vllm.deployment.maxNumSeqs})`);
    expect(byName.get('async-scheduling')).toContain('default: on for vllm and sglang, off for trtllm; --no-async-scheduling');
  });

  it('parses typed and string values alike into a checked DeploymentChoice', () => {
    const typed = choiceFromFlags({ model: 'm', hardware: 'h', tp: 2, 'block-size': 32, 'chunked-prefill': false, 'prefix-tokens': 100 });
    const strings = choiceFromFlags({ tp: '2', 'block-size': '32', 'chunked-prefill': 'false', 'prefix-tokens': '100' });
    expect(strings).toEqual(typed);
    expect(typed).toEqual({ tp: 2, engine: { blockSize: 32, chunkedPrefill: false, prefixCaching: { sharedPrefixTokens: 100, hitRate: 1 } } });
  });

  it('names the flag of a bad value', () => {
    expect(() => choiceFromFlags({ 'block-size': 0 })).toThrow('invalid deployment: --block-size: expected >= 1, found 0');
    expect(() => choiceFromFlags({ 'async-scheduling': 'maybe' })).toThrow('--async-scheduling: expected boolean, found "maybe"');
    expect(() => parseCandidate('m@h:gpu-memory-utilization=2')).toThrow('--candidates: "m@h:gpu-memory-utilization=2": invalid deployment: --gpu-memory-utilization: expected <= 1, found 2');
  });

  it('a sweep point carries its axes and the fixed choice settings, read by the same parser', () => {
    const point = { index: 0, key: 'k', model: 'm', hardware: 'h', tp: 4, weights: 'fp8', kvCache: undefined, engine: 'sglang', replicas: undefined, rate: 1, seed: '42' };
    const flags = pointDeploymentFlags({ 'max-num-seqs': '128', workload: 'chat', calibration: 'c.yaml' }, point);
    expect(flags.calibration).toBe('c.yaml');
    expect(choiceFromFlags(flags)).toEqual({ tp: 4, weights: 'fp8', engine: { family: 'sglang', maxNumSeqs: 128 } });
  });
});
