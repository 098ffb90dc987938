import { z } from 'zod';
import { VectorDimensionError, VectorStoreError } from './errors.js';
import type { Payload, SearchOptions, VectorFilter, VectorPoint } from './port.js';

/**
 * Input checks shared by every store, so bad input fails the same way whichever backend is wired:
 * a VectorStoreError with a code (or a RangeError for a vector), never a backend's own crash.
 */

/** Qdrant reads `a.b` and `a[]` in a filter key as a path into nested JSON; flat identifiers mean the same everywhere. */
const PAYLOAD_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
export const MAX_K = 10_000;
export const MAX_ID_LENGTH = 200;
export const MAX_MODEL_NAME_LENGTH = 200;
export const MAX_DIM = 65_536;

export const payloadKey = z
  .string()
  .regex(PAYLOAD_KEY, 'payload keys are identifiers: letters, digits, _ and -');
const payloadValue = z.union([z.string(), z.number().finite(), z.boolean(), z.null()]);
const payloadSchema = z.record(payloadKey, payloadValue);

const rangeSchema = z
  .strictObject({
    gt: z.number().finite().optional(),
    gte: z.number().finite().optional(),
    lt: z.number().finite().optional(),
    lte: z.number().finite().optional(),
  })
  .refine((r) => Object.values(r).some((v) => v !== undefined), 'a range needs at least one bound');

const conditionSchema = z.union([
  z.strictObject({ key: payloadKey, match: payloadValue }),
  z.strictObject({ key: payloadKey, any: z.array(payloadValue).max(1024) }),
  z.strictObject({ key: payloadKey, range: rangeSchema }),
]);
const filterSchema = z.strictObject({ must: z.array(conditionSchema).max(64) });

const searchOptionsSchema = z.strictObject({
  k: z.number().int().min(1).max(MAX_K),
  filter: filterSchema.optional(),
  exact: z.boolean().optional(),
});

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export function checkModelName(model: unknown): string {
  if (typeof model !== 'string' || model.length === 0 || model.length > MAX_MODEL_NAME_LENGTH) {
    throw new VectorStoreError(
      'invalid_argument',
      `model name must be a string of 1..${MAX_MODEL_NAME_LENGTH} characters`,
    );
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(model)) {
    throw new VectorStoreError('invalid_argument', 'model name must not contain control characters');
  }
  return model;
}

export function checkDim(dim: unknown): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) {
    throw new VectorStoreError(
      'invalid_argument',
      `dimension must be an integer in 1..${MAX_DIM}, got ${String(dim)}`,
    );
  }
  return dim;
}

export function checkFilter(filter: unknown): VectorFilter {
  const parsed = filterSchema.safeParse(filter);
  if (!parsed.success)
    throw new VectorStoreError('invalid_filter', `invalid filter: ${describe(parsed.error)}`);
  return parsed.data as VectorFilter;
}

export function checkSearchOptions(options: unknown): SearchOptions {
  const parsed = searchOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const code = parsed.error.issues.some((i) => i.path[0] === 'filter')
      ? 'invalid_filter'
      : 'invalid_argument';
    throw new VectorStoreError(code, `invalid search options: ${describe(parsed.error)}`);
  }
  return parsed.data as SearchOptions;
}

export function checkIds(ids: unknown): readonly string[] {
  if (!Array.isArray(ids)) throw new VectorStoreError('invalid_argument', 'ids must be an array of strings');
  for (const id of ids) checkId(id);
  return ids as string[];
}

function checkId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new VectorStoreError(
      'invalid_argument',
      `point ids must be strings of 1..${MAX_ID_LENGTH} characters`,
    );
  }
  return id;
}

/**
 * The unit vector along `vector`. Throws a RangeError for a wrong length, a non-finite component or
 * the zero vector (which has no direction, so no cosine similarity).
 */
export function unitVector(vector: unknown, dim: number): Float32Array {
  if (!(vector instanceof Float32Array)) throw new VectorDimensionError('vectors must be Float32Arrays');
  if (vector.length !== dim) {
    throw new VectorDimensionError(`vector has ${vector.length} dimensions, the collection has ${dim}`);
  }
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += vector[i]! * vector[i]!;
  if (!Number.isFinite(norm)) throw new VectorDimensionError('vector components must be finite numbers');
  if (norm === 0) throw new VectorDimensionError('the zero vector has no direction');
  const scale = 1 / Math.sqrt(norm);
  const unit = new Float32Array(dim);
  for (let i = 0; i < dim; i++) unit[i] = vector[i]! * scale;
  return unit;
}

export interface CheckedPoint {
  id: string;
  /** Normalised to unit length: cosine similarity is then a dot product, as in Qdrant. */
  unit: Float32Array;
  payload: Payload;
}

/** Validates a batch; a later point with the same id wins, as if upserted one after another. */
export function checkPoints(points: unknown, dim: number): CheckedPoint[] {
  if (!Array.isArray(points)) throw new VectorStoreError('invalid_argument', 'points must be an array');
  const byId = new Map<string, CheckedPoint>();
  for (const point of points as VectorPoint[]) {
    if (typeof point !== 'object' || point === null) {
      throw new VectorStoreError('invalid_argument', 'each point must be an object { id, vector, payload? }');
    }
    const id = checkId(point.id);
    const unit = unitVector(point.vector, dim);
    const parsed = payloadSchema.safeParse(point.payload ?? {});
    if (!parsed.success) {
      throw new VectorStoreError(
        'invalid_argument',
        `point ${JSON.stringify(id)}: invalid payload: ${describe(parsed.error)}`,
      );
    }
    byId.delete(id);
    byId.set(id, { id, unit, payload: parsed.data });
  }
  return [...byId.values()];
}
