import { z } from 'zod';
import { id, ids, timestamp, version } from './fields.js';

export const clusterMerged = z.object({
  /** The absorbed cluster; it stops existing after this version. */
  clusterId: id,
  version,
  intoClusterId: id,
  movedItemIds: ids,
  mergedAt: timestamp,
});
export type ClusterMerged = z.infer<typeof clusterMerged>;
