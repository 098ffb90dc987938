import type { z } from 'zod';
import type { Envelope } from './envelope.js';
import { encodeVector } from './vector.js';
import { itemCollected, type ItemCollected } from './events/item-collected.js';
import { itemNormalized, type ItemNormalized } from './events/item-normalized.js';
import { itemDuplicateDetected, type ItemDuplicateDetected } from './events/item-duplicate-detected.js';
import { itemEmbedded, type ItemEmbedded } from './events/item-embedded.js';
import { itemClustered, type ItemClustered } from './events/item-clustered.js';
import { clusterCreated, type ClusterCreated } from './events/cluster-created.js';
import { clusterUpdated, type ClusterUpdated } from './events/cluster-updated.js';
import { clusterMerged, type ClusterMerged } from './events/cluster-merged.js';
import { clusterRetired, type ClusterRetired } from './events/cluster-retired.js';
import { sourceFailed, type SourceFailed } from './events/source-failed.js';

export const EVENT_TYPES = {
  itemCollected: 'trendmill.item.collected.v1',
  itemNormalized: 'trendmill.item.normalized.v1',
  itemDuplicateDetected: 'trendmill.item.duplicate-detected.v1',
  itemEmbedded: 'trendmill.item.embedded.v1',
  itemClustered: 'trendmill.item.clustered.v1',
  clusterCreated: 'trendmill.cluster.created.v1',
  clusterUpdated: 'trendmill.cluster.updated.v1',
  clusterMerged: 'trendmill.cluster.merged.v1',
  clusterRetired: 'trendmill.cluster.retired.v1',
  sourceFailed: 'trendmill.source.failed.v1',
} as const;

export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

export interface EventDataMap {
  'trendmill.item.collected.v1': ItemCollected;
  'trendmill.item.normalized.v1': ItemNormalized;
  'trendmill.item.duplicate-detected.v1': ItemDuplicateDetected;
  'trendmill.item.embedded.v1': ItemEmbedded;
  'trendmill.item.clustered.v1': ItemClustered;
  'trendmill.cluster.created.v1': ClusterCreated;
  'trendmill.cluster.updated.v1': ClusterUpdated;
  'trendmill.cluster.merged.v1': ClusterMerged;
  'trendmill.cluster.retired.v1': ClusterRetired;
  'trendmill.source.failed.v1': SourceFailed;
}

/** An envelope whose `data` is typed by its `type`; a union over every type when T is not narrowed. */
export type TrendmillEvent<T extends EventType = EventType> = T extends EventType
  ? Omit<Envelope, 'type' | 'data'> & { type: T; data: EventDataMap[T] }
  : never;

export interface EventDescriptor<T extends EventType = EventType> {
  type: T;
  entity: string;
  verb: string;
  version: number;
  description: string;
  schema: z.ZodType<EventDataMap[T]>;
  example: EventDataMap[T];
}

const T0 = '2026-11-20T10:00:00.000Z';
const HASH = 'a3f1c2d4e5b6a7980a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071';

function describe<T extends EventType>(
  type: T,
  description: string,
  schema: z.ZodType<EventDataMap[T]>,
  example: EventDataMap[T],
): EventDescriptor<T> {
  const [, entity, verb, v] = type.split('.') as [string, string, string, string];
  return { type, entity, verb, version: Number(v.slice(1)), description, schema, example };
}

