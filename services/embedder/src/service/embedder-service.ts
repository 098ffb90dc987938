import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  DeferDelivery,
  PermanentFailure,
  consumerMiddleware,
  createMetrics,
  createOutboxRelay,
  createPrismaClient,
  currentContext,
  defineSubscriptions,
  enqueueEvents,
  eventOf,
  injectTraceparent,
  migrate,
  subscribeAll,
  type Broker,
  type BrokerMetrics,
  type Database,
  type Logger,
  type OutboxRelay,
  type ReceivedMessage,
  type Subscription,
} from '@trendmill/platform';
import {
  EVENT_TYPES,
  createEvent,
  encodeVector,
  parseEvent,
  serializeEvent,
  type ItemEmbedded,
  type ItemNormalized,
  type TrendmillEvent,
} from '@trendmill/shared-contracts';
import type { EmbeddingCache } from '../cache/cache.js';
import {
  InvalidEmbeddingInputError,
  ProviderUnavailableError,
  type EmbeddingProvider,
} from '../providers/port.js';
import { PrismaClient } from '../store/prisma.js';
import { CachedEmbedder } from './cached-embedder.js';
import { DEFAULT_MAX_INPUT_CHARS, embeddingInput } from './embed-input.js';
import type { EmbedderMetrics } from './metrics.js';
import { MicroBatcher, type Settled } from './micro-batcher.js';
import { ReembedJobs, type ReembedJob } from './reembed.js';

export const EMBEDDER_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export interface EmbedderPorts {
  db: Database;
  broker: Broker;
  /** The model new items are embedded with. */
  provider: EmbeddingProvider;
  cache: EmbeddingCache;
  logger: Logger;
  metrics?: EmbedderMetrics;
  brokerMetrics?: BrokerMetrics;
  clock?: () => Date;
  /**
   * The provider for a model id other than the live one (for reembed); throws UnknownModelError
   * for a model this deployment cannot produce. The returned provider is closed after the job.
   */
  providerFor?: (model: string) => Promise<EmbeddingProvider>;
}

export interface EmbedderSettings {
  /** Items per provider batch (default 32). */
  batchSize?: number;
  /** How long the first item of a batch waits for company (default 25 ms). */
  batchWaitMs?: number;
  /** Deliveries in flight; at least batchSize so batches can fill (default 2 × batchSize). */
  prefetch?: number;
  maxAttempts?: number;
  /** Redelivery delay while the provider is down and gives no hint of its own (default 5 s). */
  unavailableDelayMs?: number;
  maxInputChars?: number;
  relayPollIntervalMs?: number;
  /** Items per reembed step (default 64). */
  reembedPageSize?: number;
}

/** A model id the deployment cannot embed with (reembed / POST /embed ask for it by name). */
export class UnknownModelError extends Error {
  override readonly name = 'UnknownModelError';
  constructor(
    readonly model: string,
    readonly known: readonly string[],
  ) {
    super(`unknown embedding model "${model}"; this deployment can embed with: ${known.join(', ')}`);
  }
}

interface Pending {
  item: ItemNormalized;
  correlationid: string | undefined;
  traceparent: string | undefined;
}

/** What a batch write needs for each item. */
export interface EmbeddedRecord {
  item: Pick<
    ItemNormalized,
    | 'itemId'
    | 'sourceId'
    | 'sourceType'
    | 'title'
    | 'text'
    | 'url'
    | 'language'
    | 'publishedAt'
    | 'contentHash'
  >;
  vector: Float32Array;
  inputHash: string;
  correlationid?: string | undefined;
  traceparent?: string | undefined;
}

/**
 * The embedder: item.normalized → item.embedded. Deliveries are gathered into batches, looked up
 * in the cache, embedded, and written with their outgoing events in one transaction (the outbox
 * relay publishes). While the provider is unavailable every delivery is deferred — items wait;
 * another model's vectors are never substituted.
 */
export class EmbedderService {
  private prisma: PrismaClient | undefined;
  private relay: OutboxRelay | undefined;
  private subscription: Subscription | undefined;
  private batcher: MicroBatcher<Pending, void> | undefined;
  readonly embedder: CachedEmbedder;
  readonly reembeds: ReembedJobs;
  private readonly settings: Required<EmbedderSettings>;

