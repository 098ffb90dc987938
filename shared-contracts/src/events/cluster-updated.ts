import { z } from 'zod';
import { id, ids, keywords, timestamp, version } from './fields.js';

export const clusterUpdated = z.object({
  clusterId: id,
  version,
  label: z.string().max(300),
  keywords,
  size: z.number().int().min(0),
  addedItemIds: ids,
  representativeItemIds: ids,
  emergingScore: z.number(),
  velocity: z.number(),
  status: z.enum(['emerging', 'active', 'fading']),
  updatedAt: timestamp,
});
export type ClusterUpdated = z.infer<typeof clusterUpdated>;
