import { enqueueEvents } from '@trendmill/platform';
import type { ClusterEngine, DiscoveryInput, EngineChange } from '../domain/index.js';
import type { GroupFinder } from '../discovery/group-finder.js';
import type { EngineRegistry } from '../engine-registry.js';
import { clusterStore } from '../store/cluster-store.js';
import type { PrismaClient } from '../store/prisma.js';
import { eventsForChanges } from './change-events.js';

export type CycleKind = 'discover' | 'maintain';

export interface EngineCycleDeps {
  prisma: PrismaClient;
  schema: string;
  engines: EngineRegistry;
  now: () => number;
  /**
   * Where discovery's density clustering runs when the engine can split its pass (see
   * `prepareDiscovery`); absent, the whole pass runs on the engine's queue.
   */
  groupFinder?: GroupFinder;
  /**
   * Asked before a split pass applies its groups: false (leadership lost while the groups were
   * being found) drops the pass, so only the leader ever writes.
   */
  stillActive?: () => boolean;
}

/**
 * One discovery or maintenance pass over a model's engine. The engine works outside any
 * transaction (density clustering can take seconds, and on PGlite an open transaction holds up
 * every service); its changes and their events then commit together. Should that commit fail,
 * the registry drops the engine, which is rebuilt from the database on next use.
 *
 * With a group finder, discovery takes three steps: the candidates are taken on the engine's
 * queue, their groups found elsewhere (a worker thread) while the engine goes on assigning items,
 * and the groups applied, on the queue again, to the engine as it is by then.
 */
export async function runEngineCycle(
  deps: EngineCycleDeps,
  model: string,
  kind: CycleKind,
  options: { onlyIfPooled?: boolean } = {},
): Promise<EngineChange[]> {
  // Asked on the engine's queue, right before the pass takes its candidates: passes queued
  // behind a slow one (timer ticks under load) see what that one took and skip.
  const idle = (engine: ClusterEngine) =>
    kind === 'discover' && options.onlyIfPooled === true && engine.pooledSinceDiscovery() === 0;
  if (kind === 'discover' && deps.groupFinder) {
    const finder = deps.groupFinder;
    let skipped = false;
    const input = await deps.engines.run(model, undefined, async ({ engine }) => {
      if (idle(engine)) {
        skipped = true;
        return undefined;
      }
      return engine.prepareDiscovery && engine.completeDiscovery
        ? engine.prepareDiscovery(deps.now())
        : undefined;
    });
    if (skipped) return [];
    if (input) {
      const groups = input.vectors.length === 0 ? [] : await finder.find(input.vectors, input.options);
      return applyOnQueue(deps, model, input, groups);
    }
  }
  return deps.engines.run(model, undefined, async ({ engine }) => {
    if (idle(engine)) return [];
    const now = deps.now();
    const changes = kind === 'discover' ? engine.discover(now) : engine.maintain(now);
    await commit(deps, model, changes, now);
    return changes;
  });
}

function applyOnQueue(
  deps: EngineCycleDeps,
  model: string,
  input: DiscoveryInput,
  groups: number[][],
): Promise<EngineChange[]> {
  return deps.engines.run(model, undefined, async ({ engine }) => {
    if (deps.stillActive && !deps.stillActive()) return [];
    const now = deps.now();
    const changes = engine.completeDiscovery!(input, groups, now);
    await commit(deps, model, changes, now);
    return changes;
  });
}

async function commit(deps: EngineCycleDeps, model: string, changes: EngineChange[], now: number) {
  if (changes.length === 0) return;
  await deps.prisma.$transaction(
    async (tx) => {
      await clusterStore.applyChanges(tx, deps.schema, model, changes, now);
      await enqueueEvents(tx, deps.schema, eventsForChanges(changes, { model, now }));
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
