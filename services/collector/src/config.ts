import { z } from 'zod';
import { baseConfig, configFields } from '@trendmill/platform';
import { createAddressPolicy } from './fetch/index.js';

const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** A typo in the SSRF allowlist is a start-up configuration error, not a TypeError once running. */
const allowlist = list.superRefine((entries, ctx) => {
  try {
    createAddressPolicy(entries);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
  }
});

/** The collector's environment, validated at start-up. */
export const collectorConfig = baseConfig.extend({
  SERVICE_NAME: configFields.serviceName.default('collector'),
  /** Postgres schema this service owns. */
  COLLECTOR_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lowercase SQL identifier')
    .default('collector'),
  /** Comma-separated CIDRs or host names the SSRF guard lets through (e.g. an internal feed host). */
  COLLECTOR_FETCH_ALLOWLIST: allowlist,
  /** Sources polled at once by this process. */
  COLLECTOR_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(4),
  /** Consecutive failures after which `source.failed` is emitted. */
  COLLECTOR_FAILURE_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(5),
  /** Largest response body accepted from a source. */
  COLLECTOR_MAX_RESPONSE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
  COLLECTOR_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  COLLECTOR_READ_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  COLLECTOR_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
  /** Shortest adaptive polling interval. */
  COLLECTOR_MIN_INTERVAL_SECONDS: z.coerce.number().int().min(10).default(60),
  /** Comma-separated API keys the HTTP API requires (unset: no key; put the gateway in front). */
  COLLECTOR_API_KEYS: list,
  /** Largest request body the HTTP API accepts. */
  COLLECTOR_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(5 * 1024 * 1024),
});

export type CollectorConfig = z.output<typeof collectorConfig>;

/** The service settings a config names. */
export function collectorSettings(config: CollectorConfig) {
  return {
    allowlist: config.COLLECTOR_FETCH_ALLOWLIST,
    concurrency: config.COLLECTOR_CONCURRENCY,
    failureThreshold: config.COLLECTOR_FAILURE_THRESHOLD,
    fetch: {
      maxBytes: config.COLLECTOR_MAX_RESPONSE_BYTES,
      connectTimeoutMs: config.COLLECTOR_CONNECT_TIMEOUT_MS,
      readTimeoutMs: config.COLLECTOR_READ_TIMEOUT_MS,
      maxRedirects: config.COLLECTOR_MAX_REDIRECTS,
    },
    schedule: { minIntervalSeconds: config.COLLECTOR_MIN_INTERVAL_SECONDS },
  };
}
