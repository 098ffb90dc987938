import type { QdrantClient } from '@qdrant/js-client-rest';
import { z } from 'zod';
import { VectorStoreError } from '../errors.js';
import { payloadKey } from '../validation.js';

/** The client calls the adapter makes (a real QdrantClient, or a recording double in unit tests). */
export type QdrantApi = Pick<
  QdrantClient,
  | 'collectionExists'
  | 'createCollection'
  | 'getCollection'
  | 'getCollections'
  | 'deleteCollection'
  | 'createPayloadIndex'
  | 'upsert'
  | 'delete'
  | 'query'
  | 'count'
  | 'retrieve'
>;

const optionsSchema = z
  .strictObject({
    /** e.g. `http://qdrant:6333`. */
    url: z.string().url().optional(),
    apiKey: z.string().min(1).optional(),
    /** Collections are `<prefix><encoded model name>`; lets several deployments share one server. */
    prefix: z
      .string()
      .regex(/^[A-Za-z0-9_-]{0,64}$/, 'letters, digits, _ and - only')
      .default('trendmill_'),
    /** Every request is aborted after this long (the caller adds retries / a circuit breaker). */
    timeoutMs: z.number().int().min(1).default(10_000),
    /** Points per upsert request. */
    batchSize: z.number().int().min(1).max(10_000).default(256),
    /** Payload keys to index for filtering, with their type (created with each collection). */
    indexedFields: z.record(payloadKey, z.enum(['keyword', 'integer', 'float', 'bool'])).default({}),
    client: z.custom<QdrantApi>((v) => typeof v === 'object' && v !== null).optional(),
  })
  .refine((o) => o.url !== undefined || o.client !== undefined, 'either url or client is required');

export type QdrantStoreOptions = z.input<typeof optionsSchema>;
export type ResolvedQdrantOptions = z.output<typeof optionsSchema>;

export function resolveQdrantOptions(options: QdrantStoreOptions): ResolvedQdrantOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new VectorStoreError('invalid_argument', `invalid Qdrant vector store options: ${why}`);
  }
  return parsed.data;
}
