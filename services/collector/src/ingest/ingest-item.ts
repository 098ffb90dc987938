import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Candidate } from '../service/candidate.js';

/** Most items one batch request (or one import round trip) may carry. */
export const MAX_BATCH_ITEMS = 1000;

const httpUrl = z
  .string()
  .max(4000)
  .refine((u) => {
    try {
      const parsed = new URL(u);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'expected an absolute http(s) URL');

/**
 * One item pushed to `POST /ingest` or written as one line of a JSONL import. Unknown fields are
 * ignored; at least one of title, content and summary must carry text.
 */
export const ingestItem = z
  .object({
    externalId: z.string().trim().min(1).max(1000).optional(),
    title: z.string().max(1000).optional(),
    url: httpUrl.optional(),
    content: z.string().max(100_000).optional(),
    summary: z.string().max(100_000).optional(),
    author: z.string().max(500).optional(),
    publishedAt: z.iso.datetime({ offset: true }).optional(),
    language: z.string().max(20).optional(),
    metadata: z
      .record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean()]))
      .optional(),
  })
  .refine(
    (item) => [item.title, item.content, item.summary].some((t) => t !== undefined && t.trim() !== ''),
    {
      message: 'an item needs a title, content or summary with text',
    },
  );
export type IngestItem = z.infer<typeof ingestItem>;

/** A label naming where pushed items come from (`?source=` / `"source"`); defaults to `api`. */
export const sourceLabel = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/, 'expected 1-100 letters, digits, ".", "_", ":" or "-"');

export const ingestBatch = z.object({
  source: sourceLabel.optional(),
  sourceType: z.enum(['push', 'jsonl']).optional(),
  items: z.array(z.unknown()).min(1).max(MAX_BATCH_ITEMS),
});

/** The item as the collector records it. Without an externalId the URL, else a hash of its text, names it. */
export function toCandidate(item: IngestItem): Candidate {
  const externalId =
    item.externalId ??
    item.url ??
    `sha256:${createHash('sha256')
      .update(JSON.stringify([item.title ?? '', item.content ?? '', item.summary ?? '']))
      .digest('hex')}`;
  return {
    externalId,
    title: item.title?.trim() ?? '',
    url: item.url ?? null,
    content: item.content ?? null,
    summary: item.summary ?? null,
    author: item.author ?? null,
    publishedAt: item.publishedAt ?? null,
    language: item.language ?? null,
    ...(item.metadata ? { metadata: item.metadata } : {}),
  };
}

export interface ItemIssue {
  code: 'invalid_item';
  message: string;
  details: Array<{ path: string; message: string }>;
}

/** Validates one pushed item; the issue names the fields at fault. */
export function readIngestItem(
  value: unknown,
): { ok: true; item: IngestItem } | { ok: false; issue: ItemIssue } {
  const parsed = ingestItem.safeParse(value);
  if (parsed.success) return { ok: true, item: parsed.data };
  const details = parsed.error.issues.map((i) => ({
    path: i.path.join('.') || '(item)',
    message: i.message,
  }));
  return {
    ok: false,
    issue: {
      code: 'invalid_item',
      message: details.map((d) => `${d.path}: ${d.message}`).join('; '),
      details,
    },
  };
}
