import { describe, expect, it } from 'vitest';
import { DeploymentResolver } from '../../src/planning/deployment-resolver.ts';
import { dataPrefixFlags } from '../../src/planning/workload-flags.ts';
import { parseDataSpec } from '../../src/workload/synthetic-spec.ts';

describe('--data: GuideLLM synthetic-data keys', () => {
  it('prefix_tokens is prepended to every prompt and becomes the shared prefix', () => {
    expect(parseDataSpec('prompt_tokens=512,output_tokens=128,prefix_tokens=256')).toEqual({
      lengths: { kind: 'fixed', inputTokens: 768, outputTokens: 128 },
      sharedPrefixTokens: 256,
    });
    expect(parseDataSpec('prompt_tokens=512,prompt_tokens_min=100,prompt_tokens_stdev=50,output_tokens=128,prefix_tokens=10').lengths).toEqual({
      kind: 'synthetic',
      input: { mean: 522, stdev: 50, min: 110 },
      output: { mean: 128 },
    });
    expect(parseDataSpec('prompt_tokens=512,output_tokens=128').sharedPrefixTokens).toBeUndefined();
  });

  it('the deployment gets a prefix cache every request hits, unless the prefix flags say otherwise', () => {
    expect(dataPrefixFlags({ data: 'prompt_tokens=512,output_tokens=128,prefix_tokens=256' })).toEqual({ 'prefix-tokens': 256, 'prefix-hit-rate': 1 });
    const resolver = new DeploymentResolver();
    const data = 'prompt_tokens=512,output_tokens=128,prefix_tokens=256';
    const fromData = resolver.prepare(Object.assign({ model: 'llama-3.1-8b', hardware: 'h100-sxm' }, { data }));
    expect(fromData.deployment.engine.prefixCaching).toEqual({ sharedPrefixTokens: 256, hitRate: 1 });
    const flagWins = resolver.prepare(Object.assign({ model: 'llama-3.1-8b', hardware: 'h100-sxm' }, { data, 'prefix-hit-rate': 0.5 }));
    expect(flagWins.deployment.engine.prefixCaching).toEqual({ sharedPrefixTokens: 256, hitRate: 0.5 });
  });

  it('samples and source are refused with the reason, not silently ignored', () => {
    expect(() => parseDataSpec('prompt_tokens=512,output_tokens=128,samples=1000')).toThrow(
      '--data: "samples" only changes how GuideLLM generates prompt text, which servesim does not model',
    );
    expect(() => parseDataSpec('prompt_tokens=512,output_tokens=128,source=data.txt')).toThrow('"source" only changes how GuideLLM generates prompt text');
    expect(() => parseDataSpec('prompt_tokens=512,output_tokens=128,prefix_tokens_stdev=3')).toThrow('give prefix_tokens alone');
  });
});
