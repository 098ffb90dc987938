import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Crash-safe file replacement: write a temporary file beside the target, flush it to disk, rename
 * it over the target (atomic on POSIX file systems), then flush the directory so the rename itself
 * survives a power loss. A reader sees the old file or the new one, never a half-written one.
 */
export async function writeFileAtomic(path: string, chunks: ReadonlyArray<Uint8Array>): Promise<void> {
  const temp = temporaryPath(path);
  const handle = await open(temp, 'w');
  try {
    for (const chunk of chunks) {
      let written = 0;
      while (written < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, written, chunk.byteLength - written);
        written += bytesWritten;
      }
    }
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await handle.close();
  await commitFile(temp, path);
}

/** Renames a finished temporary file into place and makes the rename durable. */
export async function commitFile(temp: string, path: string): Promise<void> {
  await rename(temp, path);
  await syncDirectory(dirname(path));
}

export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

/** Temporary names end in `.tmp` so a store can sweep the leftovers of an interrupted write on open. */
export function temporaryPath(path: string): string {
  return `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
}
