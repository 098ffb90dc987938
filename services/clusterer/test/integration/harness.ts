import { createHash, randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import {
  MemoryBroker,
  createLogger,
  createMetrics,
  type Broker,
  type Database,
  type ReceivedMessage,
} from '@trendmill/platform';
import {
  EVENT_TYPES,
  createEvent,
  encodeVector,
  parseEvent,
  serializeEvent,
  type ItemEmbedded,
} from '@trendmill/shared-contracts';
import { createClustererService, type ClustererService, type ClustererSettings } from '../../src/service.js';

export interface TestItem {
  itemId: string;
  title: string;
  text?: string;
  vector: Float32Array;
  model?: string;
  publishedAt?: string;
}

export const TEST_MODEL = 'test-model-v1';

/** item.embedded data as the embedder would emit it. */
export function embedded(item: TestItem): ItemEmbedded {
  const text = item.text ?? item.title;
  return {
    itemId: item.itemId,
    model: item.model ?? TEST_MODEL,
    dim: item.vector.length,
    vector: encodeVector(item.vector),
    contentHash: createHash('sha256').update(`${item.title}\n${text}`).digest('hex'),
    sourceId: 'src-test',
    sourceType: 'rss',
    title: item.title,
    text,
    language: 'en',
    publishedAt: item.publishedAt ?? '2026-12-01T12:00:00.000Z',
  };
}

/** An item.embedded message; the id is derived from the item so a replay carries the same id. */
export function embeddedMessage(item: TestItem, id = eventId(item.itemId)) {
  const event = createEvent(EVENT_TYPES.itemEmbedded, embedded(item), {
    source: '/test/embedder',
    subject: item.itemId,
    id,
  });
  return { id: event.id, type: event.type, key: event.subject, body: serializeEvent(event) };
}

export function eventId(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface Emitted {
  id: string;
  type: string;
  subject: string;
  data: Record<string, unknown>;
}

/** Clusterer instances over one database and one message bus, with a recorder of what they emit. */
export class ClustererHarness {
  readonly emitted: Emitted[] = [];
  readonly services: ClustererService[] = [];
  readonly brokers: Broker[] = [];
  now = new Date('2026-12-01T12:00:00.000Z');

  constructor(
    readonly db: Database,
    readonly openBroker: () => Promise<Broker> | Broker = memoryBus(),
  ) {}

  async recordOutputs(): Promise<Broker> {
    const broker = await this.broker();
    await broker.subscribe(
      { group: `recorder-${randomUUID()}`, types: ['trendmill.cluster.#', EVENT_TYPES.itemClustered] },
      async (m: ReceivedMessage) => {
        const parsed = parseEvent(m.body);
        if (!parsed.ok) throw new Error(parsed.reason);
        // At-least-once: a redelivery is the same event, recorded once.
        if (this.emitted.some((e) => e.id === parsed.event.id)) return;
        this.emitted.push({
          id: parsed.event.id,
          type: parsed.event.type,
          subject: parsed.event.subject,
          data: parsed.event.data as Record<string, unknown>,
        });
      },
    );
    return broker;
  }

  async broker(): Promise<Broker> {
    const broker = await this.openBroker();
    this.brokers.push(broker);
    return broker;
  }

  async startService(settings: ClustererSettings = {}, ports: { db?: Database; broker?: Broker } = {}) {
    const service = createClustererService(
      {
        db: ports.db ?? this.db,
        broker: ports.broker ?? (await this.broker()),
        logger: createLogger('clusterer-test', (process.env.TEST_LOG_LEVEL ?? 'error') as 'error'),
        metrics: createMetrics('clusterer', new Registry()),
        clock: () => this.now,
      },
      {
        relayPollIntervalMs: 50,
        maxAttempts: 2,
        leaderCheckIntervalMs: 100,
        discoveryIntervalMs: 3_600_000,
        maintenanceIntervalMs: 3_600_000,
        ...settings,
      },
    );
    await service.start();
    this.services.push(service);
    return service;
  }

  async close(): Promise<void> {
    for (const s of this.services.splice(0)) await s.stop();
    for (const b of this.brokers.splice(0)) await b.close();
  }

  of(type: string): Emitted[] {
    return this.emitted.filter((e) => e.type === type);
  }
}

/** Brokers on one fresh in-memory bus. */
export function memoryBus(): () => Broker {
  const bus = `clusterer-test-${randomUUID()}`;
  return () => new MemoryBroker(bus);
}

/** A unit vector near `direction` (a topic), nudged by `jitter` along a per-item direction. */
export function vectorNear(direction: Float32Array, seed: number, jitter = 0.1): Float32Array {
  const out = new Float32Array(direction.length);
  let state = seed * 2_654_435_761;
  for (let i = 0; i < out.length; i++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    out[i] = direction[i]! + jitter * ((state / 2 ** 32) * 2 - 1);
  }
  const norm = Math.hypot(...out);
  return out.map((v) => v / norm);
}

/** A unit vector along axis `axis` of a `dim`-dimensional space (orthogonal topics). */
export function axis(dim: number, index: number): Float32Array {
  const out = new Float32Array(dim);
  out[index] = 1;
  return out;
}
