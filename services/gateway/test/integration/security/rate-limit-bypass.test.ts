import { expect } from 'chai';
import { GatewayHarness } from '../harness.js';

// Security suite, rate-limit bypass attempts (see README.md here). The limits themselves (429,
// Retry-After, counters in Redis) are tested in ../auth-and-limits.test.ts. Here: what a caller
// can vary to get a fresh budget. The per-key limiter keys on the key's id as stored (not on the
// header text), the failed-authentication limiter on the socket address (X-Forwarded-For only
// counts when `trustProxy` names a proxy). A caller holding several keys has several budgets:
// keys are issued by an admin, so that is a grant, not a bypass.

describe('security: rate-limit bypass attempts (Redis-backed limits)', function () {
  this.timeout(30_000);
  let h: GatewayHarness;
  before(async () => {
    h = await GatewayHarness.start({
      redis: true,
      settings: { rateLimitPerMinute: 4, authFailuresPerMinute: 3 },
    });
  });
  after(async () => {
    await h?.stop();
  });

  async function freshKey(): Promise<string> {
    return (await h.service.keys.create({ name: `limit ${Math.random()}`, scopes: ['read'] })).key;
  }

  it('one budget per key, however the key is presented (header, scheme case, whitespace, X-Forwarded-For)', async () => {
    const key = await freshKey();
    const presentations: Array<Record<string, string>> = [
      { authorization: `Bearer ${key}` },
      { 'x-api-key': key },
      { authorization: `bearer   ${key} `, 'x-forwarded-for': '203.0.113.7' },
      { 'x-api-key': ` ${key}`, 'x-forwarded-for': '198.51.100.1, 10.0.0.1', 'x-real-ip': '192.0.2.1' },
      { authorization: `BEARER ${key}`, forwarded: 'for=192.0.2.60' },
    ];
    const statuses: number[] = [];
    for (const headers of presentations)
      statuses.push((await h.call('GET', '/api/v1/stats', { key: null, headers })).status);
    expect(statuses).to.deep.equal([200, 200, 200, 200, 429]);
  });

  it('spoofed X-Forwarded-For does not reset the failed-authentication budget of an address', async () => {
    const statuses: number[] = [];
    for (let n = 0; n < 5; n++) {
      const res = await h.call('GET', '/api/v1/stats', {
        key: `tm_${'a'.repeat(12)}_${'x'.repeat(43)}`,
        headers: { 'x-forwarded-for': `198.51.100.${n}`, 'x-real-ip': `192.0.2.${n}` },
      });
      statuses.push(res.status);
    }
    expect(statuses).to.deep.equal([401, 401, 401, 429, 429]);
    // A good key from the same address still works (only failures are counted), and using one
    // does not reset the failure budget: interleaving a known key buys a guesser nothing.
    expect((await h.call('GET', '/api/v1/stats', { key: await freshKey() })).status).to.equal(200);
    const again = await h.call('GET', '/api/v1/stats', { key: `tm_${'b'.repeat(12)}_${'y'.repeat(43)}` });
    expect(again.status).to.equal(429);
  });

  it('a case variant of a key is not a second key with its own budget', async () => {
    const key = await freshKey();
    expect((await h.call('GET', '/api/v1/stats', { key: key.toUpperCase() })).status).to.be.oneOf([401, 429]);
    const upper = key.replace(/_([a-z0-9]{12})_/, (_m, id: string) => `_${id.toUpperCase()}_`);
    expect((await h.call('GET', '/api/v1/stats', { key: upper })).status).to.be.oneOf([401, 429]);
  });
});
