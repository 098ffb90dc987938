import { z, type ZodType } from 'zod';
import { apiErrorResponse } from '@trendmill/shared-contracts';
import { openApiPath, type RouteSpec } from '../routes/route-spec.js';

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  security: Array<Record<string, string[]>>;
  components: Record<string, unknown>;
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, OperationObject>>;
}

export interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: unknown;
  description?: string;
}

export interface OperationObject {
  operationId?: string;
  summary?: string;
  tags: string[];
  'x-scope'?: string;
  parameters: ParameterObject[];
  requestBody?: unknown;
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

const ERRORS: Record<string, string> = {
  '401': 'unauthorized: no valid API key',
  '403': 'forbidden: the key lacks the scope',
  '422': 'validation_failed: details name every field at fault',
  '429': 'rate_limited: see Retry-After and RateLimit-* headers',
  '500': 'internal',
};

function jsonSchema(schema: ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  return rest;
}

/** Path or query parameters: one entry per property of the schema's (input) object. */
function parametersOf(schema: ZodType | undefined, where: ParameterObject['in']): ParameterObject[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

function errorContent() {
  return { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
}

/** The OpenAPI 3.1 document of the gateway, built from the same specs the router is built from. */
export function buildOpenApi(options: { routes: readonly RouteSpec[]; version: string }): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  for (const spec of options.routes) {
    tags.add(spec.tag);
    const responses: OperationObject['responses'] = {};
    for (const [status, response] of Object.entries(spec.responses))
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? {
              content: {
                [response.contentType ?? 'application/json']: {
                  schema: jsonSchema(response.schema, 'output'),
                },
              },
            }
          : {}),
      };
    for (const [status, description] of Object.entries(ERRORS))
      if (!responses[status] && (status !== '422' || spec.query || spec.body || spec.params || spec.headers))
        responses[status] = { description, content: errorContent() };
    if (spec.params && !responses['404'])
      responses['404'] = { description: 'the resource does not exist', content: errorContent() };
    const operation: OperationObject = {
      operationId: spec.operationId,
      summary: spec.summary,
      tags: [spec.tag],
      'x-scope': spec.scope,
      parameters: [
        ...parametersOf(spec.params, 'path'),
        ...parametersOf(spec.query, 'query'),
        ...parametersOf(spec.headers, 'header'),
      ],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
    (paths[openApiPath(spec.path)] ??= {})[spec.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Trendmill API',
      version: options.version,
      description:
        'Topics discovered in streams of posts: clusters, items, search, trends, sources, ingest and operations. ' +
        'Authenticate with `Authorization: Bearer KEY` or `X-API-Key: KEY`. Errors are `{ "error": { "code", "message", "details" } }`.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }, { apiKey: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      schemas: { Error: jsonSchema(apiErrorResponse, 'output') },
    },
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
  };
}
