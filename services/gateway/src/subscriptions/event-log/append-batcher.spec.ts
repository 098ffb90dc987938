import { expect } from 'chai';
import type { TrendmillEvent } from '@trendmill/shared-contracts';
import { AppendBatcher } from './append-batcher.js';
import type { EventLogStore } from './event-log-store.js';

const event = (id: string) => ({ id }) as TrendmillEvent;

/** A store that logs each id once and records the batches it was given. */
function fakeStore(fail = false) {
  const known = new Set<string>();
  const batches: string[][] = [];
  let seq = 0;
  const store = {
    async appendMany(events: readonly TrendmillEvent[]) {
      batches.push(events.map((e) => e.id));
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('database down');
      const out = new Map<string, number>();
      for (const e of events) if (!known.has(e.id)) (known.add(e.id), out.set(e.id, ++seq));
      return out;
    },
  } as unknown as EventLogStore;
  return { store, batches };
}

describe('AppendBatcher (group commit for the event log)', () => {
  it('groups appends that arrive while a commit runs, and tells each caller its own seq', async () => {
    const { store, batches } = fakeStore();
    const batcher = new AppendBatcher(store);
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => batcher.append(event(id))));
    expect(results).to.deep.equal([1, 2, 3, 4]);
    expect(batches).to.deep.equal([['a'], ['b', 'c', 'd']]);
  });

  it('gives no seq to a repeat, inside a batch or of an earlier one', async () => {
    const { store } = fakeStore();
    const batcher = new AppendBatcher(store);
    expect(await batcher.append(event('a'))).to.equal(1);
    const results = await Promise.all(['x', 'a', 'b', 'b'].map((id) => batcher.append(event(id))));
    expect(results).to.deep.equal([2, undefined, 3, undefined]);
  });

  it('caps the batch size', async () => {
    const { store, batches } = fakeStore();
    const batcher = new AppendBatcher(store, 2);
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => batcher.append(event(id))));
    expect(batches.map((b) => b.length)).to.deep.equal([1, 2, 2]);
  });

  it('rejects every caller of a failed commit, so the broker redelivers their events', async () => {
    const { store } = fakeStore(true);
    const batcher = new AppendBatcher(store);
    const results = await Promise.allSettled(['a', 'b'].map((id) => batcher.append(event(id))));
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
  });
});
