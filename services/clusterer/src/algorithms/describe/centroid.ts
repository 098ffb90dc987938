import { DescribeError } from './errors.js';

/**
 * Cluster centroids over unit embedding vectors.
 *
 * The state to keep per cluster is the plain mean of its members' vectors and their count, not the
 * normalised centroid: the mean's length (1 for identical members, towards 0 for scattered ones) is
 * lost by normalising, and without it one vector cannot be added or removed exactly. `centroid`
 * gives the unit direction for similarity. Arithmetic is done in doubles and stored as float32; a
 * long run of incremental updates drifts by float32 rounding, so the service recomputes the mean
 * from the members whenever it has them all (e.g. on re-clustering).
 */

/** Mean of the vectors, all of one dimension; DescribeError('empty_cluster') when there are none. */
export function meanVector(vectors: Iterable<Float32Array>): Float32Array {
  let sum: Float64Array | undefined;
  let count = 0;
  for (const vector of vectors) {
    if (!sum) sum = new Float64Array(vector.length);
    else assertSameDimension(sum.length, vector);
    for (let i = 0; i < vector.length; i++) sum[i]! += vector[i]!;
    count++;
  }
  if (!sum) throw new DescribeError('empty_cluster', 'the mean of no vectors is undefined');
  return Float32Array.from(sum, (value) => value / count);
}

/** The mean with one more vector: mean + (vector − mean) / (count + 1). */
export function addToMean(mean: Float32Array, count: number, vector: Float32Array): Float32Array {
  assertCount(count, 0);
  assertSameDimension(mean.length, vector);
  return Float32Array.from(mean, (value, i) => value + (vector[i]! - value) / (count + 1));
}

/**
 * The mean with one of its `count` vectors taken out: (mean × count − vector) / (count − 1). The last
 * vector cannot be removed (the mean of nothing is undefined): retire the cluster instead.
 */
export function removeFromMean(mean: Float32Array, count: number, vector: Float32Array): Float32Array {
  if (count === 1) throw new DescribeError('empty_cluster', 'cannot remove the last vector of a cluster');
  assertCount(count, 2);
  assertSameDimension(mean.length, vector);
  return Float32Array.from(mean, (value, i) => (value * count - vector[i]!) / (count - 1));
}

/** The mean of two clusters' members, from their means and counts (two clusters merging). */
export function mergeMeans(a: Float32Array, countA: number, b: Float32Array, countB: number): Float32Array {
  assertCount(countA, 1);
  assertCount(countB, 1);
  assertSameDimension(a.length, b);
  const total = countA + countB;
  return Float32Array.from(a, (value, i) => (value * countA + b[i]! * countB) / total);
}

/**
 * The unit-length direction of a mean: the centroid cosine similarity is measured against. A mean of
 * length 0 (members pointing in opposite directions) has no direction: DescribeError('invalid_argument').
 */
export function normalize(vector: Float32Array): Float32Array {
  const length = Math.sqrt(dot(vector, vector));
  if (!(length > 0) || !Number.isFinite(length)) {
    throw new DescribeError('invalid_argument', 'a zero or non-finite vector has no direction');
  }
  return Float32Array.from(vector, (value) => value / length);
}

/** Mean of unit vectors, re-normalised to unit length. */
export function centroid(vectors: Iterable<Float32Array>): Float32Array {
  return normalize(meanVector(vectors));
}

/** Cosine similarity; 0 when either vector is all zeros. Vectors must have the same dimension. */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  assertSameDimension(a.length, b);
  const norms = Math.sqrt(dot(a, a) * dot(b, b));
  return norms === 0 ? 0 : dot(a, b) / norms;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function assertSameDimension(expected: number, vector: Float32Array): void {
  if (vector.length !== expected) {
    throw new DescribeError(
      'dimension_mismatch',
      `vector has ${vector.length} dimensions, expected ${expected}`,
    );
  }
}

function assertCount(count: number, min: number): void {
  if (!Number.isInteger(count) || count < min) {
    throw new DescribeError('invalid_argument', `count must be a whole number ≥ ${min}, got ${count}`);
  }
}
