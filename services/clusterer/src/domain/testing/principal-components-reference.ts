import { orthonormalise, startBasis, type Projection } from '../principal-components.js';

/**
 * principalComponents as first written: column by column, each column's scores over all rows,
 * then each row's share of every new column. The baseline of bench/principal-components.ts and
 * the spec's reference: the row-by-row version must give the same components to the bit.
 */
export function referencePrincipalComponents(
  vectors: readonly Float32Array[],
  count: number,
  options: { iterations?: number; seed?: number } = {},
): Projection {
  const n = vectors.length;
  const dim = vectors[0]?.length ?? 0;
  const rank = Math.max(0, Math.min(count, dim, n));
  const mean = new Float64Array(dim);
  for (const vector of vectors) for (let d = 0; d < dim; d++) mean[d]! += vector[d]!;
  for (let d = 0; d < dim; d++) mean[d]! /= Math.max(1, n);
  if (rank === 0) return { components: [], mean };
  const width = Math.min(dim, rank + 8);
  let basis = startBasis(width, dim, options.seed ?? 0x5eed);
  const scores = Array.from({ length: width }, () => new Float64Array(n));
  for (let round = 0; round < (options.iterations ?? 4); round++) {
    for (let j = 0; j < width; j++) {
      const q = basis[j]!;
      let shift = 0;
      for (let d = 0; d < dim; d++) shift += mean[d]! * q[d]!;
      const s = scores[j]!;
      for (let i = 0; i < n; i++) s[i] = dot(vectors[i]!, q) - shift;
    }
    const next = Array.from({ length: width }, () => new Float64Array(dim));
    for (let i = 0; i < n; i++) {
      const vector = vectors[i]!;
      for (let j = 0; j < width; j++) {
        const weight = scores[j]![i]!;
        if (weight === 0) continue;
        const row = next[j]!;
        for (let d = 0; d < dim; d++) row[d]! += weight * (vector[d]! - mean[d]!);
      }
    }
    orthonormalise(next);
    basis = next;
  }
  const variance = basis.map((q) => {
    let shift = 0;
    for (let d = 0; d < dim; d++) shift += mean[d]! * q[d]!;
    let sum = 0;
    for (const vector of vectors) sum += (dot(vector, q) - shift) ** 2;
    return sum;
  });
  const order = basis.map((_, j) => j).sort((a, b) => variance[b]! - variance[a]! || a - b);
  return { components: order.slice(0, rank).map((j) => basis[j]!), mean };
}

/** Whether two projections hold the same numbers, to the bit (Object.is tells -0 from 0). */
export function sameBits(a: Projection, b: Projection): boolean {
  const same = (x: Float64Array, y: Float64Array | undefined) =>
    y !== undefined && x.length === y.length && x.every((value, i) => Object.is(value, y[i]));
  return (
    same(a.mean, b.mean) &&
    a.components.length === b.components.length &&
    a.components.every((c, j) => same(c, b.components[j]))
  );
}

function dot(a: Float32Array, b: Float64Array): number {
  let sum = 0;
  for (let d = 0; d < b.length; d++) sum += a[d]! * b[d]!;
  return sum;
}
