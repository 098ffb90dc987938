import { z } from 'zod';
import { ConfigError, baseConfig, configFields } from '@trendmill/platform';
import { parseSecretKey } from './subscriptions/webhooks/secret-box.js';

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** The gateway's environment, validated at start-up. */
export const gatewayConfig = baseConfig.extend({
  SERVICE_NAME: configFields.serviceName.default('gateway'),
  HTTP_PORT: configFields.port.default(8080),
  /** Postgres schema this service owns. */
  GATEWAY_DB_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'expected a lowercase SQL identifier')
    .default('gateway'),
  /** The query service's internal API. */
  QUERY_URL: configFields.httpUrl,
  QUERY_API_KEY: z.string().min(1).optional(),
  /** The collector's API (sources and ingest are proxied to it). */
  COLLECTOR_URL: configFields.httpUrl,
  COLLECTOR_API_KEY: z.string().min(1).optional(),
  /** The embedder's internal API (GET /info for /admin/status). */
  EMBEDDER_URL: configFields.httpUrl.optional(),
  EMBEDDER_API_KEY: z.string().min(1).optional(),
  GATEWAY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  GATEWAY_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Comma-separated origins allowed by CORS; `*` for any; empty for none. */
  GATEWAY_CORS_ORIGINS: list,
  GATEWAY_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1_024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  GATEWAY_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /**
   * An admin key accepted from the first start (stored hashed); 32-200 printable characters,
   * checked by `loadGatewayConfig` so a malformed value is never echoed in the error.
   */
  GATEWAY_BOOTSTRAP_ADMIN_KEY: z.string().optional(),
  /** Express "trust proxy": hops of proxies in front of the gateway (for client addresses). */
  GATEWAY_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** CIDRs / hosts webhook URLs may point at although the SSRF guard refuses them. */
  GATEWAY_WEBHOOK_ALLOWLIST: list,
  /** 32 bytes (hex or base64) sealing webhook signing secrets at rest; checked without echoing it. */
  GATEWAY_WEBHOOK_SECRET_KEY: z.string().optional(),
});

export type GatewayConfig = z.output<typeof gatewayConfig>;

/** loadConfig's result plus the checks whose error must not show the value (secrets). */
export function checkGatewayConfig(config: GatewayConfig): GatewayConfig {
  const key = config.GATEWAY_BOOTSTRAP_ADMIN_KEY;
  if (key !== undefined && !/^[\x21-\x7e]{32,200}$/.test(key))
    throw new ConfigError([
      {
        variable: 'GATEWAY_BOOTSTRAP_ADMIN_KEY',
        problem: 'expected 32-200 printable characters without spaces (value not shown)',
      },
    ]);
  const sealing = config.GATEWAY_WEBHOOK_SECRET_KEY;
  if (sealing !== undefined && !parseSecretKey(sealing))
    throw new ConfigError([
      {
        variable: 'GATEWAY_WEBHOOK_SECRET_KEY',
        problem: 'expected 32 bytes as 64 hex characters or base64 (value not shown)',
      },
    ]);
  return config;
}
