import { PermanentFailure } from '@trendmill/platform';
import type { ItemEmbedded } from '@trendmill/shared-contracts';
import {
  VectorDimensionError,
  VectorStoreError,
  type VectorPoint,
  type VectorStore,
} from '@trendmill/vectors';

/** An item.embedded whose vector was decoded when it was received. */
export interface EmbeddedVector {
  data: ItemEmbedded;
  vector: Float32Array;
}

/**
 * Writes the vectors of a batch of items, one upsert call per collection (model, dimension).
 * Resolves to the refusals that no retry can cure (a vector the collection cannot take), by index
 * into `items`; any other error throws, so the whole batch is tried again. When a collection
 * refuses a call of several points, its points are written one at a time to find out which of
 * them it refuses, so a bad vector is refused alone.
 */
export async function upsertVectors(
  vectors: VectorStore,
  items: readonly EmbeddedVector[],
): Promise<Map<number, PermanentFailure>> {
  const refused = new Map<number, PermanentFailure>();
  const groups = new Map<string, number[]>();
  items.forEach(({ data }, i) => {
    const key = `${data.dim}\u0000${data.model}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const indexes of groups.values()) {
    const write = async (group: readonly number[]) => {
      const { model, dim } = items[group[0]!]!.data;
      const collection = await vectors.collection(model, dim);
      await collection.upsert(group.map((i) => pointOf(items[i]!)));
    };
    try {
      await write(indexes);
    } catch (err) {
      if (!isPermanent(err)) throw err;
      if (indexes.length === 1) {
        refused.set(indexes[0]!, refusal(items[indexes[0]!]!, err));
        continue;
      }
      for (const i of indexes) {
        try {
          await write([i]);
        } catch (one) {
          if (!isPermanent(one)) throw one;
          refused.set(i, refusal(items[i]!, one));
        }
      }
    }
  }
  return refused;
}

function pointOf({ data, vector }: EmbeddedVector): VectorPoint {
  return {
    id: data.itemId,
    vector,
    payload: {
      sourceId: data.sourceId,
      language: data.language.toLowerCase(),
      publishedAt: Date.parse(data.publishedAt),
    },
  };
}

function isPermanent(err: unknown): boolean {
  return (
    err instanceof VectorDimensionError ||
    (err instanceof VectorStoreError &&
      ['dimension_mismatch', 'invalid_argument', 'model_name_collision'].includes(err.code))
  );
}

function refusal({ data }: EmbeddedVector, err: unknown): PermanentFailure {
  return new PermanentFailure(`item ${data.itemId}: ${(err as Error).message}`, 'vector_dimension');
}
