import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import {
  MemoryBroker,
  createLogger,
  createMetrics,
  migrate,
  qualified,
  type Database,
} from '@trendmill/platform';
import { createPostgresTestDatabase } from '@trendmill/platform/testing';
import { EVENT_TYPES, createEvent, serializeEvent, type ItemCollected } from '@trendmill/shared-contracts';
import {
  InMemoryNearDuplicateStore,
  NORMALIZER_MIGRATIONS_DIR,
  NearDuplicateIndex,
  bandKeySql,
  createNormalizerService,
  normalizeItem,
  type ItemCollectedLike,
  type NormalizerSettings,
} from '@trendmill/normalizer';
import { corpus } from './faults/corpus.js';
import { machine } from './machine.js';

/**
 * Normalizer service items/s on the local PostgreSQL against a table that already holds
 * `--existing` decided items, beside the same items against an empty table in the same run: the
 * ratio shows how much the dedup lookups slow down as the tables grow (1 = not at all). Items are
 * the fault benchmark's corpus (short texts from the shared data sets, pushed as titles, as the
 * gateway sends them); the existing rows are written straight into the normalizer's tables from
 * the same fingerprints the service computes.
 *
 * Args: [--items 2000] [--existing 20000] [--replicas 1] (services competing for one queue, as
 *       in test/e2e/distributed.test.ts) [--analyzed] (ANALYZE the existing rows first, as
 *       autovacuum would have; without it the tables have no planner statistics, as in a topology
 *       on a server with autovacuum off or before autovacuum's first pass)
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      items: { type: 'string', default: '2000' },
      existing: { type: 'string', default: '20000' },
      replicas: { type: 'string', default: '1' },
      analyzed: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.items);
  const existing = Number(values.existing);
  const replicas = Number(values.replicas);
  const texts = corpus(existing + count, 'bench');
  const toItem = (title: string, i: number): ItemCollectedLike => ({
    itemId: randomUUID(),
    sourceId: `source-${i % 17}`,
    sourceType: 'push',
    externalId: `ext-${i}`,
    title,
    collectedAt: '2024-06-01T11:59:00.000Z',
    language: 'en',
  });
  const seed = texts.slice(0, existing).map((t, i) => toItem(t.title, i));
  const items = texts.slice(existing).map((t, i) => toItem(t.title, existing + i));

  const empty = await serviceThroughput(items, {}, { replicas });
  const loaded = await serviceThroughput(items, {}, { replicas, existing: seed, analyzed: values.analyzed });
  console.log(
    JSON.stringify({
      bench: 'normalize-service',
      items: count,
      existing,
      replicas,
      analyzed: values.analyzed,
      empty_table: empty,
      existing_table: loaded,
      items_per_s: loaded.items_per_s,
      ratio_vs_empty_table: Number((loaded.items_per_s / empty.items_per_s).toFixed(2)),
      includes:
        'normalizer service(s) on the memory broker: consume item.collected, one Postgres transaction and dedup-lock hold per batch (exact and near-duplicate lookups, fingerprint + bands, outcome, outbox), relay publish',
      load_average_1m: Number(os.loadavg()[0]!.toFixed(2)),
      machine: machine(),
    }),
  );
}

/**
 * Real normalizer services (handler, a Postgres transaction per batch of items, outbox, relay) on
 * the local PostgreSQL with the in-memory broker: items/s from the first publish to the last output
 * event. `settings` default to the service's own (prefetch, batch size); `existing` items are
 * decided and stored before the clock starts.
 */
export async function serviceThroughput(
  items: ItemCollectedLike[],
  settings: NormalizerSettings = {},
  options: { existing?: ItemCollectedLike[]; analyzed?: boolean; replicas?: number } = {},
) {
  const db = await createPostgresTestDatabase({ prefix: 'benchnorm' });
  const bus = `bench-${randomUUID()}`;
  const broker = new MemoryBroker(bus);
  const services = Array.from({ length: options.replicas ?? 1 }, () =>
    createNormalizerService(
      {
        db,
        broker: new MemoryBroker(bus),
        logger: createLogger('bench', 'error'),
        metrics: createMetrics('normalizer', new Registry()),
      },
      { relayPollIntervalMs: 20, ...settings },
    ),
  );
  let outputs = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  try {
    if (options.existing?.length) await storeDecided(db, options.existing, options.analyzed ?? false);
    for (const service of services) await service.start();
    await broker.subscribe(
      { group: 'bench-sink', types: [EVENT_TYPES.itemNormalized, EVENT_TYPES.itemDuplicateDetected] },
      async () => {
        if (++outputs === items.length) done();
      },
    );
    const messages = items.map((item) => {
      const data = toEvent(item);
      const e = createEvent(EVENT_TYPES.itemCollected, data, { source: '/bench', subject: data.itemId });
      return { id: e.id, type: e.type, key: e.subject, body: serializeEvent(e) };
    });
    const start = performance.now();
    await broker.publish(messages);
    await finished;
    const seconds = (performance.now() - start) / 1000;
    return {
      items: items.length,
      seconds: Number(seconds.toFixed(3)),
      items_per_s: Math.round(items.length / seconds),
    };
  } finally {
    for (const service of services) await service.stop();
    await broker.close();
    await db.close();
  }
}

