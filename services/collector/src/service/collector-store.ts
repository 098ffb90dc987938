import { randomUUID } from 'node:crypto';
import { enqueueEvents, qualified } from '@trendmill/platform';
import {
  EVENT_TYPES,
  createEvent,
  itemCollected,
  serializeEvent,
  type ItemCollected,
  type SourceFailed,
  type TrendmillEvent,
} from '@trendmill/shared-contracts';
import type { FeedFormat } from '../feeds/index.js';
import type { SourceDefinition } from '../sources/source-spec.js';
import type { Prisma, PrismaClient, Source } from '../store/prisma.js';
import { collectedData, seenKey, type Candidate } from './candidate.js';

type Tx = Prisma.TransactionClient;

export const EVENT_SOURCE = '/trendmill/collector';
/** Fetch-log rows kept per source. */
export const FETCH_LOG_KEPT = 100;

export class SourceConflictError extends Error {
  override readonly name = 'SourceConflictError';
  constructor(readonly existingId: string) {
    super(`a source with the same type and target exists: ${existingId}`);
  }
}

/** A candidate that could not become an `item.collected` event, and why. */
export interface RejectedCandidate {
  index: number;
  code: string;
  message: string;
}

export interface RecordedItems {
  /** In candidate order: what happened to each. */
  results: Array<
    | { index: number; status: 'accepted'; itemId: string }
    | { index: number; status: 'duplicate'; itemId: string }
    | ({ status: 'rejected' } & RejectedCandidate)
  >;
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** The collector's tables. Every write that announces something writes its event to the outbox in the same transaction. */
export class CollectorStore {
  constructor(
    readonly prisma: PrismaClient,
    readonly schema: string,
  ) {}

  async createSource(def: SourceDefinition, now: Date): Promise<Source> {
    const existing = await this.prisma.source.findUnique({
      where: { type_target: { type: def.type, target: def.target } },
      select: { id: true },
    });
    if (existing) throw new SourceConflictError(existing.id);
    try {
      return await this.prisma.source.create({
        data: {
          id: randomUUID(),
          type: def.type,
          name: def.name,
          target: def.target,
          options: def.options as Prisma.InputJsonValue,
          intervalSeconds: def.intervalSeconds,
          effectiveIntervalSeconds: def.intervalSeconds,
          jitter: def.jitter,
          nextPollAt: def.type === 'push' || def.type === 'jsonl' ? null : now,
          createdAt: now,
          updatedAt: now,
        },
      });
    } catch (err) {
      // Two creates raced past the check: the unique index decides.
      const again = await this.prisma.source.findUnique({
        where: { type_target: { type: def.type, target: def.target } },
        select: { id: true },
      });
      if (again) throw new SourceConflictError(again.id);
      throw err;
    }
  }

  /** The push/jsonl source of that label, created on first use. */
  async ingestSource(type: 'push' | 'jsonl', label: string, now: Date): Promise<Source> {
    const found = await this.prisma.source.findUnique({ where: { type_target: { type, target: label } } });
    if (found) return found;
    try {
      return await this.createSource(
        {
          type,
          name: `${type === 'push' ? 'ingest' : 'import'}: ${label}`,
          target: label,
          options: {},
          intervalSeconds: 86_400,
          jitter: 0,
        },
        now,
      );
    } catch (err) {
      if (err instanceof SourceConflictError)
        return this.prisma.source.findUniqueOrThrow({ where: { id: err.existingId } });
      throw err;
    }
  }

