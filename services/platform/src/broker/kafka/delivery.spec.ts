import { expect } from 'chai';
import type { Message } from 'kafkajs';
import type { ReceivedMessage } from '../port.js';
import { DeferDelivery, PermanentFailure } from '../errors.js';
import { HEADER } from '../headers.js';
import { KAFKA_HEADER, decodeHeaders, outgoingRecord } from './record-codec.js';
import type { DeliveryContext } from './delivery.js';
import { COPY_FAILED_PAUSE_MS, deliver } from './delivery.js';
import { retryRecord } from './retry-schedule.js';
import { asConsumed } from './as-consumed.spec.js';

describe('kafka delivery of one record', () => {
  const now = 1_700_000_000_000;
  const family = 'trendmill.item';
  const type = 'trendmill.item.collected.v1';
  const record = asConsumed(
    outgoingRecord({ id: 'evt-1', type, key: 'item-1', headers: { n: '1' }, body: Buffer.from('{}') }),
  );

  function context(handler: (m: ReceivedMessage) => Promise<void>, overrides: Partial<DeliveryContext> = {}) {
    const sent: Array<{ topic: string; record: Message }> = [];
    const handled: ReceivedMessage[] = [];
    const ctx: DeliveryContext = {
      group: 'normalizer',
      types: ['trendmill.item.#'],
      retryTopic: 'trendmill.normalizer.retry',
      deadLetterTopic: 'trendmill.normalizer.dlq',
      maxAttempts: 3,
      backoff: { initialMs: 100, factor: 2, maxMs: 1_000 },
      handler: async (m) => {
        handled.push(m);
        await handler(m);
      },
      send: async (topic, r) => void sent.push({ topic, record: r }),
      now: () => now,
      ...overrides,
    };
    return { ctx, sent, handled };
  }
  const headersOf = (m: Message) => decodeHeaders(asConsumed(m).headers);

  it('acks a handled record', async () => {
    const { ctx, sent, handled } = context(async () => undefined);
    expect(await deliver(ctx, family, record)).to.deep.equal({ kind: 'done' });
    expect(handled.map((m) => m.id)).to.deep.equal(['evt-1']);
    expect(sent).to.deep.equal([]);
  });

  it('commits past a family record of a type the group does not want, without handling it', async () => {
    const { ctx, handled } = context(async () => undefined, { types: ['trendmill.cluster.#'] });
    expect(await deliver(ctx, family, record)).to.deep.equal({ kind: 'done' });
    expect(handled).to.deep.equal([]);
  });

  it('copies a failed record to the retry topic with the next attempt and its not-before time', async () => {
    const { ctx, sent } = context(async () => {
      throw new Error('transient');
    });
    expect(await deliver(ctx, family, record)).to.deep.equal({ kind: 'done' });
    expect(sent.map((s) => s.topic)).to.deep.equal(['trendmill.normalizer.retry']);
    const h = headersOf(sent[0]!.record);
    expect(h[HEADER.attempt]).to.equal('2');
    expect(h[KAFKA_HEADER.notBefore]).to.equal(String(now + 100));
    expect(h[HEADER.lastError]).to.equal('Error: transient');
    expect(sent[0]!.record.key).to.equal('item-1');
  });

  it('dead-letters after maxAttempts with the reason', async () => {
    const { ctx, sent } = context(async () => {
      throw new Error('handler exploded');
    });
    const third = asConsumed(
      retryRecord(
        { ...(await firstDelivery()), attempt: 2 },
        { kind: 'retry', delayMs: 0, nextAttempt: 3, reason: 'x' },
        now - 1,
      ),
    );
    expect(await deliver(ctx, ctx.retryTopic, third)).to.deep.equal({ kind: 'done' });
    expect(sent.map((s) => s.topic)).to.deep.equal(['trendmill.normalizer.dlq']);
    const h = headersOf(sent[0]!.record);
    expect(h[HEADER.reason]).to.equal('Error: handler exploded (after 3 attempts)');
    expect(h[HEADER.attempt]).to.equal('3');
  });

  it('dead-letters a PermanentFailure at once', async () => {
    const { ctx, sent } = context(async () => {
      throw new PermanentFailure('schema: data.title: required');
    });
    await deliver(ctx, family, record);
    expect(sent.map((s) => s.topic)).to.deep.equal(['trendmill.normalizer.dlq']);
    expect(headersOf(sent[0]!.record)[HEADER.reason]).to.contain('schema: data.title: required');
  });

  it('defers without spending an attempt', async () => {
    const { ctx, sent } = context(async () => {
      throw new DeferDelivery('provider down', 30);
    });
    await deliver(ctx, family, record);
    const h = headersOf(sent[0]!.record);
    expect(sent[0]!.topic).to.equal('trendmill.normalizer.retry');
    expect(h[HEADER.attempt]).to.equal('1');
    expect(h[KAFKA_HEADER.notBefore]).to.equal(String(now + 30));
  });

  it('leaves a retry record that is not due yet alone, for as long as it still has to wait', async () => {
    const { ctx, handled } = context(async () => undefined);
    const early = asConsumed(
      retryRecord(
        await firstDelivery(),
        { kind: 'retry', delayMs: 400, nextAttempt: 2, reason: 'x' },
        now - 100,
      ),
    );
    expect(await deliver(ctx, ctx.retryTopic, early)).to.deep.equal({ kind: 'wait', ms: 300 });
    expect(handled).to.deep.equal([]);
  });

  it('runs a due retry record with its attempt, whatever its type (it is the group’s own)', async () => {
    const { ctx, handled } = context(async () => undefined, { types: ['trendmill.cluster.#'] });
    const due = asConsumed(
      retryRecord(
        await firstDelivery(),
        { kind: 'retry', delayMs: 100, nextAttempt: 2, reason: 'x' },
        now - 100,
      ),
    );
    expect(await deliver(ctx, ctx.retryTopic, due)).to.deep.equal({ kind: 'done' });
    expect(handled.map((m) => m.attempt)).to.deep.equal([2]);
  });

  it('keeps the record (no commit) when Kafka does not take the copy', async () => {
    const { ctx } = context(
      async () => {
        throw new Error('transient');
      },
      {
        send: async () => {
          throw new Error('KafkaJSConnectionError: Connection error');
        },
      },
    );
    expect(await deliver(ctx, family, record)).to.deep.equal({ kind: 'wait', ms: COPY_FAILED_PAUSE_MS });
  });

  async function firstDelivery(): Promise<ReceivedMessage> {
    const { ctx, handled } = context(async () => undefined);
    await deliver(ctx, family, record);
    return handled[0]!;
  }
});
