import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { keepCheckpointing, type Checkpointer } from './pglite-checkpoints.js';
import { clusterTemplate, createPglite, needsInitdb, offerClusterTemplate } from './pglite-template.js';
import { PgliteThread, type PgliteHandle } from './pglite-thread.js';
import { takeTurns } from './pglite-turn-taking.js';
import { keepVacuuming, type Vacuumer } from './pglite-vacuum.js';

/**
 * One PGlite instance per location per process, shared by every service that opens it.
 *
 * Two PGlite instances over the same data directory would corrupt it, so services that open one
 * location lease its one instance, each working in its own schema, and the last release closes it.
 * (The embedded default gives each service a location of its own: see the CLI's `data-layout.ts`.)
 */
export interface PgliteLease {
  readonly pglite: PgliteHandle;
  /** Gives the lease back; the instance closes when no lease is left. Safe to call twice. */
  release(): Promise<void>;
}

/** `memory` or `memory/<name>` for an in-memory database, otherwise a data directory. */
export type PgliteLocation = string;

interface Entry {
  instance: Promise<PgliteHandle>;
  leases: number;
}

/** Each open instance's checkpointer and vacuumer (see keepCheckpointing, keepVacuuming), stopped when it closes. */
const upkeeps = new WeakMap<PgliteHandle, { checkpointer: Checkpointer; vacuumer: Vacuumer }>();

const open = new Map<string, Entry>();

export async function acquirePglite(location: PgliteLocation): Promise<PgliteLease> {
  const key = registryKey(location);
  let entry = open.get(key);
  if (!entry) {
    entry = { instance: create(location), leases: 0 };
    open.set(key, entry);
  }
  entry.leases++;
  const current = entry;
  let pglite: PgliteHandle;
  try {
    pglite = await current.instance;
  } catch (err) {
    current.leases--;
    if (open.get(key) === current) open.delete(key);
    throw err;
  }
  let released = false;
  return {
    pglite,
    release: async () => {
      if (released) return;
      released = true;
      if (--current.leases > 0) return;
      if (open.get(key) === current) open.delete(key);
      const upkeep = upkeeps.get(pglite);
      upkeep?.checkpointer.stop();
      upkeep?.vacuumer.stop();
      await pglite.close();
    },
  };
}

/** The checkpointer kept running for an instance this registry opened (tests, diagnostics). */
export function pgliteCheckpointer(pglite: PgliteHandle): Checkpointer | undefined {
  return upkeeps.get(pglite)?.checkpointer;
}

/** The vacuumer kept running for an instance this registry opened (tests, diagnostics). */
export function pgliteVacuumer(pglite: PgliteHandle): Vacuumer | undefined {
  return upkeeps.get(pglite)?.vacuumer;
}

/** How many leases are held on a location (0 when closed); lets tests check for leaks. */
export function pgliteLeases(location: PgliteLocation): number {
  return open.get(registryKey(location))?.leases ?? 0;
}

function isMemory(location: string): boolean {
  return location === 'memory' || location.startsWith('memory/');
}

function registryKey(location: string): string {
  return isMemory(location) ? location : `dir:${resolve(location)}`;
}

async function create(location: string): Promise<PgliteHandle> {
  const dataDir = isMemory(location) ? undefined : resolve(location);
  if (dataDir) await mkdir(dataDir, { recursive: true });
  let pglite: PgliteHandle;
  if (!pgliteThreadWanted()) {
    const local = dataDir ? await createInThisThread(dataDir) : await PGlite.create();
    pglite = takeTurns(local);
  } else pglite = await PgliteThread.create(dataDir);
  upkeeps.set(pglite, { checkpointer: keepCheckpointing(pglite), vacuumer: keepVacuuming(pglite) });
  return pglite;
}

/** As `PgliteThread.create` does in its thread: a fresh directory from the cluster template, if any. */
async function createInThisThread(dataDir: string): Promise<PGlite> {
  const { db, made } = await createPglite(dataDir, needsInitdb(dataDir) ? clusterTemplate() : undefined);
  if (made) offerClusterTemplate(made);
  return db;
}

/**
 * `TRENDMILL_PGLITE_THREAD`: `on` (default) runs PGlite in a thread of its own (`PgliteThread`);
 * `off` runs it in the caller's thread, taking turns with the event loop (`takeTurns`).
 */
export function pgliteThreadWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.TRENDMILL_PGLITE_THREAD;
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new Error(`TRENDMILL_PGLITE_THREAD must be "on" or "off", got "${value}"`);
}
