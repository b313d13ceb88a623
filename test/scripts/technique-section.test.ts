import { describe, expect, it } from 'vitest';
import { attributionTable, bracketTable, errorTable, type TechniqueRow } from '../../scripts/technique-section.ts';

/** a compared figure; measured and predicted invented for the arithmetic */
function row(technique: string, twinKey: string, metric: TechniqueRow['metric'], statistic: TechniqueRow['statistic'], measured: number, predicted: number, id = `${technique}#${twinKey}`): TechniqueRow {
  return {
    benchmarkId: id, metric, statistic, measured, predicted, apePct: (Math.abs(predicted - measured) / measured) * 100,
    source: 'inferencex', model: 'minimax-m2.5', hardware: 'h200-sxm', tp: 8, engine: 'vllm', load: 'concurrent', calibration: 'c', split: 'check',
    technique, twinKey,
  };
}

describe('technique section tables', () => {
  const rows = [
    row('plain', 'a', 'tpot', 'median', 10, 5), // APE 50, ratio 0.5
    row('dep', 'a', 'tpot', 'median', 10, 4), // APE 60, ratio 0.4: factor 0.8, +10 points
    row('plain', 'a', 'tpot', 'p99', 20, 10),
  ];

  it('error table: median / mean APE of the central statistic, p99 apart, per-user tok/s as 1/TPOT', () => {
    const t = errorTable(rows);
    const plain = t.find((l) => l.startsWith('| plain'))!;
    // TPOT 50.0 / 50.0 (1); per-user tokens/s: |10 − 5| / 5 = 100%; TPOT p99 50.0 (1); signed TPOT 0.50
    expect(plain).toContain('| 50.0 / 50.0 (1) | 100.0 / 100.0 |');
    expect(plain).toContain('| — | 50.0 / 50.0 (1) | — · 0.50 · — |');
  });

  it('attribution: the plain twin is the model, the difference and the signed factor the technique', () => {
    const t = attributionTable(rows);
    expect(t.find((l) => l.includes('| tpot |'))).toBe('| dep | minimax-m2.5 | h200-sxm | 1 | tpot | 50.0 | 60.0 | +10.0 | 0.80 |');
    const alone = attributionTable([row('mtp', 'b', 'tpot', 'median', 10, 4)]);
    expect(alone[2]).toMatch(/no plain runs of this model on this GPU/);
  });

  it('bracket: how many measured TPOTs fall between the predictions at acceptance 1 and 0', () => {
    const t = bracketTable([
      { benchmarkId: 'x', model: 'glm-5', hardware: 'h200-sxm', measured: 2, atZero: 3, atOne: 1 },
      { benchmarkId: 'y', model: 'glm-5', hardware: 'h200-sxm', measured: 6, atZero: 3, atOne: 2 },
    ]);
    expect(t[2]).toBe('| glm-5 | h200-sxm | 2 | 1 of 2 | 1.33 | 2.50 |');
  });
});
