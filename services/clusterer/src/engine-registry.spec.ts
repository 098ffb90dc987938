import { expect } from 'chai';
import { PermanentFailure, createLogger } from '@trendmill/platform';
import type { ClusterEngine, EngineSettings, EngineSnapshot } from './domain/index.js';
import { EngineRegistry, EngineRegistryCleared, type EngineFactory } from './engine-registry.js';
import type { PrismaClient } from './store/prisma.js';

/** Just enough of the Prisma client for the registry: settings per model, empty state. */
function fakePrisma(stored: Record<string, { dim: number; settings: EngineSettings }> = {}) {
  const saved: Array<{ model: string; dim: number }> = [];
  const prisma = {
    modelSettings: {
      findUnique: async ({ where }: { where: { model: string } }) =>
        stored[where.model] ? { model: where.model, ...stored[where.model] } : null,
      upsert: async ({ create }: { create: { model: string; dim: number; settings: EngineSettings } }) => {
        saved.push({ model: create.model, dim: create.dim });
        stored[create.model] = { dim: create.dim, settings: create.settings };
      },
    },
    cluster: { findMany: async () => [] },
    item: { findMany: async () => [] },
  };
  return { prisma: prisma as unknown as PrismaClient, saved };
}

function countingFactory() {
  const built: Array<{ settings: EngineSettings; snapshot: EngineSnapshot | undefined }> = [];
  const factory: EngineFactory = {
    defaults: (model, overrides = {}) =>
      ({ model, assignThreshold: 0.6, discoveryWindowMs: 1_000, ...overrides }) as EngineSettings,
    create: (settings, options) => {
      built.push({ settings, snapshot: options?.snapshot });
      return { settings, poolSize: () => 0 } as unknown as ClusterEngine;
    },
  };
  return { factory, built };
}

const logger = createLogger('registry-test', 'error');

describe('EngineRegistry', () => {
  it('builds one engine per model from stored settings, deployment overrides on top', async () => {
    const { prisma, saved } = fakePrisma({
      m1: { dim: 4, settings: { model: 'm1', assignThreshold: 0.42 } as EngineSettings },
    });
    const { factory, built } = countingFactory();
    const registry = new EngineRegistry({
      prisma,
      factory,
      overrides: { minClusterSize: 7 },
      now: () => 5_000,
      logger,
    });
    await registry.run('m1', 4, async () => undefined);
    await registry.run('m1', 4, async () => undefined);
    await registry.run('m2', 8, async () => undefined);
    expect(built.map((b) => b.settings)).to.deep.equal([
      { model: 'm1', assignThreshold: 0.42, discoveryWindowMs: 1_000, minClusterSize: 7 },
      { model: 'm2', assignThreshold: 0.6, discoveryWindowMs: 1_000, minClusterSize: 7 },
    ]);
    expect(saved).to.deep.equal([
      { model: 'm1', dim: 4 },
      { model: 'm2', dim: 8 },
    ]);
  });

  it('runs one model’s work in order, one at a time', async () => {
    const { prisma } = fakePrisma();
    const registry = new EngineRegistry({
      prisma,
      factory: countingFactory().factory,
      overrides: {},
      now: () => 0,
      logger,
    });
    const log: string[] = [];
    const step = (name: string, ms: number) =>
      registry.run('m1', 2, async () => {
        log.push(`start ${name}`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`end ${name}`);
      });
    await Promise.all([step('a', 20), step('b', 0), step('c', 5)]);
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('refuses a vector of another length than the model’s, before any work', async () => {
    const { prisma } = fakePrisma();
    const registry = new EngineRegistry({
      prisma,
      factory: countingFactory().factory,
      overrides: {},
      now: () => 0,
      logger,
    });
    await registry.run('m1', 4, async () => undefined);
    let ran = false;
    const refused = await registry
      .run('m1', 3, async () => {
        ran = true;
      })
      .catch((err: unknown) => err);
    expect(refused).to.be.instanceOf(PermanentFailure).with.property('code', 'dimension_mismatch');
    expect(ran).to.equal(false);
  });

  it('rebuilds an engine from the database after work on it failed, not after a refused message', async () => {
    const { prisma } = fakePrisma();
    const { factory, built } = countingFactory();
    const registry = new EngineRegistry({ prisma, factory, overrides: {}, now: () => 0, logger });
    await registry.run('m1', 2, async () => undefined);
    await registry
      .run('m1', 2, async () => {
        throw new PermanentFailure('bad item');
      })
      .catch(() => undefined);
    expect(built).to.have.length(1);
    await registry
      .run('m1', 2, async () => {
        throw new Error('commit failed');
      })
      .catch(() => undefined);
    await registry.run('m1', 2, async () => undefined);
    expect(built).to.have.length(2);
  });

  it('finishes work queued before a clear, and refuses work after it without rebuilding an engine', async () => {
    const { prisma } = fakePrisma();
    const { factory, built } = countingFactory();
    const registry = new EngineRegistry({ prisma, factory, overrides: {}, now: () => 0, logger });
    let queuedRan = false;
    const queued = registry.run('m1', 2, async () => {
      await new Promise((r) => setTimeout(r, 10));
      queuedRan = true;
    });
    await registry.clear();
    await queued;
    expect(queuedRan).to.equal(true);
    let lateRan = false;
    const late = await registry
      .run('m1', 2, async () => {
        lateRan = true;
      })
      .catch((err: unknown) => err);
    expect(late).to.be.instanceOf(EngineRegistryCleared);
    expect(lateRan).to.equal(false);
    expect(built).to.have.length(1);
  });
});
