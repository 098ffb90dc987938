import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createOutboxRelay,
  createPrismaClient,
  migrate,
  type Database,
  type Logger,
  type OutboxRelay,
} from '@trendmill/platform';
import { createSafeFetcher, type SafeFetcher, type SafeFetcherOptions } from '../fetch/index.js';
import { createHackerNewsClient } from '../sources/hackernews/index.js';
import { createRedditClient } from '../sources/reddit/index.js';
import {
  checkUrlAllowed,
  defineSource,
  InvalidSourceError,
  type CreateSourceInput,
  type SourceOptions,
  type UpdateSourceInput,
} from '../sources/source-spec.js';
import {
  DEFAULT_SCHEDULE_POLICY,
  intervalBounds,
  boundedRetryAfter,
  nextSchedule,
  type SchedulePolicy,
} from '../scheduling/policy.js';
import { PrismaClient, type Prisma, type Source } from '../store/prisma.js';
import type { Candidate } from './candidate.js';
import { CollectorStore, eventSourceType, type RecordedItems } from './collector-store.js';
import { createCollectorMetrics, type CollectorMetrics } from './metrics.js';
import { pollSource, type PollResult } from './poll-source.js';
import { Scheduler } from './scheduler.js';

export const COLLECTOR_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export interface CollectorPorts {
  db: Database;
  /** Publishes what the outbox holds. */
  publish: (messages: Parameters<OutboxRelayPublish>[0]) => Promise<void>;
  logger: Logger;
  metrics?: CollectorMetrics;
  clock?: () => Date;
  random?: () => number;
  /** Replaces the HTTP fetcher (tests); otherwise one is built from `fetch`. */
  fetcher?: SafeFetcher;
}
type OutboxRelayPublish = Parameters<typeof createOutboxRelay>[0]['publish'];

export interface CollectorSettings {
  /** SSRF-guard allowlist (CIDRs or host names); empty = public addresses only. */
  allowlist?: readonly string[];
  fetch?: Omit<SafeFetcherOptions, 'allowlist'>;
  /** Base URLs of the Reddit and Hacker News APIs (tests point them at local servers). */
  redditBaseUrl?: string;
  hackerNewsBaseUrl?: string;
  /** Sources polled at once by this process. */
  concurrency?: number;
  /** How often the scheduler looks for due sources. */
  tickMs?: number;
  /** Consecutive failures after which `source.failed` is emitted (once per failure streak). */
  failureThreshold?: number;
  schedule?: Partial<SchedulePolicy>;
  /** false: never poll on a timer (sources are still polled on demand). */
  scheduler?: boolean;
  relayPollIntervalMs?: number;
}

export interface SourceHealth {
  sourceId: string;
  status: string;
  healthy: boolean;
  successes: number;
  failures: number;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastSuccessAt: string | null;
  lastPolledAt: string | null;
  lastChangeAt: string | null;
  nextPollAt: string | null;
  intervalSeconds: number;
  effectiveIntervalSeconds: number;
  itemsLast24h: number;
  itemsPerDay: number;
}

export interface PollSummary {
  sourceId: string;
  outcome: 'changed' | 'unchanged' | 'not_modified' | 'failed';
  httpStatus: number | null;
  itemsFound: number;
  itemsNew: number;
  error: string | null;
  nextPollAt: string;
}

export class SourceNotFoundError extends Error {
  override readonly name = 'SourceNotFoundError';
  constructor(readonly sourceId: string) {
    super(`no source ${sourceId}`);
  }
}
export class SourceBusyError extends Error {
  override readonly name = 'SourceBusyError';
  constructor(readonly sourceId: string) {
    super(`source ${sourceId} is being polled right now`);
  }
}

const LEASE_MARGIN_MS = 60_000;

/**
 * The collector: polls feeds, subreddits and Hacker News lists on their schedules, takes items
 * pushed to it, and announces each new item once as `item.collected` through its outbox.
 */
