import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@trendmill/platform';
import { ProviderUnavailableError } from '../providers/port.js';
import { embeddingInput } from './embed-input.js';
import type { EmbedderService } from './embedder-service.js';
import type { EmbedderMetrics } from './metrics.js';

export type ReembedState = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';

/** A re-embed of every stored item into one model, as GET /reembed/:id shows it. */
export interface ReembedJob {
  id: string;
  model: string;
  dim: number | null;
  state: ReembedState;
  /** Items without a vector of this model when the job started. */
  total: number;
  done: number;
  startedAt: string;
  finishedAt: string | null;
  /** Why the job failed, or why it is waiting (provider unavailable). */
  error: string | null;
}

/**
 * Runs reembed jobs: pages through stored items that have no vector of the target model yet
 * (keyset order by item id), embeds them with that model's own provider, and records them with
 * their item.embedded events — which carry the new model id, so consumers keep the two spaces
 * apart. A job that is stopped (or a process that dies) is resumed by starting it again: items
 * already embedded with the model are skipped.
 */
export class ReembedJobs {
  private readonly jobs = new Map<string, ReembedJob>();
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(
    private readonly service: EmbedderService,
    private readonly logger: Logger,
    private readonly metrics: EmbedderMetrics | undefined,
  ) {}

  get(id: string): ReembedJob | undefined {
    const job = this.jobs.get(id);
    return job && { ...job };
  }

  list(): ReembedJob[] {
    return [...this.jobs.values()].map((j) => ({ ...j }));
  }

  /** Starts (or returns the running) job for a model. Throws UnknownModelError for an unknown one. */
  async start(model: string): Promise<ReembedJob> {
    const active = [...this.jobs.values()].find(
      (j) => j.model === model && (j.state === 'running' || j.state === 'waiting'),
    );
    if (active) return { ...active };
    const { provider, owned } = await this.service.providerFor(model);
    const where = { embeddings: { none: { model } } };
    const total = await this.service.db.item.count({ where });
    const job: ReembedJob = {
      id: randomUUID(),
      model,
      dim: provider.dim || null,
      state: 'running',
      total,
      done: 0,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
    };
    this.jobs.set(job.id, job);
    const controller = new AbortController();
    const done = this.run(job, provider, controller.signal)
      .catch((err: unknown) => {
        job.state = controller.signal.aborted ? 'cancelled' : 'failed';
        job.error = controller.signal.aborted
          ? 'stopped before it finished; start it again to resume'
          : String(err);
        this.logger.error('reembed failed', { model, job: job.id, error: job.error });
      })
      .finally(async () => {
        job.finishedAt = new Date().toISOString();
        this.running.delete(job.id);
        if (owned) await provider.close().catch(() => {});
      });
    this.running.set(job.id, { controller, done });
    this.logger.info('reembed started', { model, job: job.id, total });
    return { ...job };
  }

  /** Waits for a job to finish (tests, CLI in-process). */
  async wait(id: string): Promise<ReembedJob | undefined> {
    await this.running.get(id)?.done;
    return this.get(id);
  }

  async stopAll(): Promise<void> {
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private async run(
    job: ReembedJob,
    provider: Awaited<ReturnType<EmbedderService['providerFor']>>['provider'],
    signal: AbortSignal,
  ): Promise<void> {
    const pageSize = this.service.pageSize;
    let after = '';
    for (;;) {
      signal.throwIfAborted();
      const page = await this.service.db.item.findMany({
        where: { itemId: { gt: after }, embeddings: { none: { model: job.model } } },
        orderBy: { itemId: 'asc' },
        take: pageSize,
      });
      if (page.length === 0) break;
      const inputs = page.map((i) => embeddingInput(i, this.service.maxInputChars));
      let result;
      try {
        result = await this.service.embedder.embed(provider, inputs, { signal });
      } catch (err) {
        if (!(err instanceof ProviderUnavailableError)) throw err;
        // Same rule as live traffic: wait for this model, never fall back to another.
        job.state = 'waiting';
        job.error = `provider unavailable: ${err.message}`;
        await sleep(err.retryAfterMs ?? this.service.unavailableDelayMs, undefined, { signal });
        job.state = 'running';
        job.error = null;
        continue;
      }
      await this.service.record(
        provider,
        page.map((item, i) => ({
          item: {
            itemId: item.itemId,
            sourceId: item.sourceId,
            sourceType: item.sourceType as never,
            title: item.title,
            text: item.text,
            ...(item.url ? { url: item.url } : {}),
            language: item.language,
            publishedAt: item.publishedAt.toISOString(),
            contentHash: item.contentHash,
          },
          vector: result.vectors[i]!,
          inputHash: result.hashes[i]!,
        })),
      );
      job.done += page.length;
      job.dim = provider.dim || job.dim; // a remote provider learns its length from its first answer
      this.metrics?.reembedItems.inc({ model: job.model }, page.length);
      after = page[page.length - 1]!.itemId;
    }
    job.state = 'completed';
    this.logger.info('reembed completed', { model: job.model, job: job.id, items: job.done });
  }
}
