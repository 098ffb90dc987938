import { z } from 'zod';
import { createAddressPolicy, isFetchError, parseIp } from '../fetch/index.js';
import { InvalidSubredditNameError, parseSubredditName } from './reddit/index.js';

/** Source types that are polled; `push` and `jsonl` sources are created by ingest and import. */
export const POLLED_SOURCE_TYPES = ['feed', 'reddit', 'hackernews'] as const;
export type PolledSourceType = (typeof POLLED_SOURCE_TYPES)[number];
export type SourceType = PolledSourceType | 'push' | 'jsonl';

export const MIN_INTERVAL_SECONDS = 60;
export const MAX_INTERVAL_SECONDS = 7 * 24 * 3600;
export const DEFAULT_INTERVAL_SECONDS = 15 * 60;
export const DEFAULT_JITTER = 0.1;

const name = z.string().trim().min(1).max(200);
const intervalSeconds = z.number().int().min(MIN_INTERVAL_SECONDS).max(MAX_INTERVAL_SECONDS);
const jitter = z.number().min(0).max(0.5);
const httpUrl = z
  .string()
  .max(4000)
  .refine((u) => {
    try {
      const parsed = new URL(u);
      return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
    } catch {
      return false;
    }
  }, 'expected an absolute http(s) URL');
const common = {
  name: name.optional(),
  intervalSeconds: intervalSeconds.optional(),
  jitter: jitter.optional(),
};

export const createSourceInput = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('feed'), url: httpUrl, ...common }),
  z.strictObject({
    type: z.literal('reddit'),
    subreddit: z.string().min(1).max(100),
    sort: z.enum(['new', 'hot', 'top']).optional(),
    period: z.enum(['hour', 'day', 'week', 'month', 'year', 'all']).optional(),
    ...common,
  }),
  z.strictObject({
    type: z.literal('hackernews'),
    list: z.enum(['top', 'new', 'best']),
    limit: z.number().int().min(1).max(500).optional(),
    ...common,
  }),
]);
export type CreateSourceInput = z.infer<typeof createSourceInput>;

export const updateSourceInput = z
  .strictObject({
    name,
    url: httpUrl,
    intervalSeconds,
    jitter,
    sort: z.enum(['new', 'hot', 'top']),
    period: z.enum(['hour', 'day', 'week', 'month', 'year', 'all']),
    limit: z.number().int().min(1).max(500),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update');
export type UpdateSourceInput = z.infer<typeof updateSourceInput>;

/** What a source is stored as: its target (feed URL, subreddit, list) and type-specific options. */
export interface SourceDefinition {
  type: SourceType;
  name: string;
  target: string;
  options: SourceOptions;
  intervalSeconds: number;
  jitter: number;
}

export interface SourceOptions {
  sort?: 'new' | 'hot' | 'top';
  period?: 'hour' | 'day' | 'week' | 'month' | 'year' | 'all';
  limit?: number;
}

export class InvalidSourceError extends Error {
  override readonly name = 'InvalidSourceError';
  constructor(
    readonly code: 'invalid_source' | 'url_not_allowed',
    message: string,
  ) {
    super(message);
  }
}

export function defineSource(input: CreateSourceInput, allowlist: readonly string[] = []): SourceDefinition {
  const base = {
    intervalSeconds: input.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS,
    jitter: input.jitter ?? DEFAULT_JITTER,
  };
  switch (input.type) {
    case 'feed': {
      const url = new URL(input.url);
      checkUrlAllowed(url, allowlist);
      url.hash = '';
      return { ...base, type: 'feed', name: input.name ?? url.host, target: url.href, options: {} };
    }
    case 'reddit': {
      let subreddit: string;
      try {
        subreddit = parseSubredditName(input.subreddit);
      } catch (err) {
        if (err instanceof InvalidSubredditNameError)
          throw new InvalidSourceError('invalid_source', err.message);
        throw err;
      }
      const options: SourceOptions = {
        sort: input.sort ?? 'new',
        ...(input.period ? { period: input.period } : {}),
      };
      return {
        ...base,
        type: 'reddit',
        name: input.name ?? `r/${subreddit}`,
        target: subreddit.toLowerCase(),
        options,
      };
    }
    case 'hackernews':
      return {
        ...base,
        type: 'hackernews',
        name: input.name ?? `Hacker News ${input.list}`,
        target: input.list,
        options: { limit: input.limit ?? 100 },
      };
  }
}

/**
 * Refuses at once a URL whose host is a literal address (or `localhost`) the SSRF guard would
 * block, so the user hears it when adding the source. Names are checked again, resolved, on every
 * fetch by the guarded connector; this is only the early, clear answer.
 */
export function checkUrlAllowed(url: URL, allowlist: readonly string[]): void {
  const policy = createAddressPolicy(allowlist);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const address = parseIp(host) ? host : /(^|\.)localhost\.?$/i.test(host) ? '127.0.0.1' : undefined;
  if (!address) return;
  try {
    policy.assertAllowed(host, address);
  } catch (err) {
    if (!isFetchError(err, 'ssrf_blocked')) throw err;
    throw new InvalidSourceError(
      'url_not_allowed',
      `${err.message} (COLLECTOR_FETCH_ALLOWLIST can permit it)`,
    );
  }
}
