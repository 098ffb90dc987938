import { z } from 'zod';
import { baseConfig, configFields } from '@trendmill/platform';

const positiveMs = z.coerce
  .number()
  .int()
  .min(1_000)
  .max(7 * 24 * 3_600_000);
const similarity = z.coerce.number().min(-1).max(1);

/**
 * The clusterer's environment, validated at start-up. Engine tunables are optional: unset, each
 * embedding model gets `defaultEngineSettings(model)` (its calibrated threshold included).
 */
export const clustererConfig = baseConfig.extend({
  SERVICE_NAME: configFields.serviceName.default('clusterer'),
  /** Postgres schema this service owns. */
  CLUSTERER_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lowercase SQL identifier')
    .default('clusterer'),
  /** Cosine similarity an item needs to join a cluster; overrides the per-model calibration. */
  CLUSTERER_ASSIGN_THRESHOLD: similarity.optional(),
  CLUSTERER_MIN_CLUSTER_SIZE: z.coerce.number().int().min(2).max(10_000).optional(),
  /** How often discovery runs over the pool (it also runs when the pool grows past its trigger). */
  CLUSTERER_DISCOVERY_INTERVAL_MS: positiveMs.default(60_000),
  CLUSTERER_DISCOVERY_WINDOW_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 90)
    .optional(),
  /** Discovery looks at the most recent this-many candidates at most (bounds the cost of a pass). */
  CLUSTERER_DISCOVERY_MAX_ITEMS: z.coerce.number().int().min(100).max(1_000_000).optional(),
  CLUSTERER_MERGE_THRESHOLD: similarity.optional(),
  CLUSTERER_RETIRE_AFTER_HOURS: z.coerce
    .number()
    .min(1)
    .max(24 * 365)
    .optional(),
  /** How often merge, retire and trend refresh run. */
  CLUSTERER_MAINTENANCE_INTERVAL_MS: positiveMs.default(300_000),
  /** item.embedded messages in flight at once per process; enough for a batch to fill while one commits. */
  CLUSTERER_PREFETCH: z.coerce.number().int().min(1).max(1000).default(128),
  /** Items clustered per transaction at most. */
  CLUSTERER_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(64),
  /** How long a lone item waits for others to share its transaction. */
  CLUSTERER_BATCH_WAIT_MS: z.coerce.number().int().min(0).max(1000).default(5),
});

export type ClustererConfig = z.output<typeof clustererConfig>;

/**
 * The clusterer's tunables alone (no connections, ports or schema): what the embedded default
 * reads from its environment, so `CLUSTERER_*` settings mean the same in one process as in many.
 */
export const clustererTunables = clustererConfig.pick({
  CLUSTERER_ASSIGN_THRESHOLD: true,
  CLUSTERER_MIN_CLUSTER_SIZE: true,
  CLUSTERER_DISCOVERY_INTERVAL_MS: true,
  CLUSTERER_DISCOVERY_WINDOW_HOURS: true,
  CLUSTERER_DISCOVERY_MAX_ITEMS: true,
  CLUSTERER_MERGE_THRESHOLD: true,
  CLUSTERER_RETIRE_AFTER_HOURS: true,
  CLUSTERER_MAINTENANCE_INTERVAL_MS: true,
  CLUSTERER_PREFETCH: true,
  CLUSTERER_BATCH_SIZE: true,
  CLUSTERER_BATCH_WAIT_MS: true,
});

const HOUR_MS = 3_600_000;

/** The service settings a config describes (engine overrides only for the variables that are set). */
export function clustererSettingsFrom(config: z.output<typeof clustererTunables>) {
  return {
    discoveryIntervalMs: config.CLUSTERER_DISCOVERY_INTERVAL_MS,
    maintenanceIntervalMs: config.CLUSTERER_MAINTENANCE_INTERVAL_MS,
    prefetch: config.CLUSTERER_PREFETCH,
    batch: { maxBatch: config.CLUSTERER_BATCH_SIZE, maxWaitMs: config.CLUSTERER_BATCH_WAIT_MS },
    engine: {
      ...(config.CLUSTERER_ASSIGN_THRESHOLD !== undefined
        ? { assignThreshold: config.CLUSTERER_ASSIGN_THRESHOLD }
        : {}),
      ...(config.CLUSTERER_MIN_CLUSTER_SIZE !== undefined
        ? { minClusterSize: config.CLUSTERER_MIN_CLUSTER_SIZE }
        : {}),
      ...(config.CLUSTERER_DISCOVERY_WINDOW_HOURS !== undefined
        ? { discoveryWindowMs: config.CLUSTERER_DISCOVERY_WINDOW_HOURS * HOUR_MS }
        : {}),
      ...(config.CLUSTERER_DISCOVERY_MAX_ITEMS !== undefined
        ? { discoveryMaxItems: config.CLUSTERER_DISCOVERY_MAX_ITEMS }
        : {}),
      ...(config.CLUSTERER_MERGE_THRESHOLD !== undefined
        ? { mergeThreshold: config.CLUSTERER_MERGE_THRESHOLD }
        : {}),
      ...(config.CLUSTERER_RETIRE_AFTER_HOURS !== undefined
        ? { retireAfterMs: config.CLUSTERER_RETIRE_AFTER_HOURS * HOUR_MS }
        : {}),
    },
  };
}
