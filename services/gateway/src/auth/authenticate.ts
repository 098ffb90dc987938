import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from '@trendmill/platform';
import type { AuthenticatedKey } from './api-key-store.js';
import { grants, type Scope } from './scopes.js';

export interface KeyVerifier {
  verify(plaintext: string): Promise<AuthenticatedKey | undefined>;
}

/** The key a request authenticated with (set by `authenticate`). */
export function apiKeyOf(res: Response): AuthenticatedKey | undefined {
  return res.locals.apiKey as AuthenticatedKey | undefined;
}

/** The key from `Authorization: Bearer KEY` or `X-API-Key`. */
export function presentedKey(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1];
  }
  return req.get('x-api-key')?.trim() || undefined;
}

/**
 * 401 `unauthorized` unless the request carries a live key; the key is never logged or echoed.
 * `onRejected` lets the caller count failed attempts (the per-address brute-force limit).
 */
export function authenticate(
  keys: KeyVerifier,
  onRejected?: (req: Request) => Promise<void>,
): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const given = presentedKey(req);
    const key = given ? await keys.verify(given) : undefined;
    if (!key) {
      await onRejected?.(req);
      throw new ApiError(
        401,
        'unauthorized',
        given
          ? 'the API key is not valid'
          : 'an API key is required (Authorization: Bearer KEY or X-API-Key)',
        undefined,
        { 'www-authenticate': 'Bearer' },
      );
    }
    res.locals.apiKey = key;
    next();
  };
}

/** 403 `forbidden` when the authenticated key lacks `scope` (admin ⊃ write ⊃ read). */
export function requireScope(scope: Scope): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    const key = apiKeyOf(res);
    if (!key) throw new ApiError(401, 'unauthorized', 'an API key is required');
    if (!grants(key.scopes, scope))
      throw new ApiError(403, 'forbidden', `this key lacks the "${scope}" scope`, {
        required: scope,
        granted: key.scopes,
      });
    next();
  };
}
