/**
 * Minimum-cost assignment (Hungarian / Kuhn-Munkres with potentials, O(n²·m)) on a rectangular
 * cost matrix. Hand-written because no maintained npm package for it is installed; ACC needs it
 * for the best one-to-one mapping of clusters to classes (scipy's linear_sum_assignment).
 *
 * Returns, for every row, the column it is assigned to, or -1 when there are more rows than
 * columns and the row is left out. Every column gets at most one row.
 */
export function minCostAssignment(cost: readonly (readonly number[])[]): number[] {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : cost[0]!.length;
  for (const row of cost) {
    if (row.length !== cols) throw new RangeError('cost matrix rows must have equal length');
    for (const value of row) if (!Number.isFinite(value)) throw new RangeError('cost must be finite');
  }
  if (rows === 0 || cols === 0) return new Array<number>(rows).fill(-1);
  // The classic formulation assigns every row of an n×m matrix with n ≤ m; transpose otherwise.
  if (rows > cols) {
    const transposed = Array.from({ length: cols }, (_, j) => cost.map((row) => row[j]!));
    const byColumn = minCostAssignment(transposed);
    const result = new Array<number>(rows).fill(-1);
    byColumn.forEach((row, col) => (result[row] = col));
    return result;
  }
  return assignRows(cost, rows, cols);
}

/** Maximum-total assignment: the same problem on negated values (ACC maximises matched counts). */
export function maxWeightAssignment(weight: readonly (readonly number[])[]): number[] {
  return minCostAssignment(weight.map((row) => row.map((value) => -value)));
}

/**
 * Shortest augmenting paths with row/column potentials (e-maxx formulation), 1-based internally:
 * column 0 is a virtual start; `match[j]` is the row holding column j.
 */
function assignRows(cost: readonly (readonly number[])[], n: number, m: number): number[] {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const match = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minSlack = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    match[0] = i;
    let j0 = 0;
    minSlack.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = match[j0]!;
      const row = cost[i0 - 1]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = row[j - 1]! - u[i0]! - v[j]!;
        if (reduced < minSlack[j]!) {
          minSlack[j] = reduced;
          way[j] = j0;
        }
        if (minSlack[j]! < delta) {
          delta = minSlack[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[match[j]!]! += delta;
          v[j]! -= delta;
        } else {
          minSlack[j]! -= delta;
        }
      }
      j0 = j1;
    } while (match[j0] !== 0);
    do {
      const j1 = way[j0]!;
      match[j0] = match[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (match[j]! > 0) result[match[j]! - 1] = j - 1;
  return result;
}