  constructor(
    private readonly ports: EmbedderPorts,
    settings: EmbedderSettings = {},
  ) {
    const batchSize = settings.batchSize ?? 32;
    this.settings = {
      batchSize,
      batchWaitMs: settings.batchWaitMs ?? 25,
      prefetch: Math.max(settings.prefetch ?? batchSize * 2, batchSize),
      maxAttempts: settings.maxAttempts ?? 5,
      unavailableDelayMs: settings.unavailableDelayMs ?? 5_000,
      maxInputChars: settings.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS,
      relayPollIntervalMs: settings.relayPollIntervalMs ?? 1_000,
      reembedPageSize: settings.reembedPageSize ?? 64,
    };
    this.embedder = new CachedEmbedder(ports.cache, ports.logger, ports.metrics);
    this.reembeds = new ReembedJobs(this, ports.logger, ports.metrics);
  }

  get model(): string {
    return this.ports.provider.model;
  }
  get dim(): number {
    return this.ports.provider.dim;
  }
  get provider(): EmbeddingProvider {
    return this.ports.provider;
  }
  get pageSize(): number {
    return this.settings.reembedPageSize;
  }
  get unavailableDelayMs(): number {
    return this.settings.unavailableDelayMs;
  }
  get maxInputChars(): number {
    return this.settings.maxInputChars;
  }

  get db(): PrismaClient {
    if (!this.prisma) throw new Error('embedder not started');
    return this.prisma;
  }

  async start(): Promise<void> {
    const { db, broker, logger } = this.ports;
    const report = await migrate(db.sql, { schema: db.schema, dirs: [EMBEDDER_MIGRATIONS_DIR] });
    if (report.applied.length)
      logger.info('embedder migrations applied', { applied: report.applied.map((m) => m.name) });
    this.prisma = createPrismaClient(PrismaClient, db);
    this.relay = createOutboxRelay({
      sql: db.sql,
      schema: db.schema,
      publish: (messages) => broker.publish(messages),
      pollIntervalMs: this.settings.relayPollIntervalMs,
      onError: (err) => logger.warn('outbox relay could not publish; will retry', { error: String(err) }),
    });
    this.relay.start();
    this.batcher = new MicroBatcher((batch) => this.embedBatch(batch), {
      maxSize: this.settings.batchSize,
      maxWaitMs: this.settings.batchWaitMs,
    });
    const subscriptions = defineSubscriptions('embedder', {
      [EVENT_TYPES.itemNormalized]: (message: ReceivedMessage) => this.handle(message),
    });
    this.subscription = await subscribeAll(broker, subscriptions, {
      middleware: consumerMiddleware({
        parse: parseEvent,
        metrics: this.ports.brokerMetrics ?? createMetrics('embedder'),
        maxAttempts: this.settings.maxAttempts,
      }),
      maxAttempts: this.settings.maxAttempts,
      prefetch: this.settings.prefetch,
    });
    logger.info('embedder started', {
      model: this.model,
      dim: this.dim,
      provider: this.provider.kind,
      cache: this.ports.cache.kind,
      transport: broker.transport,
    });
  }

  async stop(): Promise<void> {
    await this.reembeds.stopAll();
    await this.subscription?.close();
    await this.batcher?.close();
    await this.relay?.stop();
    await this.prisma?.$disconnect();
    this.ports.logger.info('embedder stopped');
  }

  /** Query-time embedding (POST /embed): the live model, through the cache. */
  async embedTexts(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const inputs = texts.map((t) => embeddingInput({ title: '', text: t }, this.settings.maxInputChars));
    const result = await this.embedder.embed(this.provider, inputs, signal ? { signal } : {});
    return result.vectors;
  }

  /** The provider for a model id: the live one, or one the deployment can build (reembed). */
  async providerFor(model: string): Promise<{ provider: EmbeddingProvider; owned: boolean }> {
    if (model === this.model) return { provider: this.provider, owned: false };
    if (!this.ports.providerFor) throw new UnknownModelError(model, [this.model]);
    return { provider: await this.ports.providerFor(model), owned: true };
  }

  startReembed(model: string): Promise<ReembedJob> {
    return this.reembeds.start(model);
  }

