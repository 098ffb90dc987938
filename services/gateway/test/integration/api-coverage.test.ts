import { expect } from 'chai';
import type { ZodType } from 'zod';
import type { Scope } from '../../src/auth/scopes.js';
import type { RouteSpec } from '../../src/routes/route-spec.js';
import { GatewayHarness, type CallResult } from './harness.js';

// The error paths every route shares, driven by the route table the router is built from (the
// subscription routes included), so a route added tomorrow is covered without being listed here.
// Success paths and 429 have their own tests per area (read-api, admin, sources-and-ingest,
// subscriptions/*, auth-and-limits).

/** One scope below what a route needs (every key holds at least read, so read routes have no 403). */
const UNDER: Record<Exclude<Scope, 'read'>, Scope> = { write: 'read', admin: 'write' };

/** Longer than any bounded string, not a number, not in any enum: refused by every field schema. */
const INVALID = 'x'.repeat(5_000);

/** Routes with a path parameter where an unknown id is no 404 (an upsert creates it). */
const NO_404: Record<string, string> = {
  'PUT /admin/flags/:key': 'PUT upserts: an unknown key is created (201)',
};

/** A valid body for routes whose 404 check needs one. */
const VALID_BODY: Record<string, unknown> = {
  'PATCH /sources/:id': { name: 'renamed' },
};

const label = (spec: RouteSpec) => `${spec.method.toUpperCase()} ${spec.path}`;
const pathOf = (spec: RouteSpec, id = 'nope_404') =>
  `/api/v1${spec.path.replace(/:(\w+)/g, () => encodeURIComponent(id))}`;
const fieldsOf = (schema: ZodType | undefined) =>
  Object.keys((schema as { shape?: object } | undefined)?.shape ?? {});

function expectError(res: CallResult, status: number, code: string, what: string): void {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).to.equal(status);
  expect(res.body?.error?.code, what).to.equal(code);
  expect(res.body.error.message, what).to.be.a('string');
}

