import { PermanentFailure, type Logger } from '@trendmill/platform';
import { poolRetentionMs } from './domain/settings.js';
import type { ClusterEngine, CreateClusterEngine, EngineSettings } from './domain/index.js';
import { clusterStore } from './store/cluster-store.js';
import type { PrismaClient } from './store/prisma.js';

/** How the service builds engines: the domain's factory and its per-model defaults. */
export interface EngineFactory {
  create: CreateClusterEngine;
  defaults: (model: string, overrides?: Partial<EngineSettings>) => EngineSettings;
}

export interface LoadedEngine {
  engine: ClusterEngine;
  dim: number;
}

export interface EngineRegistryOptions {
  prisma: PrismaClient;
  factory: EngineFactory;
  /** Deployment overrides (env), applied over the stored or default settings of every model. */
  overrides: Partial<EngineSettings>;
  now: () => number;
  logger: Logger;
}

/**
 * One engine per embedding model, built lazily from what the database holds, and one queue per
 * model: the engine is not re-entrant, and its changes must reach the database in the order it
 * made them. When work on an engine fails after it may have changed the engine (a transaction that
 * did not commit), the engine is dropped and the next call rebuilds it from the database, so
 * memory never runs ahead of what was stored.
 */
export class EngineRegistry {
  private readonly engines = new Map<string, Promise<LoadedEngine>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private cleared = false;

  constructor(private readonly options: EngineRegistryOptions) {}

  /**
   * Runs `fn` on the model's engine after the model's earlier work. `dim` is the vector length
   * of the item at hand (a model's first item fixes it); a mismatch is refused before `fn` runs.
   */
  run<T>(model: string, dim: number | undefined, fn: (loaded: LoadedEngine) => Promise<T>): Promise<T> {
    const previous = this.queues.get(model) ?? Promise.resolve();
    const next = previous.then(async () => {
      // Work arriving after a step-down (a discovery pass whose groups were found meanwhile) must
      // not rebuild an engine nor write: the next leader's state wins.
      if (this.cleared) throw new EngineRegistryCleared();
      const loaded = await this.load(model, dim);
      if (dim !== undefined && dim !== loaded.dim) {
        throw new PermanentFailure(
          `vector of ${dim} dimensions for model "${model}", whose vectors have ${loaded.dim}`,
          'dimension_mismatch',
        );
      }
      try {
        return await fn(loaded);
      } catch (err) {
        if (!(err instanceof PermanentFailure)) this.engines.delete(model);
        throw err;
      }
    });
    const settled = next.catch(() => undefined);
    this.queues.set(model, settled);
    void settled.then(() => {
      if (this.queues.get(model) === settled) this.queues.delete(model);
    });
    return next;
  }

  /** Engines built so far (models that had work since the last `clear`). */
  async loaded(): Promise<Array<{ model: string } & LoadedEngine>> {
    const out: Array<{ model: string } & LoadedEngine> = [];
    for (const [model, pending] of this.engines) {
      const loaded = await pending.catch(() => undefined);
      if (loaded) out.push({ model, ...loaded });
    }
    return out;
  }

  /** Forgets every engine once queued work is done (after losing leadership: the next leader's state wins). */
  async clear(): Promise<void> {
    await Promise.all([...this.queues.values()]);
    this.cleared = true;
    this.engines.clear();
  }

  private load(model: string, dim: number | undefined): Promise<LoadedEngine> {
    let pending = this.engines.get(model);
    if (!pending) {
      pending = this.build(model, dim);
      this.engines.set(model, pending);
      pending.catch(() => this.engines.delete(model));
    }
    return pending;
  }

  private async build(model: string, dim: number | undefined): Promise<LoadedEngine> {
    const { prisma, factory, overrides, logger } = this.options;
    const stored = await clusterStore.modelSettings(prisma, model);
    const modelDim = stored?.dim ?? dim;
    if (modelDim === undefined) throw new Error(`no engine settings stored for model "${model}"`);
    const settings = factory.defaults(model, { ...stored?.settings, ...overrides, model });
    if (!stored || JSON.stringify(stored.settings) !== JSON.stringify(settings)) {
      await clusterStore.saveModelSettings(prisma, { dim: modelDim, settings });
    }
    const snapshot = await clusterStore.snapshot(
      prisma,
      model,
      this.options.now() - settings.discoveryWindowMs,
      this.options.now() - poolRetentionMs(settings),
    );
    const engine = factory.create(settings, { snapshot });
    logger.info('clustering engine ready', {
      model,
      clusters: snapshot.clusters.length,
      items: snapshot.items.length,
      pool: engine.poolSize(),
      assignThreshold: settings.assignThreshold,
    });
    return { engine, dim: modelDim };
  }
}

/** Work refused by a registry that was cleared (its clusterer stepped down). */
export class EngineRegistryCleared extends Error {
  constructor() {
    super('the clusterer stepped down: engine work after that is dropped');
    this.name = 'EngineRegistryCleared';
  }
}