export class CollectorService {
  readonly owner = `collector-${randomUUID()}`;
  private prisma: PrismaClient | undefined;
  private storeRef: CollectorStore | undefined;
  private relayRef: OutboxRelay | undefined;
  private scheduler: Scheduler<Source> | undefined;
  private fetcher: SafeFetcher | undefined;
  private readonly clock: () => Date;
  private readonly policy: SchedulePolicy;
  private readonly failureThreshold: number;
  private readonly leaseMs: number;
  readonly metrics: CollectorMetrics;
  private stopping: AbortController | undefined;

  constructor(
    private readonly ports: CollectorPorts,
    private readonly settings: CollectorSettings = {},
  ) {
    this.clock = ports.clock ?? (() => new Date());
    this.policy = { ...DEFAULT_SCHEDULE_POLICY, ...settings.schedule };
    this.failureThreshold = settings.failureThreshold ?? 5;
    this.leaseMs = (settings.fetch?.totalTimeoutMs ?? 120_000) + LEASE_MARGIN_MS;
    this.metrics = ports.metrics ?? createCollectorMetrics();
  }

  get store(): CollectorStore {
    if (!this.storeRef) throw new Error('the collector is not started');
    return this.storeRef;
  }

  get relay(): OutboxRelay | undefined {
    return this.relayRef;
  }

  get allowlist(): readonly string[] {
    return this.settings.allowlist ?? [];
  }

  async start(): Promise<void> {
    const { db, logger } = this.ports;
    const report = await migrate(db.sql, { schema: db.schema, dirs: [COLLECTOR_MIGRATIONS_DIR] });
    if (report.applied.length)
      logger.info('collector migrations applied', { applied: report.applied.map((m) => m.name) });
    this.prisma = createPrismaClient(PrismaClient, db);
    this.storeRef = new CollectorStore(this.prisma, db.schema);
    this.fetcher =
      this.ports.fetcher ?? createSafeFetcher({ ...this.settings.fetch, allowlist: [...this.allowlist] });
    this.stopping = new AbortController();
    this.relayRef = createOutboxRelay({
      sql: db.sql,
      schema: db.schema,
      publish: this.ports.publish,
      pollIntervalMs: this.settings.relayPollIntervalMs ?? 1_000,
      onError: (err) => logger.warn('outbox relay could not publish; will retry', { error: String(err) }),
    });
    this.relayRef.start();
    if (this.settings.scheduler !== false) {
      this.scheduler = new Scheduler({
        concurrency: this.settings.concurrency ?? 4,
        tickMs: this.settings.tickMs ?? 1_000,
        claim: (limit) => this.store.claimDue(this.owner, limit, this.leaseMs, this.clock()),
        poll: (source) => this.pollClaimed(source).then(() => undefined),
        onError: (err) => logger.warn('scheduler tick failed; will retry', { error: String(err) }),
      });
      this.scheduler.start();
    }
    logger.info('collector started', { schema: db.schema, scheduler: this.settings.scheduler !== false });
  }

  async stop(): Promise<void> {
    this.stopping?.abort();
    await this.scheduler?.stop();
    await this.relayRef?.stop();
    await this.fetcher?.close();
    await this.prisma?.$disconnect();
    this.ports.logger.info('collector stopped');
  }

  // ---- sources -------------------------------------------------------------------------------

  async createSource(input: CreateSourceInput): Promise<Source> {
    const def = defineSource(input, this.allowlist);
    const source = await this.store.createSource(def, this.clock());
    this.ports.logger.info('source created', { sourceId: source.id, type: source.type, name: source.name });
    this.scheduler?.wake();
    return source;
  }

  async getSource(id: string): Promise<Source> {
    const source = await this.store.getSource(id);
    if (!source) throw new SourceNotFoundError(id);
    return source;
  }

