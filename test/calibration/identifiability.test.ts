import { describe, expect, it } from 'vitest';
import { invertSymmetric, parameterUncertainty } from '../../src/calibration/identifiability.ts';

describe('parameter uncertainty from the Jacobian (hand-computed)', () => {
  // J = [[1,0],[0,1],[1,1]], r = [0.1,−0.1,0]: RSS 0.02, n − p = 1 → σ² = 0.02;
  // JᵀJ = [[2,1],[1,2]], (JᵀJ)⁻¹ = ⅓[[2,−1],[−1,2]] → variance ⅔ × 0.02, standard error 0.11547
  const J = [
    [1, 0],
    [0, 1],
    [1, 1],
  ];
  const r = [0.1, -0.1, 0];

  it('inverts a symmetric matrix, and refuses a singular one', () => {
    const inv = invertSymmetric([
      [2, 1],
      [1, 2],
    ])!;
    expect(inv[0]![0]).toBeCloseTo(2 / 3, 12);
    expect(inv[0]![1]).toBeCloseTo(-1 / 3, 12);
    expect(
      invertSymmetric([
        [1, 2],
        [2, 4],
      ]),
    ).toBeUndefined();
  });

  it('standard error √(σ² (JᵀJ)⁻¹ⱼⱼ); identified when under 15% of the range', () => {
    const u = parameterUncertainty(J, r, [1, 0.5]);
    expect(u[0]!.stdError).toBeCloseTo(Math.sqrt((2 / 3) * 0.02), 12);
    expect(u[0]!.identified).toBe(true); // 0.115 ≤ 0.15 × 1
    expect(u[1]!.identified).toBe(false); // 0.115 > 0.15 × 0.5
  });

  it('a parameter the residuals do not depend on, or two that move them identically, are not identified', () => {
    const flat = parameterUncertainty(
      [
        [1, 0],
        [2, 0],
        [3, 0],
      ],
      [0.1, 0, -0.1],
      [1, 1],
    );
    expect(flat[1]).toEqual({ stdError: Infinity, identified: false });
    const twins = parameterUncertainty(
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
      [0.1, 0, -0.1],
      [1, 1],
    );
    expect(twins.every((x) => !x.identified)).toBe(true);
  });
});
