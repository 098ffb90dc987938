import { randomUUID } from 'node:crypto';
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
  parseEvent,
  serializeEvent,
  type ItemCollected,
} from '@trendmill/shared-contracts';
import type { ItemCollectedLike } from '../../src/domain/index.js';
import {
  createNormalizerService,
  type NormalizerService,
  type NormalizerSettings,
} from '../../src/service.js';

/** A collected item as the collector would emit it (ISO dates, nulls dropped). */
export function collected(item: ItemCollectedLike, overrides: Partial<ItemCollected> = {}): ItemCollected {
  const published = item.publishedAt ? new Date(item.publishedAt) : undefined;
  const data: ItemCollected = {
    itemId: item.itemId,
    sourceId: item.sourceId,
    sourceType: item.sourceType as ItemCollected['sourceType'],
    externalId: item.externalId,
    title: item.title,
    collectedAt: item.collectedAt,
    ...(item.url ? { url: item.url } : {}),
    ...(item.content ? { content: item.content } : {}),
    ...(item.summary ? { summary: item.summary } : {}),
    ...(item.author ? { author: item.author } : {}),
    ...(published && !Number.isNaN(published.getTime()) ? { publishedAt: published.toISOString() } : {}),
    ...overrides,
  };
  return data;
}

export function collectedMessage(data: ItemCollected, id = randomUUID()) {
  const event = createEvent(EVENT_TYPES.itemCollected, data, {
    source: '/test/collector',
    subject: data.itemId,
    id,
  });
  return { id: event.id, type: event.type, key: event.subject, body: serializeEvent(event) };
}

/** A normalizer over a real database and an isolated in-memory bus, with a recorder of what it emits. */
export class NormalizerHarness {
  readonly bus = `normalizer-test-${randomUUID()}`;
  readonly broker: Broker = new MemoryBroker(this.bus);
  readonly emitted: Array<{ type: string; data: Record<string, unknown> }> = [];
  readonly services: NormalizerService[] = [];

  constructor(readonly db: Database) {}

  async recordOutputs(): Promise<void> {
    await this.broker.subscribe(
      { group: 'recorder', types: [EVENT_TYPES.itemNormalized, EVENT_TYPES.itemDuplicateDetected] },
      async (m: ReceivedMessage) => {
        const parsed = parseEvent(m.body);
        if (!parsed.ok) throw new Error(parsed.reason);
        this.emitted.push({ type: parsed.event.type, data: parsed.event.data as Record<string, unknown> });
      },
    );
  }

  async startService(db: Database = this.db, settings: NormalizerSettings = {}): Promise<NormalizerService> {
    const service = createNormalizerService(
      {
        db,
        broker: new MemoryBroker(this.bus),
        logger: createLogger('normalizer-test', 'error'),
        metrics: createMetrics('normalizer', new Registry()),
        clock: () => new Date('2024-06-01T12:00:00.000Z'),
      },
      { relayPollIntervalMs: 50, maxAttempts: 2, ...settings },
    );
    await service.start();
    this.services.push(service);
    return service;
  }

  async stopServices(): Promise<void> {
    for (const s of this.services.splice(0)) await s.stop();
  }

  of(type: string, itemId: string) {
    return this.emitted.filter((e) => e.type === type && e.data.itemId === itemId);
  }
}
