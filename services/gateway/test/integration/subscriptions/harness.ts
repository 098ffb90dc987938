import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { connect } from 'amqplib';
import express from 'express';
import { Registry } from 'prom-client';
import {
  MemoryBroker,
  createLogger,
  createMetrics,
  migrate,
  type Broker,
  type Database,
} from '@trendmill/platform';
import {
  EVENT_TYPES,
  createEvent,
  eventCatalog,
  serializeEvent,
  type EventDataMap,
  type EventType,
  type TrendmillEvent,
} from '@trendmill/shared-contracts';
import {
  SUBSCRIPTIONS_MIGRATIONS_DIR,
  createSecretBox,
  startEventLog,
  startWebhookDispatcher,
  subscriptionRoutes,
  type EventLog,
  type EventLogDeps,
  type WebhookDispatcher,
  type WebhookDispatcherDeps,
} from '../../../src/subscriptions/index.js';

export const quietLogger = () => createLogger('gateway-test', 'error');

export async function migrateGateway(db: Database): Promise<void> {
  await migrate(db.sql, { schema: db.schema, dirs: [SUBSCRIPTIONS_MIGRATIONS_DIR] });
}

/** A valid event of `type` built from the catalog's example, with a fresh id and subject. */
export function sampleEvent<T extends EventType>(type: T, overrides: Partial<EventDataMap[T]> = {}) {
  const subject = `s_${randomUUID().slice(0, 8)}`;
  return createEvent(type, { ...eventCatalog[type].example, ...overrides } as EventDataMap[T], {
    source: '/test/clusterer',
    subject,
  });
}

export function clusterCreated(label: string) {
  return sampleEvent(EVENT_TYPES.clusterCreated, { clusterId: `clu_${randomUUID().slice(0, 8)}`, label });
}

export function toMessage(event: TrendmillEvent) {
  return { id: event.id, type: event.type, key: event.subject, body: serializeEvent(event) };
}

/** One gateway replica's subscription side, mounted on a bare express app on loopback. */
export interface GatewayReplica {
  broker: Broker;
  eventLog: EventLog;
  dispatcher?: WebhookDispatcher;
  baseUrl: string;
  registry: Registry;
  stop(): Promise<void>;
}

export async function startReplica(
  db: Database,
  options: {
    broker?: Broker;
    bus?: string;
    dispatcher?: Partial<Omit<WebhookDispatcherDeps, 'db' | 'eventLog' | 'logger'>> | false;
    eventLog?: Partial<Omit<EventLogDeps, 'db' | 'broker' | 'logger'>>;
    heartbeatMs?: number;
    ssrfAllowlist?: string[];
    /** Seals webhook signing secrets at rest (GATEWAY_WEBHOOK_SECRET_KEY). */
    secretKey?: Buffer;
  } = {},
): Promise<GatewayReplica> {
  const logger = quietLogger();
  const registry = new Registry();
  const broker = options.broker ?? new MemoryBroker(options.bus ?? `gateway-test-${randomUUID()}`);
  const eventLog = await startEventLog({
    db,
    broker,
    logger,
    registry,
    metrics: createMetrics('gateway', registry),
    pollIntervalMs: 100,
    maxAttempts: 2,
    ...options.eventLog,
  });
  const allowlist = options.ssrfAllowlist ?? ['127.0.0.1/32'];
  const sealing = options.secretKey ? { secretBox: createSecretBox(options.secretKey) } : {};
  const dispatcher =
    options.dispatcher === false
      ? undefined
      : startWebhookDispatcher({
          db,
          eventLog,
          logger,
          registry,
          ssrfAllowlist: allowlist,
          ...sealing,
          pollIntervalMs: 50,
          backoff: { initialMs: 50, factor: 2, maxMs: 400 },
          ...options.dispatcher,
        });
  const app = express();
  app.use(
    '/api/v1',
    subscriptionRoutes({
      eventLog,
      db,
      logger,
      registry,
      ssrfAllowlist: allowlist,
      ...sealing,
      heartbeatMs: options.heartbeatMs ?? 15_000,
    }),
  );
  const server = await listen(createServer(app));
  return {
    broker,
    eventLog,
    ...(dispatcher ? { dispatcher } : {}),
    registry,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await dispatcher?.stop();
      await eventLog.stop();
      if (!options.broker) await broker.close();
    },
  };
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback answering with `status(n)` for the n-th request (1-based). */
export async function startReceiver(status: (n: number) => number = () => 204) {
  const received: ReceivedRequest[] = [];
  const server = await listen(
    createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.statusCode = status(received.length);
        res.end(res.statusCode >= 400 ? 'receiver says no' : '');
      });
    }),
  );
  return {
    received,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/trendmill`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/** A minimal EventSource over fetch: collects messages and comments until closed. */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  let buffer = '';
  const reading = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message: SseMessage = { data: '' };
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) message.id = line.slice(4);
            else if (line.startsWith('event: ')) message.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              message.data += (hasData ? '\n' : '') + line.slice(6);
              hasData = true;
            }
          }
          if (hasData) messages.push(message);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    response,
    messages,
    comments,
    async close() {
      controller.abort();
      await reading;
    },
  };
}

function listen(server: Server): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Deletes the queues and exchange this run created under its prefix. */
export async function deleteRabbitQueues(prefix: string): Promise<void> {
  const { stdout } = await promisify(execFile)('rabbitmqctl', [
    'list_queues',
    '-q',
    '--no-table-headers',
    'name',
  ]);
  const queues = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((q) => q.startsWith(`${prefix}.`));
  const conn = await connect(process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672');
  try {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q);
    await ch.deleteExchange(`${prefix}.events`);
    await ch.close();
  } finally {
    await conn.close();
  }
}
