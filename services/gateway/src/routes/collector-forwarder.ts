import type { Request, RequestHandler, Response } from 'express';
import { ApiError } from '@trendmill/platform';

/** Where the collector's API is: its express app in this process, or its URL (distributed mode). */
export type CollectorTarget = RequestHandler | { url: string; apiKey?: string; timeoutMs?: number };

/** Sends the current request to the collector under `/api/v1<path>` and relays its answer. */
export type CollectorForwarder = (req: Request, res: Response, path: string, body?: unknown) => Promise<void>;

const RELAYED_HEADERS = ['content-type', 'location', 'retry-after', 'www-authenticate'];

export function collectorForwarder(target: CollectorTarget): CollectorForwarder {
  return typeof target === 'function' ? inProcess(target) : overHttp(target);
}

function search(req: Request): string {
  const at = req.originalUrl.indexOf('?');
  return at < 0 ? '' : req.originalUrl.slice(at);
}

/**
 * The collector's app answers the same request object: its body parser sees the body already
 * read (and validated) by the gateway and keeps it; the URL is rewritten for the duration.
 */
function inProcess(handler: RequestHandler): CollectorForwarder {
  return (req, res, path, body) =>
    new Promise<void>((resolve, reject) => {
      const { url, baseUrl } = req;
      req.url = `/api/v1${path}${search(req)}`;
      req.headers['x-correlation-id'] = String(res.locals.requestId ?? '');
      if (body !== undefined) req.body = body;
      const restore = () => {
        req.url = url;
        req.baseUrl = baseUrl;
      };
      res.once('finish', () => {
        restore();
        resolve();
      });
      res.once('close', () => resolve());
      Promise.resolve(
        handler(req, res, (err?: unknown) => {
          restore();
          if (err) reject(err instanceof Error ? err : new Error(String(err)));
          else reject(new ApiError(404, 'not_found', `no route ${req.method} ${path}`));
        }),
      ).catch(reject);
    });
}

function overHttp(target: { url: string; apiKey?: string; timeoutMs?: number }): CollectorForwarder {
  const base = target.url.replace(/\/+$/, '');
  return async (req, res, path, body) => {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-correlation-id': String(res.locals.requestId ?? ''),
    };
    if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
    const hasBody = body !== undefined && req.method !== 'GET' && req.method !== 'DELETE';
    if (hasBody) headers['content-type'] = 'application/json';
    let upstream: globalThis.Response;
    try {
      upstream = await fetch(`${base}/api/v1${path}${search(req)}`, {
        method: req.method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(target.timeoutMs ?? 30_000),
        ...(hasBody ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new ApiError(
        502,
        'collector_unavailable',
        `the collector did not answer: ${(err as Error).message}`,
      );
    }
    const text = await upstream.text();
    if (upstream.status === 401)
      // The gateway authenticated the caller; a 401 from behind it is our misconfiguration.
      throw new ApiError(
        502,
        'collector_unavailable',
        'the collector refused the gateway (check COLLECTOR_API_KEY)',
      );
    res.status(upstream.status);
    for (const name of RELAYED_HEADERS) {
      const value = upstream.headers.get(name);
      if (value && name !== 'www-authenticate') res.set(name, value);
    }
    res.send(text);
  };
}
