import { PermanentFailure, claimEvents, enqueueEvents, type OutgoingMessage } from '@trendmill/platform';
import { EngineError, type ClusterEngine, type EngineChange, type EngineItem } from '../domain/index.js';
import type { EngineRegistry } from '../engine-registry.js';
import { clusterStore } from '../store/cluster-store.js';
import type { PrismaClient } from '../store/prisma.js';
import { eventsForChanges } from './change-events.js';

export const CLUSTERER_CONSUMER = 'clusterer';

export type ClusterOutcome = 'clustered' | 'already-processed';

/** One item.embedded delivery, read and checked before it joins a batch. */
export interface EmbeddedEntry {
  eventId: string;
  item: EngineItem;
  correlationid: string | undefined;
  traceparent: string | undefined;
}

export interface ClusterBatchDeps {
  prisma: PrismaClient;
  schema: string;
  engines: EngineRegistry;
  now: () => number;
  /** After a commit that wrote events (the relay publishes at once; gauges read the engine). */
  onCommitted: (model: string, changes: readonly EngineChange[], engine: ClusterEngine) => void;
  /** When the engine asks for discovery because its pool has grown. */
  onDiscoveryDue: (model: string) => void;
}

/**
 * Clusters a batch of items: per embedding model, every item's row, the engine's changes, their
 * events (outbox) and the processed event ids commit in one transaction, written a statement per
 * kind rather than per item. A redelivered event, or
 * the same item under another event id, changes nothing. Throws when a transaction fails (the
 * caller then retries the items one at a time); an item refused on its own before anything was
 * written for it is rejected alone while the rest of the batch commits.
 */
export async function clusterBatch(
  deps: ClusterBatchDeps,
  entries: readonly EmbeddedEntry[],
): Promise<Array<PromiseSettledResult<ClusterOutcome>>> {
  const results = new Array<PromiseSettledResult<ClusterOutcome>>(entries.length);
  const byModel = new Map<string, number[]>();
  entries.forEach((entry, i) => {
    const group = byModel.get(entry.item.model) ?? [];
    group.push(i);
    byModel.set(entry.item.model, group);
  });
  for (const [model, indexes] of byModel) {
    const outcomes = await clusterModelBatch(
      deps,
      model,
      indexes.map((i) => entries[i]!),
    );
    indexes.forEach((entryIndex, k) => (results[entryIndex] = outcomes[k]!));
  }
  return results;
}

async function clusterModelBatch(
  deps: ClusterBatchDeps,
  model: string,
  entries: readonly EmbeddedEntry[],
): Promise<Array<PromiseSettledResult<ClusterOutcome>>> {
  const firstDim = entries[0]!.item.vector.length;
  return deps.engines.run(model, firstDim, async ({ engine, dim }) => {
    const now = deps.now();
    const results: Array<PromiseSettledResult<ClusterOutcome>> = [];
    const changes: EngineChange[] = [];
    let discoveryDue = false;
    let engineChanged = false;
    try {
      await deps.prisma.$transaction(
        async (tx) => {
          const fits = entries.filter((entry) => entry.item.vector.length === dim);
          // Redeliveries (ids recorded) and items already held (known to the engine, or stored
          // and older than what it holds) change nothing; a new event id still gets recorded.
          const fresh = await claimEvents(
            tx,
            deps.schema,
            CLUSTERER_CONSUMER,
            fits.map((e) => e.eventId),
          );
          const candidates = fits.filter((e) => fresh.has(e.eventId) && !engine.has(e.item.itemId));
          const stored = await clusterStore.insertItems(
            tx,
            candidates.map((e) => ({ ...e.item, clusterId: null })),
          );
          // The same item under two event ids of one batch is added once (stored once).
          const adding = entries.filter(
            (e) => e.item.vector.length === dim && fresh.has(e.eventId) && stored.delete(e.item.itemId),
          );
          const addingSet = new Set(adding);
          const added = adding.length > 0 ? addToEngine(engine, adding, now) : undefined;
          if (added) {
            engineChanged = true;
            changes.push(...added.changes);
            discoveryDue = added.discoveryDue;
          }
          // Each item's own event carries its delivery's correlation; a cluster event announces
          // several items' arrival at once and carries the last one's.
          const byItem = new Map<string, EngineChange>();
          const clusterChanges: EngineChange[] = [];
          for (const change of added?.changes ?? [])
            if (change.kind === 'item-clustered') byItem.set(change.itemId, change);
            else clusterChanges.push(change);
          const events: OutgoingMessage[] = [];
          for (const entry of entries) {
            const { item, correlationid, traceparent } = entry;
            if (item.vector.length !== dim) {
              results.push({ status: 'rejected', reason: dimensionMismatch(model, item, dim) });
              continue;
            }
            const own = addingSet.has(entry) ? byItem.get(item.itemId) : undefined;
            if (own) events.push(...eventsForChanges([own], { model, now, correlationid, traceparent }));
            results.push({ status: 'fulfilled', value: own ? 'clustered' : 'already-processed' });
          }
          const last = adding.at(-1);
          events.push(
            ...eventsForChanges(clusterChanges, {
              model,
              now,
              correlationid: last?.correlationid,
              traceparent: last?.traceparent,
            }),
          );
          await clusterStore.applyChanges(tx, deps.schema, model, changes, now);
          await enqueueEvents(tx, deps.schema, events);
        },
        { timeout: 30_000, maxWait: 30_000 },
      );
    } catch (err) {
      // The registry keeps the engine after a PermanentFailure (the refused item left it as it
      // was); once earlier items of the batch changed it, it must be rebuilt from what committed.
      if (engineChanged && err instanceof PermanentFailure) {
        throw new Error(`batch of ${entries.length} items not committed: ${err.message}`, { cause: err });
      }
      throw err;
    }
    if (changes.length > 0) deps.onCommitted(model, changes, engine);
    if (discoveryDue) deps.onDiscoveryDue(model);
    return results;
  });
}

function dimensionMismatch(model: string, item: EngineItem, dim: number) {
  return new PermanentFailure(
    `vector of ${item.vector.length} dimensions for model "${model}", whose vectors have ${dim}`,
    'dimension_mismatch',
  );
}

/** The engine checks every item before it changes anything, so a refused item leaves it as it was. */
function addToEngine(engine: ClusterEngine, entries: readonly EmbeddedEntry[], now: number) {
  try {
    return engine.addMany(
      entries.map((e) => e.item),
      now,
    );
  } catch (err) {
    if (err instanceof EngineError) throw new PermanentFailure(err.message, err.code);
    throw err;
  }
}
