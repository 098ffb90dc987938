import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { PermanentFailure } from '../broker/errors.js';
import { MemoryBroker } from '../broker/memory/memory-broker.js';
import { waitFor } from '../testing/wait-for.js';
import { createMicroBatcher } from './micro-batcher.js';

const ok = <R>(value: R): PromiseFulfilledResult<R> => ({ status: 'fulfilled', value });

/**
 * A stand-in for a transactional store: a batch's writes become visible only if every item of
 * the batch succeeds, as in one database transaction.
 */
function transactionalStore(isPoison: (item: string) => boolean = () => false) {
  const committed: string[] = [];
  const batches: string[][] = [];
  const runBatch = async (items: readonly string[]) => {
    batches.push([...items]);
    await Promise.resolve();
    const poison = items.find(isPoison);
    if (poison) throw new Error(`cannot store ${poison}`);
    committed.push(...items);
    return items.map((item) => ok(item.toUpperCase()));
  };
  return { committed, batches, runBatch };
}

describe('createMicroBatcher', () => {
  it('runs concurrent submits as one batch and gives each caller its own result', async () => {
    const store = transactionalStore();
    const batcher = createMicroBatcher({ maxBatch: 3, maxWaitMs: 60_000, runBatch: store.runBatch });
    const results = await Promise.all(['a', 'b', 'c'].map((item) => batcher.submit(item)));
    expect(results).to.deep.equal(['A', 'B', 'C']);
    expect(store.batches).to.deep.equal([['a', 'b', 'c']]);
  });

  it('runs a partial batch once maxWaitMs has passed', async () => {
    const store = transactionalStore();
    const batcher = createMicroBatcher({ maxBatch: 100, maxWaitMs: 5, runBatch: store.runBatch });
    const results = await Promise.all([batcher.submit('a'), batcher.submit('b')]);
    expect(results).to.deep.equal(['A', 'B']);
    expect(store.batches).to.deep.equal([['a', 'b']]);
  });

  it('settles no item before its batch has committed', async () => {
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    const batcher = createMicroBatcher({
      maxBatch: 2,
      maxWaitMs: 60_000,
      runBatch: async (items: readonly string[]) => {
        await committing;
        return items.map(ok);
      },
    });
    let settled = 0;
    const all = ['a', 'b'].map((item) => batcher.submit(item).finally(() => settled++));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).to.equal(0);
    commit();
    await Promise.all(all);
    expect(settled).to.equal(2);
  });

  it('gathers items that arrive while a batch runs into the next batch', async () => {
    let release!: () => void;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    const batches: string[][] = [];
    const batcher = createMicroBatcher({
      maxBatch: 10,
      maxWaitMs: 0,
      runBatch: async (items: readonly string[]) => {
        batches.push([...items]);
        if (batches.length === 1) await firstHeld;
        return items.map(ok);
      },
    });
    const first = batcher.submit('a');
    await waitFor(() => batches.length === 1, { what: 'the first batch to start' });
    const later = ['b', 'c', 'd'].map((item) => batcher.submit(item));
    release();
    await Promise.all([first, ...later]);
    expect(batches).to.deep.equal([['a'], ['b', 'c', 'd']]);
  });

  it('rejects only the item the batch refused on its own, the others resolve', async () => {
    const batcher = createMicroBatcher({
      maxBatch: 3,
      maxWaitMs: 60_000,
      runBatch: async (items: readonly string[]) =>
        items.map((item): PromiseSettledResult<string> =>
          item === 'bad' ? { status: 'rejected', reason: new PermanentFailure('bad item') } : ok(item),
        ),
    });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((item) => batcher.submit(item)));
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).to.be.instanceOf(PermanentFailure);
  });

  it('falls back to one item at a time when a batch fails, so a poison item fails alone', async () => {
    const store = transactionalStore((item) => item === 'poison');
    const failures: number[] = [];
    const batcher = createMicroBatcher({
      maxBatch: 4,
      maxWaitMs: 60_000,
      runBatch: store.runBatch,
      onBatchFailed: (_error, size) => failures.push(size),
    });
    const results = await Promise.allSettled(['a', 'poison', 'b', 'c'].map((item) => batcher.submit(item)));
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).to.contain('cannot store poison');
    expect(store.committed).to.deep.equal(['a', 'b', 'c']);
    expect(failures).to.deep.equal([4]);
    expect(store.batches.slice(1)).to.deep.equal([['a'], ['poison'], ['b'], ['c']]);
  });

  it('uses runOne for the fallback when given', async () => {
    const alone: string[] = [];
    const batcher = createMicroBatcher({
      maxBatch: 2,
      maxWaitMs: 60_000,
      runBatch: async () => {
        throw new Error('transaction failed');
      },
      runOne: async (item: string) => {
        alone.push(item);
        return item.length;
      },
    });
    expect(await Promise.all([batcher.submit('ab'), batcher.submit('abc')])).to.deep.equal([2, 3]);
    expect(alone).to.deep.equal(['ab', 'abc']);
  });

  it('refuses a maxBatch that is not a positive integer', () => {
    const runBatch = async () => [];
    expect(() => createMicroBatcher({ maxBatch: 0, maxWaitMs: 1, runBatch })).to.throw(RangeError);
    expect(() => createMicroBatcher({ maxBatch: 1.5, maxWaitMs: 1, runBatch })).to.throw(RangeError);
  });

  it('behind a broker subscription: the poison message is dead-lettered alone, the rest are acked', async () => {
    const broker = new MemoryBroker(`batch-${randomUUID()}`);
    const committed: string[] = [];
    const batcher = createMicroBatcher({
      maxBatch: 8,
      maxWaitMs: 5,
      runBatch: async (ids: readonly string[]) => {
        if (ids.includes('poison')) throw new PermanentFailure('poison cannot be stored', 'poison');
        committed.push(...ids);
        return ids.map(ok);
      },
    });
    let settled = 0;
    await broker.subscribe(
      { group: 'batched', types: ['trendmill.item.#'], prefetch: 8, maxAttempts: 2 },
      async (message) => {
        try {
          await batcher.submit(message.id);
        } finally {
          settled++;
        }
      },
    );
    const ids = ['m-1', 'm-2', 'poison', 'm-3', 'm-4'];
    await broker.publish(
      ids.map((id) => ({ id, type: 'trendmill.item.collected.v1', body: Buffer.from('{}') })),
    );
    await waitFor(() => settled === ids.length, { what: 'every delivery to settle' });
    await waitFor(async () => (await broker.deadLetters.depth('batched')) === 1, { what: 'one dead letter' });
    const [dead] = await broker.deadLetters.list({ group: 'batched' });
    expect(dead?.id).to.equal('poison');
    expect(dead?.reason).to.contain('poison cannot be stored');
    expect([...committed].sort()).to.deep.equal(['m-1', 'm-2', 'm-3', 'm-4']);
    await broker.close();
  });
});
