import { z } from 'zod';
import { id, sourceType, timestamp, url } from './fields.js';

export const sourceFailed = z.object({
  sourceId: id,
  sourceType,
  url: url.optional(),
  consecutiveFailures: z.number().int().min(1),
  lastError: z.string().max(2000),
  failedAt: timestamp,
  nextAttemptAt: timestamp.optional(),
});
export type SourceFailed = z.infer<typeof sourceFailed>;