  private async handle(message: ReceivedMessage): Promise<void> {
    const event = eventOf<TrendmillEvent<typeof EVENT_TYPES.itemNormalized>>(message)!;
    const traceparent = injectTraceparent() ?? currentContext().traceparent;
    try {
      await this.batcher!.add({ item: event.data, correlationid: event.correlationid, traceparent });
      this.ports.metrics?.items.inc({ outcome: 'embedded' });
    } catch (err) {
      if (err instanceof ProviderUnavailableError) {
        this.ports.metrics?.items.inc({ outcome: 'deferred' });
        throw new DeferDelivery(
          `embedding provider ${this.model} unavailable: ${err.message}`,
          err.retryAfterMs ?? this.settings.unavailableDelayMs,
        );
      }
      if (err instanceof InvalidEmbeddingInputError) {
        this.ports.metrics?.items.inc({ outcome: 'rejected' });
        throw new PermanentFailure(
          `item ${event.data.itemId} rejected by ${this.model}: ${err.message}`,
          'embedding_rejected',
        );
      }
      throw err;
    }
  }

  /**
   * One batch of deliveries. A batch the provider rejects as a whole is retried item by item so
   * that one bad input does not take its neighbours down with it.
   */
  private async embedBatch(batch: Pending[]): Promise<Array<Settled<void>>> {
    this.ports.metrics?.batchSize.observe(batch.length);
    const inputs = batch.map((p) => embeddingInput(p.item, this.settings.maxInputChars));
    let vectors: Float32Array[];
    let hashes: string[];
    try {
      ({ vectors, hashes } = await this.embedder.embed(this.provider, inputs));
    } catch (err) {
      if (!(err instanceof InvalidEmbeddingInputError) || batch.length === 1) throw err;
      const outcomes: Array<Settled<void>> = [];
      for (const p of batch) {
        try {
          const [one] = await this.embedBatch([p]);
          outcomes.push(one!);
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
      return outcomes;
    }
    await this.record(
      this.provider,
      batch.map((p, i) => ({
        item: p.item,
        vector: vectors[i]!,
        inputHash: hashes[i]!,
        correlationid: p.correlationid,
        traceparent: p.traceparent,
      })),
    );
    return batch.map(() => ({ ok: true, value: undefined }));
  }

  /**
   * Stores the items and what embedded them, and writes one item.embedded per item to the outbox,
   * all in one transaction. Event ids derive from (item, model, input) so a redelivered item or a
   * re-run reembed writes the same id, which the outbox ignores.
   */
  async record(provider: EmbeddingProvider, records: readonly EmbeddedRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const schema = this.ports.db.schema;
    const now = (this.ports.clock ?? (() => new Date()))();
    const messages = records.map((r) => {
      const data: ItemEmbedded = {
        itemId: r.item.itemId,
        model: provider.model,
        dim: provider.dim,
        vector: encodeVector(r.vector),
        contentHash: r.item.contentHash,
        sourceId: r.item.sourceId,
        sourceType: r.item.sourceType,
        title: r.item.title,
        text: r.item.text,
        ...(r.item.url ? { url: r.item.url } : {}),
        language: r.item.language,
        publishedAt: r.item.publishedAt,
      };
      const event = createEvent(EVENT_TYPES.itemEmbedded, data, {
        id: eventIdOf(r.item.itemId, provider.model, r.inputHash),
        source: '/trendmill/embedder',
        subject: r.item.itemId,
        time: now.toISOString(),
        ...(r.traceparent ? { traceparent: r.traceparent } : {}),
        ...(r.correlationid ? { correlationid: r.correlationid } : {}),
      });
      return { id: event.id, type: event.type, key: event.subject, headers: {}, body: serializeEvent(event) };
    });
    const written = await this.db.$transaction(
      async (tx) => {
        await tx.item.createMany({
          data: records.map((r) => ({
            itemId: r.item.itemId,
            sourceId: r.item.sourceId,
            sourceType: r.item.sourceType,
            title: r.item.title,
            text: r.item.text,
            url: r.item.url ?? null,
            language: r.item.language,
            publishedAt: new Date(r.item.publishedAt),
            contentHash: r.item.contentHash,
          })),
          skipDuplicates: true,
        });
        await tx.itemEmbedding.createMany({
          data: records.map((r) => ({
            itemId: r.item.itemId,
            model: provider.model,
            dim: provider.dim,
            inputHash: r.inputHash,
          })),
          skipDuplicates: true,
        });
        return enqueueEvents(tx, schema, messages);
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
    if (written) this.relay?.wake();
    return written;
  }
}

/** A UUID (version 8 layout, name-based) from the item, the model and the exact input. */
export function eventIdOf(itemId: string, model: string, inputHash: string): string {
  const h = createHash('sha256').update(`${itemId}\n${model}\n${inputHash}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type { EmbeddingCache };
