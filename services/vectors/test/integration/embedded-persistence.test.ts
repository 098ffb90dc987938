import { expect } from 'chai';
import { appendFile, cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  VectorStoreError,
  openEmbeddedVectorStore,
  type EmbeddedStoreOptions,
  type EmbeddedVectorStore,
  type VectorPoint,
} from '../../src/index.js';
import { ClusteredSphere } from '../../src/testing/synthetic.js';

/**
 * What the embedded store promises on disk: a close persists everything; without a close (a
 * crash), everything acknowledged is still there, replayed from the log; a torn log tail or an
 * interrupted compaction loses nothing acknowledged; model names cannot reach outside `dir`.
 * A crash is simulated by copying the directory of a store that is still open (so nothing it
 * would do at close has happened) and opening the copy.
 */
describe('embedded vector store on disk', function () {
  this.timeout(60_000);
  let root: string;
  const open: EmbeddedVectorStore[] = [];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'trendmill-vectors-disk-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close().catch(() => undefined)));
    await rm(root, { recursive: true, force: true });
  });

  async function openStore(
    dir: string,
    options: Partial<EmbeddedStoreOptions> = {},
  ): Promise<EmbeddedVectorStore> {
    const store = await openEmbeddedVectorStore({ dir, ...options });
    open.push(store);
    return store;
  }

  /** Copies a live store's directory, as a crash would leave it. */
  async function crashCopy(dir: string): Promise<string> {
    const copy = join(root, `crash-${open.length}-${Date.now()}`);
    await cp(dir, copy, { recursive: true });
    return copy;
  }

  const sphere = new ClusteredSphere({ dim: 16, clusters: 8, seed: 3 });
  const points = (prefix: string, n: number): VectorPoint[] =>
    Array.from({ length: n }, (_, i) => ({
      id: `${prefix}${i}`,
      vector: sphere.sample().vector,
      payload: { i, prefix },
    }));

  /** Everything a store holds for one model, comparable across instances. */
  async function contents(store: EmbeddedVectorStore, model: string, dim = 16) {
    const c = await store.collection(model, dim);
    const ids = (await c.search(new Float32Array(dim).fill(1), { k: 10_000, exact: true }))
      .map((h) => h.id)
      .sort();
    const retrieved = await c.retrieve(ids);
    return retrieved.map((p) => ({ id: p.id, payload: p.payload, vector: Array.from(p.vector) }));
  }

  it('reopening after close keeps points, payloads, replacements and deletions', async () => {
    const dir = join(root, 'store');
    const a = await openStore(dir);
    const c = await a.collection('model/one', 16);
    await c.upsert(points('p', 300));
    await c.upsert([{ id: 'p7', vector: sphere.sample().vector, payload: { replaced: true } }]);
    await c.delete(['p1', 'p2', 'p3']);
    await (await a.collection('model/two', 4)).upsert([{ id: 'x', vector: Float32Array.of(1, 2, 3, 4) }]);
    const before = await contents(a, 'model/one');
    const query = sphere.sample().vector;
    const hitsBefore = await c.search(query, { k: 10 });
    await a.close();

    const b = await openStore(dir);
    expect(await b.listCollections()).to.deep.equal([
      { model: 'model/one', dim: 16, count: 297 },
      { model: 'model/two', dim: 4, count: 1 },
    ]);
    expect(await contents(b, 'model/one')).to.deep.equal(before);
    const reopened = await b.collection('model/one', 16);
    expect(await reopened.search(query, { k: 10 })).to.deep.equal(hitsBefore);
    expect((await reopened.retrieve(['p7']))[0]!.payload).to.deep.equal({ replaced: true });
    const err = await b.collection('model/one', 8).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(VectorStoreError).with.property('code', 'dimension_mismatch');
  });

  it('a crash without close loses nothing acknowledged: the log is replayed over the last snapshot', async () => {
    const dir = join(root, 'store');
    const a = await openStore(dir);
    const c = await a.collection('m', 16);
    await c.upsert(points('before-flush-', 100));
    await a.flush();
    await c.upsert(points('after-flush-', 50));
    await c.delete(['before-flush-0', 'after-flush-0']);
    await c.upsert([{ id: 'before-flush-5', vector: sphere.sample().vector, payload: { changed: 1 } }]);
    const expected = await contents(a, 'm');

    const copy = await crashCopy(dir);
    const b = await openStore(copy);
    expect(await contents(b, 'm')).to.deep.equal(expected);
    expect(await (await b.collection('m', 16)).count()).to.equal(148);
    // The recovered store keeps working and persists its own writes.
    await (await b.collection('m', 16)).upsert([{ id: 'later', vector: sphere.sample().vector }]);
    await b.close();
    const c2 = await openStore(copy);
    expect(await (await c2.collection('m', 16)).count()).to.equal(149);
  });

  it('a torn record at the end of the log is cut off; every whole record before it is kept', async () => {
    const dir = join(root, 'store');
    const a = await openStore(dir);
    const c = await a.collection('m', 16);
    await c.upsert(points('p', 20));
    await c.upsert(points('q', 20));
    const expected = await contents(a, 'm');

    const copy = await crashCopy(dir);
    const folder = join(copy, 'm');
    const log = (await readdir(folder)).find((f) => f.endsWith('.wal'))!;
    // Half a record: a frame announcing 4 KB of body, then only a few bytes of it.
    const torn = Buffer.alloc(20);
    torn.writeUInt32LE(4096, 0);
    await appendFile(join(folder, log), torn);
    const b = await openStore(copy);
    expect(await contents(b, 'm')).to.deep.equal(expected);
    await (await b.collection('m', 16)).upsert([{ id: 'after-tear', vector: sphere.sample().vector }]);

    // What was written after the cut is readable too (it was not appended behind the torn bytes).
    const again = await crashCopy(copy);
    const c3 = await openStore(again);
    expect(await (await c3.collection('m', 16)).count()).to.equal(41);
  });

  it('a compaction that fails half way loses nothing, and the next one succeeds', async () => {
    const dir = join(root, 'store');
    const a = await openStore(dir);
    const c = await a.collection('m', 16);
    await c.upsert(points('first-', 60));
    // A directory where the snapshot must go makes its final rename fail, after the log has rotated.
    await mkdir(join(dir, 'm', 'snapshot.bin', 'blocker'), { recursive: true });
    const failed = await a.flush().catch((e: unknown) => e);
    expect(failed).to.be.instanceOf(VectorStoreError).with.property('code', 'backend_error');
    await c.upsert(points('second-', 40));
    await c.delete(['first-0']);
    const expected = await contents(a, 'm');

    const copy = await crashCopy(dir);
    await rm(join(copy, 'm', 'snapshot.bin'), { recursive: true });
    const b = await openStore(copy);
    expect(await contents(b, 'm')).to.deep.equal(expected);

    await rm(join(dir, 'm', 'snapshot.bin'), { recursive: true });
    await a.close();
    const files = await readdir(join(dir, 'm'));
    expect(files.filter((f) => f.endsWith('.wal'))).to.have.length(1);
    const reopened = await openStore(dir);
    expect(await contents(reopened, 'm')).to.deep.equal(expected);
  });

  it('a log past maxLogBytes is compacted in the background, dropping the logs it covers', async () => {
    const dir = join(root, 'store');
    const a = await openStore(dir, { maxLogBytes: 16 * 1024 });
    const c = await a.collection('m', 16);
    for (let i = 0; i < 10; i++) await c.upsert(points(`b${i}-`, 50));
    await a.flush();
    const files = await readdir(join(dir, 'm'));
    expect(files.filter((f) => f.endsWith('.wal'))).to.have.length(1);
    expect(files).to.include('snapshot.bin');
    const expected = await contents(a, 'm');
    const b = await openStore(await crashCopy(dir));
    expect(await contents(b, 'm')).to.deep.equal(expected);
  });

  it('a missing or damaged saved graph is rebuilt from the stored vectors', async () => {
    const dir = join(root, 'store');
    const a = await openStore(dir, { exactThreshold: 0 });
    const c = await a.collection('m', 16);
    await c.upsert(points('p', 200));
    const query = sphere.sample().vector;
    const exact = await c.search(query, { k: 5, exact: true });
    await a.close();

    const damaged = join(root, 'damaged');
    await cp(dir, damaged, { recursive: true });
    const graph = (await readdir(join(damaged, 'm'))).find((f) => f.endsWith('.usearch'))!;
    await writeFile(join(damaged, 'm', graph), 'not a usearch file');
    const missing = join(root, 'missing');
    await cp(dir, missing, { recursive: true });
    await rm(join(missing, 'm', graph));

    for (const copy of [damaged, missing]) {
      const store = await openStore(copy, { exactThreshold: 0 });
      const hits = await (await store.collection('m', 16)).search(query, { k: 5 });
      expect(hits.map((h) => h.id)).to.deep.equal(exact.map((h) => h.id));
    }
  });

  it('model names cannot reach outside the store directory', async () => {
    const dir = join(root, 'inner', 'store');
    const store = await openStore(dir);
    const names = [
      '..',
      '.',
      '../../escape',
      '/etc/passwd',
      'a\\..\\b',
      'C:\\x',
      '.hidden',
      'x'.repeat(200),
      '%2e%2e',
    ];
    for (const model of names) {
      const c = await store.collection(model, 2);
      await c.upsert([{ id: 'p', vector: Float32Array.of(1, 0) }]);
    }
    expect(await readdir(root)).to.deep.equal(['inner']);
    expect(await readdir(join(root, 'inner'))).to.deep.equal(['store']);
    const folders = (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders).to.have.length(names.length);
    for (const folder of folders) {
      expect(folder).to.match(/^[A-Za-z0-9_-]+$/);
      expect(folder.length).to.be.at.most(120);
    }
    expect((await store.listCollections()).map((l) => l.model).sort()).to.deep.equal([...names].sort());
  });

  it('a folder that is not this model’s is left alone and reported', async () => {
    const dir = join(root, 'store');
    const a = await openStore(dir);
    await (await a.collection('alpha', 2)).upsert([{ id: 'p', vector: Float32Array.of(1, 0) }]);
    await a.close();
    const meta = JSON.parse(await readFile(join(dir, 'alpha', 'meta.json'), 'utf8')) as { model: string };
    await writeFile(join(dir, 'alpha', 'meta.json'), JSON.stringify({ ...meta, model: 'beta' }));
    await mkdir(join(dir, 'gamma'));
    await writeFile(join(dir, 'gamma', 'keep.txt'), 'user data');

    const b = await openStore(dir);
    const collision = await b.collection('alpha', 2).catch((e: unknown) => e);
    expect(collision).to.be.instanceOf(VectorStoreError).with.property('code', 'model_name_collision');
    await b.dropCollection('alpha');
    expect(await readdir(join(dir, 'alpha'))).to.include('meta.json');
    const foreign = await b.collection('gamma', 2).catch((e: unknown) => e);
    expect(foreign).to.be.instanceOf(VectorStoreError).with.property('code', 'corrupt_data');
    expect(await readFile(join(dir, 'gamma', 'keep.txt'), 'utf8')).to.equal('user data');
  });

  it('one open store per directory: a live holder is refused, a dead one is taken over', async () => {
    const dir = join(root, 'store');
    const a = await openStore(dir);
    const twice = await openEmbeddedVectorStore({ dir }).catch((e: unknown) => e);
    expect(twice).to.be.instanceOf(VectorStoreError);
    await a.close();

    const other = join(root, 'other');
    await mkdir(other);
    // The parent of this process is alive, so its lock holds.
    await writeFile(join(other, 'LOCK'), JSON.stringify({ pid: process.ppid, host: hostname() }));
    const refused = await openEmbeddedVectorStore({ dir: other }).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(VectorStoreError).with.property('code', 'locked');
    await writeFile(join(other, 'LOCK'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    await openStore(other);
  });

  it('a closed store and its collections refuse calls with a clear error', async () => {
    const store = await openStore(join(root, 'store'));
    const c = await store.collection('m', 2);
    await store.close();
    for (const call of [
      () => c.search(Float32Array.of(1, 0), { k: 1 }),
      () => store.collection('m', 2),
      () => c.count(),
    ]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).to.be.instanceOf(VectorStoreError).with.property('code', 'closed');
    }
  });

  it('invalid options are rejected with a clear error', async () => {
    for (const options of [
      { dir: '' },
      { dir: root, exactThreshold: -1 },
      { dir: root, hnsw: { connectivity: 1 } },
    ]) {
      const err = await openEmbeddedVectorStore(options as EmbeddedStoreOptions).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(VectorStoreError).with.property('code', 'invalid_argument');
    }
  });
});
