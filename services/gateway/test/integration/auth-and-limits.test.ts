import { expect } from 'chai';
import { GatewayHarness } from './harness.js';

describe('gateway authentication, scopes, rate limits and body limits', function () {
  this.timeout(30_000);

  describe('with in-process limits', () => {
    let h: GatewayHarness;
    before(async () => {
      h = await GatewayHarness.start({
        settings: { rateLimitPerMinute: 1_000, authFailuresPerMinute: 1_000, maxBodyBytes: 2_048 },
      });
    });
    after(async () => {
      await h?.stop();
    });

    it('answers 401 unauthorized without a key, with a wrong one, and with a malformed one', async () => {
      const missing = await h.call('GET', '/api/v1/clusters', { key: null });
      expect(missing.status).to.equal(401);
      expect(missing.body.error.code).to.equal('unauthorized');
      expect(missing.headers.get('www-authenticate')).to.equal('Bearer');
      const parts = h.keys.read.split('_');
      const wrong = `${parts[0]}_${parts[1]}_${'A'.repeat(43)}`;
      expect((await h.call('GET', '/api/v1/clusters', { key: wrong })).status).to.equal(401);
      expect((await h.call('GET', '/api/v1/clusters', { key: 'garbage' })).status).to.equal(401);
      expect(h.fake.count('listClusters')).to.equal(0);
    });

    it('accepts X-API-Key as well as Authorization: Bearer', async () => {
      const res = await h.call('GET', '/api/v1/stats', { key: null, headers: { 'x-api-key': h.keys.read } });
      expect(res.status).to.equal(200);
    });

    it('answers 403 forbidden when the key lacks the scope, naming it', async () => {
      const write = await h.call('POST', '/api/v1/ingest', { key: 'read', body: { title: 'x' } });
      expect(write.status).to.equal(403);
      expect(write.body.error).to.deep.include({ code: 'forbidden' });
      expect(write.body.error.details).to.deep.equal({ required: 'write', granted: ['read'] });
      const admin = await h.call('GET', '/api/v1/admin/keys', { key: 'write' });
      expect(admin.status).to.equal(403);
      expect((await h.call('GET', '/api/v1/clusters', { key: 'admin' })).status).to.equal(200);
    });

    it('stops accepting a key once it is revoked', async () => {
      const created = await h.call('POST', '/api/v1/admin/keys', {
        body: { name: 'temp', scopes: ['read'] },
      });
      expect(created.status).to.equal(201);
      expect(created.body.key).to.match(/^tm_[a-z0-9]{12}_/);
      expect((await h.call('GET', '/api/v1/stats', { key: created.body.key })).status).to.equal(200);
      const revoked = await h.call('DELETE', `/api/v1/admin/keys/${created.body.id}`);
      expect(revoked.status).to.equal(200);
      expect(revoked.body.revokedAt).to.be.a('string');
      expect((await h.call('GET', '/api/v1/stats', { key: created.body.key })).status).to.equal(401);
      expect((await h.call('DELETE', '/api/v1/admin/keys/nosuchkey')).status).to.equal(404);
    });

    it('lists keys without their secrets or hashes', async () => {
      const res = await h.call('GET', '/api/v1/admin/keys');
      expect(res.status).to.equal(200);
      const text = JSON.stringify(res.body);
      for (const key of Object.values(h.keys)) expect(text).to.not.include(key.slice(16));
      expect(res.body.keys[0]).to.have.keys([
        'id',
        'name',
        'scopes',
        'display',
        'createdAt',
        'lastUsedAt',
        'revokedAt',
      ]);
      const bad = await h.call('POST', '/api/v1/admin/keys', { body: { name: '', scopes: ['root'] } });
      expect(bad.status).to.equal(422);
      expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.include.members([
        'name',
        'scopes.0',
      ]);
    });

    it('answers 413 payload_too_large for a body over the limit', async () => {
      const res = await h.call('POST', '/api/v1/ingest', {
        key: 'write',
        body: { title: 'x'.repeat(4_000) },
      });
      expect(res.status).to.equal(413);
      expect(res.body.error.code).to.equal('payload_too_large');
    });

    it('answers 400 invalid_json for a body that is not JSON', async () => {
      const res = await h.call('POST', '/api/v1/ingest', { key: 'write', raw: '{"title":' });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('invalid_json');
    });

    it('sets a strict Content-Security-Policy and other security headers', async () => {
      const res = await h.call('GET', '/api/v1/stats', { key: 'read' });
      expect(res.headers.get('content-security-policy')).to.include("default-src 'none'");
      expect(res.headers.get('x-content-type-options')).to.equal('nosniff');
      expect(res.headers.get('x-powered-by')).to.equal(null);
      expect(res.headers.get('cache-control')).to.equal('no-store');
    });
  });

  describe('with limits in Redis', () => {
    let h: GatewayHarness;
    before(async () => {
      h = await GatewayHarness.start({
        redis: true,
        settings: { rateLimitPerMinute: 3, authFailuresPerMinute: 2, bootstrapAdminKey: 'b'.repeat(40) },
      });
    });
    after(async () => {
      await h?.stop();
    });

    it('answers 429 rate_limited with Retry-After and RateLimit headers once a key spends its window', async () => {
      const statuses: number[] = [];
      let last;
      for (let n = 0; n < 4; n++) {
        last = await h.call('GET', '/api/v1/stats', { key: 'read' });
        statuses.push(last.status);
      }
      expect(statuses).to.deep.equal([200, 200, 200, 429]);
      expect(last!.body.error.code).to.equal('rate_limited');
      expect(Number(last!.headers.get('retry-after'))).to.be.within(1, 60);
      expect(last!.headers.get('ratelimit-limit')).to.equal('3');
      expect(last!.headers.get('ratelimit-remaining')).to.equal('0');
      const counted = await h.redis!.keys(`${h.redisPrefix}:rl:key*`);
      expect(counted, 'the counter lives in Redis').to.have.length.greaterThan(0);
      expect(
        (await h.call('GET', '/api/v1/stats', { key: 'write' })).status,
        'other keys are unaffected',
      ).to.equal(200);
    });

    it('limits failed authentications per client address', async () => {
      const statuses: number[] = [];
      for (let n = 0; n < 3; n++)
        statuses.push((await h.call('GET', '/api/v1/stats', { key: 'not-a-key' })).status);
      expect(statuses).to.deep.equal([401, 401, 429]);
    });

    it('accepts GATEWAY_BOOTSTRAP_ADMIN_KEY as an admin key, stored hashed', async () => {
      const res = await h.call('GET', '/api/v1/admin/flags', { key: 'b'.repeat(40) });
      expect(res.status).to.equal(200);
      const rows = await h.db.sql.query<{ hash: string }>(
        `SELECT hash FROM ${h.db.schema}.api_keys WHERE name = 'bootstrap admin'`,
      );
      expect(rows).to.have.length(1);
      expect(rows[0]!.hash).to.not.include('bbbb');
    });
  });
});
