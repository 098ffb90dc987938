import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import {
  EVENT_TYPES,
  createEvent,
  eventCatalog,
  parseEvent,
  serializeEvent,
} from '@trendmill/shared-contracts';
import { createBroker } from '../../../src/broker/create-broker.js';
import type { Broker } from '../../../src/broker/port.js';
import { consumerMiddleware } from '../../../src/middleware/consumer.js';
import { defineSubscriptions, subscribeAll } from '../../../src/middleware/subscriptions.js';
import { createMetrics } from '../../../src/runtime/metrics.js';
import { waitFor } from '../../../src/testing/wait-for.js';
import { RABBITMQ_URL, deleteRabbitTopology } from './rabbitmq-admin.js';

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../../../..');

/** The real CLI, as a user runs it (`npx trendmill dlq ...`), against the same RabbitMQ. */
async function trendmill(brokerUrl: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [join(repoRoot, 'services/cli/bin/trendmill.js'), ...args], {
    env: { ...process.env, BROKER_URL: brokerUrl },
  });
  return stdout;
}

describe('dead-letter flow over RabbitMQ: poison and failing messages, then `trendmill dlq`', function () {
  this.timeout(60_000);
  const prefix = `trendmill-test-${randomUUID().slice(0, 8)}`;
  const group = `dlqflow-${randomUUID().slice(0, 8)}`;
  const brokerUrl = `${RABBITMQ_URL}?prefix=${prefix}`;
  let broker: Broker;

  before(async () => {
    broker = await createBroker(brokerUrl, { service: 'dlq-flow-test' });
  });
  after(async () => {
    await broker.close();
    await deleteRabbitTopology(prefix);
  });

  it('dead-letters both with their reasons; replay re-delivers them', async () => {
    let healthy = false;
    const handled: string[] = [];
    const deliveries: string[] = [];
    const subscriptions = defineSubscriptions(group, {
      [EVENT_TYPES.itemCollected]: async (message) => {
        if (!healthy) throw new Error('enrichment backend exploded');
        handled.push(message.id);
      },
    });
    const middleware = consumerMiddleware({
      parse: parseEvent,
      metrics: createMetrics('dlq-flow-test', new Registry()),
      maxAttempts: 3,
    });
    await subscribeAll(broker, subscriptions, {
      middleware: (next) => {
        const inner = middleware(next);
        return async (m) => {
          deliveries.push(m.id);
          await inner(m);
        };
      },
      maxAttempts: 3,
      backoff: { initialMs: 20, factor: 2, maxMs: 100 },
    });

    const good = createEvent(EVENT_TYPES.itemCollected, eventCatalog[EVENT_TYPES.itemCollected].example, {
      source: '/test',
      subject: 'itm_good',
    });
    const poisonBody = Buffer.from(
      JSON.stringify({ ...good, id: `poison-${randomUUID()}`, data: { itemId: 'x' } }),
    );
    const poisonId = JSON.parse(poisonBody.toString()).id as string;
    await broker.publish([
      { id: poisonId, type: EVENT_TYPES.itemCollected, key: 'x', body: poisonBody },
      { id: good.id, type: good.type, key: good.subject, body: serializeEvent(good) },
    ]);

    await waitFor(async () => (await broker.deadLetters.depth(group)) === 2, { what: 'two dead letters' });
    expect(
      deliveries.filter((d) => d === poisonId),
      'poison is not retried',
    ).to.have.length(1);
    expect(
      deliveries.filter((d) => d === good.id),
      'failing handler retried to maxAttempts',
    ).to.have.length(3);

    const listed = JSON.parse(
      await trendmill(brokerUrl, 'dlq', 'list', '--group', group, '--json'),
    ) as Array<{
      id: string;
      reason: string;
      attempts: number;
    }>;
    const byId = new Map(listed.map((d) => [d.id, d]));
    expect(byId.get(poisonId)!.reason).to.contain('trendmill.item.collected.v1 data').and.to.contain('title');
    expect(byId.get(poisonId)!.attempts).to.equal(1);
    expect(byId.get(good.id)!.reason)
      .to.contain('enrichment backend exploded')
      .and.to.contain('after 3 attempts');
    expect(byId.get(good.id)!.attempts).to.equal(3);

    healthy = true;
    const replayed = await trendmill(brokerUrl, 'dlq', 'replay', '--group', group);
    expect(replayed).to.contain('Replayed 2 dead letter(s)');
    await waitFor(() => handled.includes(good.id), { what: 'replayed good event handled' });
    await waitFor(() => deliveries.filter((d) => d === poisonId).length === 2, {
      what: 'poison re-delivered',
    });
    // The poison is still invalid, so it is dead-lettered again; the fixed handler's one is gone.
    await waitFor(async () => (await broker.deadLetters.depth(group)) === 1, {
      what: 'only the poison left',
    });
    const [left] = await broker.deadLetters.list({ group });
    expect(left!.id).to.equal(poisonId);
    expect(handled).to.deep.equal([good.id]);
  });
});