describe('gateway API error paths of every route in the table', function () {
  this.timeout(60_000);
  let h: GatewayHarness;
  let specs: readonly RouteSpec[];

  before(async () => {
    h = await GatewayHarness.start({
      settings: { subscriptions: true, rateLimitPerMinute: 100_000, authFailuresPerMinute: 100_000 },
    });
    specs = h.routeSpecs();
  });
  after(async () => {
    await h?.stop();
  });

  const bodyFor = (spec: RouteSpec) =>
    spec.method === 'get' || spec.method === 'delete' ? {} : { body: {} };

  it('covers the subscription routes as well as the core ones', () => {
    expect(specs.map(label)).to.include.members(['GET /stream', 'POST /subscriptions', 'GET /admin/events']);
  });

  it('answers 401 unauthorized on every route without a key, and with an unknown key', async () => {
    for (const spec of specs) {
      const missing = await h.call(spec.method.toUpperCase(), pathOf(spec), { key: null, ...bodyFor(spec) });
      expectError(missing, 401, 'unauthorized', `${label(spec)} without a key`);
      expect(missing.headers.get('www-authenticate'), label(spec)).to.equal('Bearer');
      const unknown = await h.call(spec.method.toUpperCase(), pathOf(spec), {
        key: `tm_${'a'.repeat(12)}_${'B'.repeat(43)}`,
        ...bodyFor(spec),
      });
      expectError(unknown, 401, 'unauthorized', `${label(spec)} with an unknown key`);
    }
  });

  it('answers 403 forbidden on every route to a key one scope short, naming the scope', async () => {
    let checked = 0;
    for (const spec of specs) {
      if (spec.scope === 'read') continue;
      checked++;
      const res = await h.call(spec.method.toUpperCase(), pathOf(spec), {
        key: UNDER[spec.scope],
        ...bodyFor(spec),
      });
      expectError(res, 403, 'forbidden', label(spec));
      expect(res.body.error.details.required, label(spec)).to.equal(spec.scope);
    }
    expect(checked, 'write and admin routes').to.be.greaterThan(20);
  });

  it('answers 422 validation_failed with field details for an invalid field of each input', async () => {
    let checked = 0;
    for (const spec of specs) {
      const method = spec.method.toUpperCase();
      for (const field of fieldsOf(spec.query)) {
        const res = await h.call(method, `${pathOf(spec)}?${field}=${INVALID}`, bodyFor(spec));
        expectError(res, 422, 'validation_failed', `${label(spec)} query ${field}`);
        const details = res.body.error.details as Array<{ in: string; path: string }>;
        expect(
          details.some((d) => d.in === 'query' && d.path === field),
          `${label(spec)} query ${field}: ${JSON.stringify(details)}`,
        ).to.equal(true);
        checked++;
      }
      if (spec.params) {
        const res = await h.call(method, pathOf(spec, INVALID.slice(0, 300)), bodyFor(spec));
        expectError(res, 422, 'validation_failed', `${label(spec)} params`);
        expect(res.body.error.details[0].in, label(spec)).to.equal('params');
        checked++;
      }
      if (spec.body) {
        const field = fieldsOf(spec.body)[0];
        const body = field ? { [field]: { not: ['a', 'valid', 'value'] } } : INVALID;
        const res = await h.call(method, pathOf(spec), { body });
        expectError(res, 422, 'validation_failed', `${label(spec)} body`);
        const details = res.body.error.details as Array<{ in: string; path: string }>;
        expect(details.length, label(spec)).to.be.greaterThan(0);
        expect(
          details.every((d) => d.in === 'body'),
          label(spec),
        ).to.equal(true);
        if (field) expect(details.map((d) => d.path)).to.include(field);
        checked++;
      }
    }
    expect(checked, 'inputs checked').to.be.greaterThan(30);
  });

  it('answers 404 with an error code on every route naming a resource that does not exist', async () => {
    for (const spec of specs) {
      if (!spec.params || NO_404[label(spec)]) continue;
      const body = VALID_BODY[label(spec)];
      if (spec.body && body === undefined) throw new Error(`${label(spec)}: give VALID_BODY an entry`);
      const res = await h.call(spec.method.toUpperCase(), pathOf(spec), body === undefined ? {} : { body });
      expect(res.status, `${label(spec)}: ${JSON.stringify(res.body)}`).to.equal(404);
      expect(res.body.error.code, label(spec)).to.match(/not_found$/);
    }
  });

  it('answers 404 not_found for a path the API does not have, with or without a key', async () => {
    for (const key of [null, 'read', 'admin', 'garbage-key'] as const) {
      for (const path of ['/api/v1/nothing-here', '/api/v1/clusters/a/b/c', '/api/v1/']) {
        const res = await h.call('GET', path, { key });
        expectError(res, 404, 'not_found', `${path} with key ${String(key)}`);
      }
    }
    const post = await h.call('POST', '/api/v1/nothing', { key: null, body: {} });
    expectError(post, 404, 'not_found', 'POST to an unknown path');
  });

  it('answers 405 method_not_allowed with Allow for a known path asked with another method', async () => {
    for (const key of [null, 'admin'] as const) {
      const res = await h.call('DELETE', '/api/v1/clusters', { key });
      expectError(res, 405, 'method_not_allowed', `DELETE /clusters with key ${String(key)}`);
      expect(res.headers.get('allow')).to.equal('GET, HEAD');
      const put = await h.call('PUT', '/api/v1/subscriptions/whk_x', { key, body: {} });
      expectError(put, 405, 'method_not_allowed', 'PUT /subscriptions/:id');
      expect(put.headers.get('allow')).to.equal('DELETE, GET, HEAD');
    }
    const head = await fetch(`${h.baseUrl}/api/v1/stats`, { method: 'HEAD' });
    expect(head.status, 'HEAD is GET without the body, so it needs the key').to.equal(401);
  });
});
