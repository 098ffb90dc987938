import { ApiError } from '@trendmill/platform';
import type { ZodType } from 'zod';
import { resolveEventTypes, splitTypesParam } from '../event-types.js';

export interface FieldIssue {
  path: string;
  message: string;
}

/** 422 validation_failed naming each field at fault (the gateway's convention for well-formed but invalid input). */
export function validationFailed(details: FieldIssue[]): ApiError {
  return new ApiError(
    422,
    'validation_failed',
    details.map((d) => `${d.path}: ${d.message}`).join('; '),
    details,
  );
}

export function parseInput<T>(schema: ZodType<T>, input: unknown, where = ''): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw validationFailed(
    parsed.error.issues.map((i) => ({
      path: [where, ...i.path.map(String)].filter(Boolean).join('.') || '(body)',
      message: i.message,
    })),
  );
}

/** A `types` list (query string or body) as full event types; unknown names are a 422 naming them. */
export function eventTypesFrom(value: unknown, path: string, options: { required: boolean }): string[] {
  const requested = splitTypesParam(value);
  if (requested.length === 0) {
    if (options.required) throw validationFailed([{ path, message: 'name at least one event type' }]);
    return [];
  }
  const { types, unknown } = resolveEventTypes(requested);
  if (unknown.length > 0)
    throw validationFailed(
      unknown.map((name) => ({
        path,
        message: `unknown event type "${name.slice(0, 100)}" (use e.g. cluster.created or trendmill.cluster.created.v1)`,
      })),
    );
  return types;
}

/** A non-negative integer sequence number from a header or query parameter. */
export function sequenceFrom(value: unknown, path: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const text = String(value).trim();
  if (!/^[0-9]{1,15}$/.test(text))
    throw validationFailed([{ path, message: 'must be a non-negative integer event sequence number' }]);
  return Number(text);
}
