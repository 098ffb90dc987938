import { z } from 'zod';
import { baseConfig, configFields } from '@trendmill/platform';

const keyList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
  )
  .optional();

/** The query service's environment, validated at start-up. */
export const queryConfig = baseConfig.extend({
  SERVICE_NAME: configFields.serviceName.default('query'),
  /** Postgres schema this service owns. */
  QUERY_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lowercase SQL identifier')
    .default('query'),
  /** The embedder's internal API, for embedding search queries (`POST /embed`). */
  EMBEDDER_URL: configFields.httpUrl,
  /** Key for the embedder's API, when it has EMBEDDER_API_KEYS set. */
  EMBEDDER_API_KEY: z.string().min(1).optional(),
  /** Time limit of one query embedding. */
  QUERY_EMBED_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** Qdrant for vectors; without it the embedded index under QUERY_VECTOR_DIR is used. */
  QDRANT_URL: configFields.httpUrl.optional(),
  QDRANT_API_KEY: z.string().min(1).optional(),
  QUERY_VECTOR_DIR: z.string().min(1).default('./data/query-vectors'),
  /** Keys for this internal API; comma-separated; none = open (keep it internal). */
  QUERY_API_KEYS: keyList,
  /** Messages in flight at once per process; enough for a projection batch to fill while one commits. */
  QUERY_PREFETCH: z.coerce.number().int().min(1).max(1000).default(128),
  /** Events projected in one transaction at most. */
  QUERY_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(64),
  /** How long a lone event waits for others before its transaction runs. */
  QUERY_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(1000).default(5),
});

export type QueryConfig = z.output<typeof queryConfig>;