/**
 * Writes what the service would have decided for `items` straight into its tables: a fingerprint
 * and band keys for each item kept, an outcome for every item (near-duplicates found with the
 * in-memory index, exact repeats by content hash). `analyze`: then ANALYZE, as autovacuum would.
 */
export async function storeDecided(
  db: Database,
  items: ItemCollectedLike[],
  analyze: boolean,
): Promise<void> {
  await migrate(db.sql, { schema: db.schema, dirs: [NORMALIZER_MIGRATIONS_DIR] });
  const index = new NearDuplicateIndex(new InMemoryNearDuplicateStore());
  const hashes = new Set<string>();
  const kept: Array<{ item: ItemCollectedLike; hash: string; signature: string; bandKeys: string[] }> = [];
  const duplicates: string[] = [];
  for (const item of items) {
    const result = normalizeItem(item, new Date('2024-06-01T12:00:00.000Z'));
    if (!result.ok) continue;
    const fingerprint = index.fingerprint(result.item.title, result.item.text);
    if (hashes.has(result.item.contentHash) || (await index.find(fingerprint, item.itemId))) {
      duplicates.push(item.itemId);
      continue;
    }
    hashes.add(result.item.contentHash);
    await index.add(item.itemId, fingerprint);
    kept.push({ item, hash: result.item.contentHash, ...fingerprint });
  }
  const table = (name: string) => qualified(db.schema, name);
  for (let start = 0; start < kept.length; start += 1_000) {
    const chunk = kept.slice(start, start + 1_000);
    await db.sql.query(
      `INSERT INTO ${table('fingerprints')} (item_id, source_id, content_hash, signature)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      [
        chunk.map((k) => k.item.itemId),
        chunk.map((k) => k.item.sourceId),
        chunk.map((k) => k.hash),
        chunk.map((k) => k.signature),
      ],
    );
    const bands = chunk.flatMap((k) => [...new Set(k.bandKeys)].map((key) => [key, k.item.itemId] as const));
    await db.sql.query(
      `INSERT INTO ${table('fingerprint_bands')} (band_key, item_id)
       SELECT ${bandKeySql('b.key')}, b.item_id FROM unnest($1::text[], $2::text[]) AS b(key, item_id)`,
      [bands.map((b) => b[0]), bands.map((b) => b[1])],
    );
    await db.sql.query(
      `INSERT INTO ${table('item_outcomes')} (item_id, outcome) SELECT unnest($1::text[]), 'normalized'`,
      [chunk.map((k) => k.item.itemId)],
    );
  }
  await db.sql.query(
    `INSERT INTO ${table('item_outcomes')} (item_id, outcome, method) SELECT unnest($1::text[]), 'duplicate', 'near-duplicate'`,
    [duplicates],
  );
  if (analyze)
    for (const name of ['fingerprints', 'fingerprint_bands', 'item_outcomes'])
      await db.sql.exec(`ANALYZE ${table(name)}`);
}

function toEvent(item: ItemCollectedLike): ItemCollected {
  const published = item.publishedAt ? new Date(item.publishedAt) : undefined;
  return {
    itemId: item.itemId,
    sourceId: item.sourceId,
    sourceType: item.sourceType as ItemCollected['sourceType'],
    externalId: item.externalId,
    title: item.title,
    collectedAt: item.collectedAt,
    ...(item.url ? { url: item.url } : {}),
    ...(item.content ? { content: item.content } : {}),
    ...(item.author ? { author: item.author } : {}),
    ...(published && !Number.isNaN(published.getTime()) ? { publishedAt: published.toISOString() } : {}),
  };
}
