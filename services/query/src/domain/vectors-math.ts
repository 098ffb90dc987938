/** Mean of unit vectors, renormalised: the direction the members share. Undefined for none. */
export function centroid(vectors: readonly Float32Array[]): Float32Array | undefined {
  const first = vectors[0];
  if (!first) return undefined;
  const sum = new Float32Array(first.length);
  for (const v of vectors) for (let i = 0; i < sum.length; i++) sum[i]! += v[i]!;
  return normalize(sum);
}

export function normalize(vector: Float32Array): Float32Array | undefined {
  let norm = 0;
  for (const x of vector) norm += x * x;
  norm = Math.sqrt(norm);
  if (!(norm > 0)) return undefined;
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]! / norm;
  return out;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** The k points most similar to `query` (cosine of unit vectors), best first. */
export function nearest<T extends { vector: Float32Array }>(
  query: Float32Array,
  points: readonly T[],
  k: number,
): Array<{ point: T; similarity: number }> {
  return points
    .map((point) => ({ point, similarity: dot(query, point.vector) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}
