import { expect } from 'chai';
import { routesOf } from '../../../src/openapi/router-routes.js';
import type { Scope } from '../../../src/auth/scopes.js';
import { GatewayHarness } from '../harness.js';

// Security suite, API keys (see README.md here for where every bullet of the hostile-input issue
// is tested). The basic 401/403/revocation cases live in ../auth-and-limits.test.ts; this file
// checks them on every route of the route table, so a new route cannot ship unauthenticated or
// with a scope check missing, and checks that spelling variants of a key are not other keys.

const WEAKER: Record<Scope, Scope | undefined> = { read: undefined, write: 'read', admin: 'write' };

describe('security: API keys on every route (missing, wrong, under-scoped, variants)', function () {
  this.timeout(30_000);
  let h: GatewayHarness;
  before(async () => {
    h = await GatewayHarness.start({
      settings: { subscriptions: true, rateLimitPerMinute: 100_000, authFailuresPerMinute: 100_000 },
    });
  });
  after(async () => {
    await h?.stop();
  });

  const bodyFor = (method: string) => (method === 'GET' ? {} : { body: {} });
  const concrete = (path: string) => `/api/v1${path.replace(/:[A-Za-z_][A-Za-z0-9_]*/g, 'x')}`;

  function everyRoute(): Array<{ method: string; path: string; scope?: Scope }> {
    return [
      ...h.routeSpecs().map((s) => ({ method: s.method.toUpperCase(), path: s.path, scope: s.scope })),
      ...h
        .extraRouters()
        .flatMap((r) => routesOf(r, 'extra'))
        .map((r) => ({ method: r.method.toUpperCase(), path: r.path })),
    ];
  }

  it('answers 401 unauthorized on every route without a key and with a wrong one', async () => {
    const parts = h.keys.admin.split('_');
    const wrongSecret = `${parts[0]}_${parts[1]}_${'A'.repeat(43)}`;
    for (const route of everyRoute()) {
      for (const key of [null, wrongSecret, 'tm_aaaaaaaaaaaa_' + 'B'.repeat(43)]) {
        const res = await h.call(route.method, concrete(route.path), { key, ...bodyFor(route.method) });
        expect(res.status, `${route.method} ${route.path} with ${key ? 'a wrong key' : 'no key'}`).to.equal(
          401,
        );
        expect(res.body.error.code).to.equal('unauthorized');
      }
    }
  });

  it('answers 403 forbidden on every route to a key one scope short', async () => {
    let checked = 0;
    for (const route of everyRoute()) {
      const weaker = route.scope && WEAKER[route.scope];
      if (!weaker) continue;
      const res = await h.call(route.method, concrete(route.path), { key: weaker, ...bodyFor(route.method) });
      expect(res.status, `${route.method} ${route.path} with a ${weaker} key`).to.equal(403);
      expect(res.body.error.details).to.deep.include({ required: route.scope });
      checked++;
    }
    expect(checked, 'the table has write and admin routes').to.be.greaterThan(5);
  });

  it('refuses the subscription routes to a read key where they change things', async () => {
    const create = await h.call('POST', '/api/v1/subscriptions', {
      key: 'read',
      body: { url: 'https://example.org/hook', types: ['cluster.created'] },
    });
    expect(create.status).to.equal(403);
    expect((await h.call('GET', '/api/v1/admin/events', { key: 'write' })).status).to.equal(403);
  });

  it('does not take a spelling variant of a key for the key (case, inner spaces, extra characters)', async () => {
    const key = h.keys.read;
    const variants = [
      key.toUpperCase(),
      key.replace(/^tm_/, 'TM_'),
      `${key}x`,
      key.slice(0, -1),
      `${key.slice(0, 20)} ${key.slice(20)}`,
      encodeURIComponent(key) + '%20',
    ];
    for (const variant of variants) {
      const res = await h.call('GET', '/api/v1/stats', { key: null, headers: { 'x-api-key': variant } });
      expect(res.status, JSON.stringify(variant)).to.equal(401);
    }
  });

  it('accepts the same key with surrounding whitespace or a lower-case scheme (it is the same key)', async () => {
    const key = h.keys.read;
    const presentations: Array<Record<string, string>> = [
      { authorization: `Bearer   ${key}  ` },
      { authorization: `bearer ${key}` },
      { 'x-api-key': `  ${key}\t` },
    ];
    for (const headers of presentations) {
      const res = await h.call('GET', '/api/v1/stats', { key: null, headers });
      expect(res.status, JSON.stringify(headers)).to.equal(200);
    }
  });

  it('refuses other authorization schemes and a key passed in the query string', async () => {
    const key = h.keys.read;
    const basic = Buffer.from(`${key}:`).toString('base64');
    for (const [path, headers] of [
      ['/api/v1/stats', { authorization: `Basic ${basic}` }],
      ['/api/v1/stats', { authorization: `Token ${key}` }],
      [`/api/v1/stats?api_key=${key}`, {}],
      [`/api/v1/stats?key=${key}`, {}],
    ] as const) {
      const res = await h.call('GET', path, { key: null, headers });
      expect(res.status, `${path} ${JSON.stringify(headers)}`).to.equal(401);
    }
  });
});
