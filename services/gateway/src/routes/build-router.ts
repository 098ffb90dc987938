import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from '@trendmill/platform';
import { requireScope } from '../auth/authenticate.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { GatewayMetrics } from '../http/metrics.js';
import { requestIdOf } from '../http/request-id.js';
import { validateInput } from '../http/validation.js';
import type { RouteSpec } from './route-spec.js';
import type { Scope } from '../auth/scopes.js';

/** An express router with one route per spec: scope check, validation (422), cache, handler. */
export function buildRouter(
  specs: readonly RouteSpec[],
  options: {
    cache: ResponseCache | undefined;
    /** Needed with a cache (hit and miss counts). */
    metrics?: GatewayMetrics;
    logger: Logger;
    /** The scope check (default: the authenticated key's scopes); a bare test app passes one that admits all. */
    authorize?: (scope: Scope) => RequestHandler;
  },
): Router {
  const router = Router();
  const { cache, metrics, logger } = options;
  const authorize = options.authorize ?? requireScope;
  for (const spec of specs) {
    const label = (req: Request, res: Response, next: () => void) => {
      // The metrics' route label, taken now: an in-process collector answering the same request
      // sets req.route and req.baseUrl to its own.
      res.locals.routeLabel = `${req.baseUrl}${spec.path}`;
      next();
    };
    router[spec.method](spec.path, label, authorize(spec.scope), async (req: Request, res: Response) => {
      const headers = spec.headers ? validateInput(spec.headers, req.headers, 'header') : {};
      const params = spec.params ? validateInput(spec.params, req.params, 'params') : req.params;
      const query = spec.query ? validateInput(spec.query, req.query, 'query') : {};
      const body = spec.body ? validateInput(spec.body, req.body, 'body') : undefined;

      const cacheKey =
        spec.cached && cache ? `${spec.operationId}:${JSON.stringify([params, query])}` : undefined;
      const cached =
        cacheKey && cache
          ? await cache.lookup(cacheKey).catch((err: unknown) => {
              metrics?.cacheLookups.inc({ result: 'error' });
              logger.warn('response cache read failed; answering uncached', { error: String(err) });
              return undefined;
            })
          : undefined;
      if (cached) {
        const hit = cached.value;
        if (hit !== undefined) {
          metrics?.cacheLookups.inc({ result: 'hit' });
          res.set('x-cache', 'hit').type('application/json').send(hit);
          return;
        }
        metrics?.cacheLookups.inc({ result: 'miss' });
      }

      const controller = new AbortController();
      res.once('close', () => {
        if (!res.writableEnded) controller.abort();
      });
      const reply = await spec.handle({
        req,
        res,
        params,
        query,
        body,
        headers,
        correlationId: requestIdOf(res),
        signal: controller.signal,
      });
      if (!reply) return;
      const status = reply.status ?? 200;
      if (reply.headers) res.set(reply.headers);
      if (reply.body === undefined) {
        res.status(status).end();
        return;
      }
      const text = JSON.stringify(reply.body);
      if (cached && status === 200) {
        res.set('x-cache', 'miss');
        await cached
          .store(text)
          .catch((err: unknown) => logger.warn('response cache write failed', { error: String(err) }));
      }
      res.status(status).type('application/json').send(text);
    });
  }
  return router;
}
