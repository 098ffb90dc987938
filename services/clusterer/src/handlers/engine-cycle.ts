import { enqueueEvents } from '@trendmill/platform';
import type { EngineChange } from '../domain/index.js';
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
}

/**
 * One discovery or maintenance pass over a model's engine. The engine works outside any
 * transaction (density clustering can take seconds, and on PGlite an open transaction holds up
 * every service); its changes and their events then commit together. Should that commit fail,
 * the registry drops the engine, which is rebuilt from the database on next use.
 */
export function runEngineCycle(
  deps: EngineCycleDeps,
  model: string,
  kind: CycleKind,
): Promise<EngineChange[]> {
  return deps.engines.run(model, undefined, async ({ engine }) => {
    const now = deps.now();
    const changes = kind === 'discover' ? engine.discover(now) : engine.maintain(now);
    if (changes.length === 0) return changes;
    await deps.prisma.$transaction(
      async (tx) => {
        await clusterStore.applyChanges(tx, model, changes, now);
        await enqueueEvents(tx, deps.schema, eventsForChanges(changes, { model, now }));
      },
      { timeout: 60_000, maxWait: 30_000 },
    );
    return changes;
  });
}
