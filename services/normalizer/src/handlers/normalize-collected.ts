import {
  PermanentFailure,
  enqueueEvents,
  eventOf,
  injectTraceparent,
  currentContext,
  type ReceivedMessage,
} from '@trendmill/platform';
import {
  EVENT_TYPES,
  createEvent,
  serializeEvent,
  type ItemDuplicateDetected,
  type ItemNormalized,
  type TrendmillEvent,
} from '@trendmill/shared-contracts';
import { NearDuplicateIndex, normalizeItem, type FingerprintScheme } from '../domain/index.js';
import { FingerprintStore } from '../store/fingerprint-store.js';
import type { PrismaClient } from '../store/prisma.js';

export interface NormalizeHandlerDeps {
  prisma: PrismaClient;
  schema: string;
  clock: () => Date;
  nearDuplicateThreshold: number;
  scheme?: FingerprintScheme;
  /** Called after a commit that wrote outgoing events, so the relay publishes at once. */
  onCommitted: () => void;
}

/** Serialises duplicate decisions across replicas: check-then-keep must not interleave. */
const DEDUP_LOCK_KEY = 7_274_100_301;

export type Outcome = 'normalized' | 'duplicate' | 'already-processed';

/**
 * item.collected → item.normalized, or item.duplicate-detected when the item repeats an earlier
 * one (same canonical URL, same content, or a near-duplicate). The decision, the fingerprint and
 * the outgoing event commit in one transaction; an item already decided is acked with no effect.
 */
export function normalizeCollected(deps: NormalizeHandlerDeps) {
  return async (message: ReceivedMessage): Promise<Outcome> => {
    const event = eventOf<TrendmillEvent<typeof EVENT_TYPES.itemCollected>>(message)!;
    const collected = event.data;
    const result = normalizeItem(collected, deps.clock());
    if (!result.ok) {
      throw new PermanentFailure(
        `item ${collected.itemId} cannot be normalized: ${result.reason} (${result.detail})`,
      );
    }
    const item = result.item;
    const context = {
      source: '/trendmill/normalizer',
      subject: collected.itemId,
      ...(event.correlationid ? { correlationid: event.correlationid } : {}),
    };
    const traceparent = injectTraceparent() ?? currentContext().traceparent;

    const outcome = await deps.prisma.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1::bigint)', DEDUP_LOCK_KEY);
        const store = new FingerprintStore(tx, deps.schema);
        if (await store.outcomeOf(collected.itemId)) return 'already-processed' as const;

        const index = new NearDuplicateIndex(store, {
          threshold: deps.nearDuplicateThreshold,
          ...(deps.scheme ? { scheme: deps.scheme } : {}),
        });
        const fingerprint = index.fingerprint(item.title, item.text);
        const exact = await store.exactDuplicate(item.canonicalUrl, item.contentHash);
        const near = exact ? undefined : await index.find(fingerprint, collected.itemId);
        const duplicate = exact
          ? { originalItemId: exact.itemId, method: exact.method, similarity: 1 }
          : near
            ? {
                originalItemId: near.duplicateOf,
                method: 'near-duplicate' as const,
                similarity: near.similarity,
              }
            : undefined;

        if (duplicate) {
          const data: ItemDuplicateDetected = {
            itemId: collected.itemId,
            sourceId: collected.sourceId,
            detectedAt: deps.clock().toISOString(),
            ...duplicate,
            similarity: Math.min(1, Math.max(0, duplicate.similarity)),
          };
          const out = createEvent(EVENT_TYPES.itemDuplicateDetected, data, {
            ...context,
            ...tp(traceparent),
          });
          await store.recordOutcome({ itemId: collected.itemId, outcome: 'duplicate', ...duplicate });
          await enqueueEvents(tx, deps.schema, toMessage(out));
          return 'duplicate' as const;
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
        const out = createEvent(EVENT_TYPES.itemNormalized, data, { ...context, ...tp(traceparent) });
        await store.keep({
          itemId: collected.itemId,
          sourceId: collected.sourceId,
          canonicalUrl: item.canonicalUrl,
          contentHash: item.contentHash,
          signature: fingerprint.signature,
          bandKeys: fingerprint.bandKeys,
        });
        await store.recordOutcome({ itemId: collected.itemId, outcome: 'normalized' });
        await enqueueEvents(tx, deps.schema, toMessage(out));
        return 'normalized' as const;
      },
      { timeout: 30_000, maxWait: 30_000 },
    );
    if (outcome !== 'already-processed') deps.onCommitted();
    return outcome;
  };
}

const tp = (traceparent: string | undefined) => (traceparent ? { traceparent } : {});
const isHttp = (u: string) => /^https?:\/\//i.test(u);

function toMessage(event: TrendmillEvent) {
  return { id: event.id, type: event.type, key: event.subject, headers: {}, body: serializeEvent(event) };
}
