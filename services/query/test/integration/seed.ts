import { EVENT_TYPES } from '@trendmill/shared-contracts';
import { CORPUS } from '../fixtures/corpus.js';
import { QueryHarness, created, retired, updated } from './harness.js';

/** The corpus in three live clusters (one of each status) plus a retired one and an unclustered item. */
export async function seededHarness(
  options: { clock?: () => Date; backend?: 'postgres' | 'pglite' } = {},
): Promise<QueryHarness> {
  const h = await QueryHarness.start(options);
  await h.addItems(CORPUS);
  await h.publish(
    EVENT_TYPES.clusterCreated,
    created({
      clusterId: 'c-rust',
      memberItemIds: ['rust-1', 'rust-2', 'rust-3'],
      representativeItemIds: ['rust-2'],
    }),
  );
  await h.publish(
    EVENT_TYPES.clusterCreated,
    created({ clusterId: 'c-pasta', memberItemIds: ['pasta-1', 'pasta-2'] }),
  );
  await h.publish(
    EVENT_TYPES.clusterCreated,
    created({ clusterId: 'c-fussball', memberItemIds: ['fussball-1', 'fussball-2'] }),
  );
  await h.publish(
    EVENT_TYPES.clusterCreated,
    created({ clusterId: 'c-old', createdAt: '2026-02-01T00:00:00.000Z' }),
  );
  await h.settle();
  await h.publish(
    EVENT_TYPES.clusterUpdated,
    updated({
      clusterId: 'c-rust',
      version: 2,
      size: 3,
      velocity: 1.5,
      emergingScore: 2,
      status: 'active',
      representativeItemIds: ['rust-2'],
    }),
  );
  await h.publish(
    EVENT_TYPES.clusterUpdated,
    updated({ clusterId: 'c-pasta', version: 2, size: 2, velocity: 3, emergingScore: 5, status: 'emerging' }),
  );
  await h.publish(
    EVENT_TYPES.clusterUpdated,
    updated({
      clusterId: 'c-fussball',
      version: 2,
      size: 2,
      velocity: 0.5,
      emergingScore: 0.1,
      status: 'fading',
    }),
  );
  await h.publish(
    EVENT_TYPES.clusterRetired,
    retired({
      clusterId: 'c-old',
      version: 2,
      reason: 'quiet for 14 days',
      lastItemAt: '2026-02-01T00:00:00.000Z',
      retiredAt: '2026-02-15T00:00:00.000Z',
    }),
  );
  await h.settle();
  return h;
}
