import express, { type Request, type Router } from 'express';
import {
  ApiError,
  apiErrorHandler,
  jsonBody,
  notFound,
  requireApiKey,
  validateBody as validate,
  type Logger,
} from '@trendmill/platform';
import {
  ingestBatch,
  readIngestItem,
  sourceLabel,
  toCandidate,
  type ItemIssue,
} from '../ingest/ingest-item.js';
import { createSourceInput, InvalidSourceError, updateSourceInput } from '../sources/source-spec.js';
import { SourceConflictError } from '../service/collector-store.js';
import { SourceBusyError, SourceNotFoundError, type CollectorService } from '../service/collector-service.js';
import type { Source } from '../store/prisma.js';

export interface CollectorRouterOptions {
  logger: Logger;
  /** When set, every request needs one of these keys (`Authorization: Bearer KEY` or `X-API-Key`). */
  apiKeys?: readonly string[];
  /** Largest request body; larger ones get 413. */
  maxBodyBytes?: number;
}

/**
 * The collector's HTTP API: sources (create, list, get, update, delete, pause, resume, poll now,
 * health, fetch log) and ingest (one item or a batch). Errors are `{ error: { code, message, details } }`.
 */
export function collectorRouter(service: CollectorService, options: CollectorRouterOptions): Router {
  const router = express.Router();
  router.use(requireApiKey(options.apiKeys ?? []));
  router.use(jsonBody(options.maxBodyBytes ?? 5 * 1024 * 1024));

  router.get('/sources', async (req, res) => {
    const type = optionalQuery(req, 'type', ['feed', 'reddit', 'hackernews', 'push', 'jsonl']);
    const status = optionalQuery(req, 'status', ['active', 'paused']);
    const limit = intQuery(req, 'limit', 50, 1, 500);
    const offset = intQuery(req, 'offset', 0, 0, 1_000_000);
    const filter = { ...(type ? { type } : {}), ...(status ? { status } : {}) };
    const [sources, total] = await Promise.all([
      service.store.listSources({ ...filter, limit, offset }),
      service.store.countSources(filter),
    ]);
    res.json({ sources: sources.map(view), total, limit, offset });
  });

  router.post('/sources', async (req, res) => {
    const input = validate(createSourceInput, req.body);
    res.status(201).json(view(await service.createSource(input)));
  });

  router.get('/sources/:id', async (req, res) => {
    res.json(view(await service.getSource(param(req))));
  });

  router.patch('/sources/:id', async (req, res) => {
    const patch = validate(updateSourceInput, req.body);
    res.json(view(await service.updateSource(param(req), patch)));
  });

  router.delete('/sources/:id', async (req, res) => {
    await service.deleteSource(param(req));
    res.status(204).end();
  });

  router.post('/sources/:id/pause', async (req, res) => {
    res.json(view(await service.pause(param(req))));
  });

  router.post('/sources/:id/resume', async (req, res) => {
    res.json(view(await service.resume(param(req))));
  });

  router.post('/sources/:id/poll', async (req, res) => {
    res.json(await service.pollNow(param(req)));
  });

  router.get('/sources/:id/health', async (req, res) => {
    res.json(await service.health(param(req)));
  });

  router.get('/sources/:id/fetches', async (req, res) => {
    const source = await service.getSource(param(req));
    const fetches = await service.store.fetchLog(source.id, intQuery(req, 'limit', 20, 1, 100));
    res.json({
      fetches: fetches.map((f) => ({
        startedAt: f.startedAt.toISOString(),
        durationMs: f.durationMs,
        outcome: f.outcome,
        httpStatus: f.httpStatus,
        itemsFound: f.itemsFound,
        itemsNew: f.itemsNew,
        error: f.error,
      })),
    });
  });

  router.post('/ingest', async (req, res) => {
    const label = labelOf(req.query.source);
    const read = readIngestItem(req.body);
    if (!read.ok) throw new ApiError(400, read.issue.code, read.issue.message, read.issue.details);
    const recorded = await service.ingest('push', label, [toCandidate(read.item)], correlationOf(req));
    const result = recorded.results[0]!;
    if (result.status === 'rejected') throw new ApiError(400, result.code, result.message);
    res.status(result.status === 'accepted' ? 202 : 200).json({
      status: result.status,
      itemId: result.itemId,
      sourceId: recorded.sourceId,
    });
  });

  router.post('/ingest/batch', async (req, res) => {
    const batch = validate(ingestBatch, req.body);
    const label = labelOf(batch.source ?? req.query.source);
    const rejectedEarly: Array<{ index: number; status: 'rejected' } & ItemIssue> = [];
    const valid: Array<{ index: number; candidate: ReturnType<typeof toCandidate> }> = [];
    batch.items.forEach((value, index) => {
      const read = readIngestItem(value);
      if (read.ok) valid.push({ index, candidate: toCandidate(read.item) });
      else rejectedEarly.push({ index, status: 'rejected', ...read.issue });
    });
    const recorded = valid.length
      ? await service.ingest(
          batch.sourceType ?? 'push',
          label,
          valid.map((v) => v.candidate),
          correlationOf(req),
        )
      : undefined;
    const results = [
      ...rejectedEarly,
      ...(recorded?.results ?? []).map((r) => ({ ...r, index: valid[r.index]!.index })),
    ].sort((a, b) => a.index - b.index);
    const accepted = recorded?.accepted ?? 0;
    res.status(accepted > 0 ? 202 : 200).json({
      sourceId: recorded?.sourceId ?? null,
      accepted,
      duplicates: recorded?.duplicates ?? 0,
      rejected: rejectedEarly.length + (recorded?.rejected ?? 0),
      results,
    });
  });

  router.use(notFound());
  router.use(
    apiErrorHandler({
      logger: options.logger,
      service: 'collector',
      translate: (err) => {
        if (err instanceof SourceNotFoundError) return new ApiError(404, 'source_not_found', err.message);
        if (err instanceof SourceBusyError) return new ApiError(409, 'source_busy', err.message);
        if (err instanceof SourceConflictError)
          return new ApiError(409, 'source_exists', err.message, { existingId: err.existingId });
        if (err instanceof InvalidSourceError) return new ApiError(400, err.code, err.message);
        return undefined;
      },
    }),
  );
  return router;
}

