import { z } from 'zod';
import { createSourceInput, ingestBatch, ingestItem, updateSourceInput } from '@trendmill/collector';
import { resourceId } from '@trendmill/shared-contracts';
import type { CollectorForwarder } from './collector-forwarder.js';
import { route, type RouteContext, type RouteSpec } from './route-spec.js';
import {
  fetchLog,
  ingestBatchResult,
  ingestResult,
  pollSummary,
  sourceHealth,
  sourceList,
  sourceListQuery,
  sourceView,
} from './collector-schemas.js';

const idParams = z.object({ id: resourceId });
const ingestQuery = z.object({ source: z.string().max(100).optional() });
const fetchesQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

/**
 * Sources and ingest, fronting the collector: the gateway authenticates, rate-limits and
 * validates (422), then the collector does the work and its answer is relayed unchanged.
 */
export function collectorRoutes(forward: CollectorForwarder): RouteSpec[] {
  const relay =
    (path: (params: { id?: string }) => string) => async (ctx: RouteContext<unknown, unknown, unknown>) => {
      const id = (ctx.params as { id?: string } | undefined)?.id;
      await forward(ctx.req, ctx.res, path({ ...(id ? { id: encodeURIComponent(id) } : {}) }), ctx.body);
      return undefined;
    };
  const source = (suffix = '') => relay(({ id }) => `/sources/${id}${suffix}`);
  return [
    route({
      method: 'get',
      path: '/sources',
      operationId: 'listSources',
      summary: 'List sources',
      tag: 'sources',
      scope: 'read',
      query: sourceListQuery,
      responses: { 200: { description: 'a page of sources', schema: sourceList } },
      handle: relay(() => '/sources'),
    }),
    route({
      method: 'post',
      path: '/sources',
      operationId: 'createSource',
      summary: 'Create a source (feed, subreddit or Hacker News list)',
      tag: 'sources',
      scope: 'write',
      body: createSourceInput,
      responses: {
        201: { description: 'the new source', schema: sourceView },
        409: { description: 'source_exists: the same source already exists (details.existingId)' },
      },
      handle: relay(() => '/sources'),
    }),
    route({
      method: 'get',
      path: '/sources/:id',
      operationId: 'getSource',
      summary: 'One source',
      tag: 'sources',
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'the source', schema: sourceView } },
      handle: source(),
    }),
    route({
      method: 'patch',
      path: '/sources/:id',
      operationId: 'updateSource',
      summary: "Change a source's name, URL, interval or options",
      tag: 'sources',
      scope: 'write',
      params: idParams,
      body: updateSourceInput,
      responses: { 200: { description: 'the changed source', schema: sourceView } },
      handle: source(),
    }),
    route({
      method: 'delete',
      path: '/sources/:id',
      operationId: 'deleteSource',
      summary: 'Remove a source',
      tag: 'sources',
      scope: 'write',
      params: idParams,
      responses: { 204: { description: 'removed' } },
      handle: source(),
    }),
    route({
      method: 'post',
      path: '/sources/:id/pause',
      operationId: 'pauseSource',
      summary: 'Stop polling a source',
      tag: 'sources',
      scope: 'write',
      params: idParams,
      responses: { 200: { description: 'the paused source', schema: sourceView } },
      handle: source('/pause'),
    }),
    route({
      method: 'post',
      path: '/sources/:id/resume',
      operationId: 'resumeSource',
      summary: 'Restart polling a source',
      tag: 'sources',
      scope: 'write',
      params: idParams,
      responses: { 200: { description: 'the resumed source', schema: sourceView } },
      handle: source('/resume'),
    }),
    route({
      method: 'post',
      path: '/sources/:id/poll',
      operationId: 'pollSource',
      summary: 'Poll a source now',
      tag: 'sources',
      scope: 'write',
      params: idParams,
      responses: {
        200: { description: 'what the poll found', schema: pollSummary },
        409: { description: 'source_busy: a poll is already running' },
      },
      handle: source('/poll'),
    }),
    route({
      method: 'get',
      path: '/sources/:id/health',
      operationId: 'sourceHealth',
      summary: "A source's successes, failures, last error and items per day",
      tag: 'sources',
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'health', schema: sourceHealth } },
      handle: source('/health'),
    }),
    route({
      method: 'get',
      path: '/sources/:id/fetches',
      operationId: 'sourceFetches',
      summary: "A source's latest fetches",
      tag: 'sources',
      scope: 'read',
      params: idParams,
      query: fetchesQuery,
      responses: { 200: { description: 'the fetch log', schema: fetchLog } },
      handle: source('/fetches'),
    }),
    route({
      method: 'post',
      path: '/ingest',
      operationId: 'ingest',
      summary: 'Push one item',
      tag: 'ingest',
      scope: 'write',
      query: ingestQuery,
      body: ingestItem,
      responses: {
        202: { description: 'accepted', schema: ingestResult },
        200: { description: 'a duplicate of an item already recorded', schema: ingestResult },
      },
      handle: relay(() => '/ingest'),
    }),
    route({
      method: 'post',
      path: '/ingest/batch',
      operationId: 'ingestBatch',
      summary: 'Push up to 1,000 items; each is accepted, a duplicate, or rejected with a reason',
      tag: 'ingest',
      scope: 'write',
      query: ingestQuery,
      body: ingestBatch,
      responses: {
        202: { description: 'at least one item accepted', schema: ingestBatchResult },
        200: { description: 'nothing new', schema: ingestBatchResult },
      },
      handle: relay(() => '/ingest/batch'),
    }),
  ];
}
