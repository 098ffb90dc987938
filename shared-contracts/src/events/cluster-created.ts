import { z } from 'zod';
import { id, ids, keywords, timestamp, version } from './fields.js';

export const clusterCreated = z.object({
  clusterId: id,
  version,
  model: z.string().min(1).max(200),
  label: z.string().max(300),
  keywords,
  size: z.number().int().min(0),
  representativeItemIds: ids,
  memberItemIds: ids,
  emergingScore: z.number(),
  createdAt: timestamp,
});
export type ClusterCreated = z.infer<typeof clusterCreated>;
