import { z } from 'zod';
import { baseConfig, configFields } from '@trendmill/platform';

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

/** The embedder's environment, validated at start-up. */
export const embedderConfig = baseConfig.extend({
  SERVICE_NAME: configFields.serviceName.default('embedder'),
  /** Postgres schema this service owns (items it embedded, for reembed; outbox). */
  EMBEDDER_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lowercase SQL identifier')
    .default('embedder'),
  /** Which provider embeds new items: the built-in offline model, Hugging Face, or a local ONNX model. */
  EMBEDDER_PROVIDER: z.enum(['local', 'hf-inference', 'transformers']).default('local'),
  /** The Hugging Face model for hf-inference. */
  EMBEDDER_HF_MODEL: z.string().min(1).max(200).default('sentence-transformers/all-MiniLM-L6-v2'),
  /** A self-hosted text-embeddings-inference (or other compatible) endpoint instead of Hugging Face's. */
  EMBEDDER_HF_ENDPOINT_URL: configFields.httpUrl.optional(),
  /** Hugging Face access token (secret: read from env only, never logged). */
  HF_TOKEN: z.string().min(1).optional(),
  /** Folder of an ONNX sentence-transformer for the transformers provider. */
  MODEL_DIR: z.string().min(1).optional(),
  /** Per-request timeout of remote providers. */
  EMBEDDER_TIMEOUT_MS: positiveInt(600_000).default(15_000),
  /** `redis` needs REDIS_URL; default: redis when REDIS_URL is set, else in-process. */
  EMBEDDER_CACHE: z.enum(['memory', 'redis']).optional(),
  EMBEDDER_CACHE_TTL_SECONDS: positiveInt(365 * 24 * 3600).default(7 * 24 * 3600),
  EMBEDDER_CACHE_MAX_ENTRIES: positiveInt(10_000_000).default(50_000),
  /** Items per provider call, and how long a batch waits to fill. */
  EMBEDDER_BATCH_SIZE: positiveInt(1024).default(32),
  EMBEDDER_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(25),
  /** Deliveries in flight per process (at least the batch size). */
  EMBEDDER_PREFETCH: positiveInt(10_000).optional(),
  EMBEDDER_MAX_INPUT_CHARS: positiveInt(100_000).default(4_000),
  /** Keys for the internal API (POST /embed, /reembed); comma-separated; none = open (keep it internal). */
  EMBEDDER_API_KEYS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    )
    .optional(),
  EMBEDDER_MAX_BODY_BYTES: positiveInt(100 * 1024 * 1024).default(1024 * 1024),
});

export type EmbedderConfig = z.output<typeof embedderConfig>;
