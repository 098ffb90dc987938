import { z } from 'zod';
import { baseConfig, configFields } from '@trendmill/platform';

/** The normalizer's environment, validated at start-up. */
export const normalizerConfig = baseConfig.extend({
  SERVICE_NAME: configFields.serviceName.default('normalizer'),
  /** Postgres schema this service owns. */
  NORMALIZER_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lowercase SQL identifier')
    .default('normalizer'),
  /** Containment at or above which an item is a near-duplicate (tuned by `npm run bench -- dedup`). */
  NORMALIZER_NEAR_DUPLICATE_THRESHOLD: z.coerce.number().min(0.3).max(1).default(0.63),
  /** item.collected messages in flight at once per process; enough for a batch to fill while one commits. */
  NORMALIZER_PREFETCH: z.coerce.number().int().min(1).max(1000).default(128),
  /** Items decided per transaction (one hold of the dedup lock) at most. */
  NORMALIZER_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(64),
  /** How long a lone item waits for others to share its transaction. */
  NORMALIZER_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(1000).default(5),
});

export type NormalizerConfig = z.output<typeof normalizerConfig>;
