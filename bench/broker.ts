import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { RabbitMqBroker, topologyNames } from '@trendmill/platform';
import { machine } from './machine.js';

/**
 * Raw amqplib publish→consume throughput beside the RabbitMQ adapter's, same run, same broker:
 * same message size, publisher confirms, quorum queue, prefetch, manual acks on both sides.
 */
const URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const PREFETCH = 32;
const WINDOW = 200; // messages published per confirmed batch

export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 20_000);
  const size = Number(args[1] ?? 512);
  const rounds = Number(args[2] ?? 2);
  const body = Buffer.alloc(size, 'x');
  const raw: number[] = [];
  const adapter: number[] = [];
  for (let r = 0; r < rounds; r++) {
    raw.push(await rawAmqplib(count, body));
    adapter.push(await viaAdapter(count, body));
  }
  const best = (xs: number[]) => Math.max(...xs);
  console.log(
    JSON.stringify({
      bench: 'broker',
      transport: 'rabbitmq',
      messages: count,
      message_bytes: size,
      prefetch: PREFETCH,
      publish_window: WINDOW,
      rounds,
      raw_amqplib_msgs_per_s: Math.round(best(raw)),
      adapter_msgs_per_s: Math.round(best(adapter)),
      ratio_adapter_over_raw: Number((best(adapter) / best(raw)).toFixed(3)),
      target_ratio: 0.7,
      all_rounds: { raw: raw.map(Math.round), adapter: adapter.map(Math.round) },
      machine: machine(),
    }),
  );
}

export async function rawAmqplib(count: number, body: Buffer): Promise<number> {
  const prefix = `bench-raw-${randomUUID().slice(0, 8)}`;
  const names = topologyNames(prefix);
  const conn = await connect(URL, { noDelay: true });
  const pub = await conn.createConfirmChannel();
  const sub = await conn.createChannel();
  const queue = names.queue('bench');
  await pub.assertExchange(names.exchange, 'topic', { durable: true });
  await pub.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await pub.bindQueue(queue, names.exchange, 'trendmill.bench.happened.v1');
  await sub.prefetch(PREFETCH);
  let consumed = 0;
  const done = new Promise<void>((resolve) => {
    void sub.consume(queue, (m) => {
      if (!m) return;
      sub.ack(m);
      if (++consumed === count) resolve();
    });
  });
  const start = performance.now();
  for (let i = 0; i < count; i += WINDOW) {
    const batch: Promise<void>[] = [];
    for (let j = i; j < Math.min(count, i + WINDOW); j++) {
      batch.push(
        new Promise((resolve, reject) =>
          pub.publish(
            names.exchange,
            'trendmill.bench.happened.v1',
            body,
            { persistent: true, messageId: String(j), type: 'trendmill.bench.happened.v1' },
            (err) => (err ? reject(err) : resolve()),
          ),
        ),
      );
    }
    await Promise.all(batch);
  }
  await done;
  const seconds = (performance.now() - start) / 1000;
  await pub.deleteQueue(queue);
  await pub.deleteExchange(names.exchange);
  await conn.close();
  return count / seconds;
}

async function viaAdapter(count: number, body: Buffer): Promise<number> {
  const prefix = `bench-adapter-${randomUUID().slice(0, 8)}`;
  const broker = await RabbitMqBroker.connect({ url: URL, prefix, connectionName: 'trendmill-bench' });
  let consumed = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  await broker.subscribe(
    { group: 'bench', types: ['trendmill.bench.happened.v1'], prefetch: PREFETCH },
    async () => {
      if (++consumed === count) resolveDone();
    },
  );
  const start = performance.now();
  for (let i = 0; i < count; i += WINDOW) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + WINDOW); j++) {
      batch.push({ id: String(j), type: 'trendmill.bench.happened.v1', key: `k${j % 64}`, body });
    }
    await broker.publish(batch);
  }
  await done;
  const seconds = (performance.now() - start) / 1000;
  await broker.close();
  const names = topologyNames(prefix);
  const conn = await connect(URL);
  const ch = await conn.createChannel();
  for (const q of [names.queue('bench'), names.deadLetterQueue('bench')]) await ch.deleteQueue(q);
  await ch.deleteExchange(names.exchange);
  await conn.close();
  return count / seconds;
}
