import { z } from 'zod';
import { envelopeSchema } from './envelope.js';
import { eventCatalog, type EventType } from './catalog.js';

type JsonSchema = Record<string, unknown>;

const toJson = (schema: z.ZodType): JsonSchema =>
  // 'input' keeps refinements out of the way: they have no JSON Schema form and are checked by zod.
  z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;

export function envelopeJsonSchema(): JsonSchema {
  return { title: 'Trendmill CloudEvent envelope', ...toJson(envelopeSchema) };
}

/** The data schema of one event type. */
export function dataJsonSchema(type: EventType): JsonSchema {
  return {
    title: `${type} data`,
    description: eventCatalog[type].description,
    ...toJson(eventCatalog[type].schema),
  };
}

/** The whole event of one type: the envelope with `type` fixed and `data` replaced by its schema. */
export function jsonSchemaFor(type: EventType): JsonSchema {
  const envelope = toJson(envelopeSchema) as { properties: Record<string, unknown>; [k: string]: unknown };
  const data = toJson(eventCatalog[type].schema);
  delete data.$schema;
  return {
    ...envelope,
    $id: `https://trendmill.dev/schemas/${type}.json`,
    title: type,
    description: eventCatalog[type].description,
    properties: { ...envelope.properties, type: { type: 'string', const: type }, data },
  };
}
