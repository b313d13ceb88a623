/**
 * How well a least-squares fit pins each parameter down: the Gauss–Newton covariance σ²(JᵀJ)⁻¹ at the
 * solution, with σ² = RSS / (n − p) from the data residuals (the prior's residuals are not data). A
 * parameter whose standard error is a large share of its physical range, or that the residuals do not
 * move at all, is not identified by the data: the fit should keep its prior and say so.
 */
export interface ParameterUncertainty {
  /** one standard error, in the parameter's own unit; Infinity when the data do not move the residuals */
  readonly stdError: number;
  readonly identified: boolean;
}

/** a standard error above this share of the parameter's range means the data leave it undetermined */
export const IDENTIFIED_MAX_RELATIVE_ERROR = 0.15;

/**
 * @param jacobian  n × p: ∂residual_i / ∂parameter_j at the solution (data residuals only)
 * @param residuals n data residuals at the solution
 * @param ranges    p physical ranges (max − min), the yardstick of "large"
 */
export function parameterUncertainty(jacobian: readonly (readonly number[])[], residuals: readonly number[], ranges: readonly number[]): ParameterUncertainty[] {
  const n = residuals.length;
  const p = ranges.length;
  const rss = residuals.reduce((a, r) => a + r * r, 0);
  // with no degrees of freedom left the scatter is unknown: assume residuals of 10% (log units ≈ 0.1)
  const sigma2 = n > p ? rss / (n - p) : 0.01;
  const jtj = Array.from({ length: p }, (_, a) => Array.from({ length: p }, (_, b) => jacobian.reduce((s, row) => s + row[a]! * row[b]!, 0)));
  const inverse = invertSymmetric(jtj);
  return ranges.map((range, j) => {
    const column = jacobian.reduce((s, row) => s + row[j]! * row[j]!, 0);
    const variance = inverse ? inverse[j]![j]! * sigma2 : Infinity;
    const stdError = column > 0 && Number.isFinite(variance) && variance >= 0 ? Math.sqrt(variance) : Infinity;
    return { stdError, identified: stdError <= IDENTIFIED_MAX_RELATIVE_ERROR * range };
  });
}

/** Gauss–Jordan with partial pivoting; undefined when the matrix is singular (a direction the data do not see). */
export function invertSymmetric(m: readonly (readonly number[])[]): number[][] | undefined {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(...m.map((row, i) => Math.abs(row[i]!)), 0);
  if (!(scale > 0)) return undefined;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) <= 1e-12 * scale) return undefined;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    const lead = a[col]![col]!;
    for (let k = 0; k < 2 * n; k++) a[col]![k]! /= lead;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r]![col]!;
      if (f !== 0) for (let k = 0; k < 2 * n; k++) a[r]![k]! -= f * a[col]![k]!;
    }
  }
  return a.map((row) => row.slice(n));
}
