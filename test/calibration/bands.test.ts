import { describe, expect, it } from 'vitest';
import { type BandRow, coverageOf, crossValidatedLogRatios, deriveBands } from '../../src/calibration/bands.ts';
import { Z80 } from '../../src/metrics/uncertainty.ts';

/** a row whose log(predicted/measured) is e, with ∂log(predicted)/∂θ = j (one parameter) */
const row = (group: string, e: number, j: number, fitted = true, metric: BandRow['metric'] = 'ttft'): BandRow => ({
  group,
  metric,
  predictedS: Math.exp(e),
  measuredS: 1,
  jacobian: [j],
  fitted,
});

describe('leave-one-group-out residuals (linearised)', () => {
  it('one shifting parameter, three groups of one point: the left-out residual is n/(n−1) of the in-sample one', () => {
    // the fit of a mean: A = 3; dropping g gives δ = e_g / 2, so ẽ_g = e_g + δ = 1.5 e_g
    const rows = [row('a', 0.1, 1), row('b', -0.1, 1), row('c', 0, 1)];
    const cv = crossValidatedLogRatios(rows, [0]);
    expect(cv[0]).toBeCloseTo(0.15, 12);
    expect(cv[1]).toBeCloseTo(-0.15, 12);
    expect(cv[2]).toBeCloseTo(0, 12);
  });

  it('a tail row (not fitted) moves with its group’s parameter shift, scaled by its own sensitivity', () => {
    const rows = [row('a', 0.1, 1), row('b', -0.1, 1), row('c', 0, 1), row('a', 0.05, 2, false, 'ttft_p99')];
    // δ_a = 0.1 / 2 = 0.05; the tail: 0.05 + 2 × 0.05
    expect(crossValidatedLogRatios(rows, [0])[3]).toBeCloseTo(0.15, 12);
  });

  it('a prior stiffens the parameter: the leave-out correction shrinks', () => {
    const rows = [row('a', 0.1, 1), row('b', -0.1, 1), row('c', 0, 1)];
    // A − J_aᵀJ_a = 2 + 2 (prior precision 2): δ_a = 0.1 / 4
    expect(crossValidatedLogRatios(rows, [2])[0]).toBeCloseTo(0.125, 12);
  });

  it('rows without a Jacobian keep their in-sample residual', () => {
    const rows: BandRow[] = [{ group: 'a', metric: 'e2e', predictedS: 1.2, measuredS: 1, fitted: true }];
    expect(crossValidatedLogRatios(rows, [])[0]).toBeCloseTo(Math.log(1.2), 12);
  });
});

describe('deriveBands', () => {
  it('hand-computed: centre, cross-validated quantile and parameter uncertainty in quadrature', () => {
    const rows = [row('a', 0.1, 1), row('b', -0.1, 1), row('c', 0, 1)];
    const b = deriveBands(rows, { priorPrecision: [0] }).ttft!;
    // measured/predicted, cross-validated: −0.15, 0.15, 0 → median 0; |dev| sorted 0, 0.15, 0.15 → nearest rank 80% = 0.15
    expect(b.shiftLog).toBeCloseTo(0, 12);
    expect(b.crossValidatedHalfWidthLog).toBeCloseTo(0.15, 12);
    // s² = (0.01 + 0.01 + 0) / (3 − 1); Cov = s² / 3; each row's sd = √(Cov)
    const sd = Math.sqrt(0.01 / 3);
    expect(b.parameterSdLog).toBeCloseTo(sd, 12);
    expect(b.halfWidthLog).toBeCloseTo(Math.sqrt(0.15 ** 2 + (Z80 * sd) ** 2), 12);
    expect(b.n).toBe(3);
  });

  it('a biased model gets a centre: measured above predicted by 10% everywhere', () => {
    const rows = ['a', 'b', 'c', 'd'].map((g) => ({ group: g, metric: 'tpot' as const, predictedS: 1, measuredS: 1.1, fitted: true }));
    const b = deriveBands(rows, { priorPrecision: [] }).tpot!;
    expect(b.shiftLog).toBeCloseTo(Math.log(1.1), 12);
    expect(b.crossValidatedHalfWidthLog).toBeCloseTo(0, 12);
  });

  it('is deterministic: the same rows give the same bands', () => {
    const rows = Array.from({ length: 12 }, (_, i) => row(`g${i % 4}`, Math.sin(i) / 5, 1 + (i % 3)));
    expect(deriveBands(rows, { priorPrecision: [0.5] })).toEqual(deriveBands(rows, { priorPrecision: [0.5] }));
  });
});

