import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '@trendmill/platform';

// A NUL byte (%00) in a path or query string is never part of an id, a name or a search, and
// PostgreSQL text cannot hold one: left in, it reaches a query and fails there as a 500.
const NUL = /%00|\0/i;

/** 400 `invalid_url` for a request whose path or query string carries a NUL byte. */
export function rejectNulInUrl() {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (NUL.test(req.originalUrl))
      throw new ApiError(400, 'invalid_url', 'the URL must not contain NUL bytes (%00)');
    next();
  };
}
