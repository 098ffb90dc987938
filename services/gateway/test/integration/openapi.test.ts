import { expect } from 'chai';
import { Router } from 'express';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { createLogger } from '@trendmill/platform';
import { createMemoryResponseCache } from '../../src/cache/response-cache.js';
import { gatewayMetrics } from '../../src/http/metrics.js';
import { buildOpenApi } from '../../src/openapi/document.js';
import { routesOf } from '../../src/openapi/router-routes.js';
import { buildRouter } from '../../src/routes/build-router.js';
import { openApiPath, type RouteSpec } from '../../src/routes/route-spec.js';
import { GatewayHarness } from './harness.js';

interface Operation {
  parameters: Array<{ name: string; in: string; required: boolean; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  'x-scope'?: string;
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

/** The subscription API: in the route table like every other route, so documented the same way. */
const SUBSCRIPTION_ROUTES = [
  'GET /stream',
  'POST /subscriptions',
  'GET /subscriptions',
  'GET /subscriptions/:id',
  'DELETE /subscriptions/:id',
  'POST /subscriptions/:id/enable',
  'GET /subscriptions/:id/deliveries',
  'GET /admin/events',
];

/** POST actions on a resource that take no body (the action is the path); any other POST/PUT/PATCH needs a body schema. */
const BODYLESS_ACTIONS = new Set(['pause', 'resume', 'poll', 'enable']);

/**
 * What the document lacks for one route: path parameters (declared by a params schema with
 * exactly the path's names), query parameters (every field of the query schema), the request
 * body schema, a schema for each success answer (204 aside), and the shared error answers.
 */
function undocumented(spec: RouteSpec, doc: Document): string[] {
  const label = `${spec.method.toUpperCase()} ${spec.path}`;
  const operation = doc.paths[openApiPath(spec.path)]?.[spec.method];
  if (!operation) return [`${label} is not in the document`];
  const problems: string[] = [];
  const documented = (where: string) => operation.parameters.filter((p) => p.in === where).map((p) => p.name);
  const fieldsOf = (schema: unknown) => Object.keys((schema as { shape?: object } | undefined)?.shape ?? {});

  if (operation['x-scope'] !== spec.scope) problems.push(`${label} x-scope`);
  const pathParams = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  if (pathParams.length && fieldsOf(spec.params).sort().join() !== [...pathParams].sort().join())
    problems.push(`${label} path params need a params schema naming ${pathParams.join(', ')}`);
  if (documented('path').join() !== pathParams.join()) problems.push(`${label} documented path params`);
  if (spec.query) {
    const fields = fieldsOf(spec.query);
    if (!fields.length) problems.push(`${label} query schema has no fields`);
    if (documented('query').sort().join() !== fields.sort().join())
      problems.push(`${label} documented query params`);
  }
  const action = spec.path.split('/').pop()!;
  if (spec.method !== 'get' && spec.method !== 'delete' && !spec.body && !BODYLESS_ACTIONS.has(action))
    problems.push(`${label} takes a body but has no body schema`);
  if (spec.body && !isObject(operation.requestBody?.content['application/json']?.schema))
    problems.push(`${label} request body schema`);

  const successes = Object.keys(spec.responses).filter((s) => s.startsWith('2'));
  if (!successes.length) problems.push(`${label} has no success response`);
  for (const status of successes) {
    if (status === '204') continue;
    const contentType = spec.responses[Number(status)]!.contentType ?? 'application/json';
    if (!spec.responses[Number(status)]!.schema) problems.push(`${label} ${status} has no schema`);
    else if (!isObject(operation.responses[status]?.content?.[contentType]?.schema))
      problems.push(`${label} ${status} schema is not documented as ${contentType}`);
  }
  const errors = ['401', '403', '429', '500'];
  if (spec.params || spec.query || spec.body || spec.headers) errors.push('422');
  if (spec.params) errors.push('404');
  for (const status of errors) {
    const schema = operation.responses[status]?.content?.['application/json']?.schema as
      { $ref?: string } | undefined;
    if (schema?.$ref !== '#/components/schemas/Error') problems.push(`${label} ${status} error response`);
  }
  return problems;
}

const isObject = (value: unknown) => typeof value === 'object' && value !== null;

describe('gateway OpenAPI document and docs', function () {
  this.timeout(30_000);
  let h: GatewayHarness;
  let doc: Document;
  before(async () => {
    const page = Router();
    page.get('/', (_req, res) => {
      res.set('content-security-policy', "default-src 'self'").type('html').send('<h1>dashboard</h1>');
    });
    h = await GatewayHarness.start({
      settings: { subscriptions: true, corsOrigins: ['https://dash.example'] },
      rootRouters: [page],
    });
    const res = await h.call('GET', '/api/v1/openapi.json', { key: null });
    expect(res.status).to.equal(200);
    doc = res.body;
  });
  after(async () => {
    await h?.stop();
  });

  it('is OpenAPI 3.1 and served without a key', () => {
    expect(doc.openapi).to.equal('3.1.0');
  });

  it('documents every route the router serves, the subscription routes included', () => {
    const table = h.routeSpecs();
    expect(table.length).to.be.greaterThan(35);
    const served = routesOf(
      buildRouter(table, {
        cache: createMemoryResponseCache({ ttlSeconds: 1 }),
        metrics: gatewayMetrics(new Registry()),
        logger: createLogger('openapi-test', 'error'),
      }),
      'core',
    );
    expect(served).to.have.length(table.length);
    for (const route of served)
      expect(doc.paths[openApiPath(route.path)]?.[route.method], route.path).to.exist;
    const names = table.map((spec) => `${spec.method.toUpperCase()} ${spec.path}`);
    expect(names).to.include.members(SUBSCRIPTION_ROUTES);
    expect(h.extraRouters(), 'no router outside the route table').to.have.length(0);
  });

  it('gives every route its parameters, body, success schemas and the shared errors', () => {
    const problems = h.routeSpecs().flatMap((spec) => undocumented(spec, doc));
    expect(problems).to.deep.equal([]);
  });

  it('regression: a route added without schemas fails the check above', () => {
    const bare = (spec: Partial<RouteSpec>): RouteSpec => ({
      operationId: 'bare',
      summary: 'bare',
      tag: 'test',
      scope: 'read',
      handle: async () => ({ body: {} }),
      method: 'get',
      path: '/bare',
      responses: { 200: { description: 'something' } },
      ...spec,
    });
    const cases: Array<[RouteSpec, string]> = [
      [bare({}), 'GET /bare 200 has no schema'],
      [bare({ path: '/bare/:id', responses: { 200: { description: 'x', schema: z.object({}) } } }), 'params'],
      [bare({ method: 'post', responses: { 201: { description: 'x', schema: z.object({}) } } }), 'body'],
      [bare({ responses: {} }), 'success response'],
    ];
    for (const [spec, problem] of cases) {
      const built = buildOpenApi({ routes: [spec], version: 'test' }) as unknown as Document;
      expect(undocumented(spec, built).join('\n'), problem).to.include(problem);
    }
  });

  it('documents the SSE stream with its query, Last-Event-ID header and text/event-stream answer', () => {
    const stream = doc.paths['/stream']!.get!;
    expect(stream.parameters.map((p) => `${p.in}:${p.name}`)).to.have.members([
      'query:types',
      'query:lastEventId',
      'header:last-event-id',
    ]);
    expect(stream.responses['200']!.content).to.have.key('text/event-stream');
    expect(stream.responses['503']).to.exist;
    const created = doc.paths['/subscriptions']!.post!;
    const schema = created.responses['201']!.content!['application/json']!.schema as {
      properties: Record<string, unknown>;
    };
    expect(schema.properties).to.include.keys('id', 'url', 'types', 'secret');
    const listed = doc.paths['/subscriptions']!.get!.responses['200']!.content!['application/json']!
      .schema as { properties: { subscriptions: { items: { properties: Record<string, unknown> } } } };
    expect(listed.properties.subscriptions.items.properties, 'no secret in listings').to.not.have.key(
      'secret',
    );
  });

  it('describes the cluster list query with its enums and bounds', () => {
    const params = doc.paths['/clusters']!.get!.parameters;
    const sort = params.find((p) => p.name === 'sort')!;
    expect(sort.schema).to.deep.include({ enum: ['size', 'growth', 'emerging', 'recent'] });
    const limit = params.find((p) => p.name === 'limit')!.schema as { minimum: number; maximum: number };
    expect([limit.minimum, limit.maximum]).to.deep.equal([1, 100]);
  });

  it('serves Swagger UI from local assets under a CSP without inline scripts', async () => {
    const page = await h.call('GET', '/docs/', { key: null });
    expect(page.status).to.equal(200);
    expect(page.body).to.include('assets/swagger-ui-bundle.js');
    expect(page.body).to.not.match(/https?:\/\//);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).to.include("script-src 'self'");
    expect(csp).to.not.include("script-src 'self' 'unsafe-inline'");
    const bundle = await fetch(`${h.baseUrl}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).to.equal(200);
    await bundle.arrayBuffer();
    const init = await h.call('GET', '/docs/init.js', { key: null });
    expect(init.body).to.include('/api/v1/openapi.json');
    const redirect = await fetch(`${h.baseUrl}/docs`, { redirect: 'manual' });
    expect(redirect.status).to.equal(301);
  });

  it('serves root routers (the dashboard) before the API, with their own headers', async () => {
    const res = await h.call('GET', '/', { key: null });
    expect(res.status).to.equal(200);
    expect(res.body).to.include('dashboard');
    expect(res.headers.get('content-security-policy')).to.equal("default-src 'self'");
    expect((await h.call('GET', '/nothing', { key: null })).status).to.equal(404);
  });

  it('answers CORS preflights for configured origins only', async () => {
    const allowed = await fetch(`${h.baseUrl}/api/v1/clusters`, {
      method: 'OPTIONS',
      headers: { origin: 'https://dash.example', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).to.equal('https://dash.example');
    const refused = await fetch(`${h.baseUrl}/api/v1/clusters`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(refused.headers.get('access-control-allow-origin')).to.equal(null);
  });
});
