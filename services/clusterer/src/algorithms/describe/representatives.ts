import { cosineSimilarity } from './centroid.js';
import { DescribeError } from './errors.js';

export interface EmbeddedItem {
  id: string;
  vector: Float32Array;
}

export interface RepresentativeItem {
  id: string;
  /** Cosine similarity to the centroid. */
  similarity: number;
}

/**
 * The `n` items nearest the centroid by cosine similarity, nearest first; equal similarities are
 * ordered by id so the same members always give the same representatives. An item listed twice
 * counts once.
 */
export function representativeItems(
  items: Iterable<EmbeddedItem>,
  centroid: Float32Array,
  n: number,
): RepresentativeItem[] {
  if (!Number.isInteger(n) || n < 0) {
    throw new DescribeError('invalid_argument', `n must be a whole number ≥ 0, got ${n}`);
  }
  const scored = new Map<string, number>();
  for (const item of items) {
    const similarity = cosineSimilarity(centroid, item.vector);
    if (Number.isNaN(similarity)) {
      throw new DescribeError('invalid_argument', `item ${item.id} has a non-finite vector`);
    }
    scored.set(item.id, similarity);
  }
  return [...scored]
    .map(([id, similarity]) => ({ id, similarity }))
    .sort((a, b) => b.similarity - a.similarity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, n);
}
