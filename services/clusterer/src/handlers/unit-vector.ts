import { PermanentFailure } from '@trendmill/platform';
import { decodeVector, type ItemEmbedded } from '@trendmill/shared-contracts';

/**
 * The item's vector, unit-normalised (engines compare by dot product). A vector that cannot be
 * decoded, holds a non-finite value or has no length can never be clustered: it is refused.
 */
export function unitVectorOf(item: Pick<ItemEmbedded, 'itemId' | 'vector' | 'dim'>): Float32Array {
  let vector: Float32Array;
  try {
    vector = decodeVector(item.vector, item.dim);
  } catch (err) {
    throw new PermanentFailure(`item ${item.itemId}: ${(err as Error).message}`, 'invalid_vector');
  }
  let sum = 0;
  for (const v of vector) {
    if (!Number.isFinite(v)) {
      throw new PermanentFailure(`item ${item.itemId}: vector holds a non-finite value`, 'invalid_vector');
    }
    sum += v * v;
  }
  const norm = Math.sqrt(sum);
  if (!(norm > 1e-12) || !Number.isFinite(norm)) {
    throw new PermanentFailure(`item ${item.itemId}: vector has zero length`, 'invalid_vector');
  }
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}