/** What the API shows of a source (no lease or validator internals). */
export function view(source: Source) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    id: source.id,
    type: source.type,
    name: source.name,
    ...(source.type === 'feed' ? { url: source.target } : {}),
    ...(source.type === 'reddit' ? { subreddit: source.target } : {}),
    ...(source.type === 'hackernews' ? { list: source.target } : {}),
    ...(source.type === 'push' || source.type === 'jsonl' ? { label: source.target } : {}),
    options: source.options,
    status: source.status,
    intervalSeconds: source.intervalSeconds,
    effectiveIntervalSeconds: source.effectiveIntervalSeconds,
    jitter: source.jitter,
    feedFormat: source.feedFormat,
    nextPollAt: iso(source.nextPollAt),
    lastPolledAt: iso(source.lastPolledAt),
    lastSuccessAt: iso(source.lastSuccessAt),
    consecutiveFailures: source.consecutiveFailures,
    lastError: source.lastError,
    createdAt: source.createdAt.toISOString(),
    updatedAt: source.updatedAt.toISOString(),
  };
}

function param(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string' || id.length > 200) throw new ApiError(400, 'bad_request', 'bad source id');
  return id;
}

function labelOf(value: unknown): string {
  if (value === undefined) return 'api';
  const parsed = sourceLabel.safeParse(value);
  if (!parsed.success)
    throw new ApiError(400, 'validation_failed', `source: ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

function correlationOf(req: Request): string | undefined {
  const value = req.get('x-correlation-id');
  return value && /^[\w.:-]{1,200}$/.test(value) ? value : undefined;
}

function optionalQuery(req: Request, name: string, allowed: string[]): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value))
    throw new ApiError(400, 'validation_failed', `${name}: expected one of ${allowed.join(', ')}`);
  return value;
}

function intQuery(req: Request, name: string, fallback: number, min: number, max: number): number {
  const value = req.query[name];
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ApiError(400, 'validation_failed', `${name}: expected an integer from ${min} to ${max}`);
  return n;
}
