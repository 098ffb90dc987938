import { z } from 'zod';
import { id, timestamp, version } from './fields.js';

export const clusterRetired = z.object({
  clusterId: id,
  version,
  reason: z.string().max(500),
  lastItemAt: timestamp,
  retiredAt: timestamp,
});
export type ClusterRetired = z.infer<typeof clusterRetired>;
