import { enqueueEvents, type OutgoingMessage } from '@trendmill/platform';
import {
  EVENT_TYPES,
  createEvent,
  serializeEvent,
  type ItemCollected,
  type ItemDuplicateDetected,
  type ItemNormalized,
  type TrendmillEvent,
} from '@trendmill/shared-contracts';
import { NearDuplicateIndex, type FingerprintScheme, type NormalizedFields } from '../domain/index.js';
import { FingerprintStore } from '../store/fingerprint-store.js';
import type { PrismaClient } from '../store/prisma.js';

export type Outcome = 'normalized' | 'duplicate' | 'already-processed';

/** One item.collected delivery, normalized before it joins a batch. */
export interface CollectedEntry {
  collected: ItemCollected;
  item: NormalizedFields;
  correlationid: string | undefined;
  traceparent: string | undefined;
}

export interface NormalizeBatchDeps {
  prisma: PrismaClient;
  schema: string;
  clock: () => Date;
  nearDuplicateThreshold: number;
  scheme?: FingerprintScheme;
}

/** Serialises duplicate decisions across replicas: check-then-keep must not interleave. */
const DEDUP_LOCK_KEY = 7_274_100_301;

/**
 * Decides a batch of items under one hold of the dedup lock, in one transaction: each item, in
 * arrival order, is checked against everything kept before it (earlier items of the same batch
 * included, as the transaction sees its own writes), then its fingerprint, its outcome and its
 * outgoing event are written. An item already decided changes nothing. All or nothing: a failure
 * throws and nothing of the batch is committed.
 */
export async function normalizeBatch(
  deps: NormalizeBatchDeps,
  entries: readonly CollectedEntry[],
): Promise<Array<PromiseSettledResult<Outcome>>> {
  return deps.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1::bigint)', DEDUP_LOCK_KEY);
      const store = new FingerprintStore(tx, deps.schema);
      const index = new NearDuplicateIndex(store, {
        threshold: deps.nearDuplicateThreshold,
        ...(deps.scheme ? { scheme: deps.scheme } : {}),
      });
      const outgoing: OutgoingMessage[] = [];
      const results: Array<PromiseSettledResult<Outcome>> = [];
      for (const entry of entries) {
        const decided = await decide(deps, store, index, entry);
        if (decided.event) outgoing.push(toMessage(decided.event));
        results.push({ status: 'fulfilled', value: decided.outcome });
      }
      await enqueueEvents(tx, deps.schema, outgoing);
      return results;
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}

async function decide(
  deps: NormalizeBatchDeps,
  store: FingerprintStore,
  index: NearDuplicateIndex,
  { collected, item, correlationid, traceparent }: CollectedEntry,
): Promise<{ outcome: Outcome; event?: TrendmillEvent }> {
  if (await store.outcomeOf(collected.itemId)) return { outcome: 'already-processed' };
  const context = {
    source: '/trendmill/normalizer',
    subject: collected.itemId,
    ...(correlationid ? { correlationid } : {}),
    ...(traceparent ? { traceparent } : {}),
  };
  const fingerprint = index.fingerprint(item.title, item.text);
  const exact = await store.exactDuplicate(item.canonicalUrl, item.contentHash);
  const near = exact ? undefined : await index.find(fingerprint, collected.itemId);
  const duplicate = exact
    ? { originalItemId: exact.itemId, method: exact.method, similarity: 1 }
    : near
      ? { originalItemId: near.duplicateOf, method: 'near-duplicate' as const, similarity: near.similarity }
      : undefined;

  if (duplicate) {
    const data: ItemDuplicateDetected = {
      itemId: collected.itemId,
      sourceId: collected.sourceId,
      detectedAt: deps.clock().toISOString(),
      ...duplicate,
      similarity: Math.min(1, Math.max(0, duplicate.similarity)),
    };
    await store.recordOutcome({ itemId: collected.itemId, outcome: 'duplicate', ...duplicate });
    return { outcome: 'duplicate', event: createEvent(EVENT_TYPES.itemDuplicateDetected, data, context) };
  }

  const data: ItemNormalized = {
    itemId: collected.itemId,
    sourceId: collected.sourceId,
    sourceType: collected.sourceType,
    title: item.title,
    text: item.text,
    language: item.language,
    publishedAt: item.publishedAt,
    collectedAt: item.collectedAt,
    contentHash: item.contentHash,
    simhash: item.simhash,
    ...(item.url && isHttp(item.url) ? { url: item.url } : {}),
    ...(item.canonicalUrl && isHttp(item.canonicalUrl) ? { canonicalUrl: item.canonicalUrl } : {}),
    ...(item.author ? { author: item.author } : {}),
  };
  await store.keep({
    itemId: collected.itemId,
    sourceId: collected.sourceId,
    canonicalUrl: item.canonicalUrl,
    contentHash: item.contentHash,
    signature: fingerprint.signature,
    bandKeys: fingerprint.bandKeys,
  });
  await store.recordOutcome({ itemId: collected.itemId, outcome: 'normalized' });
  return { outcome: 'normalized', event: createEvent(EVENT_TYPES.itemNormalized, data, context) };
}

const isHttp = (u: string) => /^https?:\/\//i.test(u);

function toMessage(event: TrendmillEvent): OutgoingMessage {
  return { id: event.id, type: event.type, key: event.subject, headers: {}, body: serializeEvent(event) };
}
