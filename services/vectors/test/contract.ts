import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Payload, SearchHit, VectorCollection, VectorFilter, VectorStore } from '../src/port.js';
import { VectorStoreError } from '../src/errors.js';
import { ClusteredSphere, cosine, seededRandom } from '../src/testing/synthetic.js';

/**
 * The contract every VectorStore adapter must pass (as the broker contract does for brokers): run
 * against the embedded store in both search modes and against a real Qdrant when one is configured.
 * Expected results are computed here by brute force from the inputs, never taken from a store.
 */
export interface VectorStoreContractOptions {
  /** When set, the whole suite is reported as pending under a title that carries the reason. */
  skipReason?: string;
}

const TOLERANCE = 1e-4;

export function vectorStoreContract(
  name: string,
  open: () => Promise<VectorStore>,
  options: VectorStoreContractOptions = {},
): void {
  const title = `vector store contract on ${name}${options.skipReason ? ` (skipped: ${options.skipReason})` : ''}`;
  (options.skipReason ? describe.skip : describe)(title, function () {
    this.timeout(60_000);
    let store: VectorStore;
    let run = '';
    const created = new Set<string>();

    beforeEach(async () => {
      run = randomUUID().slice(0, 8);
      store = await open();
    });
    afterEach(async () => {
      for (const model of created) await store.dropCollection(model).catch(() => undefined);
      created.clear();
      await store.close();
    });

    /** A model name unique to this test run (a Qdrant server is shared between runs). */
    const model = (what: string) => `contract-${run}/${what}`;
    async function collection(what: string, dim: number): Promise<VectorCollection> {
      created.add(model(what));
      return store.collection(model(what), dim);
    }
    const v = (...xs: number[]) => Float32Array.from(xs);

    it('search returns the nearest points first, scored by cosine similarity', async () => {
      const c = await collection('order', 3);
      // Not unit length on purpose: the score is the cosine, whatever the norms.
      const points = [
        { id: 'east', vector: v(2, 0, 0) },
        { id: 'north-east', vector: v(1, 1, 0) },
        { id: 'north', vector: v(0, 3, 0) },
        { id: 'up', vector: v(0, 0, 0.5) },
        { id: 'west', vector: v(-1, 0.1, 0) },
      ];
      await c.upsert(points);
      const query = v(1, 0.2, 0.1);
      const hits = await c.search(query, { k: 5 });
      const expected = points
        .map((p) => ({ id: p.id, score: cosine(query, p.vector) }))
        .sort((a, b) => b.score - a.score);
      expect(hits.map((h) => h.id)).to.deep.equal(expected.map((e) => e.id));
      hits.forEach((hit, i) => expect(hit.score).to.be.closeTo(expected[i]!.score, TOLERANCE));
      expect(hits[0]!.score).to.be.greaterThan(0.9);
      expect(hits.at(-1)!.score).to.be.lessThan(0);
      const top2 = await c.search(query, { k: 2 });
      expect(top2.map((h) => h.id)).to.deep.equal(['east', 'north-east']);
    });

    it('an upsert with an existing id replaces its vector and payload', async () => {
      const c = await collection('replace', 3);
      await c.upsert([
        { id: 'a', vector: v(1, 0, 0), payload: { version: 1 } },
        { id: 'b', vector: v(0, 1, 0), payload: { version: 1 } },
      ]);
      await c.upsert([{ id: 'a', vector: v(0, 0, 1), payload: { version: 2, extra: 'yes' } }]);
      expect(await c.count()).to.equal(2);
      const [nearest] = await c.search(v(0, 0, 1), { k: 1 });
      expect(nearest).to.deep.include({ id: 'a', payload: { version: 2, extra: 'yes' } });
      expect(nearest!.score).to.be.closeTo(1, TOLERANCE);
      const old = await c.search(v(1, 0, 0), { k: 2 });
      expect(old.find((h) => h.id === 'a')!.score).to.be.closeTo(0, TOLERANCE);
      // Within one batch the later point wins, as if upserted one after the other.
      await c.upsert([
        { id: 'b', vector: v(1, 0, 0), payload: { version: 3 } },
        { id: 'b', vector: v(0, 1, 0), payload: { version: 4 } },
      ]);
      const [b] = await c.retrieve(['b']);
      expect(b!.payload).to.deep.equal({ version: 4 });
      expectVector(b!.vector, [0, 1, 0]);
    });

    it('delete removes points; unknown ids are ignored', async () => {
      const c = await collection('delete', 3);
      await c.upsert([
        { id: 'a', vector: v(1, 0, 0) },
        { id: 'b', vector: v(0.9, 0.1, 0) },
        { id: 'c', vector: v(0, 1, 0) },
      ]);
      await c.delete(['a', 'never-existed']);
      expect(await c.count()).to.equal(2);
      expect((await c.search(v(1, 0, 0), { k: 3 })).map((h) => h.id)).to.deep.equal(['b', 'c']);
      expect(await c.retrieve(['a'])).to.deep.equal([]);
      await c.delete([]);
      // A deleted id can come back.
      await c.upsert([{ id: 'a', vector: v(0, 0, 1), payload: { back: true } }]);
      expect(await c.count()).to.equal(3);
      expect((await c.search(v(0, 0, 1), { k: 1 }))[0]).to.deep.include({ id: 'a', payload: { back: true } });
    });

    describe('filters', () => {
      /** 30 points with varied payloads; each filter below is checked against this independent predicate. */
      const rows = Array.from({ length: 30 }, (_, i) => ({
        id: `p${i}`,
        vector: unitAt(i),
        payload: {
          lang: ['en', 'de', 'fr'][i % 3]!,
          n: i,
          ratio: i / 4,
          even: i % 2 === 0,
          ...(i % 5 === 0 ? { tag: null } : i % 5 === 1 ? { tag: 'hot' } : {}),
        } as Payload,
      }));
      const cases: Array<{ what: string; filter: VectorFilter; holds: (p: Payload) => boolean }> = [
        {
          what: 'match on a string',
          filter: { must: [{ key: 'lang', match: 'de' }] },
          holds: (p) => p.lang === 'de',
        },
        { what: 'match on an integer', filter: { must: [{ key: 'n', match: 7 }] }, holds: (p) => p.n === 7 },
        {
          what: 'match on a fractional number',
          filter: { must: [{ key: 'ratio', match: 2.25 }] },
          holds: (p) => p.ratio === 2.25,
        },
        {
          what: 'match on a boolean',
          filter: { must: [{ key: 'even', match: false }] },
          holds: (p) => p.even === false,
        },
        {
          what: 'match on null (present and null)',
          filter: { must: [{ key: 'tag', match: null }] },
          holds: (p) => p.tag === null,
        },
        {
          what: 'match on a missing key',
          filter: { must: [{ key: 'nope', match: 'x' }] },
          holds: () => false,
        },
        {
          what: 'any of strings',
          filter: { must: [{ key: 'lang', any: ['en', 'fr'] }] },
          holds: (p) => p.lang !== 'de',
        },
        {
          what: 'any of integers',
          filter: { must: [{ key: 'n', any: [1, 4, 29, 99] }] },
          holds: (p) => [1, 4, 29].includes(p.n as number),
        },
        {
          what: 'any of mixed values',
          filter: { must: [{ key: 'tag', any: ['hot', null] }] },
          holds: (p) => p.tag === 'hot' || p.tag === null,
        },
        { what: 'any of nothing', filter: { must: [{ key: 'lang', any: [] }] }, holds: () => false },
        {
          what: 'range gt/lte',
          filter: { must: [{ key: 'n', range: { gt: 10, lte: 14 } }] },
          holds: (p) => (p.n as number) > 10 && (p.n as number) <= 14,
        },
        {
          what: 'range gte/lt on fractions',
          filter: { must: [{ key: 'ratio', range: { gte: 1.5, lt: 3 } }] },
          holds: (p) => (p.ratio as number) >= 1.5 && (p.ratio as number) < 3,
        },
        {
          what: 'range never matches a string',
          filter: { must: [{ key: 'lang', range: { gte: 0 } }] },
          holds: () => false,
        },
        {
          what: 'several conditions all hold',
          filter: {
            must: [
              { key: 'lang', match: 'en' },
              { key: 'even', match: true },
              { key: 'n', range: { lt: 20 } },
            ],
          },
          holds: (p) => p.lang === 'en' && p.even === true && (p.n as number) < 20,
        },
        { what: 'an empty must', filter: { must: [] }, holds: () => true },
      ];

      let c: VectorCollection;
      beforeEach(async () => {
        c = await collection('filters', 8);
        await c.upsert(rows);
      });

      for (const { what, filter, holds } of cases) {
        it(`${what}: count and search agree with the predicate`, async () => {
          const expected = rows.filter((r) => holds(r.payload));
          expect(await c.count(filter)).to.equal(expected.length);
          const query = unitAt(3.3);
          const ranked = expected
            .map((r) => ({ id: r.id, score: cosine(query, r.vector) }))
            .sort((a, b) => b.score - a.score);
          for (const exact of [false, true]) {
            const hits = await c.search(query, { k: 50, filter, exact });
            expect(hits.map((h) => h.id)).to.deep.equal(ranked.map((r) => r.id));
            hits.forEach((h) => expect(holds(h.payload), h.id).to.equal(true));
            const top3 = await c.search(query, { k: 3, filter, exact });
            expect(top3.map((h) => h.id)).to.deep.equal(ranked.slice(0, 3).map((r) => r.id));
          }
        });
      }

      it('search hits carry the stored payload', async () => {
        const [hit] = await c.search(unitAt(5), { k: 1, filter: { must: [{ key: 'n', match: 5 }] } });
        expect(hit).to.deep.include({ id: 'p5', payload: rows[5]!.payload });
      });
    });

    it('retrieve returns points with their unit vectors and payloads, skipping unknown ids', async () => {
      const c = await collection('retrieve', 4);
      await c.upsert([
        { id: 'x', vector: v(3, 0, 4, 0), payload: { kind: 'x' } },
        { id: 'y', vector: v(0, 1, 0, 0) },
      ]);
      const points = await c.retrieve(['y', 'missing', 'x']);
      expect(points.map((p) => p.id)).to.deep.equal(['y', 'x']);
      expect(points[0]!.payload).to.deep.equal({});
      expect(points[1]!.payload).to.deep.equal({ kind: 'x' });
      expect(points[1]!.vector).to.be.instanceOf(Float32Array);
      // Stored normalised (Qdrant does so for Cosine): the same direction, unit length.
      expectVector(points[1]!.vector, [0.6, 0, 0.8, 0]);
      expect(await c.retrieve([])).to.deep.equal([]);
    });

    it('k larger than the collection returns every point once', async () => {
      const c = await collection('big-k', 3);
      await c.upsert([
        { id: 'a', vector: v(1, 0, 0) },
        { id: 'b', vector: v(0, 1, 0) },
        { id: 'c', vector: v(0, 0, 1) },
      ]);
      for (const exact of [false, true]) {
        const hits = await c.search(v(1, 1, 1), { k: 100, exact });
        expect(hits.map((h) => h.id).sort()).to.deep.equal(['a', 'b', 'c']);
      }
    });

    it('a search of an empty collection returns nothing', async () => {
      const c = await collection('empty', 3);
      expect(await c.search(v(1, 0, 0), { k: 5 })).to.deep.equal([]);
      expect(await c.search(v(1, 0, 0), { k: 5, exact: true })).to.deep.equal([]);
      expect(await c.count()).to.equal(0);
      expect(await c.count({ must: [{ key: 'a', match: 1 }] })).to.equal(0);
      await c.upsert([{ id: 'only', vector: v(1, 0, 0) }]);
      await c.delete(['only']);
      expect(await c.search(v(1, 0, 0), { k: 5 })).to.deep.equal([]);
    });

    it('a vector of the wrong length is a RangeError, and nothing is written', async () => {
      const c = await collection('wrong-length', 3);
      await expectRejection(c.upsert([{ id: 'a', vector: v(1, 0, 0, 0) }]), RangeError);
      await expectRejection(
        c.upsert([
          { id: 'ok', vector: v(1, 0, 0) },
          { id: 'b', vector: v(1, 0) },
        ]),
        RangeError,
      );
      expect(await c.count()).to.equal(0);
      await expectRejection(c.search(v(1, 0), { k: 1 }), RangeError);
      await expectRejection(c.upsert([{ id: 'z', vector: v(0, 0, 0) }]), RangeError);
    });

    it('another dimension for an existing model is refused: one model, one space', async () => {
      const c = await collection('dims', 3);
      await c.upsert([{ id: 'a', vector: v(1, 0, 0) }]);
      const err = await expectRejection(store.collection(model('dims'), 4), VectorStoreError);
      expect(err.code).to.equal('dimension_mismatch');
      expect((await store.collection(model('dims'), 3)).dim).to.equal(3);
    });

    it('bad arguments are VectorStoreErrors with a code, never a crash', async () => {
      const c = await collection('bad-input', 3);
      const bad: Array<[Promise<unknown>, string]> = [
        [c.search(v(1, 0, 0), { k: 0 }), 'invalid_argument'],
        [c.search(v(1, 0, 0), { k: 2.5 }), 'invalid_argument'],
        [c.search(v(1, 0, 0), { k: 3, filter: { must: [{ key: 'a.b', match: 1 }] } }), 'invalid_filter'],
        [c.search(v(1, 0, 0), { k: 3, filter: { must: [{ key: 'n', range: {} }] } }), 'invalid_filter'],
        [c.count({ must: [{ key: 'n', range: { gt: Number.NaN } }] }), 'invalid_filter'],
        [c.count({ must: [{ key: 'n' } as never] }), 'invalid_filter'],
        [c.upsert([{ id: '', vector: v(1, 0, 0) }]), 'invalid_argument'],
        [
          c.upsert([{ id: 'a', vector: v(1, 0, 0), payload: { nested: { no: 1 } } as never }]),
          'invalid_argument',
        ],
        [c.delete([42 as never]), 'invalid_argument'],
        [store.collection('', 3), 'invalid_argument'],
        [store.collection(model('zero-dim'), 0), 'invalid_argument'],
      ];
      for (const [promise, code] of bad)
        expect((await expectRejection(promise, VectorStoreError)).code).to.equal(code);
    });

    it('collections of different models are isolated', async () => {
      const a = await collection('model-a', 3);
      const b = await collection('model-b', 3);
      await a.upsert([{ id: 'shared-id', vector: v(1, 0, 0), payload: { from: 'a' } }]);
      await b.upsert([
        { id: 'shared-id', vector: v(0, 1, 0), payload: { from: 'b' } },
        { id: 'only-b', vector: v(0, 0, 1) },
      ]);
      expect(await a.count()).to.equal(1);
      expect(await b.count()).to.equal(2);
      expect((await a.search(v(0, 1, 0), { k: 5 })).map((h) => h.payload.from)).to.deep.equal(['a']);
      await b.delete(['shared-id']);
      expect(await a.retrieve(['shared-id'])).to.have.length(1);
    });

    it('model names are just names: path and odd characters are kept apart and listed as given', async () => {
      const names = ['../escape', 'a/b', 'a_2fb', 'sentence-transformers/all-MiniLM-L6-v2', 'Ünïcode model'];
      for (const [i, what] of names.entries()) {
        const c = await collection(what, 2);
        await c.upsert(Array.from({ length: i + 1 }, (_, j) => ({ id: `p${j}`, vector: v(1, j) })));
      }
      const listed = (await store.listCollections()).filter((l) => l.model.startsWith(`contract-${run}/`));
      expect(listed.map((l) => [l.model, l.count]).sort()).to.deep.equal(
        names.map((what, i) => [model(what), i + 1]).sort(),
      );
    });

    it('listCollections reports each model with its dimension and count', async () => {
      const a = await collection('list-a', 3);
      await collection('list-b', 5);
      await a.upsert([
        { id: '1', vector: v(1, 0, 0) },
        { id: '2', vector: v(0, 1, 0) },
      ]);
      const mine = (await store.listCollections()).filter((l) => l.model.startsWith(`contract-${run}/`));
      expect(mine).to.deep.equal([
        { model: model('list-a'), dim: 3, count: 2 },
        { model: model('list-b'), dim: 5, count: 0 },
      ]);
    });

    it('dropCollection removes a model and its points; the model can then start over', async () => {
      const c = await collection('drop', 3);
      await c.upsert([{ id: 'a', vector: v(1, 0, 0) }]);
      await store.dropCollection(model('drop'));
      const listed = await store.listCollections();
      expect(listed.map((l) => l.model)).not.to.include(model('drop'));
      const again = await store.collection(model('drop'), 4);
      expect(again.dim).to.equal(4);
      expect(await again.count()).to.equal(0);
      await store.dropCollection(model('never-created'));
    });

    describe('on a few hundred clustered points', () => {
      const dim = 24;
      const sphere = new ClusteredSphere({ dim, clusters: 12, seed: 11 });
      const data = Array.from({ length: 600 }, (_, i) => {
        const { vector, cluster } = sphere.sample();
        return { id: `d${i}`, vector, payload: { cluster, bucket: i % 4 } as Payload };
      });
      const queries = Array.from({ length: 20 }, () => sphere.sample().vector);
      const bruteForce = (q: Float32Array, k: number, keep: (p: Payload) => boolean = () => true) =>
        data
          .filter((d) => keep(d.payload))
          .map((d) => ({ id: d.id, score: cosine(q, d.vector) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, k);

      let c: VectorCollection;
      beforeEach(async () => {
        c = await collection('clustered', dim);
        for (let i = 0; i < data.length; i += 128) await c.upsert(data.slice(i, i + 128));
      });

      it('exact search equals brute force; approximate search recalls at least 90 %', async () => {
        let found = 0;
        for (const q of queries) {
          const truth = bruteForce(q, 10);
          const exact = await c.search(q, { k: 10, exact: true });
          expect(exact.map((h) => h.id)).to.deep.equal(truth.map((t) => t.id));
          exact.forEach((h, i) => expect(h.score).to.be.closeTo(truth[i]!.score, TOLERANCE));
          const approx = await c.search(q, { k: 10 });
          expect(approx).to.have.length(10);
          expectDescending(approx);
          found += approx.filter((h) => truth.some((t) => t.id === h.id)).length;
        }
        expect(found / (queries.length * 10)).to.be.at.least(0.9);
      });

      it('filtered search equals brute force over the matching points (exact) or recalls 90 % (approximate)', async () => {
        const filter: VectorFilter = { must: [{ key: 'bucket', any: [1, 2] }] };
        const keep = (p: Payload) => p.bucket === 1 || p.bucket === 2;
        let found = 0;
        for (const q of queries) {
          const truth = bruteForce(q, 10, keep);
          const exact = await c.search(q, { k: 10, filter, exact: true });
          expect(exact.map((h) => h.id)).to.deep.equal(truth.map((t) => t.id));
          const approx = await c.search(q, { k: 10, filter });
          expect(approx).to.have.length(10);
          approx.forEach((h) => expect(keep(h.payload)).to.equal(true));
          found += approx.filter((h) => truth.some((t) => t.id === h.id)).length;
        }
        expect(found / (queries.length * 10)).to.be.at.least(0.9);
        expect(await c.count(filter)).to.equal(data.filter((d) => keep(d.payload)).length);
      });

      it('deletes and re-upserts keep search consistent with the remaining points', async () => {
        const removed = data.filter((_, i) => i % 3 === 0).map((d) => d.id);
        await c.delete(removed);
        const moved = data[1]!;
        const target = queries[0]!;
        await c.upsert([{ id: moved.id, vector: target, payload: moved.payload }]);
        expect(await c.count()).to.equal(data.length - removed.length);
        const hits = await c.search(target, { k: 10 });
        expect(hits[0]!.id).to.equal(moved.id);
        expect(hits[0]!.score).to.be.closeTo(1, TOLERANCE);
        hits.forEach((h) => expect(removed).not.to.include(h.id));
      });
    });
  });
}

/** A unit vector in 8-d, distinct for each t, so similarities to a query are all different. */
function unitAt(t: number): Float32Array {
  const random = seededRandom(Math.round(t * 1000) + 1);
  const vector = Float32Array.from({ length: 8 }, (_, i) => Math.sin(t * (i + 1) * 0.7) + 0.3 * random());
  let norm = 0;
  for (const x of vector) norm += x * x;
  return vector.map((x) => x / Math.sqrt(norm));
}

function expectVector(actual: Float32Array, expected: number[]): void {
  expect(actual).to.have.length(expected.length);
  expected.forEach((x, i) => expect(actual[i]).to.be.closeTo(x, TOLERANCE));
}

function expectDescending(hits: SearchHit[]): void {
  for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).to.be.at.most(hits[i - 1]!.score + 1e-6);
}

async function expectRejection<E extends Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(type);
    return err as E;
  }
  expect.fail(`expected a ${type.name}`);
}
