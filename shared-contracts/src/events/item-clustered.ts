import { z } from 'zod';
import { id, timestamp } from './fields.js';

export const itemClustered = z.object({
  itemId: id,
  /** null while the item waits in the pool for discovery. */
  clusterId: id.nullable(),
  similarity: z.number().min(-1).max(1).optional(),
  method: z.enum(['assigned', 'discovered', 'pooled']),
  model: z.string().min(1).max(200),
  clusteredAt: timestamp,
});
export type ItemClustered = z.infer<typeof itemClustered>;
