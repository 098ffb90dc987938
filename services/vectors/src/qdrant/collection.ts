import type { Schemas } from '@qdrant/js-client-rest';
import { matchesNothing } from '../filter.js';
import type {
  Payload,
  SearchHit,
  SearchOptions,
  VectorCollection,
  VectorFilter,
  VectorPoint,
} from '../port.js';
import { checkFilter, checkIds, checkPoints, checkSearchOptions, unitVector } from '../validation.js';
import { qdrantCall } from './errors.js';
import { toQdrantFilter } from './filter.js';
import type { QdrantApi } from './options.js';
import { ORIGINAL_ID_KEY, pointUuid } from './point-id.js';

/** Ids per delete or retrieve request (keeps request bodies small). */
const IDS_PER_REQUEST = 1024;

/**
 * One model's Qdrant collection. Writes wait for Qdrant to apply them (`wait: true`), so a search
 * right after an upsert sees it, as with the embedded store. Vectors are sent unit-normalised (Qdrant
 * normalises for Cosine anyway), so retrieve returns the same vectors from either store.
 */
export class QdrantCollection implements VectorCollection {
  constructor(
    /** The model name, as with the embedded store. */
    readonly name: string,
    readonly dim: number,
    /** The Qdrant collection holding it. */
    readonly qdrantName: string,
    private readonly client: QdrantApi,
    private readonly batchSize: number,
    private readonly assertOpen: () => void,
  ) {}

  async upsert(points: readonly VectorPoint[]): Promise<void> {
    this.assertOpen();
    const checked = checkPoints(points, this.dim);
    for (let start = 0; start < checked.length; start += this.batchSize) {
      const batch = checked.slice(start, start + this.batchSize).map((p) => ({
        id: pointUuid(p.id),
        vector: Array.from(p.unit),
        payload: { ...p.payload, [ORIGINAL_ID_KEY]: p.id },
      }));
      await qdrantCall('upsert', () => this.client.upsert(this.qdrantName, { wait: true, points: batch }));
    }
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.assertOpen();
    const unique = [...new Set(checkIds(ids))];
    for (let start = 0; start < unique.length; start += IDS_PER_REQUEST) {
      const points = unique.slice(start, start + IDS_PER_REQUEST).map(pointUuid);
      await qdrantCall('delete', () => this.client.delete(this.qdrantName, { wait: true, points }));
    }
  }

  async search(vector: Float32Array, options: SearchOptions): Promise<SearchHit[]> {
    this.assertOpen();
    const { k, filter, exact } = checkSearchOptions(options);
    const query = unitVector(vector, this.dim);
    if (matchesNothing(filter)) return [];
    const response = await qdrantCall('query', () =>
      this.client.query(this.qdrantName, {
        query: Array.from(query),
        limit: k,
        filter: toQdrantFilter(filter),
        ...(exact ? { params: { exact: true } } : {}),
        with_payload: true,
      }),
    );
    return response.points.map((point) => ({ ...unwrap(point), score: point.score }));
  }

  async count(filter?: VectorFilter): Promise<number> {
    this.assertOpen();
    const checked = filter === undefined ? undefined : checkFilter(filter);
    if (matchesNothing(checked)) return 0;
    const response = await qdrantCall('count', () =>
      this.client.count(this.qdrantName, { filter: toQdrantFilter(checked), exact: true }),
    );
    return response.count;
  }

  async retrieve(ids: readonly string[]): Promise<VectorPoint[]> {
    this.assertOpen();
    const unique = [...new Set(checkIds(ids))];
    const found = new Map<string, VectorPoint>();
    for (let start = 0; start < unique.length; start += IDS_PER_REQUEST) {
      const chunk = unique.slice(start, start + IDS_PER_REQUEST);
      const records = await qdrantCall('retrieve', () =>
        this.client.retrieve(this.qdrantName, {
          ids: chunk.map(pointUuid),
          with_payload: true,
          with_vector: true,
        }),
      );
      for (const record of records) {
        const { id, payload } = unwrap(record);
        found.set(id, { id, vector: toFloat32(record.vector), payload });
      }
    }
    // Qdrant answers in its own order; the port's order is the caller's.
    return unique.map((id) => found.get(id)).filter((p): p is VectorPoint => p !== undefined);
  }
}

/** The port's id and payload of a Qdrant point (the original id lives in the payload). */
function unwrap(point: { id: Schemas['ExtendedPointId']; payload?: Record<string, unknown> | null }): {
  id: string;
  payload: Payload;
} {
  const { [ORIGINAL_ID_KEY]: original, ...payload } = point.payload ?? {};
  return { id: typeof original === 'string' ? original : String(point.id), payload: payload as Payload };
}

function toFloat32(vector: Schemas['Record']['vector']): Float32Array {
  if (Array.isArray(vector) && vector.every((x) => typeof x === 'number')) return Float32Array.from(vector);
  return new Float32Array(0);
}
