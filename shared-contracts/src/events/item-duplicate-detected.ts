import { z } from 'zod';
import { id, timestamp, unitInterval } from './fields.js';

export const itemDuplicateDetected = z.object({
  itemId: id,
  originalItemId: id,
  method: z.enum(['url', 'content-hash', 'near-duplicate']),
  similarity: unitInterval,
  sourceId: id,
  detectedAt: timestamp,
});
export type ItemDuplicateDetected = z.infer<typeof itemDuplicateDetected>;