  listSources(filter: { type?: string; status?: string; limit: number; offset: number }) {
    return this.prisma.source.findMany({
      where: {
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: filter.limit,
      skip: filter.offset,
    });
  }

  countSources(filter: { type?: string; status?: string }) {
    return this.prisma.source.count({
      where: {
        ...(filter.type ? { type: filter.type } : {}),
        ...(filter.status ? { status: filter.status } : {}),
      },
    });
  }

  getSource(id: string) {
    return this.prisma.source.findUnique({ where: { id } });
  }

  async updateSource(id: string, data: Prisma.SourceUpdateInput): Promise<Source | null> {
    try {
      return await this.prisma.source.update({ where: { id }, data });
    } catch (err) {
      if (isNotFound(err)) return null;
      if (isUniqueViolation(err)) {
        const source = await this.getSource(id);
        const clash = source
          ? await this.prisma.source.findFirst({
              where: { type: source.type, target: String(data.target), NOT: { id } },
              select: { id: true },
            })
          : null;
        throw new SourceConflictError(clash?.id ?? 'unknown');
      }
      throw err;
    }
  }

  async deleteSource(id: string): Promise<boolean> {
    const { count } = await this.prisma.source.deleteMany({ where: { id } });
    return count === 1;
  }

  /**
   * Leases up to `limit` active sources that are due, oldest first. SKIP LOCKED lets replicas
   * claim side by side without waiting on each other; the lease keeps a source from being polled
   * twice at once, and runs out by itself if its holder dies.
   */
  async claimDue(owner: string, limit: number, leaseMs: number, now: Date): Promise<Source[]> {
    if (limit <= 0) return [];
    const sources = qualified(this.schema, 'sources');
    const ids = await this.prisma.$queryRawUnsafe<Array<{ id: string }>>(
      `UPDATE ${sources} SET lease_owner = $1, lease_until = $2
        WHERE id IN (SELECT id FROM ${sources}
                      WHERE status = 'active' AND next_poll_at IS NOT NULL AND next_poll_at <= $3
                        AND type IN ('feed', 'reddit', 'hackernews')
                        AND (lease_until IS NULL OR lease_until < $3)
                      ORDER BY next_poll_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
        RETURNING id`,
      owner,
      new Date(now.getTime() + leaseMs),
      now,
      limit,
    );
    if (ids.length === 0) return [];
    return this.prisma.source.findMany({
      where: { id: { in: ids.map((r) => r.id) } },
      orderBy: { nextPollAt: 'asc' },
    });
  }

  /**
   * Leases one source now, whatever its schedule; undefined while any poll holds it — including
   * one of this replica's own (two "poll now" requests must not fetch twice).
   */
  async claimOne(id: string, owner: string, leaseMs: number, now: Date): Promise<Source | undefined> {
    const { count } = await this.prisma.source.updateMany({
      where: { id, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      data: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) },
    });
    if (count === 0) return undefined;
    return (await this.getSource(id)) ?? undefined;
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.prisma.source.updateMany({
      where: { id, leaseOwner: owner },
      data: { leaseOwner: null, leaseUntil: null },
    });
  }

  /**
   * Records new items: each (source, external id) not seen before gets a seen-item row and an
   * `item.collected` event in the outbox, in one transaction, so an item is announced exactly once
   * however often it is fetched, across restarts and replicas.
   */
  async recordItems(
    tx: Tx,
    source: Pick<Source, 'id' | 'type' | 'feedFormat'>,
    candidates: readonly Candidate[],
    now: Date,
    feedFormat?: FeedFormat | null,
    correlationid?: string,
  ): Promise<RecordedItems> {
    const sourceType = eventSourceType(source.type, feedFormat ?? source.feedFormat);
    const results: RecordedItems['results'] = [];
    const fresh: Array<{ index: number; key: string; data: ItemCollected }> = [];
    const firstIndexOfKey = new Map<string, number>();
    candidates.forEach((candidate, index) => {
      const key = seenKey(candidate.externalId);
      if (firstIndexOfKey.has(key)) return; // a repeat inside this batch: resolved after the insert
      const data = collectedData(candidate, { itemId: randomUUID(), sourceId: source.id, sourceType }, now);
      const checked = validItem(data);
      if ('code' in checked) {
        results.push({ status: 'rejected', index, ...checked });
        return;
      }
      firstIndexOfKey.set(key, index);
      fresh.push({ index, key, data: checked });
    });

    const seen = qualified(this.schema, 'seen_items');
    const inserted = fresh.length
      ? await tx.$queryRawUnsafe<Array<{ external_id: string }>>(
          `INSERT INTO ${seen} (source_id, external_id, item_id, first_seen_at)
           SELECT $1, k, i, $4 FROM unnest($2::text[], $3::text[]) AS t(k, i)
           ON CONFLICT (source_id, external_id) DO NOTHING RETURNING external_id`,
          source.id,
          fresh.map((f) => f.key),
          fresh.map((f) => f.data.itemId),
          now,
        )
      : [];
    const isNew = new Set(inserted.map((r) => r.external_id));
    const known = fresh.filter((f) => !isNew.has(f.key)).map((f) => f.key);
    const existing = known.length
      ? await tx.seenItem.findMany({ where: { sourceId: source.id, externalId: { in: known } } })
      : [];
    const existingId = new Map(existing.map((s) => [s.externalId, s.itemId]));

    const events: TrendmillEvent[] = [];
    const itemIdOfKey = new Map<string, string>();
    for (const f of fresh) {
      if (isNew.has(f.key)) {
        itemIdOfKey.set(f.key, f.data.itemId);
        results.push({ index: f.index, status: 'accepted', itemId: f.data.itemId });
        events.push(
          createEvent(EVENT_TYPES.itemCollected, f.data, {
            source: EVENT_SOURCE,
            subject: f.data.itemId,
            ...(correlationid ? { correlationid } : {}),
          }),
        );
      } else {
        const itemId = existingId.get(f.key) ?? 'unknown';
        itemIdOfKey.set(f.key, itemId);
        results.push({ index: f.index, status: 'duplicate', itemId });
      }
    }
    // Repeats inside the batch point at whatever their first occurrence became.
    candidates.forEach((candidate, index) => {
      const key = seenKey(candidate.externalId);
      const first = firstIndexOfKey.get(key);
      if (first !== undefined && first !== index)
        results.push({ index, status: 'duplicate', itemId: itemIdOfKey.get(key)! });
    });
    if (events.length) await enqueueEvents(tx, this.schema, events.map(toMessage));
    results.sort((a, b) => a.index - b.index);
    return {
      results,
      accepted: results.filter((r) => r.status === 'accepted').length,
      duplicates: results.filter((r) => r.status === 'duplicate').length,
      rejected: results.filter((r) => r.status === 'rejected').length,
    };
  }

