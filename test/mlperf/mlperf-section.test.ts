import { describe, expect, it } from 'vitest';
import { mapMlperfRun, withTp } from '../../src/calibration/mlperf-map.ts';
import type { MlperfHeadline, MlperfValidation } from '../../src/calibration/mlperf-validate.ts';
import { importMlperfCsv } from '../../src/importers/mlperf.ts';
import { loadProfiles } from '../../src/profiles/registry.ts';
import { distinctHeadlines, MLPERF_BEGIN, MLPERF_END, mlperfSection } from '../../scripts/mlperf-section.ts';

const HEADER = 'source_id,gpu,num_gpus,tp,pp,ep,model,precision,engine,engine_version,dataset_or_isl_osl,isl,osl,load_kind,load_value,metric,statistic,value,unit,measured_or_projected,notes';
const line = (model: string, scenario: string, qps: string) =>
  `mlperf_inference_v4.1,NVIDIA H200-SXM-141GB,8,,,,${model},fp16,TensorRT-LLM,"TensorRT 10",MLPerf,,,${scenario === 'Server' ? 'rate' : 'offline'},${qps},request_throughput,value,1,req/s,measured,` +
  `"closed division; submitter=Acme; system=S; scenario=${scenario}; location=closed/Acme/results/S/${model}/${scenario}"`;
const runs = importMlperfCsv('x.csv', [HEADER, line('llama2-70b-99', 'Server', '100'), line('llama2-70b-99.9', 'Server', '100'), line('mixtral-8x7b', 'Server', '300')].join('\n'));
const registry = loadProfiles();

function headline(i: number, predicted: number): MlperfHeadline {
  const m = mapMlperfRun(runs[i]!, registry);
  if (!m.ok) throw new Error(m.reason);
  const measured = runs[i]!.targetQps!;
  const mapping = withTp(m.mapping, 1, 'test');
  return { mapping, scenario: 'Server', measured, predicted, apePct: (Math.abs(predicted - measured) / measured) * 100, signedPct: ((predicted - measured) / measured) * 100, calibration: 'c', limitedBy: 'x' };
}

describe('MLPerf section', () => {
  const hs = [headline(0, 90), headline(1, 90), headline(2, 360)];
  it('counts the 99 / 99.9 twins of one system once', () => {
    expect(distinctHeadlines(hs)).toHaveLength(2);
  });
  it('states the Server target with the median over distinct runs (10% and 20% → 15%: met)', () => {
    const v: MlperfValidation = { headlines: hs, figures: [], unmapped: [], coverage: { figures: 3, mapped: 3, onProfiledAccelerators: 3 }, simulations: 0 };
    const text = mlperfSection(v, 1, ['because']).join('\n');
    expect(text.startsWith(MLPERF_BEGIN)).toBe(true);
    expect(text.endsWith(MLPERF_END)).toBe(true);
    expect(text).toMatch(/\| Server \| max Poisson rate \(queries\/s\) \| all benchmarks \| ≤ 15% \| 2 \| 15\.0 \| 15\.0 \| \+5\.0% \| met \|/);
    expect(text).toMatch(/compared: \*\*3\*\* \(100\.0% of those on profiled accelerators\)/);
    expect(text).toMatch(/- because/);
  });
});
