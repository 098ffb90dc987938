import { normalizeInPlace } from '../port.js';
import { RemoteCallError } from '../resilience/index.js';

/**
 * Turns a feature-extraction answer for `count` texts into one unit vector per text, in order.
 *
 * Servers answer in one of these shapes (the library passes them through untouched):
 * - `number[][]`: one pooled vector per text (sentence-transformers models, TEI);
 * - `number[][][]`: one row per token per text (plain transformer models): mean-pooled here;
 * - for a single text, also `number[]` (one vector) or `number[][]` of tokens without the batch axis.
 * Token rows are averaged unweighted: the server returns only the real tokens of each text, so
 * no padding is averaged in. Anything else (wrong count, ragged lengths, NaN, an all-zero vector)
 * is a broken answer: an `unavailable` failure, never silently repaired.
 */
export function toVectors(raw: unknown, count: number): Float32Array[] {
  if (!Array.isArray(raw)) throw malformed(`expected an array, got ${typeof raw}`);
  let items: unknown[];
  if (count === 1 && isNumbers(raw)) items = [raw];
  else if (raw.length === count) items = raw;
  else if (count === 1 && isMatrix(raw)) items = [raw];
  else throw malformed(`expected ${count} vectors, got ${raw.length}`);

  const vectors = items.map((item, i) => {
    if (isNumbers(item)) return Float32Array.from(item);
    if (isMatrix(item)) return meanPool(item, i);
    if (Array.isArray(item) && item.length === 1 && isMatrix(item[0])) return meanPool(item[0], i);
    throw malformed(`vector ${i} is neither a list of numbers nor token rows`);
  });
  const dim = vectors[0]?.length ?? 0;
  vectors.forEach((v, i) => {
    if (v.length === 0) throw malformed(`vector ${i} is empty`);
    if (v.length !== dim) throw malformed(`vector ${i} has ${v.length} values, vector 0 has ${dim}`);
    let norm = 0;
    for (let k = 0; k < v.length; k++) {
      if (!Number.isFinite(v[k]!)) throw malformed(`vector ${i} holds a non-finite value`);
      norm += v[k]! * v[k]!;
    }
    if (norm === 0) throw malformed(`vector ${i} is all zeros`);
    normalizeInPlace(v);
  });
  return vectors;
}

function meanPool(rows: number[][], index: number): Float32Array {
  const width = rows[0]!.length;
  const sum = new Float64Array(width);
  for (const row of rows) {
    if (row.length !== width) throw malformed(`token rows of vector ${index} differ in length`);
    for (let k = 0; k < width; k++) sum[k]! += row[k]!;
  }
  return Float32Array.from(sum, (x) => x / rows.length);
}

function isNumbers(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === 'number');
}

function isMatrix(value: unknown): value is number[][] {
  return Array.isArray(value) && value.length > 0 && value.every(isNumbers);
}

function malformed(detail: string): RemoteCallError {
  return new RemoteCallError(`malformed feature-extraction answer: ${detail}`, 'unavailable');
}
