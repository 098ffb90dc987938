import { HdbscanError } from './errors.js';

/** n row-major vectors of `dim` floats in one buffer (the layout usearch and the distance loops want). */
export interface VectorMatrix {
  readonly data: Float32Array;
  readonly dim: number;
}

/** Accepted input: one Float32Array per item (as embeddings travel in events), or a packed matrix. */
export type VectorsInput = readonly Float32Array[] | VectorMatrix;

/**
 * How far a vector's length may be from 1. Embedders normalise in float32 (error ~1e-7); anything
 * further off was not normalised at all, and distances on it would silently mean something else.
 */
export const UNIT_NORM_TOLERANCE = 1e-3;

export function rowCount(matrix: VectorMatrix): number {
  return matrix.dim === 0 ? 0 : matrix.data.length / matrix.dim;
}

/**
 * Checks the vectors (same dimension, finite, unit length) and packs them into one fresh buffer at
 * byte offset 0: usearch reads a typed array's underlying buffer from its start, so a view into a
 * larger buffer would hand it the wrong rows.
 */
export function packUnitVectors(input: VectorsInput): VectorMatrix {
  if (Array.isArray(input)) return packRows(input as readonly Float32Array[]);
  const { data, dim } = input as VectorMatrix;
  if (!(data instanceof Float32Array)) {
    throw new HdbscanError('invalid_argument', 'vectors.data must be a Float32Array');
  }
  if (!Number.isInteger(dim) || dim < 1) {
    throw new HdbscanError('invalid_argument', `vectors.dim must be a positive integer, got ${dim}`);
  }
  if (data.length % dim !== 0) {
    throw new HdbscanError(
      'dimension_mismatch',
      `vectors.data has ${data.length} floats, not a multiple of dim ${dim}`,
    );
  }
  const packed = new Float32Array(data);
  checkRows(packed, dim);
  return { data: packed, dim };
}

function packRows(rows: readonly Float32Array[]): VectorMatrix {
  if (rows.length === 0) return { data: new Float32Array(0), dim: 0 };
  const first = rows[0]!;
  if (!(first instanceof Float32Array)) {
    throw new HdbscanError('invalid_argument', 'vector 0 is not a Float32Array');
  }
  const dim = first.length;
  if (dim === 0) throw new HdbscanError('invalid_vector', 'vector 0 is empty');
  const data = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => {
    if (!(row instanceof Float32Array)) {
      throw new HdbscanError('invalid_argument', `vector ${i} is not a Float32Array`);
    }
    if (row.length !== dim) {
      throw new HdbscanError(
        'dimension_mismatch',
        `vector ${i} has ${row.length} dimensions, vector 0 has ${dim}`,
      );
    }
    data.set(row, i * dim);
  });
  checkRows(data, dim);
  return { data, dim };
}

function checkRows(data: Float32Array, dim: number): void {
  const n = data.length / dim;
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let k = i * dim, end = k + dim; k < end; k++) {
      const v = data[k]!;
      if (!Number.isFinite(v)) {
        throw new HdbscanError('invalid_vector', `vector ${i} has a non-finite component (${v})`);
      }
      norm += v * v;
    }
    const length = Math.sqrt(norm);
    if (Math.abs(length - 1) > UNIT_NORM_TOLERANCE) {
      throw new HdbscanError(
        'invalid_vector',
        `vector ${i} has length ${length.toPrecision(6)}; HDBSCAN here expects unit-normalised vectors`,
      );
    }
  }
}

/**
 * Euclidean distance between rows a and b: ‖a − b‖, which for unit vectors is sqrt(2 − 2·cos),
 * in [0, 2]. It is a metric (1 − cos is not), so mutual reachability stays one and HDBSCAN's
 * theory holds. Computed from the differences rather than from the dot product so that
 * duplicates come out exactly 0 and near-duplicates keep their precision (2 − 2·cos loses it
 * to cancellation). Accumulates in float64 over four lanes; every distance in this module goes
 * through this one function, so equal inputs give bit-identical distances on every path.
 */
export function distance(data: Float32Array, dim: number, a: number, b: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = a * dim;
  let j = b * dim;
  const end = i + dim - 7;
  for (; i < end; i += 8, j += 8) {
    let t0 = data[i]! - data[j]!;
    let t1 = data[i + 1]! - data[j + 1]!;
    let t2 = data[i + 2]! - data[j + 2]!;
    let t3 = data[i + 3]! - data[j + 3]!;
    s0 += t0 * t0;
    s1 += t1 * t1;
    s2 += t2 * t2;
    s3 += t3 * t3;
    t0 = data[i + 4]! - data[j + 4]!;
    t1 = data[i + 5]! - data[j + 5]!;
    t2 = data[i + 6]! - data[j + 6]!;
    t3 = data[i + 7]! - data[j + 7]!;
    s0 += t0 * t0;
    s1 += t1 * t1;
    s2 += t2 * t2;
    s3 += t3 * t3;
  }
  for (const stop = a * dim + dim; i < stop; i++, j++) {
    const t = data[i]! - data[j]!;
    s0 += t * t;
  }
  return Math.sqrt(s0 + s1 + (s2 + s3));
}
