import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { ApiError } from '@trendmill/platform';

export interface RateLimitOptions {
  /** Requests per window per key. */
  points: number;
  windowSeconds?: number;
  /** Shared limits across replicas; in-process when absent. */
  redis?: Redis;
  keyPrefix?: string;
}

/** A fixed-window limiter: Redis when given (with an in-process insurance limiter if Redis fails). */
export function createLimiter(options: RateLimitOptions): RateLimiterAbstract {
  const duration = options.windowSeconds ?? 60;
  const keyPrefix = options.keyPrefix ?? 'trendmill:gateway:rl';
  const memory = new RateLimiterMemory({ points: options.points, duration, keyPrefix });
  if (!options.redis) return memory;
  return new RateLimiterRedis({
    storeClient: options.redis,
    points: options.points,
    duration,
    keyPrefix,
    // While Redis is unreachable each replica limits on its own instead of failing every request.
    insuranceLimiter: memory,
  });
}

/**
 * Spends one point of `keyOf(req, res)` per request; sets RateLimit-Limit / -Remaining / -Reset
 * (IETF draft headers) and answers 429 `rate_limited` with Retry-After once the window is spent.
 */
export function rateLimit(
  limiter: RateLimiterAbstract,
  keyOf: (req: Request, res: Response) => string,
  onLimited?: () => void,
): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const result = await limiter.consume(keyOf(req, res));
      setHeaders(res, limiter.points, result);
      next();
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      onLimited?.();
      setHeaders(res, limiter.points, err);
      const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new ApiError(
        429,
        'rate_limited',
        `rate limit of ${limiter.points} requests per ${limiter.duration} s reached; retry in ${retryAfter} s`,
        { limit: limiter.points, windowSeconds: limiter.duration, retryAfterSeconds: retryAfter },
        { 'retry-after': String(retryAfter) },
      );
    }
  };
}

/**
 * Counts a failed authentication against the caller's address; throws 429 once it is spent so
 * keys cannot be guessed at full speed.
 */
export async function penalise(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw new ApiError(429, 'rate_limited', 'too many failed authentication attempts', undefined, {
      'retry-after': String(retryAfter),
    });
  }
}

function setHeaders(res: Response, limit: number, result: RateLimiterRes): void {
  res.set({
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(Math.max(0, result.remainingPoints)),
    'ratelimit-reset': String(Math.max(0, Math.ceil(result.msBeforeNext / 1000))),
  });
}
