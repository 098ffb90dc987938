import { z } from 'zod';
import { id, sourceType, text, timestamp, title, url } from './fields.js';

export const itemNormalized = z.object({
  itemId: id,
  sourceId: id,
  sourceType,
  url: url.optional(),
  canonicalUrl: url.optional(),
  title,
  text,
  /** ISO 639-1 code, or 'und' when undetermined. */
  language: z.string().min(2).max(20),
  publishedAt: timestamp,
  collectedAt: timestamp,
  contentHash: z.string().regex(/^[0-9a-f]{64}$/, 'sha256 hex'),
  simhash: z.string().regex(/^[0-9a-f]{16}$/, '64-bit hex'),
  author: z.string().max(500).optional(),
});
export type ItemNormalized = z.infer<typeof itemNormalized>;
