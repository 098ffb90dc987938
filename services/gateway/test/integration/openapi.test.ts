import { expect } from 'chai';
import { Router } from 'express';
import { Registry } from 'prom-client';
import { createLogger } from '@trendmill/platform';
import { createMemoryResponseCache } from '../../src/cache/response-cache.js';
import { gatewayMetrics } from '../../src/http/metrics.js';
import { routesOf } from '../../src/openapi/router-routes.js';
import { buildRouter } from '../../src/routes/build-router.js';
import { openApiPath } from '../../src/routes/route-spec.js';
import { GatewayHarness } from './harness.js';

interface Operation {
  parameters: Array<{ name: string; in: string; required: boolean; schema: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  'x-scope'?: string;
}

describe('gateway OpenAPI document and docs', function () {
  this.timeout(30_000);
  let h: GatewayHarness;
  let doc: { openapi: string; paths: Record<string, Record<string, Operation>> };
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

  it('documents every route the router serves, with its parameters, body and response schemas', () => {
    const table = h.routeSpecs();
    expect(table.length).to.be.greaterThan(30);
    const logger = createLogger('openapi-test', 'error');
    const served = routesOf(
      buildRouter(table, {
        cache: createMemoryResponseCache({ ttlSeconds: 1 }),
        metrics: gatewayMetrics(new Registry()),
        logger,
      }),
      'core',
    );
    expect(served).to.have.length(table.length);
    for (const route of served)
      expect(doc.paths[openApiPath(route.path)]?.[route.method], route.path).to.exist;

    for (const spec of table) {
      const operation = doc.paths[openApiPath(spec.path)]![spec.method]!;
      const label = `${spec.method.toUpperCase()} ${spec.path}`;
      expect(operation['x-scope'], label).to.equal(spec.scope);
      const pathParams = [...spec.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
      expect(
        operation.parameters.filter((p) => p.in === 'path').map((p) => p.name),
        `${label} path parameters`,
      ).to.deep.equal(pathParams);
      if (spec.query) {
        const names = Object.keys((spec.query as unknown as { shape?: object }).shape ?? {});
        expect(names.length, `${label} query schema has fields`).to.be.greaterThan(0);
        expect(
          operation.parameters.filter((p) => p.in === 'query').map((p) => p.name),
          label,
        ).to.have.members(names);
      }
      if (spec.body)
        expect(operation.requestBody?.content['application/json']?.schema, label).to.be.an('object');
      for (const [status, response] of Object.entries(spec.responses)) {
        const documented = operation.responses[status];
        expect(documented, `${label} ${status}`).to.exist;
        if (response.schema)
          expect(documented!.content?.['application/json']?.schema, `${label} ${status}`).to.be.an('object');
      }
      expect(operation.responses['401'], `${label} 401`).to.exist;
      expect(operation.responses['403'], `${label} 403`).to.exist;
      expect(operation.responses['429'], `${label} 429`).to.exist;
    }
  });

  it('documents the subscription routes mounted beside the core ones', () => {
    const extra = h.extraRouters();
    expect(extra.length, 'the subscriptions router is mounted').to.equal(1);
    const routes = routesOf(extra[0] as Router, 'subscriptions');
    expect(routes.length).to.be.greaterThan(0);
    for (const route of routes)
      expect(doc.paths[openApiPath(route.path)]?.[route.method], route.path).to.exist;
    expect(doc.paths['/stream']?.get).to.exist;
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
