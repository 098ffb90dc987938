import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  type ItemEmbedded,
  type ItemNormalized,
} from '@trendmill/shared-contracts';
import type { EmbeddingCache } from '../../../src/cache/cache.js';
import { MemoryEmbeddingCache } from '../../../src/cache/memory-cache.js';
import { createEmbedderApp } from '../../../src/http/app.js';
import type { EmbeddingProvider } from '../../../src/providers/port.js';
import {
  EmbedderService,
  UnknownModelError,
  type EmbedderSettings,
} from '../../../src/service/embedder-service.js';
import { createEmbedderMetrics, type EmbedderMetrics } from '../../../src/service/metrics.js';
import { FakeProvider } from './fake-provider.js';

let counter = 0;

/** An item.normalized as the normalizer emits it. */
export function normalized(overrides: Partial<ItemNormalized> = {}): ItemNormalized {
  counter++;
  return {
    itemId: `item-${String(counter).padStart(5, '0')}-${randomUUID().slice(0, 8)}`,
    sourceId: 'source-1',
    sourceType: 'rss',
    url: `https://news.example.com/${counter}`,
    title: `Headline number ${counter}`,
    text: `Body text of item ${counter} about something newsworthy.`,
    language: 'en',
    publishedAt: '2026-11-20T10:00:00.000Z',
    collectedAt: '2026-11-20T10:05:00.000Z',
    contentHash: randomUUID().replace(/-/g, '').padEnd(64, '0'),
    simhash: '0123456789abcdef',
    ...overrides,
  };
}

/** An embedder over a real database and an isolated in-memory bus, recording what it emits. */
export class EmbedderHarness {
  readonly bus = `embedder-test-${randomUUID()}`;
  readonly broker: Broker = new MemoryBroker(this.bus);
  readonly embedded: Array<{ id: string; data: ItemEmbedded }> = [];
  readonly services: EmbedderService[] = [];
  readonly registry = new Registry();
  readonly metrics: EmbedderMetrics = createEmbedderMetrics(this.registry);
  private servers: Server[] = [];
  /** Extra models reembed may ask for. */
  readonly otherModels = new Map<string, FakeProvider>();

  constructor(readonly db: Database) {}

  async recordOutputs(): Promise<void> {
    await this.broker.subscribe(
      { group: 'recorder', types: [EVENT_TYPES.itemEmbedded] },
      async (m: ReceivedMessage) => {
        const parsed = parseEvent(m.body);
        if (!parsed.ok) throw new Error(parsed.reason);
        this.embedded.push({ id: parsed.event.id, data: parsed.event.data as ItemEmbedded });
      },
    );
  }

  async start(
    provider: EmbeddingProvider = new FakeProvider(),
    settings: EmbedderSettings = {},
    cache: EmbeddingCache = new MemoryEmbeddingCache(),
  ): Promise<EmbedderService> {
    const service = new EmbedderService(
      {
        db: this.db,
        broker: new MemoryBroker(this.bus),
        provider,
        cache,
        logger: createLogger('embedder-test', 'error'),
        metrics: this.metrics,
        brokerMetrics: createMetrics('embedder', new Registry()),
        providerFor: async (model) => {
          const other = this.otherModels.get(model);
          if (!other) throw new UnknownModelError(model, [provider.model, ...this.otherModels.keys()]);
          return other;
        },
      },
      { relayPollIntervalMs: 50, batchWaitMs: 20, maxAttempts: 2, unavailableDelayMs: 100, ...settings },
    );
    await service.start();
    this.services.push(service);
    return service;
  }

  async publish(items: readonly ItemNormalized[]): Promise<string[]> {
    const messages = items.map((data) => {
      const event = createEvent(EVENT_TYPES.itemNormalized, data, {
        source: '/test/normalizer',
        subject: data.itemId,
      });
      return { id: event.id, type: event.type, key: event.subject, body: serializeEvent(event) };
    });
    await this.broker.publish(messages);
    return messages.map((m) => m.id);
  }

  /** The service's internal API on a loopback port; resolves to its base URL. */
  async serve(
    service: EmbedderService,
    options: { apiKeys?: string[]; maxBodyBytes?: number; maxTexts?: number } = {},
  ) {
    const app = createEmbedderApp(service, { logger: createLogger('embedder-test', 'error'), ...options });
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  of(itemId: string, model?: string) {
    return this.embedded.filter((e) => e.data.itemId === itemId && (!model || e.data.model === model));
  }

  async stop(): Promise<void> {
    for (const s of this.servers.splice(0)) await new Promise((r) => s.close(r));
    for (const s of this.services.splice(0)) await s.stop();
    await this.broker.close();
  }
}

export async function call(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { raw: text };
  }
  return { status: res.status, headers: res.headers, body: json };
}
