import { QdrantClient } from '@qdrant/js-client-rest';
import { VectorStoreError } from '../errors.js';
import { decodeModelName, encodeModelName } from '../model-names.js';
import type { VectorCollection, VectorStore } from '../port.js';
import { checkDim, checkModelName } from '../validation.js';
import { QdrantCollection } from './collection.js';
import { httpStatus, qdrantCall } from './errors.js';
import {
  resolveQdrantOptions,
  type QdrantApi,
  type QdrantStoreOptions,
  type ResolvedQdrantOptions,
} from './options.js';

/**
 * The distributed vector store: one Qdrant collection per embedding model, named
 * `<prefix><encoded model name>` (reversible, so listCollections recovers the model names without
 * a registry), with Cosine distance and the payload indexes it was configured with. Timeouts are
 * the client's; retries and circuit breaking belong to the caller.
 */
const MAX_COLLECTION_NAME = 255;

export class QdrantVectorStore implements VectorStore {
  readonly kind = 'qdrant';
  private readonly options: ResolvedQdrantOptions;
  private readonly client: QdrantApi;
  private readonly collections = new Map<string, Promise<QdrantCollection>>();
  private closed = false;

  constructor(options: QdrantStoreOptions) {
    this.options = resolveQdrantOptions(options);
    this.client =
      this.options.client ??
      new QdrantClient({
        url: this.options.url,
        ...(this.options.apiKey ? { apiKey: this.options.apiKey } : {}),
        timeout: this.options.timeoutMs,
        // The check is a request at construction that only warns; readiness probes do this job.
        checkCompatibility: false,
      });
  }

  async collection(model: string, dim: number): Promise<VectorCollection> {
    this.assertOpen();
    checkModelName(model);
    checkDim(dim);
    let pending = this.collections.get(model);
    if (!pending) {
      pending = this.ensureCollection(model, dim);
      this.collections.set(model, pending);
      const settled = pending;
      settled.catch(() => {
        if (this.collections.get(model) === settled) this.collections.delete(model);
      });
    }
    const collection = await pending;
    if (collection.dim !== dim) throw dimensionMismatch(model, collection.dim, dim);
    return collection;
  }

  async dropCollection(model: string): Promise<void> {
    this.assertOpen();
    checkModelName(model);
    this.collections.delete(model);
    const name = this.collectionName(model);
    try {
      await qdrantCall('deleteCollection', () => this.client.deleteCollection(name));
    } catch (err) {
      if (err instanceof VectorStoreError && httpStatus(err.cause) === 404) return;
      throw err;
    }
  }

  async listCollections(): Promise<Array<{ model: string; dim: number; count: number }>> {
    this.assertOpen();
    const { collections } = await qdrantCall('getCollections', () => this.client.getCollections());
    const found: Array<{ model: string; dim: number; count: number }> = [];
    for (const { name } of collections) {
      if (!name.startsWith(this.options.prefix)) continue;
      const model = decodeModelName(name.slice(this.options.prefix.length));
      if (model === undefined || model.length === 0) continue;
      const info = await qdrantCall('getCollection', () => this.client.getCollection(name));
      const dim = vectorSize(info);
      if (dim === undefined) continue;
      const { count } = await qdrantCall('count', () => this.client.count(name, { exact: true }));
      found.push({ model, dim, count });
    }
    return found.sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  }

  /** Nothing is pending (writes wait for Qdrant); later calls are refused. */
  async close(): Promise<void> {
    this.closed = true;
    this.collections.clear();
  }

  private async ensureCollection(model: string, dim: number): Promise<QdrantCollection> {
    const name = this.collectionName(model);
    const exists = async () =>
      (await qdrantCall('collectionExists', () => this.client.collectionExists(name))).exists;
    if (!(await exists())) {
      try {
        await qdrantCall('createCollection', () =>
          this.client.createCollection(name, { vectors: { size: dim, distance: 'Cosine' } }),
        );
      } catch (err) {
        // Another replica may have created it a moment ago; anything else is a real failure.
        if (!(await exists())) throw err;
      }
    }
    const info = await qdrantCall('getCollection', () => this.client.getCollection(name));
    const size = vectorSize(info);
    if (size === undefined) {
      throw new VectorStoreError(
        'backend_error',
        `Qdrant collection ${name} is not a single-vector Cosine collection`,
      );
    }
    if (size !== dim) throw dimensionMismatch(model, size, dim);
    const indexed = info.payload_schema ?? {};
    for (const [field, type] of Object.entries(this.options.indexedFields)) {
      if (indexed[field]) continue;
      await qdrantCall('createPayloadIndex', () =>
        this.client.createPayloadIndex(name, { field_name: field, field_schema: type, wait: true }),
      );
    }
    return new QdrantCollection(model, size, name, this.client, this.options.batchSize, () =>
      this.assertOpen(),
    );
  }

  private collectionName(model: string): string {
    const name = `${this.options.prefix}${encodeModelName(model)}`;
    if (name.length > MAX_COLLECTION_NAME) {
      throw new VectorStoreError(
        'invalid_argument',
        `model name ${JSON.stringify(model)} is too long for a Qdrant collection name once encoded`,
      );
    }
    return name;
  }

  private assertOpen(): void {
    if (this.closed) throw new VectorStoreError('closed', 'the Qdrant vector store is closed');
  }
}

/** The size of a collection's single unnamed Cosine vector, or undefined for any other layout. */
function vectorSize(info: Awaited<ReturnType<QdrantApi['getCollection']>>): number | undefined {
  const vectors = info.config.params.vectors as { size?: unknown; distance?: unknown } | undefined;
  if (!vectors || typeof vectors.size !== 'number' || vectors.distance !== 'Cosine') return undefined;
  return vectors.size;
}

function dimensionMismatch(model: string, existing: number, asked: number): VectorStoreError {
  return new VectorStoreError(
    'dimension_mismatch',
    `collection for model ${JSON.stringify(model)} has dimension ${existing}, not ${asked}: one model, one space`,
  );
}

export function openQdrantVectorStore(options: QdrantStoreOptions): QdrantVectorStore {
  return new QdrantVectorStore(options);
}
