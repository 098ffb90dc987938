import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/** X-Request-Id in and out: the caller's when it is a sane token, a fresh UUID otherwise. */
export function requestId() {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.get('x-request-id');
    const id = given && ACCEPTED.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.set('x-request-id', id);
    next();
  };
}

export function requestIdOf(res: Response): string {
  return String(res.locals.requestId ?? '');
}
