import { expect } from 'chai';
import type { ClusterListQuery, ClusterSort, ItemListQuery } from '@trendmill/shared-contracts';
import { QueryApiError } from '../../src/errors.js';
import { CORPUS } from '../fixtures/corpus.js';
import type { QueryHarness } from './harness.js';
import { seededHarness } from './seed.js';

async function rejection(promise: Promise<unknown>): Promise<QueryApiError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(QueryApiError);
    return err as QueryApiError;
  }
  throw new Error('expected a rejection');
}

describe('query API over the read model (PostgreSQL)', function () {
  this.timeout(60_000);
  let h: QueryHarness;
  before(async () => {
    h = await seededHarness({ clock: () => new Date('2026-03-01T12:59:00.000Z') });
  });
  after(async () => {
    await h?.close();
  });

  describe('clusters', () => {
    const ids = async (q: ClusterListQuery) => (await h.api.listClusters(q)).items.map((c) => c.id);

    it('lists live clusters by each sort, ties broken by id', async () => {
      expect(await ids({})).to.deep.equal(['c-fussball', 'c-pasta', 'c-rust']);
      expect(await ids({ sort: 'size' })).to.deep.equal(['c-rust', 'c-fussball', 'c-pasta']);
      expect(await ids({ sort: 'growth' })).to.deep.equal(['c-pasta', 'c-rust', 'c-fussball']);
      expect(await ids({ sort: 'emerging' })).to.deep.equal(['c-pasta', 'c-rust', 'c-fussball']);
    });

    it('pages every sort by keyset cursor without losing or repeating a cluster', async () => {
      for (const sort of ['size', 'growth', 'emerging', 'recent'] as ClusterSort[]) {
        const all = await ids({ sort, status: 'all' });
        expect(all).to.have.length(4);
        const walked: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await h.api.listClusters({
            sort,
            status: 'all',
            limit: 1,
            ...(cursor ? { cursor } : {}),
          });
          walked.push(...page.items.map((c) => c.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        expect(walked, sort).to.deep.equal(all);
      }
    });

    it('filters by status, source, language and activity window', async () => {
      expect(await ids({ status: 'all', sort: 'size' })).to.deep.equal([
        'c-rust',
        'c-fussball',
        'c-pasta',
        'c-old',
      ]);
      expect(await ids({ status: 'retired' })).to.deep.equal(['c-old']);
      expect(await ids({ status: 'fading' })).to.deep.equal(['c-fussball']);
      expect(await ids({ source: 'kicker' })).to.deep.equal(['c-fussball']);
      expect(await ids({ source: 'blog', sort: 'size' })).to.deep.equal(['c-rust', 'c-pasta']);
      expect(await ids({ language: 'DE' })).to.deep.equal(['c-fussball']);
      expect(await ids({ since: '2026-03-01T12:30:00Z' })).to.deep.equal(['c-fussball', 'c-pasta']);
      expect(await ids({ since: '2026-03-01T10:00:00Z', until: '2026-03-01T10:10:00Z' })).to.deep.equal([
        'c-rust',
      ]);
    });

    it('refuses a forged cursor, a cursor of another sort and out-of-range parameters', async () => {
      const page = await h.api.listClusters({ sort: 'size', limit: 1 });
      expect(
        (await rejection(h.api.listClusters({ sort: 'growth', cursor: page.nextCursor! }))).code,
      ).to.equal('invalid_cursor');
      expect((await rejection(h.api.listClusters({ cursor: 'Zm9v' }))).code).to.equal('invalid_cursor');
      const invalid = await rejection(h.api.listClusters({ limit: 0 }));
      expect(invalid).to.include({ status: 400, code: 'validation_failed' });
      expect(invalid.details).to.deep.equal([
        {
          path: 'limit',
          message: invalid.details && (invalid.details as Array<{ message: string }>)[0]!.message,
        },
      ]);
    });

    it('describes a cluster: time series, evidence nearest the centroid, sources and languages', async () => {
      const rust = await h.api.getCluster('c-rust', { hours: 4, evidence: 3 });
      expect(rust).to.include({
        id: 'c-rust',
        size: 3,
        status: 'active',
        version: 2,
        velocity: 1.5,
        emergingScore: 2,
      });
      expect(rust.lastItemAt).to.equal('2026-03-01T12:15:00.000Z');
      expect(rust.timeSeries).to.deep.equal([
        { start: '2026-03-01T09:00:00.000Z', count: 0 },
        { start: '2026-03-01T10:00:00.000Z', count: 1 },
        { start: '2026-03-01T11:00:00.000Z', count: 1 },
        { start: '2026-03-01T12:00:00.000Z', count: 1 },
      ]);
      expect(rust.bucketSeconds).to.equal(3600);
      expect(rust.evidence.map((e) => e.item.id)).to.have.members(['rust-1', 'rust-2', 'rust-3']);
      const sims = rust.evidence.map((e) => e.similarity);
      expect(sims).to.deep.equal([...sims].sort((a, b) => b - a));
      expect(sims[0]).to.be.greaterThan(0.5).and.at.most(1.0001);
      expect(rust.sources).to.deep.equal([
        { sourceId: 'hn', sourceType: 'hackernews', count: 2 },
        { sourceId: 'blog', sourceType: 'rss', count: 1 },
      ]);
      expect(rust.languages).to.deep.equal([{ language: 'en', count: 3 }]);
      expect(rust.representativeItemIds).to.deep.equal(['rust-2']);
      expect((await h.api.getCluster('c-rust', { evidence: 1 })).evidence).to.have.length(1);
      const old = await h.api.getCluster('c-old');
      expect(old).to.include({
        status: 'retired',
        retiredReason: 'quiet for 14 days',
        retiredAt: '2026-02-15T00:00:00.000Z',
      });
      expect(old.evidence).to.deep.equal([]);
    });

    it('answers 404 cluster_not_found for an unknown cluster, its detail and its items', async () => {
      expect(await rejection(h.api.getCluster('nope'))).to.include({
        status: 404,
        code: 'cluster_not_found',
      });
      expect(await rejection(h.api.listClusterItems('nope'))).to.include({
        status: 404,
        code: 'cluster_not_found',
      });
    });
  });

  describe('items', () => {
    const ids = async (q: ItemListQuery) => (await h.api.listItems(q)).items.map((i) => i.id);
    const newestFirst = [...CORPUS]
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
      .map((i) => i.id);

    it('lists items newest first and pages through them', async () => {
      expect(await ids({})).to.deep.equal(newestFirst);
      const walked: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.api.listItems({ limit: 3, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).to.be.at.most(3);
        walked.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(walked).to.deep.equal(newestFirst);
    });

    it('filters by cluster, source, language, window and full-text match', async () => {
      expect(await ids({ cluster: 'c-pasta' })).to.deep.equal(['pasta-2', 'pasta-1']);
      expect(await ids({ source: 'kicker' })).to.deep.equal(['fussball-1', 'fussball-2']);
      expect(await ids({ language: 'de' })).to.deep.equal(['fussball-1', 'fussball-2']);
      expect(await ids({ since: '2026-03-01T12:00:00Z', until: '2026-03-01T12:45:00Z' })).to.deep.equal([
        'pasta-2',
        'rust-3',
      ]);
      expect(await ids({ q: 'borrow checker' })).to.deep.equal(['rust-2', 'rust-1']);
      expect(await ids({ q: 'spaghetti -carbonara' })).to.deep.equal(['pasta-1']);
      expect(await ids({ q: '"olive oil"' })).to.deep.equal(['pasta-1']);
    });

    it('returns an item in full with its membership and re-posts', async () => {
      const item = await h.api.getItem('rust-1');
      expect(item).to.include({
        id: 'rust-1',
        clusterId: 'c-rust',
        clusterMethod: 'discovered',
        sourceType: 'hackernews',
      });
      expect(item.text).to.equal(CORPUS[0]!.text);
      expect(item.snippet.length).to.be.at.most(280);
      expect((await h.api.getItem('stray-1')).clusterId).to.equal(null);
      expect(await rejection(h.api.getItem('missing'))).to.include({ status: 404, code: 'item_not_found' });
    });

    it('finds similar items by vector, never the item itself', async () => {
      const similar = await h.api.similarItems('rust-1', { k: 3 });
      const found = similar.items.map((s) => s.item.id);
      expect(found).to.have.length(3).and.not.include('rust-1');
      expect(found.slice(0, 2)).to.have.members(['rust-2', 'rust-3']);
      expect(await rejection(h.api.similarItems('missing'))).to.include({ code: 'item_not_found' });
      expect(await rejection(h.api.similarItems('rust-1', { k: 0 }))).to.include({
        code: 'validation_failed',
      });
    });
  });

  describe('search', () => {
    it('ranks full-text matches by ts_rank_cd, title matches above body-only ones', async () => {
      const result = await h.api.search({ q: 'rust', mode: 'fulltext' });
      expect(result.hits.map((x) => x.item.id)).to.have.length(3);
      expect(result.hits[2]!.item.id, 'rust-3 mentions Rust only in its body').to.equal('rust-3');
      const scores = result.hits.map((x) => x.score);
      expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
      expect(result.hits.map((x) => x.ranks)).to.deep.equal(
        [1, 2, 3].map((r) => ({ fulltext: r, semantic: null })),
      );
      expect(result).to.include({ mode: 'fulltext', model: null, degraded: null });
    });

    it('stems within the language named by the filter', async () => {
      const hits = await h.api.search({ q: 'Spiele', mode: 'fulltext', language: 'de' });
      expect(hits.hits.map((x) => x.item.id)).to.have.members(['fussball-1', 'fussball-2']);
      const running = await h.api.search({ q: 'announcing', mode: 'fulltext' });
      expect(
        running.hits.map((x) => x.item.id),
        'English stemming without a filter',
      ).to.deep.equal(['rust-1']);
    });

    it('finds items by meaning with the real local embedder', async () => {
      const result = await h.api.search({
        q: 'spaghetti with tomato sauce and basil',
        mode: 'semantic',
        limit: 3,
      });
      expect(result.model).to.equal(h.vectors && (await h.api.getItem('pasta-1')).model);
      expect(result.hits[0]!.item.id).to.match(/^pasta-/);
      expect(result.hits.map((x) => x.ranks.semantic)).to.deep.equal([1, 2, 3]);
      const inCluster = await h.api.search({ q: 'rust compiler', mode: 'semantic', cluster: 'c-pasta' });
      expect(inCluster.hits.map((x) => x.item.id)).to.have.members(['pasta-1', 'pasta-2']);
      const bySource = await h.api.search({ q: 'rust compiler', mode: 'semantic', source: 'kicker' });
      expect(bySource.hits.map((x) => x.item.id)).to.have.members(['fussball-1', 'fussball-2']);
      const byWindow = await h.api.search({ q: 'rust', mode: 'semantic', since: '2026-03-01T12:30:00Z' });
      expect(byWindow.hits.map((x) => x.item.id)).to.have.members(['pasta-2', 'fussball-1']);
    });

    it('fuses both lists by reciprocal rank in hybrid mode', async () => {
      const result = await h.api.search({ q: 'rust borrow checker', limit: 5 });
      expect(result).to.include({ mode: 'hybrid', degraded: null });
      const both = result.hits.filter((x) => x.ranks.fulltext !== null && x.ranks.semantic !== null);
      expect(both.length).to.be.greaterThan(0);
      expect(result.hits[0]!.item.id).to.match(/^rust-/);
      const top = result.hits[0]!;
      const expected = [top.ranks.fulltext, top.ranks.semantic].reduce(
        (s: number, r) => s + (r ? 1 / (60 + r) : 0),
        0,
      );
      expect(top.score).to.be.closeTo(expected, 1e-12);
    });

    it('degrades hybrid search to full text, and refuses semantic search, while the embedder is down', async () => {
      h.embedderDown = true;
      try {
        const hybrid = await h.api.search({ q: 'rust' });
        expect(hybrid.degraded).to.match(/ECONNREFUSED/);
        expect(hybrid.hits.map((x) => x.item.id)).to.have.length(3);
        expect(hybrid.hits.every((x) => x.ranks.semantic === null)).to.equal(true);
        expect(await rejection(h.api.search({ q: 'rust', mode: 'semantic' }))).to.include({
          status: 503,
          code: 'embedder_unavailable',
        });
      } finally {
        h.embedderDown = false;
      }
    });

    it('validates the query text', async () => {
      expect(await rejection(h.api.search({ q: '' }))).to.include({ code: 'validation_failed' });
      expect(await rejection(h.api.search({ q: 'x'.repeat(501) }))).to.include({ code: 'validation_failed' });
      expect(await rejection(h.api.search({ q: 'x', mode: 'magic' as 'hybrid' }))).to.include({
        code: 'validation_failed',
      });
    });
  });

  describe('trends and stats', () => {
    it('ranks live topics by growth in the window against the window before', async () => {
      const hour = await h.api.trends({ window: '1h' });
      expect(hour).to.include({ from: '2026-03-01T12:00:00.000Z', to: '2026-03-01T13:00:00.000Z' });
      expect(hour.items[0]).to.deep.include({ windowCount: 1, previousCount: 0, growth: 2 });
      expect(hour.items[0]!.cluster.id).to.equal('c-pasta');
      expect(hour.items.map((t) => t.cluster.id)).to.have.members(['c-pasta', 'c-rust', 'c-fussball']);
      const german = await h.api.trends({ window: '6h', language: 'de' });
      expect(german.items.map((t) => [t.cluster.id, t.windowCount, t.previousCount])).to.deep.equal([
        ['c-fussball', 2, 0],
      ]);
      const bySource = await h.api.trends({ window: '6h', source: 'hn' });
      expect(bySource.items.map((t) => [t.cluster.id, t.windowCount])).to.deep.equal([['c-rust', 2]]);
      expect(await rejection(h.api.trends({ window: '2d' as '1h' }))).to.include({
        code: 'validation_failed',
      });
    });

    it('counts the read model', async () => {
      const stats = await h.api.stats();
      expect(stats).to.deep.include({
        items: 8,
        clusteredItems: 7,
        duplicates: 0,
        sources: 3,
        languages: 2,
        versionGaps: 0,
        clusters: { total: 4, byStatus: { emerging: 1, active: 1, fading: 1, retired: 1, merged: 0 } },
      });
      expect(stats.vectors).to.have.length(1);
      expect(stats.vectors[0]!.count).to.equal(8);
      expect(stats.lastEventAt).to.be.a('string');
    });
  });
});