  async updateSource(id: string, patch: UpdateSourceInput): Promise<Source> {
    const source = await this.getSource(id);
    const data: Prisma.SourceUpdateInput = { updatedAt: this.clock() };
    if (patch.name !== undefined) data.name = patch.name;
    if (patch.jitter !== undefined) data.jitter = patch.jitter;
    if (patch.intervalSeconds !== undefined) {
      data.intervalSeconds = patch.intervalSeconds;
      data.effectiveIntervalSeconds = patch.intervalSeconds;
    }
    if (patch.url !== undefined) {
      if (source.type !== 'feed')
        throw new InvalidSourceError('invalid_source', `a ${source.type} source has no url`);
      const url = new URL(patch.url);
      checkUrlAllowed(url, this.allowlist);
      url.hash = '';
      data.target = url.href;
      data.etag = null;
      data.lastModified = null;
      data.nextPollAt = this.clock();
    }
    const options = { ...(source.options as SourceOptions) };
    for (const key of ['sort', 'period'] as const) {
      if (patch[key] === undefined) continue;
      if (source.type !== 'reddit')
        throw new InvalidSourceError('invalid_source', `a ${source.type} source has no ${key}`);
      Object.assign(options, { [key]: patch[key] });
    }
    if (patch.limit !== undefined) {
      if (source.type !== 'hackernews')
        throw new InvalidSourceError('invalid_source', `a ${source.type} source has no limit`);
      options.limit = patch.limit;
    }
    data.options = options as Prisma.InputJsonValue;
    const updated = await this.store.updateSource(id, data);
    if (!updated) throw new SourceNotFoundError(id);
    this.scheduler?.wake();
    return updated;
  }

  async deleteSource(id: string): Promise<void> {
    if (!(await this.store.deleteSource(id))) throw new SourceNotFoundError(id);
    this.ports.logger.info('source deleted', { sourceId: id });
  }

  async pause(id: string): Promise<Source> {
    const updated = await this.store.updateSource(id, { status: 'paused', updatedAt: this.clock() });
    if (!updated) throw new SourceNotFoundError(id);
    return updated;
  }

  /** Resumes a paused source; it is polled at once. */
  async resume(id: string): Promise<Source> {
    const source = await this.getSource(id);
    const polled = source.type === 'feed' || source.type === 'reddit' || source.type === 'hackernews';
    const updated = await this.store.updateSource(id, {
      status: 'active',
      updatedAt: this.clock(),
      ...(polled ? { nextPollAt: this.clock() } : {}),
    });
    if (!updated) throw new SourceNotFoundError(id);
    this.scheduler?.wake();
    return updated;
  }

  /** Polls one source now (paused or not) and says what it found. */
  async pollNow(id: string): Promise<PollSummary> {
    const source = await this.getSource(id);
    if (!['feed', 'reddit', 'hackernews'].includes(source.type))
      throw new InvalidSourceError(
        'invalid_source',
        `a ${source.type} source is not polled; items are pushed to it`,
      );
    const claimed = await this.store.claimOne(id, this.owner, this.leaseMs, this.clock());
    if (!claimed) throw new SourceBusyError(id);
    return this.pollClaimed(claimed);
  }

  async health(id: string): Promise<SourceHealth> {
    const source = await this.getSource(id);
    const rates = await this.store.itemRates(id, this.clock());
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return {
      sourceId: source.id,
      status: source.status,
      healthy: source.consecutiveFailures < this.failureThreshold,
      successes: source.successes,
      failures: source.failures,
      consecutiveFailures: source.consecutiveFailures,
      lastError: source.lastError,
      lastErrorAt: iso(source.lastErrorAt),
      lastSuccessAt: iso(source.lastSuccessAt),
      lastPolledAt: iso(source.lastPolledAt),
      lastChangeAt: iso(source.lastChangeAt),
      nextPollAt: iso(source.nextPollAt),
      intervalSeconds: source.intervalSeconds,
      effectiveIntervalSeconds: source.effectiveIntervalSeconds,
      itemsLast24h: rates.last24h,
      itemsPerDay: rates.perDay7d,
    };
  }

  // ---- ingest --------------------------------------------------------------------------------

