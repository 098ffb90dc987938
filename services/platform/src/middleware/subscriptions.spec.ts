import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { PermanentFailure } from '../broker/errors.js';
import { MemoryBroker } from '../broker/memory/memory-broker.js';
import type { MessageHandler, ReceivedMessage } from '../broker/port.js';
import { waitFor } from '../testing/wait-for.js';
import { defineSubscriptions, subscribeAll } from './subscriptions.js';

const delivery = (type: string): ReceivedMessage => ({
  id: randomUUID(),
  type,
  key: undefined,
  headers: {},
  body: Buffer.from('{}'),
  attempt: 1,
  group: 'query',
});

describe('defineSubscriptions', () => {
  const calls: string[] = [];
  const record =
    (name: string): MessageHandler =>
    async (m) =>
      void calls.push(`${name}:${m.type}`);
  beforeEach(() => calls.splice(0));

  const subscriptions = () =>
    defineSubscriptions('query', {
      'trendmill.item.clustered.v1': record('onItemClustered'),
      'trendmill.cluster.#': record('onClusterEvent'),
      'trendmill.cluster.retired.v1': record('onClusterRetired'),
    });

  it('lists the types to bind and dispatches each message to its handler', async () => {
    const subs = subscriptions();
    expect(subs.group).to.equal('query');
    expect(subs.types).to.deep.equal([
      'trendmill.item.clustered.v1',
      'trendmill.cluster.#',
      'trendmill.cluster.retired.v1',
    ]);
    await subs.handler(delivery('trendmill.item.clustered.v1'));
    await subs.handler(delivery('trendmill.cluster.created.v1'));
    await subs.handler(delivery('trendmill.cluster.retired.v1'));
    expect(calls).to.deep.equal([
      'onItemClustered:trendmill.item.clustered.v1',
      'onClusterEvent:trendmill.cluster.created.v1',
      'onClusterRetired:trendmill.cluster.retired.v1',
    ]);
  });

  it('rejects a type it has no handler for as a permanent failure', async () => {
    const err = await subscriptions()
      .handler(delivery('trendmill.item.clustered.v2'))
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PermanentFailure);
    expect(err).to.include({ message: 'no handler for trendmill.item.clustered.v2', code: 'no_handler' });
    expect(calls).to.deep.equal([]);
  });

  it('refuses an empty declaration', () => {
    expect(() => defineSubscriptions('query', {})).to.throw(/at least one event type/);
  });

  it('subscribes every declared type through the middleware', async () => {
    const broker = new MemoryBroker(`subs-${randomUUID()}`);
    const wrapped: string[] = [];
    await subscribeAll(broker, subscriptions(), {
      prefetch: 4,
      middleware: (next) => async (m) => {
        wrapped.push(m.type);
        await next(m);
      },
    });
    for (const type of [
      'trendmill.item.clustered.v1',
      'trendmill.cluster.merged.v1',
      'trendmill.item.embedded.v1',
    ])
      await broker.publish({ id: randomUUID(), type, body: Buffer.from('{}') });
    await waitFor(() => calls.length === 2);
    expect(wrapped).to.deep.equal(['trendmill.item.clustered.v1', 'trendmill.cluster.merged.v1']);
    expect(calls).to.deep.equal([
      'onItemClustered:trendmill.item.clustered.v1',
      'onClusterEvent:trendmill.cluster.merged.v1',
    ]);
    await broker.close();
  });
});
