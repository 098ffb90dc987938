import { expect } from 'chai';
import { createPostgresTestDatabase, type TestDatabase } from '@trendmill/platform/testing';
import { feedFixture } from '../../fixtures/feeds/index.js';
import { startServer, type LocalServer } from '../fetch/local-server.js';
import { CollectorHarness } from '../service/harness.js';

// Security suite of the collector (the summary of where each hostile-input bullet is tested is
// in services/gateway/test/integration/security/README.md). SSRF through source URLs, redirects,
// DNS rebinding and size caps are tested on the fetcher in ../fetch/; XML bombs on the parser in
// src/feeds/xml-safety.spec.ts. Here the same attacks go through a real source poll, end to end:
// the poll fails with a reason, emits nothing, and the collector keeps working.

describe('security: hostile feeds and source URLs through a real poll', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let h: CollectorHarness;
  let server: LocalServer;
  let api: string;

  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'collsec' });
    h = new CollectorHarness(db);
    await h.recordOutputs();
    server = await startServer((req, res) => {
      const name = req.url?.slice(1) ?? '';
      res.setHeader('content-type', 'application/rss+xml');
      res.end(feedFixture(name));
    });
  });
  after(async () => {
    await h?.stop();
    await server?.close();
    await db?.close();
  });

  async function pollOnce(url: string) {
    const created = await fetch(`${api}/sources`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'feed', url, intervalSeconds: 600 }),
    });
    const source = (await created.json()) as { id: string };
    expect(created.status, JSON.stringify(source)).to.equal(201);
    const poll = await fetch(`${api}/sources/${source.id}/poll`, { method: 'POST' });
    return (await poll.json()) as { outcome: string; error: string | null; itemsNew: number };
  }

  describe('XML bombs (loopback allowlisted so the feed server can be reached)', () => {
    before(async () => {
      api = await h.serve(await h.startService());
    });

    it('fails a billion-laughs feed with a reason, without expanding it', async () => {
      const heapBefore = process.memoryUsage().heapUsed;
      const summary = await pollOnce(`${server.origin}/billion-laughs.xml`);
      expect(summary.outcome).to.equal('failed');
      expect(summary.error).to.match(/entit/i);
      expect(summary.itemsNew).to.equal(0);
      expect(process.memoryUsage().heapUsed - heapBefore).to.be.lessThan(100 * 1024 * 1024);
    });

    it('fails an external-entity (XXE) feed without reading the file', async () => {
      const summary = await pollOnce(`${server.origin}/xxe.xml`);
      expect(summary.outcome).to.equal('failed');
      expect(summary.error).to.match(/entit/i);
      expect(JSON.stringify(summary)).to.not.contain('root:');
    });

    it('still polls a good feed afterwards', async () => {
      const summary = await pollOnce(`${server.origin}/rss-2.0.xml`);
      expect(summary.outcome).to.equal('changed');
      expect(summary.itemsNew).to.be.greaterThan(0);
    });
  });

  describe('SSRF through source URLs (no allowlist)', () => {
    before(async () => {
      api = await h.serve(await h.startService({ allowlist: [] }));
    });

    for (const host of ['127.0.0.1', 'localhost', '2130706433', '0x7f.0.0.1', '[::ffff:127.0.0.1]']) {
      it(`refuses to create a source at http://${host}:<port>/ (400 url_not_allowed), never reaching it`, async () => {
        const before = server.requests.length;
        const created = await fetch(`${api}/sources`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'feed', url: `http://${host}:${server.port}/rss-2.0.xml` }),
        });
        const body = (await created.json()) as { error: { code: string; message: string } };
        expect(created.status).to.equal(400);
        expect(body.error.code).to.equal('url_not_allowed');
        expect(body.error.message).to.contain('loopback');
        expect(server.requests.length).to.equal(before);
      });
    }
  });
});
