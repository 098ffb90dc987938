import { z } from 'zod';
import { isSecretKey, redact } from './redact.js';

/** Start-up configuration comes only from the environment, validated once, failing in one clear line. */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: ReadonlyArray<{ variable: string; problem: string }>) {
    super(`Invalid configuration: ${problems.map((p) => `${p.variable}: ${p.problem}`).join('; ')}`);
  }
}

/**
 * `scheme://rest` with one of `schemes` (without `:`). `rest` must be non-empty unless the scheme
 * is in `bare` (`memory://` names the default bus). Not every such URL is a WHATWG URL (a Kafka
 * bootstrap list `kafka://k1:9092,k2:9092` is not), so only the scheme and rest are checked here.
 */
function schemeUrl(schemes: readonly string[], expected: string, bare: readonly string[] = []) {
  return z.string().refine((value) => {
    const match = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(value);
    if (!match) return false;
    const scheme = (match[1] ?? '').toLowerCase();
    const rest = match[2] ?? '';
    return schemes.includes(scheme) && (rest.length > 0 || bare.includes(scheme));
  }, expected);
}

export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Reusable pieces: a service builds its schema from these plus its own variables. */
export const configFields = {
  serviceName: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'expected a lowercase name such as "normalizer" (letters, digits, dashes)'),
  logLevel: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  brokerUrl: schemeUrl(
    ['memory', 'amqp', 'amqps', 'kafka'],
    'expected a URL with scheme memory://, amqp://, amqps:// or kafka://',
    ['memory'],
  ),
  databaseUrl: schemeUrl(
    ['postgres', 'postgresql', 'pglite'],
    'expected postgres://user:password@host:port/db or pglite://<data directory>',
  ),
  port: z
    .string()
    .regex(/^\d{1,5}$/, 'expected a port number 0-65535 (0 picks a free port)')
    .transform(Number)
    .refine((n) => n <= 65_535, 'expected a port number 0-65535 (0 picks a free port)'),
  httpUrl: schemeUrl(['http', 'https'], 'expected an http:// or https:// URL'),
  redisUrl: schemeUrl(['redis', 'rediss'], 'expected a URL with scheme redis:// or rediss://'),
};

/** What every service reads. Extend it (`baseConfig.extend({...})`) or pick from it. */
export const baseConfig = z.object({
  SERVICE_NAME: configFields.serviceName,
  LOG_LEVEL: configFields.logLevel,
  BROKER_URL: configFields.brokerUrl,
  DATABASE_URL: configFields.databaseUrl,
  /** Port of /healthz, /readyz and /metrics (9464 is the usual Prometheus exporter port). */
  HTTP_PORT: configFields.port.default(9464),
  /** Traces are exported only when this is set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: configFields.httpUrl.optional(),
  /** In-process cache, rate limits and idempotency keys are used when unset. */
  REDIS_URL: configFields.redisUrl.optional(),
});
export type BaseConfig = z.output<typeof baseConfig>;

/**
 * Validates the variables the schema names. An empty variable counts as unset, as it does for
 * `FOO=` lines in compose files and ConfigMaps.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<S> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(describeIssues(result.error.issues, input));
}

function describeIssues(issues: z.ZodError['issues'], input: Record<string, string>) {
  const byVariable = new Map<string, string[]>();
  for (const issue of issues) {
    const variable = issue.path.map(String).join('.') || '(config)';
    const raw = input[variable];
    const problem =
      raw === undefined && issue.code === 'invalid_type'
        ? 'required but not set'
        : `${issue.message} (got ${raw === undefined ? 'nothing' : shown(variable, raw)})`;
    const list = byVariable.get(variable) ?? [];
    if (!list.includes(problem)) list.push(problem);
    byVariable.set(variable, list);
  }
  return [...byVariable].map(([variable, problems]) => ({ variable, problem: problems.join(', ') }));
}

function shown(variable: string, raw: string): string {
  return isSecretKey(variable) ? '[REDACTED]' : JSON.stringify(redact(raw));
}

export interface ExitIo {
  exit(code: number): void;
  stderr: { write(line: string): unknown };
}

/**
 * For main.ts: runs `fn` (sync or async); a ConfigError becomes its one-line message on stderr
 * and exit code 1 instead of a stack trace. Other errors pass through.
 */
export function exitOnConfigError<T>(fn: () => T, io: ExitIo = process): T {
  const fail = (err: unknown): never => {
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\n`);
      io.exit(1);
    }
    throw err;
  };
  try {
    const result = fn();
    if (result instanceof Promise) return result.catch(fail) as T;
    return result;
  } catch (err) {
    return fail(err);
  }
}
