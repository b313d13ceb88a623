import { describe, expect, it } from 'vitest';
import { hintsFromLabels, hintsFromName, preferLabelHints } from '../../src/importers/hints.ts';

describe('deployment hints', () => {
  it('labels win over the file name field by field; the name fills the rest', () => {
    const labels = hintsFromLabels({ TP: '4', quantization: 'fp8', engine: 'vllm', note: 'x' });
    const name = hintsFromName('run_8xH100_tp8_pp2.json');
    expect(labels).toEqual({ tp: 4, precision: 'fp8', engine: 'vllm' });
    expect(preferLabelHints(labels, name)).toEqual({ gpu: '8xH100', numGpus: 8, tp: 4, pp: 2, ep: undefined, precision: 'fp8' });
    expect(preferLabelHints({}, {})).toEqual({ gpu: undefined, numGpus: undefined, tp: undefined, pp: undefined, ep: undefined, precision: undefined });
  });
  it('ignores label values that are not whole numbers where numbers are meant', () => {
    expect(hintsFromLabels({ tp: 'four', gpus: 2 })).toEqual({ numGpus: 2 });
  });
});
