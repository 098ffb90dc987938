import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RabbitMqBroker } from '@trendmill/platform';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { EVENT_TYPES, type ClusterCreated, type TrendmillEvent } from '@trendmill/shared-contracts';
import { consumeClusterCreated, describeTopic } from '../../../../../examples/cluster-created-consumer.js';
import { createWebhookReceiver } from '../../../../../examples/webhook-receiver.js';
import { signWebhook } from '../../../src/subscriptions/index.js';
import {
  clusterCreated,
  deleteRabbitQueues,
  migrateGateway,
  sampleEvent,
  startReplica,
  toMessage,
} from './harness.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const root = join(dirname(fileURLToPath(import.meta.url)), '../../../../..');

describe('examples: typed cluster.created consumer and signature-checking webhook receiver', function () {
  this.timeout(60_000);
  const prefix = `trendmill-gwexample-${randomUUID().slice(0, 8)}`;
  const brokerUrl = `${RABBITMQ_URL}?prefix=${prefix}`;
  let publisher: RabbitMqBroker;

  before(async () => {
    publisher = await RabbitMqBroker.connect({
      url: RABBITMQ_URL,
      prefix,
      connectionName: 'gateway-example-test',
    });
  });
  after(async () => {
    await publisher?.close();
    await deleteRabbitQueues(prefix).catch(() => undefined);
  });

  it('the consumer gets each cluster.created, typed, on its own RabbitMQ queue, and dead-letters invalid ones', async () => {
    const topics: ClusterCreated[] = [];
    const group = `example-${randomUUID().slice(0, 6)}`;
    const consumer = await consumeClusterCreated({ brokerUrl, group, onTopic: (t) => void topics.push(t) });
    try {
      const event = clusterCreated('home espresso machines');
      const invalid = { ...toMessage(clusterCreated('x')), id: randomUUID() };
      invalid.body = Buffer.from(
        JSON.stringify({ ...JSON.parse(invalid.body.toString()), data: { label: 1 } }),
      );
      await publisher.publish([
        toMessage(sampleEvent(EVENT_TYPES.clusterUpdated)),
        toMessage(event),
        invalid,
      ]);
      await waitFor(() => topics.length === 1, { what: 'one topic' });
      expect(topics[0]).to.deep.equal(event.data);
      expect(describeTopic(topics[0]!))
        .to.contain('"home espresso machines"')
        .and.to.contain('vector, database');
      await waitFor(async () => (await consumer.broker.deadLetters.depth(group)) === 1, {
        what: 'the invalid event dead-lettered',
      });
      const [letter] = await consumer.broker.deadLetters.list({ group });
      expect(letter!.reason).to.contain('trendmill.cluster.created.v1 data');
    } finally {
      await consumer.close();
    }
  });

  it('the consumer runs as a script and prints each new topic', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', join(root, 'examples/cluster-created-consumer.ts')],
      {
        env: {
          ...process.env,
          BROKER_URL: brokerUrl,
          CONSUMER_GROUP: `example-script-${randomUUID().slice(0, 6)}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    try {
      await waitFor(() => output.includes('listening'), {
        timeoutMs: 30_000,
        what: () => `the consumer to start (${output})`,
      });
      await publisher.publish(toMessage(clusterCreated('sourdough starters')));
      await waitFor(() => output.includes('"sourdough starters"'), {
        timeoutMs: 15_000,
        what: 'the printed topic',
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  describe('webhook receiver', () => {
    let db: TestDatabase;
    before(async () => {
      db = await createPostgresTestDatabase({ prefix: 'gwexample' });
      await migrateGateway(db);
    });
    after(async () => {
      await db?.cleanup();
    });

    it('accepts the gateway’s signed deliveries and rejects tampered or stale requests', async () => {
      const secret = 'whsec_example_receiver_secret';
      const handled: TrendmillEvent[] = [];
      const receiver = createWebhookReceiver({ secret, onEvent: (e) => void handled.push(e) });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      const gateway = await startReplica(db);
      try {
        const created = await fetch(`${gateway.baseUrl}/subscriptions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ url, types: ['cluster.created'], secret }),
        });
        const { id } = (await created.json()) as { id: string };
        const event = clusterCreated('mechanical keyboards');
        await gateway.broker.publish(toMessage(event));
        await waitFor(() => handled.length === 1, { what: 'the receiver to handle the delivery' });
        expect(handled[0]!.id).to.equal(event.id);
        await waitFor(async () => {
          const res = await fetch(`${gateway.baseUrl}/subscriptions/${id}/deliveries?status=delivered`);
          return ((await res.json()) as { deliveries: unknown[] }).deliveries.length === 1;
        });

        const body = JSON.stringify(clusterCreated('forged'));
        const now = Math.floor(Date.now() / 1000);
        const post = (signature: string, payload = body) =>
          fetch(url, { method: 'POST', headers: { 'trendmill-signature': signature }, body: payload });
        expect(
          (await post(signWebhook(secret, body, now), body.replace('forged', 'FORGED'))).status,
        ).to.equal(401);
        expect((await post(signWebhook(secret, body, now - 3_600))).status).to.equal(401);
        expect((await post(signWebhook('whsec_attacker_secret', body, now))).status).to.equal(401);
        expect((await post('nonsense')).status).to.equal(401);
        expect((await post(signWebhook(secret, body, now))).status).to.equal(204);
        expect((await post(signWebhook(secret, body, now))).status, 'a repeat is acknowledged').to.equal(200);
        expect(handled).to.have.length(2);
      } finally {
        await gateway.stop();
        receiver.closeAllConnections();
        await new Promise((resolve) => receiver.close(resolve));
      }
    });
  });
});
