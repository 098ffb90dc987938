import type { Schemas } from '@qdrant/js-client-rest';
import type { Condition, PayloadValue, VectorFilter } from '../port.js';

type QdrantFilter = Schemas['Filter'];
type QdrantCondition = Schemas['Condition'];

/**
 * The port's filter in Qdrant's syntax, meaning the same as matchesFilter (../filter.ts):
 * - `match` on a string, boolean or integer is Qdrant's `match.value`; on a fractional number it
 *   is a closed range [v, v] (Qdrant matches only keywords, integers and booleans by value); on
 *   null it is `is_null` (key present and null, as in the port).
 * - `any` of strings only or integers only is `match.any`; a mixed list is a nested `should` of
 *   single matches. (An empty `any` matches nothing; the store answers that without a request.)
 * - `range` maps bound for bound.
 */
export function toQdrantFilter(filter: VectorFilter | undefined): QdrantFilter | undefined {
  if (!filter || filter.must.length === 0) return undefined;
  return { must: filter.must.map(toCondition) };
}

function toCondition(condition: Condition): QdrantCondition {
  if ('match' in condition) return matchOne(condition.key, condition.match);
  if ('any' in condition) {
    const values = condition.any;
    if (values.length > 0 && (values.every((v) => typeof v === 'string') || values.every(isInteger))) {
      return { key: condition.key, match: { any: values as string[] | number[] } };
    }
    return { should: values.map((v) => matchOne(condition.key, v)) };
  }
  const range: Schemas['Range'] = {};
  for (const bound of ['gt', 'gte', 'lt', 'lte'] as const) {
    const value = condition.range[bound];
    if (value !== undefined) range[bound] = value;
  }
  return { key: condition.key, range };
}

function matchOne(key: string, value: PayloadValue): QdrantCondition {
  if (value === null) return { is_null: { key } };
  if (typeof value === 'number' && !isInteger(value)) return { key, range: { gte: value, lte: value } };
  return { key, match: { value } };
}

function isInteger(value: PayloadValue): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}
