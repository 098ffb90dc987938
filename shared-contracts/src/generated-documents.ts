import { buildAsyncApi } from './asyncapi.js';
import { EVENT_TYPE_LIST } from './catalog.js';
import { envelopeJsonSchema, jsonSchemaFor } from './json-schema.js';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every checked-in generated file, by path relative to shared-contracts/, with its exact content. */
export function generatedDocuments(): Record<string, string> {
  const files: Record<string, string> = { 'asyncapi.json': json(buildAsyncApi()) };
  files['schemas/envelope.json'] = json(envelopeJsonSchema());
  for (const type of EVENT_TYPE_LIST) files[`schemas/${type}.json`] = json(jsonSchemaFor(type));
  return files;
}
