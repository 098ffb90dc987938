import { expect } from 'chai';
import { decodeVector } from '@trendmill/shared-contracts';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { embeddingInput } from '../../../src/service/embed-input.js';
import { FakeProvider } from './fake-provider.js';
import { EmbedderHarness, call, normalized } from './harness.js';

const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'embedder' })],
  ['PGlite', async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'embedder' })],
];

async function counter(h: EmbedderHarness, name: string, labels: Record<string, string> = {}) {
  const metric = (await h.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const values = (metric?.values ?? []) as Array<{ value: number; labels: Record<string, unknown> }>;
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want))
    .reduce((n, v) => n + v.value, 0);
}

for (const [backend, open] of backends) {
  describe(`embedder service on ${backend}`, function () {
    this.timeout(30_000);
    let db: TestDatabase;
    let h: EmbedderHarness;

    beforeEach(async () => {
      db = await open();
      h = new EmbedderHarness(db);
      await h.recordOutputs();
    });
    afterEach(async () => {
      await h.stop();
      await db.close();
    });

    it('turns item.normalized into item.embedded with the vector, model and dim, in batches', async () => {
      const provider = new FakeProvider('fake-a', 8, 64);
      await h.start(provider, { batchSize: 8, batchWaitMs: 30 });
      const items = Array.from({ length: 20 }, () => normalized());
      await h.publish(items);
      await waitFor(() => h.embedded.length === 20, { what: '20 item.embedded' });

      for (const item of items) {
        const [out] = h.of(item.itemId);
        expect(out, item.itemId).to.exist;
        expect(out!.data).to.include({
          model: 'fake-a',
          dim: 8,
          title: item.title,
          text: item.text,
          sourceId: item.sourceId,
          contentHash: item.contentHash,
          publishedAt: item.publishedAt,
        });
        const vector = decodeVector(out!.data.vector, 8);
        const expected = provider.vectorOf(embeddingInput(item));
        expect(Array.from(vector)).to.deep.equal(Array.from(expected));
      }
      // Batched: fewer provider calls than items, none larger than the batch size.
      expect(provider.calls.length).to.be.lessThan(20);
      expect(Math.max(...provider.calls.map((c) => c.length))).to.be.at.most(8);
      expect(provider.textsEmbedded).to.equal(20);
      expect(await counter(h, 'trendmill_embedder_items_total', { outcome: 'embedded' })).to.equal(20);
    });

    it('embeds a text once: repeats are cache hits, and the hit rate is a metric', async () => {
      const provider = new FakeProvider();
      await h.start(provider, { batchSize: 4 });
      const same = { title: 'Same story', text: 'Told twice by two sites.' };
      const first = [normalized(same), normalized(same)];
      await h.publish(first);
      await waitFor(() => h.embedded.length === 2, { what: 'first two' });
      await h.publish([normalized(same), normalized({ title: 'Other' })]);
      await waitFor(() => h.embedded.length === 4, { what: 'four' });

      expect(provider.textsEmbedded).to.equal(2); // "Same story" once, "Other" once
      const hits = await counter(h, 'trendmill_embedder_cache_lookups_total', {
        model: 'fake-a',
        result: 'hit',
      });
      const misses = await counter(h, 'trendmill_embedder_cache_lookups_total', {
        model: 'fake-a',
        result: 'miss',
      });
      expect(hits + misses).to.equal(4);
      expect(hits).to.be.at.least(1);
      const ratio = await counter(h, 'trendmill_embedder_cache_hit_ratio', { model: 'fake-a' });
      expect(ratio).to.be.closeTo(hits / 4, 1e-9);
    });

    it('makes items wait while the provider is unavailable, then embeds them with the same model', async () => {
      const provider = new FakeProvider();
      provider.unavailable = { retryAfterMs: 100 };
      await h.start(provider);
      const items = [normalized(), normalized(), normalized()];
      await h.publish(items);
      await waitFor(
        async () => (await counter(h, 'trendmill_embedder_items_total', { outcome: 'deferred' })) >= 6,
        {
          what: 'deferrals',
        },
      );
      expect(h.embedded).to.have.length(0);
      expect(await h.broker.deadLetters.depth('embedder')).to.equal(0);

      provider.unavailable = undefined;
      await waitFor(() => h.embedded.length === 3, { what: 'embedded after recovery' });
      expect(h.embedded.every((e) => e.data.model === 'fake-a')).to.equal(true);
      expect(await h.broker.deadLetters.depth('embedder')).to.equal(0);
    });

    it('dead-letters an item the provider refuses, with the reason, and embeds its batch-mates', async () => {
      const provider = new FakeProvider();
      await h.start(provider, { batchSize: 4, batchWaitMs: 50 });
      const bad = normalized({ text: 'this one carries #reject# inside' });
      const good = [normalized(), normalized(), normalized()];
      await h.publish([good[0]!, bad, good[1]!, good[2]!]);
      await waitFor(() => h.embedded.length === 3, { what: 'three good items' });
      await waitFor(async () => (await h.broker.deadLetters.depth('embedder')) === 1, {
        what: 'dead letter',
      });
      const [letter] = await h.broker.deadLetters.list({ group: 'embedder' });
      expect(letter!.reason).to.match(/rejected by fake-a/);
      expect(letter!.reason).to.include(bad.itemId);
      expect(h.of(bad.itemId)).to.have.length(0);
    });

    it('emits one item.embedded per item and model even when the event is redelivered', async () => {
      await h.start(new FakeProvider());
      const item = normalized();
      await h.publish([item]);
      await waitFor(() => h.embedded.length === 1, { what: 'first' });
      await h.publish([item]); // the normalizer's relay published it again
      await new Promise((r) => setTimeout(r, 400));
      expect(h.of(item.itemId)).to.have.length(1);
    });

    it('serves POST /embed with the live model, through the cache, with clear errors', async () => {
      const provider = new FakeProvider();
      const service = await h.start(provider);
      const api = await h.serve(service, { maxTexts: 3, maxBodyBytes: 2048 });

      const ok = await call('POST', `${api}/embed`, { texts: ['alpha', 'beta'] });
      expect(ok.status).to.equal(200);
      expect(ok.body).to.include({ model: 'fake-a', dim: 8 });
      const vectors = ok.body.vectors as number[][];
      expect(vectors).to.have.length(2);
      expect(vectors[0]).to.deep.equal(Array.from(provider.vectorOf('alpha')));
      const b64 = await call('POST', `${api}/embed`, { texts: ['alpha'], encoding: 'base64' });
      expect(Array.from(decodeVector((b64.body.vectors as string[])[0]!, 8))).to.deep.equal(vectors[0]);
      expect(provider.textsEmbedded).to.equal(2); // the second call was a cache hit

      const info = await call('GET', `${api}/info`);
      expect(info.body).to.include({ model: 'fake-a', dim: 8, provider: 'fake' });

      const errorOf = (r: { body: Record<string, unknown> }) => (r.body.error as { code: string }).code;
      const empty = await call('POST', `${api}/embed`, { texts: [] });
      expect([empty.status, errorOf(empty)]).to.deep.equal([400, 'validation_failed']);
      const many = await call('POST', `${api}/embed`, { texts: ['a', 'b', 'c', 'd'] });
      expect([many.status, errorOf(many)]).to.deep.equal([400, 'validation_failed']);
      const notText = await call('POST', `${api}/embed`, { texts: [42] });
      expect([notText.status, errorOf(notText)]).to.deep.equal([400, 'validation_failed']);
      const badJson = await call('POST', `${api}/embed`, '{"texts": [');
      expect([badJson.status, errorOf(badJson)]).to.deep.equal([400, 'invalid_json']);
      const big = await call('POST', `${api}/embed`, { texts: ['x'.repeat(4000)] });
      expect([big.status, errorOf(big)]).to.deep.equal([413, 'payload_too_large']);
      const other = await call('POST', `${api}/embed`, { texts: ['a'], model: 'someone-else' });
      expect([other.status, errorOf(other)]).to.deep.equal([409, 'model_mismatch']);
      const nowhere = await call('GET', `${api}/nope`);
      expect([nowhere.status, errorOf(nowhere)]).to.deep.equal([404, 'not_found']);

      provider.unavailable = { retryAfterMs: 3_000 };
      const down = await call('POST', `${api}/embed`, { texts: ['fresh text'] });
      expect([down.status, errorOf(down)]).to.deep.equal([503, 'provider_unavailable']);
      expect(down.headers.get('retry-after')).to.equal('3');
    });

    it('needs an API key when keys are configured', async () => {
      const service = await h.start(new FakeProvider());
      const api = await h.serve(service, { apiKeys: ['s3cret-key'] });
      const anonymous = await call('POST', `${api}/embed`, { texts: ['a'] });
      expect(anonymous.status).to.equal(401);
      const wrong = await call('POST', `${api}/embed`, { texts: ['a'] }, { 'x-api-key': 'nope' });
      expect(wrong.status).to.equal(401);
      const right = await call(
        'POST',
        `${api}/embed`,
        { texts: ['a'] },
        { authorization: 'Bearer s3cret-key' },
      );
      expect(right.status).to.equal(200);
    });

    it('reembeds stored items into a new model with progress, keeping the two models apart', async () => {
      const live = new FakeProvider('fake-a', 8);
      const next = new FakeProvider('fake-b', 12, 5);
      h.otherModels.set('fake-b', next);
      const service = await h.start(live, { reembedPageSize: 4 });
      const api = await h.serve(service);
      const items = Array.from({ length: 11 }, () => normalized());
      await h.publish(items);
      await waitFor(() => h.embedded.length === 11, { what: 'live embeddings' });

      const unknown = await call('POST', `${api}/reembed`, { model: 'nobody' });
      expect(unknown.status).to.equal(400);
      expect((unknown.body.error as { code: string; details: { known: string[] } }).code).to.equal(
        'unknown_model',
      );

      const started = await call('POST', `${api}/reembed`, { model: 'fake-b' });
      expect(started.status).to.equal(202);
      expect(started.body).to.include({ model: 'fake-b', dim: 12, total: 11 });
      const job = await service.reembeds.wait(started.body.id as string);
      expect(job).to.include({ state: 'completed', done: 11, total: 11 });
      const progress = await call('GET', `${api}/reembed/${job!.id}`);
      expect(progress.body).to.include({ state: 'completed', done: 11 });

      await waitFor(() => h.embedded.length === 22, { what: 'reembedded events' });
      for (const item of items) {
        const a = h.of(item.itemId, 'fake-a');
        const b = h.of(item.itemId, 'fake-b');
        expect([a.length, b.length]).to.deep.equal([1, 1]);
        expect(b[0]!.data.dim).to.equal(12);
        expect(Array.from(decodeVector(b[0]!.data.vector, 12))).to.deep.equal(
          Array.from(next.vectorOf(embeddingInput(item))),
        );
        expect(b[0]!.id).to.not.equal(a[0]!.id);
      }
      expect(Math.max(...next.calls.map((c) => c.length))).to.be.at.most(5);
      expect(await counter(h, 'trendmill_embedder_reembed_items_total', { model: 'fake-b' })).to.equal(11);

      // Running it again finds nothing left to do: a stopped job resumes where it left off.
      const again = await call('POST', `${api}/reembed`, { model: 'fake-b' });
      expect(again.body).to.include({ total: 0 });
      const missing = await call('GET', `${api}/reembed/00000000-0000-0000-0000-000000000000`);
      expect(missing.status).to.equal(404);
    });

    it('keeps stored items across a restart, so reembed still finds them', async () => {
      const first = await h.start(new FakeProvider('fake-a'));
      const items = [normalized(), normalized(), normalized()];
      await h.publish(items);
      await waitFor(() => h.embedded.length === 3, { what: 'embedded' });
      await first.stop();
      h.services.splice(h.services.indexOf(first), 1);

      h.otherModels.set('fake-c', new FakeProvider('fake-c', 4));
      const second = await h.start(new FakeProvider('fake-a'));
      const job = await second.startReembed('fake-c');
      expect(job.total).to.equal(3);
      expect(await second.reembeds.wait(job.id)).to.include({ state: 'completed', done: 3 });
    });
  });
}
