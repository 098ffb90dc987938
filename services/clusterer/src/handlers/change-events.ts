import { createHash, randomUUID } from 'node:crypto';
import type { OutgoingMessage } from '@trendmill/platform';
import {
  EVENT_TYPES,
  createEvent,
  serializeEvent,
  type ClusterUpdated,
  type TrendmillEvent,
} from '@trendmill/shared-contracts';
import type { ClusterState, EngineChange } from '../domain/index.js';

export const CLUSTERER_SOURCE = '/trendmill/clusterer';

export interface EventContext {
  model: string;
  /** When the change happened (epoch ms). */
  now: number;
  correlationid?: string | undefined;
  traceparent?: string | undefined;
}

// The event schemas bound these lists; a cluster beyond them is announced by its first entries.
const MAX_IDS = 10_000;
const MAX_KEYWORDS = 50;

/**
 * The events announcing an engine's changes, in the order the engine made them. A cluster event's
 * id derives from (cluster, version), so the same state is never announced under two ids.
 */
export function eventsForChanges(changes: readonly EngineChange[], context: EventContext): OutgoingMessage[] {
  return changes.map((change) => toMessage(eventFor(change, context)));
}

function eventFor(change: EngineChange, context: EventContext): TrendmillEvent {
  const at = new Date(context.now).toISOString();
  switch (change.kind) {
    case 'item-clustered':
      return createEvent(
        EVENT_TYPES.itemClustered,
        {
          itemId: change.itemId,
          clusterId: change.clusterId,
          method: change.method,
          model: context.model,
          clusteredAt: at,
          ...(change.similarity !== undefined && Number.isFinite(change.similarity)
            ? { similarity: clamp(change.similarity, -1, 1) }
            : {}),
        },
        options(context, change.itemId, randomUUID()),
      );
    case 'cluster-created': {
      const c = change.cluster;
      return createEvent(
        EVENT_TYPES.clusterCreated,
        {
          clusterId: c.clusterId,
          version: c.version,
          model: c.model,
          label: c.label.slice(0, 300),
          keywords: keywordsOf(c),
          size: c.size,
          representativeItemIds: c.representativeItemIds.slice(0, MAX_IDS),
          memberItemIds: change.memberItemIds.slice(0, MAX_IDS),
          emergingScore: finite(c.emergingScore),
          createdAt: new Date(c.createdAt).toISOString(),
        },
        options(context, c.clusterId, versionedId(EVENT_TYPES.clusterCreated, c)),
      );
    }
    case 'cluster-updated': {
      const c = change.cluster;
      return createEvent(
        EVENT_TYPES.clusterUpdated,
        {
          clusterId: c.clusterId,
          version: c.version,
          label: c.label.slice(0, 300),
          keywords: keywordsOf(c),
          size: c.size,
          addedItemIds: change.addedItemIds.slice(0, MAX_IDS),
          representativeItemIds: c.representativeItemIds.slice(0, MAX_IDS),
          emergingScore: finite(c.emergingScore),
          velocity: finite(c.velocity),
          status: liveStatus(c),
          updatedAt: new Date(c.updatedAt).toISOString(),
        },
        options(context, c.clusterId, versionedId(EVENT_TYPES.clusterUpdated, c)),
      );
    }
    case 'cluster-merged':
      return createEvent(
        EVENT_TYPES.clusterMerged,
        {
          clusterId: change.cluster.clusterId,
          version: change.cluster.version,
          intoClusterId: change.intoClusterId,
          movedItemIds: change.movedItemIds.slice(0, MAX_IDS),
          mergedAt: at,
        },
        options(context, change.cluster.clusterId, versionedId(EVENT_TYPES.clusterMerged, change.cluster)),
      );
    case 'cluster-retired':
      return createEvent(
        EVENT_TYPES.clusterRetired,
        {
          clusterId: change.cluster.clusterId,
          version: change.cluster.version,
          reason: change.reason.slice(0, 500),
          lastItemAt: new Date(change.cluster.lastItemAt).toISOString(),
          retiredAt: at,
        },
        options(context, change.cluster.clusterId, versionedId(EVENT_TYPES.clusterRetired, change.cluster)),
      );
  }
}

function options(context: EventContext, subject: string, id: string) {
  return {
    id,
    source: CLUSTERER_SOURCE,
    subject,
    time: new Date(context.now).toISOString(),
    ...(context.traceparent ? { traceparent: context.traceparent } : {}),
    ...(context.correlationid ? { correlationid: context.correlationid } : {}),
  };
}

function toMessage(event: TrendmillEvent): OutgoingMessage {
  return { id: event.id, type: event.type, key: event.subject, headers: {}, body: serializeEvent(event) };
}

/** A UUID (version 8 layout, name-based) from the event type and the cluster's id and version. */
export function versionedId(type: string, cluster: Pick<ClusterState, 'clusterId' | 'version'>): string {
  const h = createHash('sha256').update(`${type}\n${cluster.clusterId}\n${cluster.version}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function keywordsOf(c: ClusterState) {
  return c.keywords
    .filter((k) => k.term.length > 0)
    .slice(0, MAX_KEYWORDS)
    .map((k) => ({ term: k.term.slice(0, 200), weight: finite(k.weight) }));
}

// cluster.updated speaks of live clusters; an update that lands with the cluster already gone is
// followed by its merged/retired event, so it reads as fading until then.
function liveStatus(c: ClusterState): ClusterUpdated['status'] {
  return c.status === 'emerging' || c.status === 'active' || c.status === 'fading' ? c.status : 'fading';
}

const finite = (n: number) => (Number.isFinite(n) ? n : 0);
const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));
