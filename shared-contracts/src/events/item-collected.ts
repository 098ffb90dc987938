import { z } from 'zod';
import { id, sourceType, text, timestamp, title, url } from './fields.js';

export const itemCollected = z.object({
  itemId: id,
  sourceId: id,
  sourceType,
  externalId: z.string().min(1).max(1000),
  url: url.optional(),
  title,
  content: text.optional(),
  summary: text.optional(),
  author: z.string().max(500).optional(),
  publishedAt: timestamp.optional(),
  collectedAt: timestamp,
  language: z.string().max(20).optional(),
  metadata: z
    .record(z.string().max(100), z.union([z.string().max(2000), z.number(), z.boolean()]))
    .optional(),
});
export type ItemCollected = z.infer<typeof itemCollected>;