/** Every event Trendmill publishes, with its data schema and a valid example. */
export const eventCatalog: { [T in EventType]: EventDescriptor<T> } = {
  'trendmill.item.collected.v1': describe(
    EVENT_TYPES.itemCollected,
    'A new item arrived from a source (feed, subreddit, Hacker News, push, import). Emitted once per item.',
    itemCollected,
    {
      itemId: 'itm_01HZX3',
      sourceId: 'src_hn',
      sourceType: 'hackernews',
      externalId: '41234567',
      url: 'https://example.org/post?utm_source=hn',
      title: 'Show HN: A tiny vector database',
      content: '<p>We built a <b>tiny</b> vector database.</p>',
      author: 'alice',
      publishedAt: T0,
      collectedAt: T0,
      metadata: { score: 120, comments: 42 },
    },
  ),
  'trendmill.item.normalized.v1': describe(
    EVENT_TYPES.itemNormalized,
    'Clean text, canonical URL, language and hashes of a collected item that is not a duplicate.',
    itemNormalized,
    {
      itemId: 'itm_01HZX3',
      sourceId: 'src_hn',
      sourceType: 'hackernews',
      url: 'https://example.org/post?utm_source=hn',
      canonicalUrl: 'https://example.org/post',
      title: 'Show HN: A tiny vector database',
      text: 'We built a tiny vector database.',
      language: 'en',
      publishedAt: T0,
      collectedAt: T0,
      contentHash: HASH,
      simhash: '8f3a0c11d2e4b675',
      author: 'alice',
    },
  ),
  'trendmill.item.duplicate-detected.v1': describe(
    EVENT_TYPES.itemDuplicateDetected,
    'A collected item repeats an earlier one (same canonical URL, same content, or a near-duplicate).',
    itemDuplicateDetected,
    {
      itemId: 'itm_01HZX9',
      originalItemId: 'itm_01HZX3',
      method: 'near-duplicate',
      similarity: 0.94,
      sourceId: 'src_rss_1',
      detectedAt: T0,
    },
  ),
  'trendmill.item.embedded.v1': describe(
    EVENT_TYPES.itemEmbedded,
    'The vector of a normalized item, with the model that made it; vectors of different models never mix.',
    itemEmbedded,
    {
      itemId: 'itm_01HZX3',
      model: 'local-hash-v1',
      dim: 4,
      vector: encodeVector([0.5, -0.5, 0.25, 0.625]),
      contentHash: HASH,
      sourceId: 'src_hn',
      sourceType: 'hackernews',
      title: 'Show HN: A tiny vector database',
      text: 'We built a tiny vector database.',
      url: 'https://example.org/post',
      language: 'en',
      publishedAt: T0,
    },
  ),
  'trendmill.item.clustered.v1': describe(
    EVENT_TYPES.itemClustered,
    'An embedded item joined a cluster, or waits in the pool (clusterId null) for discovery.',
    itemClustered,
    {
      itemId: 'itm_01HZX3',
      clusterId: 'clu_7Q2',
      similarity: 0.81,
      method: 'assigned',
      model: 'local-hash-v1',
      clusteredAt: T0,
    },
  ),
  'trendmill.cluster.created.v1': describe(
    EVENT_TYPES.clusterCreated,
    'A genuinely new topic was discovered. Emitted once per topic.',
    clusterCreated,
    {
      clusterId: 'clu_7Q2',
      version: 1,
      model: 'local-hash-v1',
      label: 'vector databases',
      keywords: [
        { term: 'vector', weight: 0.42 },
        { term: 'database', weight: 0.31 },
      ],
      size: 12,
      representativeItemIds: ['itm_01HZX3'],
      memberItemIds: ['itm_01HZX3', 'itm_01HZX4'],
      emergingScore: 3.2,
      createdAt: T0,
    },
  ),
  'trendmill.cluster.updated.v1': describe(
    EVENT_TYPES.clusterUpdated,
    'A topic grew or its description, score or status changed.',
    clusterUpdated,
    {
      clusterId: 'clu_7Q2',
      version: 2,
      label: 'vector databases',
      keywords: [{ term: 'vector', weight: 0.4 }],
      size: 15,
      addedItemIds: ['itm_01HZXA'],
      representativeItemIds: ['itm_01HZX3'],
      emergingScore: 4.1,
      velocity: 1.5,
      status: 'emerging',
      updatedAt: T0,
    },
  ),
  'trendmill.cluster.merged.v1': describe(
    EVENT_TYPES.clusterMerged,
    'A topic converged with another and was absorbed into it.',
    clusterMerged,
    {
      clusterId: 'clu_8R1',
      version: 5,
      intoClusterId: 'clu_7Q2',
      movedItemIds: ['itm_01HZXB'],
      mergedAt: T0,
    },
  ),
  'trendmill.cluster.retired.v1': describe(
    EVENT_TYPES.clusterRetired,
    'A topic went quiet past the retirement horizon.',
    clusterRetired,
    { clusterId: 'clu_7Q2', version: 9, reason: 'no new items for 72h', lastItemAt: T0, retiredAt: T0 },
  ),
  'trendmill.source.failed.v1': describe(
    EVENT_TYPES.sourceFailed,
    'A source keeps failing (emitted when consecutive failures cross the threshold).',
    sourceFailed,
    {
      sourceId: 'src_rss_1',
      sourceType: 'rss',
      url: 'https://example.org/feed.xml',
      consecutiveFailures: 5,
      lastError: 'timeout: no response within 15000 ms',
      failedAt: T0,
      nextAttemptAt: T0,
    },
  ),
};

export const EVENT_TYPE_LIST = Object.keys(eventCatalog) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}
