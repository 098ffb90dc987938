import { ApiError } from '@trendmill/platform';
import type { FieldIssue, InputLocation } from '../../http/validation.js';
import { resolveEventTypes, splitTypesParam } from '../event-types.js';

/** 422 validation_failed naming each field at fault (the same shape the route table's validation gives). */
export function validationFailed(details: FieldIssue[]): ApiError {
  return new ApiError(
    422,
    'validation_failed',
    details.map((d) => `${d.in} ${d.path}: ${d.message}`).join('; '),
    details,
  );
}

/**
 * A `types` list (query string or body), already shape-checked by the route's schema, as full
 * event types; names no event type matches are a 422 naming them rather than matching nothing.
 */
export function eventTypesFrom(
  value: unknown,
  where: InputLocation,
  options: { required: boolean },
): string[] {
  const requested = splitTypesParam(value);
  if (requested.length === 0) {
    if (options.required)
      throw validationFailed([{ in: where, path: 'types', message: 'name at least one event type' }]);
    return [];
  }
  const { types, unknown } = resolveEventTypes(requested);
  if (unknown.length > 0)
    throw validationFailed(
      unknown.map((name) => ({
        in: where,
        path: 'types',
        message: `unknown event type "${name.slice(0, 100)}" (use e.g. cluster.created or trendmill.cluster.created.v1)`,
      })),
    );
  return types;
}