  async logFetch(
    tx: Tx,
    entry: {
      sourceId: string;
      startedAt: Date;
      durationMs: number;
      outcome: 'changed' | 'unchanged' | 'not_modified' | 'failed';
      httpStatus?: number | undefined;
      itemsFound: number;
      itemsNew: number;
      error?: string | undefined;
    },
  ): Promise<void> {
    await tx.fetchLog.create({
      data: {
        sourceId: entry.sourceId,
        startedAt: entry.startedAt,
        durationMs: Math.round(entry.durationMs),
        outcome: entry.outcome,
        httpStatus: entry.httpStatus ?? null,
        itemsFound: entry.itemsFound,
        itemsNew: entry.itemsNew,
        error: entry.error?.slice(0, 2000) ?? null,
      },
    });
    const log = qualified(this.schema, 'fetch_log');
    await tx.$executeRawUnsafe(
      `DELETE FROM ${log} WHERE source_id = $1 AND id <= (SELECT id FROM ${log} WHERE source_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)`,
      entry.sourceId,
      FETCH_LOG_KEPT,
    );
  }

  async enqueueSourceFailed(tx: Tx, source: Source, data: SourceFailed): Promise<void> {
    const event = createEvent(EVENT_TYPES.sourceFailed, data, { source: EVENT_SOURCE, subject: source.id });
    await enqueueEvents(tx, this.schema, toMessage(event));
  }

  fetchLog(sourceId: string, limit: number) {
    return this.prisma.fetchLog.findMany({ where: { sourceId }, orderBy: { id: 'desc' }, take: limit });
  }

  /** New items in the last day, and the daily average over the last week. */
  async itemRates(sourceId: string, now: Date): Promise<{ last24h: number; perDay7d: number }> {
    const day = 86_400_000;
    const [last24h, last7d] = await Promise.all([
      this.prisma.seenItem.count({ where: { sourceId, firstSeenAt: { gt: new Date(now.getTime() - day) } } }),
      this.prisma.seenItem.count({
        where: { sourceId, firstSeenAt: { gt: new Date(now.getTime() - 7 * day) } },
      }),
    ]);
    return { last24h, perDay7d: Math.round((last7d / 7) * 10) / 10 };
  }
}

/** The `sourceType` an item of this source carries in its event. */
export function eventSourceType(
  type: string,
  feedFormat: string | null | undefined,
): ItemCollected['sourceType'] {
  if (type === 'feed') return (feedFormat as FeedFormat | null) ?? 'rss';
  return type as ItemCollected['sourceType'];
}

function validItem(data: ItemCollected): ItemCollected | { code: string; message: string } {
  let parsed = itemCollected.safeParse(data);
  if (!parsed.success && data.url !== undefined && parsed.error.issues.every((i) => i.path[0] === 'url')) {
    const { url: _dropped, ...rest } = data;
    parsed = itemCollected.safeParse(rest);
  }
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return { code: 'invalid_item', message: `${issue.path.join('.') || 'item'}: ${issue.message}` };
}

function toMessage(event: TrendmillEvent) {
  return { id: event.id, type: event.type, key: event.subject, headers: {}, body: serializeEvent(event) };
}

function isNotFound(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === 'P2025'
  );
}

function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === 'P2002'
  );
}