describe('coverageOf', () => {
  it('counts measured values inside predicted × exp(shift ± w)', () => {
    const rows = [
      { metric: 'ttft' as const, predictedS: 1, measuredS: 1.05 }, // log 0.049: inside ±0.1 around 0.05
      { metric: 'ttft' as const, predictedS: 1, measuredS: 1.2 }, // log 0.182: outside (0.05 + 0.1)
      { metric: 'ttft' as const, predictedS: 1, measuredS: 0.96 }, // log −0.041: inside (≥ −0.05)
      { metric: 'e2e' as const, predictedS: 1, measuredS: 2 }, // no e2e band: not counted
    ];
    expect(coverageOf(rows, { ttft: { shiftLog: 0.05, halfWidthLog: 0.1 } })).toEqual({ ttft: { inside: 2, n: 3 } });
  });
});

describe('weighted rows (a fit that weighs each model alike)', () => {
  it('a row of weight 2 moves the parameters as that row twice: the same leave-one-group-out shift', () => {
    const doubled = [row('a', 0.1, 1), row('a', 0.1, 1), row('b', -0.1, 1), row('c', 0, 1), row('c', 0.02, 0.5)];
    const weighted = [{ ...row('a', 0.1, 1), weight: 2 }, row('b', -0.1, 1), row('c', 0, 1), row('c', 0.02, 0.5)];
    const cvD = crossValidatedLogRatios(doubled, [0.5]);
    const cvW = crossValidatedLogRatios(weighted, [0.5]);
    expect(cvW[0]).toBeCloseTo(cvD[0]!, 12);
    expect(cvW.slice(1).map((x) => x.toFixed(12))).toEqual(cvD.slice(2).map((x) => x.toFixed(12)));
  });

  it('hand-computed: weights change the leave-out shift, not how rows count in the quantile', () => {
    // one parameter, J = 1, no prior; weights a 3, b 1, c 1: A = 5; dropping b: δ = (1 · −0.1) / 4 → ẽ_b = −0.125
    const rows = [{ ...row('a', 0.1, 1), weight: 3 }, row('b', -0.1, 1), row('c', 0, 1)];
    const cv = crossValidatedLogRatios(rows, [0]);
    expect(cv[1]).toBeCloseTo(-0.125, 12);
    // dropping a: δ = 3 · 0.1 / 2 → ẽ_a = 0.25
    expect(cv[0]).toBeCloseTo(0.25, 12);
    // the band: measured/predicted −0.25, 0.125, 0 → median 0, |dev| 0, 0.125, 0.25 → nearest rank 80% = 0.25
    expect(deriveBands(rows, { priorPrecision: [0] }).ttft!.crossValidatedHalfWidthLog).toBeCloseTo(0.25, 12);
  });

  it('weight 1 everywhere is the unweighted band, bit for bit', () => {
    const rows = [row('a', 0.1, 1), row('b', -0.07, 0.8), row('c', 0.02, 1.3), row('c', 0.04, 1.1)];
    expect(deriveBands(rows.map((r) => ({ ...r, weight: 1 })), { priorPrecision: [0.3] })).toEqual(deriveBands(rows, { priorPrecision: [0.3] }));
  });
});
