import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { DeferDelivery } from '../broker/errors.js';
import { MemoryBroker } from '../broker/memory/memory-broker.js';
import type { ReceivedMessage } from '../broker/port.js';
import { waitFor } from '../testing/wait-for.js';
import { observeDelivery } from './delivery-note.js';
import { MemoryIdempotencyStore, idempotent, type IdempotencyStore } from './idempotency.js';

const delivery = (id: string, group = 'normalizer'): ReceivedMessage => ({
  id,
  type: 'trendmill.item.collected.v1',
  key: undefined,
  headers: {},
  body: Buffer.from('{}'),
  attempt: 1,
  group,
});

describe('idempotent', () => {
  it('runs the effect once for an event delivered twice and notes the duplicate', async () => {
    const effects: string[] = [];
    const handler = idempotent(new MemoryIdempotencyStore())(async (m) => void effects.push(m.id));
    const first = await observeDelivery(() => handler(delivery('e-1')));
    const second = await observeDelivery(() => handler(delivery('e-1')));
    expect(effects).to.deep.equal(['e-1']);
    expect(first.duplicate).to.equal(false);
    expect(second.duplicate).to.equal(true);
  });

  it('keeps groups apart: the same event is new to another service', async () => {
    const effects: string[] = [];
    const handler = idempotent(new MemoryIdempotencyStore())(async (m) => void effects.push(m.group));
    await handler(delivery('e-1', 'normalizer'));
    await handler(delivery('e-1', 'query'));
    expect(effects).to.deep.equal(['normalizer', 'query']);
  });

  it('does not remember a failed delivery, so its retry runs the effect', async () => {
    let attempts = 0;
    const handler = idempotent(new MemoryIdempotencyStore())(async () => {
      if (++attempts === 1) throw new Error('database busy');
    });
    await handler(delivery('e-1')).catch(() => undefined);
    await handler(delivery('e-1'));
    expect(attempts).to.equal(2);
  });

  it('defers a copy that arrives while the same event is in flight', async () => {
    let release: () => void = () => undefined;
    const handler = idempotent(new MemoryIdempotencyStore(), { inFlightDelayMs: 50 })(
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    const first = handler(delivery('e-1'));
    const copy = await handler(delivery('e-1')).catch((e: unknown) => e);
    expect(copy).to.be.instanceOf(DeferDelivery);
    expect((copy as DeferDelivery).delayMs).to.equal(50);
    release();
    await first;
  });

  it('acks when remember fails after the effect, reporting the store error', async () => {
    const errors: unknown[] = [];
    const store: IdempotencyStore = {
      seen: async () => false,
      remember: async () => {
        throw new Error('redis down');
      },
    };
    let effects = 0;
    await idempotent(store, { onStoreError: (err) => errors.push(err) })(async () => void effects++)(
      delivery('e-1'),
    );
    expect(effects).to.equal(1);
    expect(errors.map((e) => (e as Error).message)).to.deep.equal(['redis down']);
  });

  it('fails the delivery when the store cannot say whether it is a duplicate', async () => {
    const store: IdempotencyStore = {
      seen: async () => {
        throw new Error('redis down');
      },
      remember: async () => undefined,
    };
    let effects = 0;
    const err = await idempotent(store)(async () => void effects++)(delivery('e-1')).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('redis down');
    expect(effects).to.equal(0);
  });

  it('drops a redelivered duplicate end to end through a broker', async () => {
    const broker = new MemoryBroker(`idem-${randomUUID()}`);
    const effects: string[] = [];
    const handler = idempotent(new MemoryIdempotencyStore())(async (m) => void effects.push(m.id));
    let settled = 0;
    await broker.subscribe({ group: 'normalizer', types: ['trendmill.item.#'] }, async (m) => {
      try {
        await handler(m);
      } finally {
        settled++;
      }
    });
    const publish = (id: string) =>
      broker.publish({ id, type: 'trendmill.item.collected.v1', body: Buffer.from('{}') });
    await publish('e-1');
    await publish('e-2');
    await waitFor(() => settled === 2);
    await publish('e-1');
    await waitFor(() => settled === 3);
    expect(effects).to.deep.equal(['e-1', 'e-2']);
    await broker.close();
  });
});

describe('MemoryIdempotencyStore', () => {
  it('forgets the least recently seen ids beyond its bound', async () => {
    const store = new MemoryIdempotencyStore(2);
    await store.remember('g', 'a');
    await store.remember('g', 'b');
    expect(await store.seen('g', 'a')).to.equal(true); // a is now more recent than b
    await store.remember('g', 'c');
    expect(store.size).to.equal(2);
    expect(await store.seen('g', 'b')).to.equal(false);
    expect(await store.seen('g', 'a')).to.equal(true);
    expect(await store.seen('g', 'c')).to.equal(true);
  });
});