  /** Items pushed to the API (`push`) or imported from a file (`jsonl`) under a source label. */
  async ingest(
    type: 'push' | 'jsonl',
    label: string,
    candidates: readonly Candidate[],
    correlationid?: string,
  ): Promise<RecordedItems & { sourceId: string }> {
    const now = this.clock();
    const source = await this.store.ingestSource(type, label, now);
    if (source.status === 'paused')
      throw new InvalidSourceError('invalid_source', `source ${source.id} (${type} "${label}") is paused`);
    const recorded = await this.prisma!.$transaction(
      (tx) => this.store.recordItems(tx, source, candidates, now, null, correlationid),
      { timeout: 60_000, maxWait: 30_000 },
    );
    if (recorded.accepted) {
      this.relayRef?.wake();
      this.metrics.itemsCollected.inc({ source_type: type }, recorded.accepted);
    }
    if (recorded.duplicates) this.metrics.itemsSeenBefore.inc({ source_type: type }, recorded.duplicates);
    if (recorded.rejected) this.metrics.itemsRejected.inc({ source_type: type }, recorded.rejected);
    return { ...recorded, sourceId: source.id };
  }

  // ---- polling -------------------------------------------------------------------------------

  private async pollClaimed(source: Source): Promise<PollSummary> {
    const startedAt = this.clock();
    const started = performance.now();
    const result = await pollSource(
      {
        type: source.type,
        target: source.target,
        options: source.options as SourceOptions,
        etag: source.etag,
        lastModified: source.lastModified,
      },
      {
        fetcher: this.fetcher!,
        reddit: createRedditClient({
          fetcher: this.fetcher!,
          now: this.clock,
          ...(this.settings.redditBaseUrl ? { baseUrl: this.settings.redditBaseUrl } : {}),
        }),
        hackerNews: createHackerNewsClient({
          fetcher: this.fetcher!,
          ...(this.settings.hackerNewsBaseUrl ? { baseUrl: this.settings.hackerNewsBaseUrl } : {}),
        }),
        now: this.clock,
        ...(this.stopping ? { signal: this.stopping.signal } : {}),
      },
    );
    if (this.stopping?.signal.aborted) {
      // Shutting down mid-poll is not the source's failure: nothing is recorded; it is polled again later.
      await this.store.releaseLease(source.id, this.owner);
      throw new Error('collector stopping');
    }
    const durationMs = performance.now() - started;
    const summary = await this.recordPoll(source, result, startedAt, durationMs);
    this.metrics.polls.inc({ source_type: source.type, outcome: summary.outcome });
    this.metrics.pollSeconds.observe({ source_type: source.type }, durationMs / 1000);
    if (summary.itemsNew) this.metrics.itemsCollected.inc({ source_type: source.type }, summary.itemsNew);
    const detail = {
      sourceId: source.id,
      outcome: summary.outcome,
      itemsFound: summary.itemsFound,
      itemsNew: summary.itemsNew,
      ...(summary.error ? { error: summary.error } : {}),
    };
    if (summary.outcome === 'failed') this.ports.logger.warn(`polling source ${source.id} failed`, detail);
    else this.ports.logger.debug(`polled source ${source.id}`, detail);
    return summary;
  }

