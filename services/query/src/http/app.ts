import express, { type Express, type Request, type Response } from 'express';
import { ApiError, apiErrorHandler, notFound, requireApiKey, type Logger } from '@trendmill/platform';
import type { CallOptions, QueryApi } from '../api.js';
import { QueryApiError } from '../errors.js';
import type { QueryMetrics } from '../metrics.js';

export interface QueryAppOptions {
  logger: Logger;
  /** When set, every request needs one of these keys. */
  apiKeys?: readonly string[];
  metrics?: QueryMetrics;
}

/**
 * The query service's internal HTTP API (the gateway's backend in distributed mode): each route is
 * one QueryApi call with the query string as its parameters. Errors are the platform's
 * `{ error: { code, message, details } }`: 400 validation_failed / invalid_cursor, 404
 * cluster_not_found / item_not_found, 503 embedder_unavailable.
 */
export function createQueryApp(api: QueryApi, options: QueryAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requireApiKey(options.apiKeys ?? []));

  const route = (
    path: string,
    operation: string,
    call: (req: Request, options: CallOptions) => Promise<unknown>,
  ) => {
    app.get(path, async (req: Request, res: Response) => {
      const started = process.hrtime.bigint();
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableEnded) controller.abort();
      });
      const correlationId = req.get('x-correlation-id');
      let status = 200;
      try {
        res.json(await call(req, { signal: controller.signal, ...(correlationId ? { correlationId } : {}) }));
      } catch (err) {
        status = err instanceof QueryApiError ? err.status : 500;
        throw err;
      } finally {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        options.metrics?.requestSeconds.observe({ operation, status: String(status) }, seconds);
      }
    });
  };
  const id = (req: Request) => String(req.params.id);

  route('/clusters', 'listClusters', (req, o) => api.listClusters(req.query, o));
  route('/clusters/:id', 'getCluster', (req, o) => api.getCluster(id(req), req.query, o));
  route('/clusters/:id/items', 'listClusterItems', (req, o) => api.listClusterItems(id(req), req.query, o));
  route('/items', 'listItems', (req, o) => api.listItems(req.query, o));
  route('/items/:id', 'getItem', (req, o) => api.getItem(id(req), o));
  route('/items/:id/similar', 'similarItems', (req, o) => api.similarItems(id(req), req.query, o));
  route('/search', 'search', async (req, o) => {
    const result = await api.search(req.query as { q: string }, o).catch((err: unknown) => {
      options.metrics?.searches.inc({ mode: String(req.query.mode ?? 'hybrid'), outcome: 'error' });
      throw err;
    });
    options.metrics?.searches.inc({ mode: result.mode, outcome: result.degraded ? 'degraded' : 'ok' });
    return result;
  });
  route('/trends', 'trends', (req, o) => api.trends(req.query, o));
  route('/stats', 'stats', (_req, o) => api.stats(o));

  app.use(notFound());
  app.use(
    apiErrorHandler({
      logger: options.logger,
      service: 'query',
      translate: (err) =>
        err instanceof QueryApiError
          ? new ApiError(err.status, err.code, err.message, err.details)
          : undefined,
    }),
  );
  return app;
}
