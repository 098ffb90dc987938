import type { Condition, Payload, PayloadValue, VectorFilter } from './port.js';

/**
 * The port's filter semantics, for stores that evaluate filters themselves (the embedded one) and
 * as the reference the Qdrant translation must agree with:
 * - `match`: the key is present with exactly this value (`null` matches an explicit null only);
 * - `any`: `match` for at least one of the values (an empty list matches nothing);
 * - `range`: the value is a number within every given bound (strings never fall in a range).
 * A missing key matches no condition.
 */
export function matchesFilter(payload: Payload, filter: VectorFilter | undefined): boolean {
  if (!filter) return true;
  for (const condition of filter.must) if (!matchesCondition(payload, condition)) return false;
  return true;
}

function matchesCondition(payload: Payload, condition: Condition): boolean {
  if (!Object.hasOwn(payload, condition.key)) return false;
  const value = payload[condition.key] as PayloadValue;
  if ('match' in condition) return value === condition.match;
  if ('any' in condition) return condition.any.some((candidate) => value === candidate);
  if (typeof value !== 'number') return false;
  const { gt, gte, lt, lte } = condition.range;
  return (
    (gt === undefined || value > gt) &&
    (gte === undefined || value >= gte) &&
    (lt === undefined || value < lt) &&
    (lte === undefined || value <= lte)
  );
}

/** A filter no point can match (an `any` with no values): stores answer it without a scan or a request. */
export function matchesNothing(filter: VectorFilter | undefined): boolean {
  return filter?.must.some((c) => 'any' in c && c.any.length === 0) ?? false;
}
