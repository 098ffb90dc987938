import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { VectorStoreError } from '../errors.js';
import { modelFolderName } from '../model-names.js';
import type { VectorCollection, VectorStore } from '../port.js';
import { checkDim, checkModelName } from '../validation.js';
import { EmbeddedCollection, type CollectionMeta } from './collection.js';
import { lockDirectory, type DirLock } from './dir-lock.js';
import { syncDirectory, writeFileAtomic } from './files.js';
import {
  resolveEmbeddedOptions,
  type EmbeddedStoreOptions,
  type ResolvedEmbeddedOptions,
} from './options.js';

/**
 * The vector store of the embedded default: usearch HNSW in process, persisted under `dir` with one
 * folder per model (its name encoded so no model name can escape `dir`; the exact name is kept in
 * the folder's `meta.json`). Collections are loaded on first use and stay in memory until close.
 */
const META = 'meta.json';
const metaSchema = z.object({ format: z.literal(1), model: z.string().min(1), dim: z.number().int().min(1) });

export class EmbeddedVectorStore implements VectorStore {
  readonly kind = 'embedded';
  private readonly opened = new Map<string, Promise<EmbeddedCollection>>();
  private closed = false;

  private constructor(
    private readonly options: ResolvedEmbeddedOptions,
    private readonly lock: DirLock,
  ) {}

  static async open(options: EmbeddedStoreOptions): Promise<EmbeddedVectorStore> {
    const resolved = resolveEmbeddedOptions(options);
    await mkdir(resolved.dir, { recursive: true });
    const lock = await lockDirectory(resolved.dir);
    try {
      // Leftovers of a create or a drop that a crash interrupted.
      const leftovers = (await readdir(resolved.dir)).filter((f) => /^\.(creating|dropped)-/.test(f));
      await Promise.all(leftovers.map((f) => rm(join(resolved.dir, f), { recursive: true, force: true })));
    } catch (err) {
      await lock.release();
      throw err;
    }
    return new EmbeddedVectorStore(resolved, lock);
  }

  async collection(model: string, dim: number): Promise<VectorCollection> {
    this.assertOpen();
    checkModelName(model);
    checkDim(dim);
    let pending = this.opened.get(model);
    if (!pending) {
      pending = this.openCollection(model, dim);
      this.opened.set(model, pending);
      const settled = pending;
      settled.catch(() => {
        if (this.opened.get(model) === settled) this.opened.delete(model);
      });
    }
    const collection = await pending;
    if (collection.dim !== dim) {
      throw new VectorStoreError(
        'dimension_mismatch',
        `collection for model ${JSON.stringify(model)} has dimension ${collection.dim}, not ${dim}: one model, one space`,
      );
    }
    return collection;
  }

  async dropCollection(model: string): Promise<void> {
    this.assertOpen();
    checkModelName(model);
    const pending = this.opened.get(model);
    this.opened.delete(model);
    (await pending?.catch(() => undefined))?.discard();
    const folder = this.folderOf(model);
    const meta = await readMeta(folder);
    // A folder holding another model (a name collision) is not this model's to delete.
    if (meta?.model !== model) return;
    const trash = join(this.options.dir, `.dropped-${randomBytes(6).toString('hex')}`);
    await rename(folder, trash);
    await syncDirectory(this.options.dir);
    await rm(trash, { recursive: true, force: true });
  }

  async listCollections(): Promise<Array<{ model: string; dim: number; count: number }>> {
    this.assertOpen();
    const entries = await readdir(this.options.dir, { withFileTypes: true });
    const found: Array<{ model: string; dim: number; count: number }> = [];
    for (const entry of entries) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const meta = await readMeta(join(this.options.dir, entry.name)).catch(() => undefined);
      if (!meta) continue;
      const collection = await this.collection(meta.model, meta.dim);
      found.push({ model: meta.model, dim: meta.dim, count: await collection.count() });
    }
    return found.sort((a, b) => (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  }

  /** Compacts every open collection's log into a snapshot (close does this too). */
  async flush(): Promise<void> {
    this.assertOpen();
    const collections = await Promise.all([...this.opened.values()].map((p) => p.catch(() => undefined)));
    await Promise.all(collections.map((c) => c?.flush()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const collections = await Promise.all([...this.opened.values()].map((p) => p.catch(() => undefined)));
    this.opened.clear();
    const results = await Promise.allSettled(collections.map((c) => c?.close()));
    await this.lock.release();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async openCollection(model: string, dim: number): Promise<EmbeddedCollection> {
    const folder = this.folderOf(model);
    let meta = await readMeta(folder);
    if (meta && meta.model !== model) {
      throw new VectorStoreError(
        'model_name_collision',
        `models ${JSON.stringify(model)} and ${JSON.stringify(meta.model)} map to the same folder ${folder}`,
      );
    }
    if (!meta) {
      meta = { model, dim };
      await this.createFolder(folder, meta);
    }
    return EmbeddedCollection.open(folder, meta, this.options);
  }

  /** Creates the folder complete with its meta.json, or not at all (built aside, then renamed in). */
  private async createFolder(folder: string, meta: CollectionMeta): Promise<void> {
    const temp = join(this.options.dir, `.creating-${randomBytes(6).toString('hex')}`);
    await mkdir(temp);
    await writeFileAtomic(join(temp, META), [Buffer.from(JSON.stringify({ format: 1, ...meta }, null, 2))]);
    if (existsSync(folder)) {
      // Not made by this store (it always renames a folder in with its meta.json): leave it alone.
      await rm(temp, { recursive: true, force: true });
      throw new VectorStoreError(
        'corrupt_data',
        `${folder} exists but is not a collection (no ${META}); move it away`,
      );
    }
    await rename(temp, folder);
    await syncDirectory(this.options.dir);
  }

  private folderOf(model: string): string {
    return join(this.options.dir, modelFolderName(model));
  }

  private assertOpen(): void {
    if (this.closed) throw new VectorStoreError('closed', 'the embedded vector store is closed');
  }
}

async function readMeta(folder: string): Promise<CollectionMeta | undefined> {
  let text: string;
  try {
    text = await readFile(join(folder, META), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = metaSchema.safeParse(json);
  if (!parsed.success)
    throw new VectorStoreError('corrupt_data', `${join(folder, META)} is not a collection description`);
  return { model: parsed.data.model, dim: parsed.data.dim };
}

export function openEmbeddedVectorStore(options: EmbeddedStoreOptions): Promise<EmbeddedVectorStore> {
  return EmbeddedVectorStore.open(options);
}
