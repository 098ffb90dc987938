import type { ZodType } from 'zod';
import { QueryApiError } from '../errors.js';

/** Parses API input with its REST schema, or throws 400 validation_failed naming each field at fault. */
export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({
    path: i.path.join('.') || '(query)',
    message: i.message,
  }));
  throw new QueryApiError(
    400,
    'validation_failed',
    details.map((d) => `${d.path}: ${d.message}`).join('; '),
    details,
  );
}

/** Path ids: 1..200 characters, as the event contracts allow. */
export function checkId(id: unknown, what: 'cluster' | 'item'): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200)
    throw new QueryApiError(400, 'validation_failed', `${what} id must be 1..200 characters`, [
      { path: 'id', message: 'expected 1..200 characters' },
    ]);
  return id;
}
