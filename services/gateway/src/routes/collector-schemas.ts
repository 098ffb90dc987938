import { z } from 'zod';

// The collector's response shapes, for the OpenAPI document (the collector builds the answers).

export const sourceView = z.object({
  id: z.string(),
  type: z.enum(['feed', 'reddit', 'hackernews', 'push', 'jsonl']),
  name: z.string().nullable(),
  url: z.string().optional(),
  subreddit: z.string().optional(),
  list: z.string().optional(),
  label: z.string().optional(),
  options: z.record(z.string(), z.unknown()).nullable(),
  status: z.enum(['active', 'paused']),
  intervalSeconds: z.number().int().nullable(),
  effectiveIntervalSeconds: z.number().int().nullable(),
  jitter: z.number().nullable(),
  feedFormat: z.string().nullable(),
  nextPollAt: z.string().nullable(),
  lastPolledAt: z.string().nullable(),
  lastSuccessAt: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const sourceListQuery = z.object({
  type: z.enum(['feed', 'reddit', 'hackernews', 'push', 'jsonl']).optional(),
  status: z.enum(['active', 'paused']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const sourceList = z.object({
  sources: z.array(sourceView),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const pollSummary = z.record(z.string(), z.unknown());
export const sourceHealth = z.record(z.string(), z.unknown());

export const fetchLog = z.object({
  fetches: z.array(
    z.object({
      startedAt: z.string(),
      durationMs: z.number().nullable(),
      outcome: z.string(),
      httpStatus: z.number().int().nullable(),
      itemsFound: z.number().int().nullable(),
      itemsNew: z.number().int().nullable(),
      error: z.string().nullable(),
    }),
  ),
});

export const ingestResult = z.object({
  status: z.enum(['accepted', 'duplicate']),
  itemId: z.string(),
  sourceId: z.string(),
});

export const ingestBatchResult = z.object({
  sourceId: z.string().nullable(),
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
  results: z.array(
    z.object({
      index: z.number().int(),
      status: z.enum(['accepted', 'duplicate', 'rejected']),
      itemId: z.string().optional(),
      code: z.string().optional(),
      message: z.string().optional(),
    }),
  ),
});
