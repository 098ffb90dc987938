import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect } from 'amqplib';

const run = promisify(execFile);

export const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** Closes every client connection from the broker side, as a network fault or broker restart would. */
export async function closeAllRabbitConnections(): Promise<void> {
  await run('rabbitmqctl', ['close_all_connections', 'trendmill contract test: simulated connection loss']);
}

/** Deletes the queues and exchange a test run created under its unique prefix. */
export async function deleteRabbitTopology(prefix: string): Promise<void> {
  const { stdout } = await run('rabbitmqctl', ['list_queues', '-q', '--no-table-headers', 'name']);
  const queues = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((q) => q.startsWith(`${prefix}.`));
  const conn = await connect(RABBITMQ_URL);
  try {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q);
    await ch.deleteExchange(`${prefix}.events`);
    await ch.close();
  } finally {
    await conn.close();
  }
}
