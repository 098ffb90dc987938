import { request } from 'node:http';
import { expect } from 'chai';
import { routesOf } from '../../../src/openapi/router-routes.js';
import { GatewayHarness } from '../harness.js';

// Security suite, oversized and pathological bodies (see README.md here). ../auth-and-limits
// checks one 413 on /ingest; here every route that takes a body is checked, with and without a
// Content-Length, and so is JSON nested deep enough to exhaust a recursive parser.

const LIMIT = 4_096;

describe('security: oversized and pathological request bodies on every route', function () {
  this.timeout(30_000);
  let h: GatewayHarness;
  before(async () => {
    h = await GatewayHarness.start({ settings: { subscriptions: true, maxBodyBytes: LIMIT } });
  });
  after(async () => {
    await h?.stop();
  });

  function bodyRoutes(): Array<{ method: string; path: string }> {
    const all = [
      ...h.routeSpecs().map((s) => ({ method: s.method, path: s.path })),
      ...h.extraRouters().flatMap((r) => routesOf(r, 'extra')),
    ];
    return all
      .filter((r) => r.method !== 'get')
      .map((r) => ({ method: r.method.toUpperCase(), path: `/api/v1${r.path.replace(/:\w+/g, 'x')}` }));
  }

  it('answers 413 payload_too_large on every route that takes a body, with a Content-Length', async () => {
    const routes = bodyRoutes();
    expect(routes.length).to.be.greaterThan(5);
    const big = JSON.stringify({ title: 'x'.repeat(LIMIT * 2) });
    for (const route of routes) {
      const res = await h.call(route.method, route.path, { raw: big });
      expect(res.status, `${route.method} ${route.path}`).to.equal(413);
      expect(res.body.error.code).to.equal('payload_too_large');
    }
  });

  it('answers 413 to a chunked body with no Content-Length that grows past the limit', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${h.baseUrl}/api/v1/ingest`);
      const req = request(
        url,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${h.keys.write}`, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"title":"');
      const chunk = 'y'.repeat(1_024);
      let sent = 0;
      const pump = () => {
        while (sent < LIMIT * 4) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end('"}');
      };
      pump();
    });
    expect(status).to.equal(413);
  });

  it('answers deeply nested JSON under the size limit with a 4xx, not a crash', async () => {
    const bigger = await GatewayHarness.start({ settings: { maxBodyBytes: 1024 * 1024 } });
    try {
      for (const raw of [
        '['.repeat(200_000) + ']'.repeat(200_000),
        '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
      ]) {
        const res = await bigger.call('POST', '/api/v1/ingest', { key: 'write', raw });
        expect(res.status).to.be.within(400, 499);
        expect(res.body.error.code).to.be.a('string');
      }
      expect((await bigger.call('GET', '/api/v1/stats')).status).to.equal(200);
    } finally {
      await bigger.stop();
    }
  });
});
