import { randomUUID } from 'node:crypto';
import { readFile, realpath, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { VectorStoreError } from '../errors.js';

/**
 * One writer per store directory: two processes appending to the same logs would interleave their
 * records. The lock is a `LOCK` file naming its holder; a lock whose process is gone (a crash) is
 * taken over. Within one process, a directory is held by at most one open store.
 */
const heldHere = new Set<string>();

export interface DirLock {
  release(): Promise<void>;
}

export async function lockDirectory(dir: string): Promise<DirLock> {
  const key = await realpath(dir);
  if (heldHere.has(key)) {
    throw new VectorStoreError('invalid_argument', `vector store ${dir} is already open in this process`);
  }
  const path = join(dir, 'LOCK');
  const token = randomUUID();
  const body = JSON.stringify({ pid: process.pid, host: hostname(), token });
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(path, body, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw lockError(dir, err);
      if (await holderAlive(path)) throw lockError(dir, err);
      await unlink(path).catch(() => undefined);
    }
  }
  heldHere.add(key);
  return {
    async release() {
      heldHere.delete(key);
      const current = await readFile(path, 'utf8').catch(() => '');
      if (current === body) await unlink(path).catch(() => undefined);
    },
  };
}

/** True unless the lock names a process on this host that no longer runs (or this one, not holding it). */
async function holderAlive(path: string): Promise<boolean> {
  let holder: { pid?: unknown; host?: unknown };
  try {
    holder = JSON.parse(await readFile(path, 'utf8')) as typeof holder;
  } catch {
    return false;
  }
  // A process on another machine (a shared volume) cannot be checked: assume it is alive.
  if (holder.host !== hostname()) return true;
  if (typeof holder.pid !== 'number') return false;
  // Our own pid: the earlier holder in this process is gone (it is not in heldHere), or the directory was copied.
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function lockError(dir: string, cause: unknown): VectorStoreError {
  return new VectorStoreError('locked', `vector store ${dir} is locked by another process`, { cause });
}
