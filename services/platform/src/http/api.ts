import { timingSafeEqual } from 'node:crypto';
import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type Response,
  type RequestHandler,
} from 'express';
import type { ZodType } from 'zod';
import type { Logger } from '../runtime/logger.js';

/**
 * The HTTP conventions every Trendmill API shares: one error shape
 * `{ error: { code, message, details? } }`, body size limits (413 `payload_too_large`), JSON
 * parse errors (400 `invalid_json`), zod validation (400 `validation_failed` with the fields at
 * fault) and API keys (`Authorization: Bearer KEY` or `X-API-Key`, compared in constant time).
 */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function sendError(
  res: Response,
  status: number,
  code: string,
  message: string,
  details?: unknown,
): void {
  const body: ApiErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  res.status(status).json(body);
}

/** Parses with a zod schema or throws 400 validation_failed naming each field at fault. */
export function validateBody<T>(schema: ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({
    path: i.path.join('.') || '(body)',
    message: i.message,
  }));
  throw new ApiError(
    400,
    'validation_failed',
    details.map((d) => `${d.path}: ${d.message}`).join('; '),
    details,
  );
}

/** JSON bodies of any content type up to `limitBytes`; larger ones end in 413. */
export function jsonBody(limitBytes: number): RequestHandler {
  return express.json({ limit: limitBytes, type: () => true, strict: false });
}

/** Refuses requests without one of `keys` (401 `unauthorized`). An empty list lets everything in. */
export function requireApiKey(keys: readonly string[]): RequestHandler {
  const buffers = keys.filter(Boolean).map((k) => Buffer.from(k));
  return (req: Request, res: Response, next: NextFunction) => {
    if (buffers.length === 0) return next();
    const header = req.get('authorization');
    const given = header?.startsWith('Bearer ') ? header.slice(7) : req.get('x-api-key');
    const buffer = given ? Buffer.from(given) : undefined;
    if (buffer && buffers.some((k) => k.length === buffer.length && timingSafeEqual(k, buffer)))
      return next();
    res.set('www-authenticate', 'Bearer');
    return sendError(res, 401, 'unauthorized', 'a valid API key is required');
  };
}

/**
 * The last middleware of an API: ApiError as itself, `translate` for a service's own error types,
 * body-parser failures as 400/413, anything else as a logged 500 that shows no internals.
 */
export function apiErrorHandler(options: {
  logger: Logger;
  service: string;
  translate?: (err: unknown) => ApiError | undefined;
}): ErrorRequestHandler {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const api = err instanceof ApiError ? err : options.translate?.(err);
    if (api) {
      if (api.headers) res.set(api.headers);
      return sendError(res, api.status, api.code, api.message, api.details);
    }
    const status = httpStatusOf(err);
    if (status === 413) return sendError(res, 413, 'payload_too_large', 'the request body is too large');
    if (status === 400 && isBodyParseError(err))
      return sendError(res, 400, 'invalid_json', 'the request body is not valid JSON');
    if (status && status >= 400 && status < 500)
      return sendError(res, status, 'bad_request', String((err as Error).message));
    options.logger.error(`${options.service} API request failed`, {
      method: req.method,
      path: req.path,
      error: String(err),
    });
    return sendError(res, 500, 'internal', 'the request could not be completed');
  };
}

/** 404 `not_found` for any route an API does not have. */
export function notFound(): RequestHandler {
  return (req, res) => sendError(res, 404, 'not_found', `no route ${req.method} ${req.path}`);
}

function httpStatusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const status =
    (err as { status?: unknown; statusCode?: unknown }).status ??
    (err as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

function isBodyParseError(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.parse.failed'
  );
}
