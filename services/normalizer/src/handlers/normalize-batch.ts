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
import {
  BatchDedup,
  type DedupDecision,
  type DedupItem,
  type Fingerprint,
  type FingerprintScheme,
  type NormalizedFields,
} from '../domain/index.js';
import { FingerprintStore, type DecidedOutcome, type KeptFingerprint } from '../store/fingerprint-store.js';
import type { PrismaClient } from '../store/prisma.js';

export type Outcome = 'normalized' | 'duplicate' | 'already-processed';

/** One item.collected delivery, normalized and fingerprinted before it joins a batch. */
export interface CollectedEntry {
  collected: ItemCollected;
  item: NormalizedFields;
  fingerprint: Fingerprint;
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

/** The duplicate decision a handler uses for all its batches. */
export function batchDedupFor(deps: NormalizeBatchDeps): BatchDedup {
  return new BatchDedup({
    threshold: deps.nearDuplicateThreshold,
    ...(deps.scheme ? { scheme: deps.scheme } : {}),
  });
}

/**
 * Decides a batch of items under one hold of the dedup lock, in one transaction: each item, in
 * arrival order, is checked against everything kept before it, earlier items of the same batch
 * included (`BatchDedup`), from one lookup statement for the whole batch; then the batch's
 * fingerprints and outcomes are written in one statement, its outgoing events in another. An item already
 * decided changes nothing. All or nothing: a failure throws and nothing of the batch is committed.
 */
export async function normalizeBatch(
  deps: NormalizeBatchDeps,
  dedup: BatchDedup,
  entries: readonly CollectedEntry[],
): Promise<Array<PromiseSettledResult<Outcome>>> {
  const items: DedupItem[] = entries.map((e) => ({
    itemId: e.collected.itemId,
    canonicalUrl: e.item.canonicalUrl,
    contentHash: e.item.contentHash,
    fingerprint: e.fingerprint,
  }));
  return deps.prisma.$transaction(
    async (tx) => {
      // No JIT: without planner statistics the lookups' cost estimates reach the JIT thresholds,
      // and compiling them took ~100 ms for queries that run in a few.
      await tx.$executeRawUnsafe(
        `SELECT set_config('jit', 'off', true), pg_advisory_xact_lock($1::bigint)`,
        DEDUP_LOCK_KEY,
      );
      const store = new FingerprintStore(tx, deps.schema);
      const stored = await store.lookup(items, dedup.maxCandidates);
      const decisions = dedup.decide(items, stored);

      const kept: KeptFingerprint[] = [];
      const outcomes: DecidedOutcome[] = [];
      const outgoing: OutgoingMessage[] = [];
      const results = decisions.map((decision, i): PromiseSettledResult<Outcome> => {
        const entry = entries[i]!;
        const applied = apply(deps, entry, decision);
        if (applied.outcome) outcomes.push(applied.outcome);
        if (applied.event) outgoing.push(toMessage(applied.event));
        if (decision.outcome === 'kept') {
          kept.push({
            itemId: entry.collected.itemId,
            sourceId: entry.collected.sourceId,
            canonicalUrl: entry.item.canonicalUrl,
            contentHash: entry.item.contentHash,
            signature: entry.fingerprint.signature,
            bandKeys: entry.fingerprint.bandKeys,
          });
        }
        return { status: 'fulfilled', value: applied.result };
      });
      await store.write(kept, outcomes);
      await enqueueEvents(tx, deps.schema, outgoing);
      return results;
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}

/** What a decision writes: the item's outcome row and its outgoing event. */
function apply(
  deps: NormalizeBatchDeps,
  { collected, item, correlationid, traceparent }: CollectedEntry,
  decision: DedupDecision,
): { result: Outcome; outcome?: DecidedOutcome; event?: TrendmillEvent } {
  if (decision.outcome === 'already-processed') return { result: 'already-processed' };
  const context = {
    source: '/trendmill/normalizer',
    subject: collected.itemId,
    ...(correlationid ? { correlationid } : {}),
    ...(traceparent ? { traceparent } : {}),
  };

  if (decision.outcome === 'duplicate') {
    const { originalItemId, method, similarity } = decision;
    const data: ItemDuplicateDetected = {
      itemId: collected.itemId,
      sourceId: collected.sourceId,
      detectedAt: deps.clock().toISOString(),
      originalItemId,
      method,
      similarity: Math.min(1, Math.max(0, similarity)),
    };
    return {
      result: 'duplicate',
      outcome: { itemId: collected.itemId, outcome: 'duplicate', originalItemId, method, similarity },
      event: createEvent(EVENT_TYPES.itemDuplicateDetected, data, context),
    };
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
  return {
    result: 'normalized',
    outcome: { itemId: collected.itemId, outcome: 'normalized' },
    event: createEvent(EVENT_TYPES.itemNormalized, data, context),
  };
}

const isHttp = (u: string) => /^https?:\/\//i.test(u);

function toMessage(event: TrendmillEvent): OutgoingMessage {
  return { id: event.id, type: event.type, key: event.subject, headers: {}, body: serializeEvent(event) };
}
