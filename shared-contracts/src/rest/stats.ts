import { z } from 'zod';
import { clusterStatus, isoTimestamp } from './common.js';

/** `GET /stats`: the size and freshness of the read model. */
export const queryStats = z.object({
  items: z.number().int().min(0),
  clusteredItems: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  clusters: z.object({
    total: z.number().int().min(0),
    byStatus: z.record(clusterStatus, z.number().int().min(0)),
  }),
  sources: z.number().int().min(0),
  languages: z.number().int().min(0),
  vectors: z.array(z.object({ model: z.string(), count: z.number().int().min(0) })),
  /** When the projection last applied an event (null before the first). */
  lastEventAt: isoTimestamp.nullable(),
  /** Cluster events applied past a missing version (see the query service's README). */
  versionGaps: z.number().int().min(0),
});
export type QueryStats = z.infer<typeof queryStats>;
