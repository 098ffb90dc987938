import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@trendmill/platform';
import { repoPath } from './repo.js';

/** The parts of a zod object schema the checks use (duck-typed: every service has its own import). */
export interface ConfigSchema {
  shape: Record<string, { safeParse(value: unknown): { success: boolean } }>;
  safeParse(value: unknown): { success: boolean };
}

export interface ServiceConfig {
  service: string;
  schema: ConfigSchema;
  /** Every variable the service reads. */
  known: Set<string>;
  /** The variables without a default: the service refuses to start without them. */
  required: Set<string>;
}

function isConfigSchema(value: unknown): value is ConfigSchema {
  const candidate = value as Partial<ConfigSchema> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.safeParse === 'function' &&
    typeof candidate.shape === 'object' &&
    candidate.shape !== null &&
    'SERVICE_NAME' in candidate.shape
  );
}

export const configModulePath = (service: string) => repoPath('services', service, 'src', 'config.ts');

/**
 * The config schema exported by services/<service>/src/config.ts (the one its main.ts loads), or
 * undefined while the service has none yet.
 */
export async function loadServiceConfig(service: string): Promise<ServiceConfig | undefined> {
  const file = configModulePath(service);
  if (!existsSync(file)) return undefined;
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const schemas = Object.values(module).filter(isConfigSchema);
  if (schemas.length !== 1) {
    throw new Error(
      `${file} should export exactly one config schema (a zod object with SERVICE_NAME); found ${schemas.length}`,
    );
  }
  const schema = schemas[0]!;
  const known = new Set(Object.keys(schema.shape));
  const required = new Set([...known].filter((key) => !schema.shape[key]!.safeParse(undefined).success));
  return { service, schema, known, required };
}

/** What the service itself would say about this environment at start-up (undefined: it starts). */
export function configProblem(
  config: ServiceConfig,
  env: Record<string, string | undefined>,
): string | undefined {
  try {
    loadConfig(config.schema as never, env);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Problems with a set of variable names: required ones missing, unknown ones present. */
export function variableProblems(config: ServiceConfig, names: Iterable<string>): string[] {
  const given = new Set(names);
  const missing = [...config.required].filter((key) => !given.has(key));
  const unknown = [...given].filter((key) => !config.known.has(key));
  return [
    ...missing.map((key) => `${config.service}: required variable ${key} is not given`),
    ...unknown.map((key) => `${config.service}: ${key} is not a variable the service reads`),
  ];
}