  private async recordPoll(
    source: Source,
    result: PollResult,
    at: Date,
    durationMs: number,
  ): Promise<PollSummary> {
    const state = {
      intervalSeconds: source.intervalSeconds,
      effectiveIntervalSeconds: source.effectiveIntervalSeconds,
      jitter: source.jitter,
      lastChangeAt: source.lastChangeAt,
      consecutiveFailures: source.consecutiveFailures,
    };
    const random = this.ports.random ?? Math.random;
    const now = this.clock();
    const summary = await this.prisma!.$transaction(
      async (tx): Promise<PollSummary> => {
        if (result.kind === 'failed') {
          const next = nextSchedule(
            state,
            {
              kind: 'failed',
              at: now,
              ...(result.retryAfterSeconds !== undefined
                ? { retryAfterSeconds: result.retryAfterSeconds }
                : {}),
            },
            random,
            this.policy,
          );
          const report = next.consecutiveFailures >= this.failureThreshold && !source.failureReportedAt;
          await tx.source.update({
            where: { id: source.id },
            data: {
              failures: { increment: 1 },
              consecutiveFailures: next.consecutiveFailures,
              lastError: result.error.slice(0, 2000),
              lastErrorAt: now,
              lastPolledAt: now,
              nextPollAt: next.nextPollAt,
              leaseOwner: null,
              leaseUntil: null,
              ...(report ? { failureReportedAt: now } : {}),
            },
          });
          if (report) {
            await this.store.enqueueSourceFailed(tx, source, {
              sourceId: source.id,
              sourceType: eventSourceType(source.type, source.feedFormat),
              ...(source.type === 'feed' ? { url: source.target } : {}),
              consecutiveFailures: next.consecutiveFailures,
              lastError: result.error.slice(0, 2000),
              failedAt: now.toISOString(),
              nextAttemptAt: next.nextPollAt.toISOString(),
            });
          }
          await this.store.logFetch(tx, {
            sourceId: source.id,
            startedAt: at,
            durationMs,
            outcome: 'failed',
            httpStatus: result.httpStatus,
            itemsFound: 0,
            itemsNew: 0,
            error: result.error,
          });
          return {
            sourceId: source.id,
            outcome: 'failed',
            httpStatus: result.httpStatus ?? null,
            itemsFound: 0,
            itemsNew: 0,
            error: result.error,
            nextPollAt: next.nextPollAt.toISOString(),
          };
        }

        const recorded =
          result.kind === 'fetched'
            ? await this.store.recordItems(tx, source, result.candidates, now, result.feedFormat)
            : undefined;
        const itemsNew = recorded?.accepted ?? 0;
        const outcome =
          result.kind === 'not_modified' ? 'not_modified' : itemsNew > 0 ? 'changed' : 'unchanged';
        const next = nextSchedule(
          state,
          { kind: outcome === 'changed' ? 'changed' : 'unchanged', at: now },
          random,
          this.policy,
        );
        const retryAfter = boundedRetryAfter(
          result.kind === 'fetched' ? result.retryAfterSeconds : undefined,
          this.policy,
        );
        const nextPollAt =
          retryAfter !== undefined && now.getTime() + retryAfter * 1000 > next.nextPollAt.getTime()
            ? new Date(now.getTime() + retryAfter * 1000)
            : next.nextPollAt;
        await tx.source.update({
          where: { id: source.id },
          data: {
            successes: { increment: 1 },
            consecutiveFailures: 0,
            failureReportedAt: null,
            lastSuccessAt: now,
            lastPolledAt: now,
            lastChangeAt: next.lastChangeAt,
            effectiveIntervalSeconds: next.effectiveIntervalSeconds,
            nextPollAt,
            leaseOwner: null,
            leaseUntil: null,
            ...(result.kind === 'fetched' && result.etag !== undefined ? { etag: result.etag } : {}),
            ...(result.kind === 'fetched' && result.lastModified !== undefined
              ? { lastModified: result.lastModified }
              : {}),
            ...(result.kind === 'fetched' && result.feedFormat ? { feedFormat: result.feedFormat } : {}),
          },
        });
        const warning =
          result.kind === 'fetched'
            ? [result.warning, recorded?.rejected ? `${recorded.rejected} items rejected` : undefined]
                .filter(Boolean)
                .join('; ')
            : '';
        await this.store.logFetch(tx, {
          sourceId: source.id,
          startedAt: at,
          durationMs,
          outcome,
          httpStatus: result.httpStatus,
          itemsFound: result.kind === 'fetched' ? result.candidates.length : 0,
          itemsNew,
          ...(warning ? { error: warning } : {}),
        });
        return {
          sourceId: source.id,
          outcome,
          httpStatus: result.httpStatus ?? null,
          itemsFound: result.kind === 'fetched' ? result.candidates.length : 0,
          itemsNew,
          error: warning || null,
          nextPollAt: nextPollAt.toISOString(),
        };
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
    if (summary.itemsNew > 0 || summary.outcome === 'failed') this.relayRef?.wake();
    return summary;
  }
}

export { intervalBounds };
