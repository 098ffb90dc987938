import {
  PermanentFailure,
  currentContext,
  enqueueEvents,
  eventOf,
  injectTraceparent,
  runOnce,
  type ReceivedMessage,
} from '@trendmill/platform';
import type { EVENT_TYPES, TrendmillEvent } from '@trendmill/shared-contracts';
import { EngineError, type ClusterEngine, type EngineChange, type EngineItem } from '../domain/index.js';
import type { EngineRegistry } from '../engine-registry.js';
import { clusterStore } from '../store/cluster-store.js';
import type { PrismaClient } from '../store/prisma.js';
import { eventsForChanges } from './change-events.js';
import { unitVectorOf } from './unit-vector.js';

export const CLUSTERER_CONSUMER = 'clusterer';

export interface ClusterEmbeddedDeps {
  prisma: PrismaClient;
  schema: string;
  engines: EngineRegistry;
  now: () => number;
  /** After a commit that wrote events (the relay publishes at once; gauges read the engine). */
  onCommitted: (model: string, changes: readonly EngineChange[], engine: ClusterEngine) => void;
  /** When the engine asks for discovery because its pool has grown. */
  onDiscoveryDue: (model: string) => void;
}

export type ClusterOutcome = 'clustered' | 'already-processed';

/**
 * item.embedded → the item joins a cluster or waits in the pool. The item, the membership, the
 * cluster changes, their events (outbox) and the processed event id commit in one transaction;
 * a redelivered event, or the same item under another event id, changes nothing.
 */
export function clusterEmbedded(deps: ClusterEmbeddedDeps) {
  return async (message: ReceivedMessage): Promise<ClusterOutcome> => {
    const event = eventOf<TrendmillEvent<typeof EVENT_TYPES.itemEmbedded>>(message)!;
    const data = event.data;
    const item: EngineItem = {
      itemId: data.itemId,
      model: data.model,
      vector: unitVectorOf(data),
      text: data.title && data.text ? `${data.title}\n\n${data.text}` : data.title || data.text,
      publishedAt: Date.parse(data.publishedAt),
      sourceId: data.sourceId,
      language: data.language,
    };
    const traceparent = injectTraceparent() ?? currentContext().traceparent;

    return deps.engines.run(data.model, item.vector.length, async ({ engine }) => {
      const now = deps.now();
      let changes: EngineChange[] = [];
      let discoveryDue = false;
      const fresh = await deps.prisma.$transaction(
        (tx) =>
          runOnce(tx, deps.schema, CLUSTERER_CONSUMER, event.id, async () => {
            // Known to the engine, or stored (older than what the engine holds): nothing to do.
            if (engine.has(item.itemId)) return;
            if (!(await clusterStore.insertItem(tx, { ...item, clusterId: null }))) return;
            const result = addToEngine(engine, item, now);
            changes = result.changes;
            discoveryDue = result.discoveryDue;
            await clusterStore.applyChanges(tx, item.model, changes, now);
            await enqueueEvents(
              tx,
              deps.schema,
              eventsForChanges(changes, {
                model: item.model,
                now,
                correlationid: event.correlationid,
                traceparent,
              }),
            );
          }),
        { timeout: 30_000, maxWait: 30_000 },
      );
      if (changes.length > 0) deps.onCommitted(item.model, changes, engine);
      if (discoveryDue) deps.onDiscoveryDue(item.model);
      return fresh && changes.length > 0 ? 'clustered' : 'already-processed';
    });
  };
}

/** The engine checks an item before it changes anything, so a refused item leaves it as it was. */
function addToEngine(engine: ClusterEngine, item: EngineItem, now: number) {
  try {
    return engine.add(item, now);
  } catch (err) {
    if (err instanceof EngineError) throw new PermanentFailure(err.message, err.code);
    throw err;
  }
}
